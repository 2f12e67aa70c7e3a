-- Faster reads for the income-drift scan (issue #6), measured with bench/bench_drift_scan.py.
--
-- 1. decision_months becomes a WITHOUT ROWID table: its rows are stored in primary-key order
--    (decision_id, month), so the 12 months of a decision are read in one range of the b-tree
--    instead of 12 lookups through the primary-key index into the rowid table. Same columns, same
--    constraints; nothing references this table, so it can be rebuilt in place.
CREATE TABLE decision_months_clustered (
    decision_id   TEXT NOT NULL REFERENCES decisions(id),
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    entitlement   INTEGER NOT NULL,
    voorschot     INTEGER NOT NULL,
    payment_date  TEXT NOT NULL,
    PRIMARY KEY (decision_id, month)
) WITHOUT ROWID;
INSERT INTO decision_months_clustered (decision_id, month, entitlement, voorschot, payment_date)
    SELECT decision_id, month, entitlement, voorschot, payment_date FROM decision_months;
DROP TABLE decision_months;
ALTER TABLE decision_months_clustered RENAME TO decision_months;

-- 2. The scan reads the current wage reports of a batch of households: a covering index over the
--    current reports answers that from the index alone (no lookup of each feed_reports row).
--    replaced_by is in it although always NULL there: SQLite only treats an index as covering when
--    it holds every column the query names, the WHERE clause included.
CREATE INDEX feed_reports_current_wages
    ON feed_reports (household_id, data_type, month, person_id, wages, holiday_allowance, one_off, replaced_by)
    WHERE replaced_by IS NULL;

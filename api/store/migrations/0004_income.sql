-- Income drift (issue #6): "Check. Pas aan. En door."
--
-- The income feed may split a month's loon the way the loonaangifte does: regular wage (`wages`),
-- vakantiebijslag and one-off payments (bijzondere beloningen). Both optional; NULL = not reported.
ALTER TABLE feed_reports ADD COLUMN holiday_allowance INTEGER CHECK (holiday_allowance IS NULL OR holiday_allowance >= 0);
ALTER TABLE feed_reports ADD COLUMN one_off INTEGER CHECK (one_off IS NULL OR one_off >= 0);

-- Every read of a household's estimates (households.load, the scan) filters on household_id; without
-- this index each one scanned the whole table.
CREATE INDEX estimates_household ON estimates (household_id, year, id);

-- What the drift scan last saw per household. `scan_key` = data version, month, months paid, rules
-- version and scan version: a household whose key did not change is not computed again (the answer
-- would be the same). Dropping rows here only makes the next scan do more work.
CREATE TABLE income_scans (
    household_id  TEXT PRIMARY KEY REFERENCES households(id),
    scan_key      TEXT NOT NULL,
    scanned_at    TEXT NOT NULL
);

-- Progress of a full scan per shard and day, so a killed run resumes where it stopped.
CREATE TABLE income_scan_runs (
    shard              TEXT NOT NULL,             -- 'i/n'
    scan_date          TEXT NOT NULL,             -- the day the run is for (YYYY-MM-DD)
    last_household_id  TEXT,                      -- households are walked in id order
    households         INTEGER NOT NULL DEFAULT 0,
    started_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    finished_at        TEXT,
    PRIMARY KEY (shard, scan_date)
);

-- "Voorzichtig voorschot": the household asked for a voorschot lower than its entitlement, by a
-- percentage, for one toeslag and year. The decision it produced (`decision_id`) records both the
-- entitlement and the lowered voorschot per month; the choice is in force while that decision is
-- the one in force (a later recalculation pays the normal voorschot again). The other way to be
-- careful — an income estimate at the high end of the band — is an ordinary income change and is
-- logged here with mode 'band_high', one row per person, in force while that estimate is unchanged
-- (the scan then does not suggest lowering the estimate again).
CREATE TABLE income_cautious (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id  TEXT NOT NULL REFERENCES households(id),
    year          INTEGER NOT NULL,
    toeslag       TEXT NOT NULL DEFAULT '',       -- '' for band_high (it changes the income, not one toeslag)
    mode          TEXT NOT NULL CHECK (mode IN ('band_high', 'percentage')),
    percentage    INTEGER CHECK (percentage IS NULL OR percentage BETWEEN 1 AND 50),
    person_id     TEXT REFERENCES persons(id),    -- band_high: whose estimate went to the high end
    income        INTEGER,                        -- band_high: the estimate chosen (in force while unchanged)
    decision_id   TEXT REFERENCES decisions(id),
    event_id      INTEGER REFERENCES events(id),
    chosen_at     TEXT NOT NULL
);
CREATE INDEX income_cautious_household ON income_cautious (household_id, year, id);

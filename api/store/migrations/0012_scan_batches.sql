-- The drift scan spreads over workers on any number of machines (issue #16): a worker claims the next
-- batch of households (in id order, after the last batch claimed) in a write transaction, scans it and
-- marks it done. A batch whose worker died (claimed long ago, not done) is claimed again by another
-- worker; the scan is idempotent, so a batch scanned twice only refreshes.
CREATE TABLE income_scan_batches (
    scan_date    TEXT NOT NULL,                   -- the day the run is for (YYYY-MM-DD)
    after_id     TEXT,                            -- the batch holds the households with after_id < id <= last_id
    last_id      TEXT NOT NULL,
    holder       TEXT NOT NULL,                   -- the worker that claimed it last
    claimed_at   TEXT NOT NULL,
    done_at      TEXT,
    households   INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scan_date, last_id)
);
CREATE INDEX income_scan_batches_open ON income_scan_batches (scan_date, done_at, claimed_at);

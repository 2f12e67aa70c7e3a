-- Scheduled jobs run once across all API nodes and workers (issue #16). Each job has one row; a node
-- runs a job only after it took the lease with a conditional UPDATE (due, and not leased by a living
-- holder), which one node wins on either store. A holder that dies leaves a lease that expires: another
-- node then runs the job again (every job is restartable and idempotent).
CREATE TABLE job_leases (
    name              TEXT PRIMARY KEY,
    holder            TEXT,                       -- 'host:pid:random' of the node running it now
    leased_until      TEXT,                       -- ISO 8601 UTC; NULL when nobody runs it
    last_started_at   TEXT,
    last_finished_at  TEXT,
    runs              INTEGER NOT NULL DEFAULT 0
);

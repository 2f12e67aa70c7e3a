-- Each household's overview of this year, stored when it is worked out (issue #16: a parent who opens
-- the app once a month meets a cold cache; with the overview in the database it is one read on any
-- node). It is current while the household's data version, the code that made it and the date window
-- are unchanged: the overview depends on the date only through the month and the payment runs that
-- have passed, so one computation serves every day from `valid_from` up to (not including)
-- `valid_until` (api/household/snapshot.py). The nightly job `overviews` refreshes those that ran out.
-- A cache, not a record: deleting a row loses nothing (the next request works it out again).
--
-- Portable SQL: it also runs on PostgreSQL (BLOB becomes BYTEA).
CREATE TABLE overviews (
    household_id  TEXT PRIMARY KEY REFERENCES households(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    version       INTEGER NOT NULL,   -- households.version it was worked out from
    code          TEXT NOT NULL,      -- digest of the code that made it (a release works them out anew)
    valid_from    TEXT NOT NULL,      -- ISO date, first day it holds
    valid_until   TEXT NOT NULL,      -- ISO date, first day it no longer holds
    body          BLOB NOT NULL,      -- the Overview as JSON without its `today`, zlib-compressed
    computed_at   TEXT NOT NULL
);
CREATE INDEX overviews_valid_until ON overviews (valid_until);

-- A betalingsregeling asked for a terugvordering (issue #14: the way to pay back). The request is
-- recorded on the correction line itself: its status becomes 'betalingsregeling' (0008) and these two
-- columns say which kind of regeling and on which day it was asked. `arrangement_monthly` (0008)
-- holds the monthly term: the standard regeling's (the amount spread over 24 months), or for a
-- persoonlijke regeling what the household says it can pay (the agency decides on that one).
--
-- Portable SQL: it also runs on PostgreSQL.
ALTER TABLE ledger_corrections ADD COLUMN arrangement_kind TEXT
    CHECK (arrangement_kind IS NULL OR arrangement_kind IN ('standaard', 'persoonlijk'));
ALTER TABLE ledger_corrections ADD COLUMN arrangement_requested_on TEXT;  -- ISO date the household asked

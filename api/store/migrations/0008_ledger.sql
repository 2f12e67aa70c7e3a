-- One ledger per household, toeslag and year (issue #14: one truth about money). Three kinds of line:
--
--   paid        `payments` rows of kind 'voorschot': what was paid for a month and on which date. Never
--               rewritten: a later decision adds a correction, it does not change what was paid.
--   due         `decision_months` of the decision in force: what each month should pay now.
--   correction  `ledger_corrections` (below): each nabetaling / terugvordering a decision makes for
--               months already paid, as its own dated line with a status, and the definitive
--               settlement of a year once the agency has made it (it closes the year). Its split per
--               month stays in `payments` rows of kind 'correction' with the same decision_id (the
--               `paid` input of shared_rules counts them).
--
-- Portable SQL: it also runs on PostgreSQL (no triggers, no SQLite-only types or functions).
CREATE TABLE ledger_corrections (
    id              TEXT PRIMARY KEY,             -- 'cor_…'
    household_id    TEXT NOT NULL REFERENCES households(id),
    toeslag         TEXT NOT NULL,
    year            INTEGER NOT NULL,             -- the toeslag year the correction is about
    kind            TEXT NOT NULL CHECK (kind IN ('nabetaling', 'terugvordering', 'definitive_settlement')),
    amount          INTEGER NOT NULL CHECK (amount <> 0 OR kind = 'definitive_settlement'),
                                                  -- cents; >0 paid out to the household, <0 to be repaid
    decided_on      TEXT NOT NULL,                -- date of the decision that made it
    due_on          TEXT,                         -- nabetaling: paid out on; terugvordering: pay from
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'settled', 'betalingsregeling')),
    settled_on      TEXT,                         -- date it was paid out / fully repaid
    arrangement_monthly INTEGER CHECK (arrangement_monthly IS NULL OR arrangement_monthly > 0),
                                                  -- betalingsregeling: the monthly term
    decision_id     TEXT REFERENCES decisions(id),-- NULL for a definitive settlement made elsewhere
    created_at      TEXT NOT NULL
);
CREATE INDEX ledger_corrections_household ON ledger_corrections (household_id, year, toeslag, decided_on);

-- The corrections recorded before this migration: one line per decision and toeslag, dated on the
-- payment date the correction rows carry (the day the decision was made).
INSERT INTO ledger_corrections (id, household_id, toeslag, year, kind, amount, decided_on, due_on, status,
                                decision_id, created_at)
SELECT 'cor_' || p.decision_id, p.household_id, p.toeslag, p.year,
       CASE WHEN SUM(p.amount) > 0 THEN 'nabetaling' ELSE 'terugvordering' END,
       SUM(p.amount), MIN(p.payment_date), NULL, 'open', p.decision_id, MIN(p.payment_date)
  FROM payments p
 WHERE p.kind = 'correction' AND p.decision_id IS NOT NULL
 GROUP BY p.household_id, p.toeslag, p.year, p.decision_id
HAVING SUM(p.amount) <> 0;

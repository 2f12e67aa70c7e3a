-- The toeslag year cycle (issue #15). Written once for SQLite and PostgreSQL: TEXT ids, no
-- AUTOINCREMENT, no partial indexes.

-- Final income of a person for a past year: from the income data (a feed report marked final) or
-- the figure the household enters from its tax assessment (aanslag). The newest row per
-- (person, year) counts; rows are never updated.
CREATE TABLE final_incomes (
    id               TEXT PRIMARY KEY,               -- 'fin_…'
    household_id     TEXT NOT NULL REFERENCES households(id),
    person_id        TEXT NOT NULL REFERENCES persons(id),
    year             INTEGER NOT NULL,
    income           INTEGER NOT NULL CHECK (income >= 0),   -- toetsingsinkomen, euro cents
    source           TEXT NOT NULL CHECK (source IN ('income_data', 'parent')),
    organisation_id  TEXT,                            -- the feed's organisation, for source income_data
    recorded_at      TEXT NOT NULL
);
CREATE INDEX final_incomes_household ON final_incomes (household_id, year, recorded_at);

-- The definitieve berekening of a year per toeslag: once a household has one for a year, that year
-- is closed (no more changes). Until the ledger (issue #13, line kind definitive_settlement) lands on
-- main this table holds that fact; afterwards the ledger line is written beside it.
CREATE TABLE year_settlements (
    household_id  TEXT NOT NULL REFERENCES households(id),
    year          INTEGER NOT NULL,
    toeslag       TEXT NOT NULL,
    per_year      INTEGER NOT NULL,                  -- the definitive entitlement
    paid          INTEGER NOT NULL,                  -- what was paid for the year
    amount        INTEGER NOT NULL,                  -- per_year - paid: > 0 paid out, < 0 to repay
    decided_at    TEXT NOT NULL,
    event_id      INTEGER,
    PRIMARY KEY (household_id, year, toeslag)
);

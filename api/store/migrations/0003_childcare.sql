-- Childcare hours reported by the kinderopvangorganisatie (issue #5). The reports themselves live in
-- feed_reports (one current report per organisation, child and month; replaced ones kept). These
-- tables record what the household did with them: "Neem over" (an adoption, undoable within the
-- calendar month it was made in) and "Klopt niet" (a dispute, kept for follow-up).

CREATE TABLE childcare_adoptions (
    event_id      INTEGER PRIMARY KEY REFERENCES events(id),  -- the change event of the adoption
    household_id  TEXT NOT NULL REFERENCES households(id),
    contract_id   TEXT NOT NULL REFERENCES childcare_contracts(id),
    mode          TEXT NOT NULL CHECK (mode IN ('reported', 'average')),
    from_month    TEXT NOT NULL,                  -- 'YYYY-MM': the figures hold from this month on
    hours         INTEGER NOT NULL CHECK (hours BETWEEN 0 AND 744),
    hourly_rate   INTEGER NOT NULL CHECK (hourly_rate BETWEEN 0 AND 5000),
    based_on      TEXT NOT NULL,                  -- JSON: ids of the reports the figures came from
    previous      TEXT NOT NULL,                  -- JSON: [{"month", "hours", "hourly_rate"}] before, per month
    adopted_on    TEXT NOT NULL,                  -- date (Europe/Amsterdam): undo only in this calendar month
    undone_by     INTEGER REFERENCES events(id)   -- the undo event, once undone
);
CREATE INDEX childcare_adoptions_household ON childcare_adoptions (household_id, contract_id);

CREATE TABLE childcare_disputes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    report_id     INTEGER NOT NULL UNIQUE REFERENCES feed_reports(id),
    household_id  TEXT NOT NULL REFERENCES households(id),
    contract_id   TEXT NOT NULL REFERENCES childcare_contracts(id),
    reason        TEXT NOT NULL,                  -- the parent's own words; never logged
    status        TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    event_id      INTEGER NOT NULL REFERENCES events(id),
    created_at    TEXT NOT NULL
);
CREATE INDEX childcare_disputes_household ON childcare_disputes (household_id);

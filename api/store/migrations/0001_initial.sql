-- toeslagen-pwa: initial schema. Money in integer euro cents, dates ISO 8601 (TEXT), timestamps
-- ISO 8601 UTC. Portable SQL (no SQLite-only types beyond INTEGER PRIMARY KEY AUTOINCREMENT).

CREATE TABLE households (
    id          TEXT PRIMARY KEY,                 -- 'hh_…', random, never shown to partners
    label       TEXT NOT NULL,                    -- shown in the app ("Huishouden De Vries")
    demo_key    TEXT UNIQUE,                      -- set for the demo households only
    version     INTEGER NOT NULL DEFAULT 1,       -- bumped on every change (cache key)
    created_at  TEXT NOT NULL
);

CREATE TABLE persons (
    id                   TEXT PRIMARY KEY,        -- 'prs_…'
    household_id         TEXT NOT NULL REFERENCES households(id),
    role                 TEXT NOT NULL CHECK (role IN ('applicant', 'partner', 'child', 'co_resident')),
    given_name           TEXT NOT NULL,
    birth_date           TEXT NOT NULL,
    bsn                  TEXT CHECK (bsn IS NULL OR (length(bsn) = 9 AND bsn NOT GLOB '*[^0-9]*')),
    insured              INTEGER NOT NULL DEFAULT 1 CHECK (insured IN (0, 1)),
    works                INTEGER NOT NULL DEFAULT 1 CHECK (works IN (0, 1)),
    treaty_country       TEXT,
    co_resident_is_child INTEGER NOT NULL DEFAULT 0 CHECK (co_resident_is_child IN (0, 1)),
    member_from          TEXT NOT NULL,           -- in the household from this date
    member_until         TEXT,                    -- left on this date (not a member from then on)
    created_at           TEXT NOT NULL
);
CREATE INDEX persons_household ON persons (household_id);
CREATE INDEX persons_bsn ON persons (bsn);

CREATE TABLE organisations (
    id          TEXT PRIMARY KEY,                 -- slug, e.g. 'kinderopvang-zonnebloem'
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE homes (                              -- one row per address/rent period
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id   TEXT NOT NULL REFERENCES households(id),
    valid_from     TEXT NOT NULL,
    street         TEXT NOT NULL,
    house_number   TEXT NOT NULL,
    postcode       TEXT NOT NULL,
    city           TEXT NOT NULL,
    renting        INTEGER NOT NULL CHECK (renting IN (0, 1)),
    rent           INTEGER CHECK (rent IS NULL OR rent >= 0),           -- kale huur per month
    service_costs  INTEGER NOT NULL DEFAULT 0 CHECK (service_costs >= 0),
    landlord_id    TEXT REFERENCES organisations(id),
    created_at     TEXT NOT NULL
);
CREATE INDEX homes_household ON homes (household_id, valid_from);

CREATE TABLE childcare_contracts (
    id               TEXT PRIMARY KEY,            -- 'ctr_…'
    household_id     TEXT NOT NULL REFERENCES households(id),
    child_id         TEXT NOT NULL REFERENCES persons(id),
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    location_name    TEXT NOT NULL,
    lrk_number       TEXT NOT NULL CHECK (length(lrk_number) = 12 AND lrk_number NOT GLOB '*[^0-9]*'),
    kind             TEXT NOT NULL CHECK (kind IN ('dagopvang', 'bso', 'gastouderopvang')),
    start_date       TEXT NOT NULL,
    end_date         TEXT,                        -- last day of care
    created_at       TEXT NOT NULL
);
CREATE INDEX childcare_household ON childcare_contracts (household_id);

CREATE TABLE childcare_terms (                    -- hours and rate, per period of a contract
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    contract_id      TEXT NOT NULL REFERENCES childcare_contracts(id),
    valid_from       TEXT NOT NULL,
    hours_per_month  INTEGER NOT NULL CHECK (hours_per_month BETWEEN 0 AND 744),
    hourly_rate      INTEGER NOT NULL CHECK (hourly_rate BETWEEN 0 AND 5000),
    created_at       TEXT NOT NULL
);
CREATE INDEX childcare_terms_contract ON childcare_terms (contract_id, valid_from);

CREATE TABLE estimates (                          -- geschatte grondslagen, per person per year
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id  TEXT NOT NULL REFERENCES households(id),
    person_id     TEXT NOT NULL REFERENCES persons(id),
    year          INTEGER NOT NULL,
    income        INTEGER NOT NULL CHECK (income >= 0),   -- toetsingsinkomen
    assets        INTEGER NOT NULL DEFAULT 0 CHECK (assets >= 0),
    source        TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX estimates_person ON estimates (person_id, year, id);

CREATE TABLE applications (                       -- the toeslagen the household applied for
    household_id  TEXT NOT NULL REFERENCES households(id),
    toeslag       TEXT NOT NULL CHECK (toeslag IN ('zorgtoeslag', 'huurtoeslag', 'kindgebonden_budget', 'kinderopvangtoeslag')),
    year          INTEGER NOT NULL,
    from_month    INTEGER NOT NULL CHECK (from_month BETWEEN 1 AND 12),
    applied_at    TEXT NOT NULL,
    PRIMARY KEY (household_id, toeslag, year)
);

CREATE TABLE events (                             -- append-only: see the triggers below
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id    TEXT NOT NULL REFERENCES households(id),
    occurred_at     TEXT NOT NULL,
    actor           TEXT NOT NULL,                -- 'parent', 'org:<id>', 'agency', 'demo'
    source          TEXT NOT NULL CHECK (source IN ('parent', 'kinderopvang', 'income_data', 'insurer', 'landlord', 'agency')),
    kind            TEXT NOT NULL,                -- 'change.income', 'application', 'feed.childcare_hours', …
    effective_date  TEXT,
    what            TEXT NOT NULL,                -- JSON: the change, without BSN
    amounts         TEXT NOT NULL DEFAULT '{}',   -- JSON: {toeslag: {"before": cents, "after": cents}}
    summary         TEXT NOT NULL                 -- plain Dutch
);
CREATE INDEX events_household ON events (household_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE decisions (                          -- voorschot decisions
    id               TEXT PRIMARY KEY,            -- 'dec_…'
    household_id     TEXT NOT NULL REFERENCES households(id),
    toeslag          TEXT NOT NULL,
    year             INTEGER NOT NULL,
    decided_at       TEXT NOT NULL,
    reason           TEXT NOT NULL CHECK (reason IN ('initial', 'change', 'application')),
    effective_month  INTEGER NOT NULL CHECK (effective_month BETWEEN 1 AND 12),
    entitled         INTEGER NOT NULL CHECK (entitled IN (0, 1)),
    per_year         INTEGER NOT NULL,
    new_monthly      INTEGER NOT NULL,
    past_months      INTEGER NOT NULL DEFAULT 0,  -- >0 paid out now, <0 to be repaid
    all_paid         INTEGER NOT NULL DEFAULT 0,  -- every month of the year was already paid
    event_id         INTEGER REFERENCES events(id),
    rules_version    TEXT NOT NULL
);
CREATE INDEX decisions_household ON decisions (household_id, year, toeslag, decided_at);

CREATE TABLE decision_months (
    decision_id   TEXT NOT NULL REFERENCES decisions(id),
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    entitlement   INTEGER NOT NULL,
    voorschot     INTEGER NOT NULL,
    payment_date  TEXT NOT NULL,
    PRIMARY KEY (decision_id, month)
);

CREATE TABLE payments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id  TEXT NOT NULL REFERENCES households(id),
    toeslag       TEXT NOT NULL,
    year          INTEGER NOT NULL,
    month         INTEGER NOT NULL CHECK (month BETWEEN 1 AND 12),
    kind          TEXT NOT NULL CHECK (kind IN ('voorschot', 'correction')),
    amount        INTEGER NOT NULL,               -- correction: >0 paid out, <0 repaid
    payment_date  TEXT NOT NULL,
    decision_id   TEXT REFERENCES decisions(id)
);
CREATE UNIQUE INDEX payments_voorschot_once ON payments (household_id, toeslag, year, month) WHERE kind = 'voorschot';
CREATE INDEX payments_household ON payments (household_id, year);

-- identity ------------------------------------------------------------------------------------

CREATE TABLE activation_codes (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id  TEXT NOT NULL REFERENCES households(id),
    code_hash     TEXT NOT NULL UNIQUE,           -- sha256 of the normalised code
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);

CREATE TABLE passkeys (
    id             TEXT PRIMARY KEY,              -- 'pk_…'
    household_id   TEXT NOT NULL REFERENCES households(id),
    credential_id  TEXT NOT NULL UNIQUE,          -- base64url
    public_key     BLOB NOT NULL,                 -- COSE key
    sign_count     INTEGER NOT NULL DEFAULT 0,
    transports     TEXT NOT NULL DEFAULT '[]',
    aaguid         TEXT,
    device_type    TEXT,
    backed_up      INTEGER NOT NULL DEFAULT 0,
    label          TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    last_used_at   TEXT
);
CREATE INDEX passkeys_household ON passkeys (household_id);

CREATE TABLE sessions (
    token_hash    TEXT PRIMARY KEY,               -- sha256 of the cookie value
    household_id  TEXT NOT NULL REFERENCES households(id),
    kind          TEXT NOT NULL CHECK (kind IN ('enrolment', 'full')),
    passkey_id    TEXT REFERENCES passkeys(id) ON DELETE SET NULL,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);
CREATE INDEX sessions_household ON sessions (household_id);

CREATE TABLE webauthn_challenges (
    challenge     TEXT PRIMARY KEY,               -- base64url
    kind          TEXT NOT NULL CHECK (kind IN ('registration', 'authentication')),
    household_id  TEXT REFERENCES households(id),
    session_hash  TEXT,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    used_at       TEXT
);

CREATE TABLE idempotency_records (
    scope          TEXT NOT NULL,                 -- 'hh:<id>' or 'org:<id>'
    key            TEXT NOT NULL,
    request_hash   TEXT NOT NULL,
    status_code    INTEGER NOT NULL,
    response_body  BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE rate_limits (
    bucket        TEXT NOT NULL,                  -- e.g. 'activation:<sha256 of client address>'
    window_start  INTEGER NOT NULL,
    hits          INTEGER NOT NULL,
    PRIMARY KEY (bucket, window_start)
);

-- partner feeds --------------------------------------------------------------------------------

CREATE TABLE feed_tokens (
    id               TEXT PRIMARY KEY,            -- 'ft_…'
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    data_type        TEXT NOT NULL CHECK (data_type IN ('childcare_hours', 'income', 'insurance', 'rent')),
    token_hash       TEXT NOT NULL UNIQUE,
    created_at       TEXT NOT NULL,
    revoked_at       TEXT
);

CREATE TABLE org_links (                          -- which organisation may report what about whom
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    person_id        TEXT NOT NULL REFERENCES persons(id),
    data_type        TEXT NOT NULL CHECK (data_type IN ('childcare_hours', 'income', 'insurance', 'rent')),
    ref              TEXT NOT NULL UNIQUE,        -- pseudonym the organisation uses for the person
    created_at       TEXT NOT NULL,
    PRIMARY KEY (organisation_id, person_id, data_type)
);

CREATE TABLE feed_reports (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    organisation_id  TEXT NOT NULL REFERENCES organisations(id),
    person_id        TEXT NOT NULL REFERENCES persons(id),
    household_id     TEXT NOT NULL REFERENCES households(id),
    data_type        TEXT NOT NULL,
    month            TEXT NOT NULL,               -- 'YYYY-MM'
    contract_id      TEXT REFERENCES childcare_contracts(id),
    hours            INTEGER,
    hourly_rate      INTEGER,
    wages            INTEGER,
    insured          INTEGER,
    rent             INTEGER,
    service_costs    INTEGER,
    payload_hash     TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    replaced_by      INTEGER REFERENCES feed_reports(id) DEFERRABLE INITIALLY DEFERRED
);
CREATE UNIQUE INDEX feed_reports_current ON feed_reports (organisation_id, person_id, data_type, month) WHERE replaced_by IS NULL;
CREATE INDEX feed_reports_household ON feed_reports (household_id, data_type, month);

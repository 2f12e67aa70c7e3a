-- Web Push (issue #7): the application server's VAPID key pair, the households' push subscriptions,
-- their reminder settings, and the reminders claimed/sent (at most once per occasion).

-- One key pair for the whole service, made on first use. Kept in the database (not in a file beside
-- it) so that every API node and the reminder job read the same key, the first one to run wins the
-- INSERT race, and a backup or copy of the database keeps the subscriptions valid (a subscription
-- is bound to this public key).
CREATE TABLE push_vapid (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    private_key  TEXT NOT NULL,                   -- PKCS#8 PEM, P-256
    public_key   TEXT NOT NULL,                   -- base64url, uncompressed point (65 bytes)
    created_at   TEXT NOT NULL
);

-- A browser's PushSubscription. The endpoint is a capability URL: never logged, never in a URL.
CREATE TABLE push_subscriptions (
    id             TEXT PRIMARY KEY,              -- 'sub_…'
    household_id   TEXT NOT NULL REFERENCES households(id),
    endpoint       TEXT NOT NULL,
    p256dh         TEXT NOT NULL,                 -- base64url (no padding), 65-byte P-256 point
    auth           TEXT NOT NULL,                 -- base64url (no padding), 16 bytes
    expiration_ms  INTEGER,                       -- PushSubscription.expirationTime, when the browser gives one
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    last_sent_at   TEXT,
    failures       INTEGER NOT NULL DEFAULT 0     -- consecutive failed sends (not 404/410: those delete)
);
CREATE UNIQUE INDEX push_subscriptions_endpoint ON push_subscriptions (household_id, endpoint);

-- Which kinds of reminder a household wants, and its quiet hours (Europe/Amsterdam, HH:MM). No row:
-- the defaults (everything on except payment_day; quiet 21:00-08:00).
CREATE TABLE push_settings (
    household_id            TEXT PRIMARY KEY REFERENCES households(id),
    child_age               INTEGER NOT NULL CHECK (child_age IN (0, 1)),
    childcare_contract_end  INTEGER NOT NULL CHECK (childcare_contract_end IN (0, 1)),
    home_change             INTEGER NOT NULL CHECK (home_change IN (0, 1)),
    partner_change          INTEGER NOT NULL CHECK (partner_change IN (0, 1)),
    january_check           INTEGER NOT NULL CHECK (january_check IN (0, 1)),
    payment_day             INTEGER NOT NULL CHECK (payment_day IN (0, 1)),
    prompts                 INTEGER NOT NULL CHECK (prompts IN (0, 1)),
    quiet_start             TEXT,                 -- NULL: no quiet hours
    quiet_end               TEXT,
    updated_at              TEXT NOT NULL
);
CREATE INDEX push_settings_payment_day ON push_settings (payment_day);

-- One row per reminder occasion, inserted (claimed) in its own committed transaction BEFORE the
-- push is sent: a crash between claim and send loses that push instead of sending it twice
-- (at most once). A claim left in 'claimed' is turned into an overview card by a later run.
CREATE TABLE push_reminders (
    household_id  TEXT NOT NULL REFERENCES households(id),
    kind          TEXT NOT NULL,                  -- child_age, childcare_contract_end, home_change, …
    subject       TEXT NOT NULL,                  -- what it is about: a person, contract, event or prompt id
    occasion      TEXT NOT NULL,                  -- which time: '18', '2027-01', '2026-12-21', …
    status        TEXT NOT NULL CHECK (status IN ('claimed', 'sent', 'card', 'failed')),
    due_on        TEXT NOT NULL,
    until_on      TEXT NOT NULL,
    toeslag       TEXT NOT NULL DEFAULT '',
    title         TEXT NOT NULL,
    body          TEXT NOT NULL,
    url           TEXT NOT NULL,
    tag           TEXT NOT NULL,
    data          TEXT NOT NULL DEFAULT '{}',     -- JSON: the effect per toeslag (cents), dates
    claimed_at    TEXT NOT NULL,
    finished_at   TEXT,
    prompt_id     INTEGER,                        -- the overview card, when it fell back to one
    card_closed   INTEGER NOT NULL DEFAULT 0,     -- the card was resolved after its window
    PRIMARY KEY (household_id, kind, subject, occasion)
);
CREATE INDEX push_reminders_status ON push_reminders (status, claimed_at);

-- Prompts: what the household should check now ("Check. Pas aan. En door.", childcare hours that
-- differ, assets near a limit, the January check, possible non-use, life events). Shown on the
-- overview and pushed. One open prompt per (household, kind, toeslag, subject); a dismissed one
-- keeps its fingerprint and amount so the same drift does not come back.
CREATE TABLE prompts (
    id               INTEGER PRIMARY KEY,
    household_id     TEXT NOT NULL REFERENCES households(id),
    kind             TEXT NOT NULL,
    toeslag          TEXT NOT NULL DEFAULT '',
    subject          TEXT NOT NULL DEFAULT '',
    fingerprint      TEXT NOT NULL,
    amount           INTEGER,
    title            TEXT NOT NULL,
    body             TEXT NOT NULL,
    action           TEXT,
    data             TEXT NOT NULL DEFAULT '{}',
    status           TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'dismissed', 'resolved')),
    dismissed_reason TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE UNIQUE INDEX prompts_one_open ON prompts (household_id, kind, toeslag, subject) WHERE status = 'open';
CREATE INDEX prompts_by_household ON prompts (household_id, status, id);

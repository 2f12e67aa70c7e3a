"""Web Push: the VAPID key pair, subscriptions, reminder settings, claimed/sent reminders, and the
candidate queries of the reminder job (each narrows the households to look at; the job's pure
window functions decide)."""

from __future__ import annotations

import json

from .db import Handle, row, rows, scalar
from .dialect import any_of

KINDS = ("child_age", "childcare_contract_end", "home_change", "partner_change", "january_check",
         "payment_day", "prompts")


# -- VAPID ----------------------------------------------------------------------------------------

def vapid(db: Handle) -> dict | None:
    return row(db, "SELECT * FROM push_vapid WHERE id = 1")


def add_vapid(db: Handle, private_pem: str, public_key: str, now: str) -> None:
    """First writer wins: a second process that generated a key at the same time keeps the first."""
    db.execute(
        "INSERT INTO push_vapid (id, private_key, public_key, created_at) VALUES (1, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        (private_pem, public_key, now))


# -- subscriptions --------------------------------------------------------------------------------

def subscription(db: Handle, household_id: str, endpoint: str) -> dict | None:
    return row(db, "SELECT * FROM push_subscriptions WHERE household_id = ? AND endpoint = ?",
               (household_id, endpoint))


def add_subscription(db: Handle, sub: dict) -> None:
    cols = ("id", "household_id", "endpoint", "p256dh", "auth", "expiration_ms", "created_at", "updated_at")
    db.execute(f"INSERT INTO push_subscriptions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
               tuple(sub.get(c) for c in cols))


def update_subscription_keys(db: Handle, sub_id: str, p256dh: str, auth: str, expiration_ms: int | None,
                             now: str) -> None:
    db.execute("UPDATE push_subscriptions SET p256dh = ?, auth = ?, expiration_ms = ?, updated_at = ?,"
               " failures = 0 WHERE id = ?", (p256dh, auth, expiration_ms, now, sub_id))


def subscriptions(db: Handle, household_id: str) -> list[dict]:
    return rows(db, "SELECT * FROM push_subscriptions WHERE household_id = ? ORDER BY created_at, id",
                (household_id,))


def count_subscriptions(db: Handle, household_id: str) -> int:
    return scalar(db, "SELECT count(*) FROM push_subscriptions WHERE household_id = ?", (household_id,))


def delete_subscription(db: Handle, household_id: str, endpoint: str) -> bool:
    cur = db.execute("DELETE FROM push_subscriptions WHERE household_id = ? AND endpoint = ?",
                     (household_id, endpoint))
    return cur.rowcount == 1


def delete_subscription_by_id(db: Handle, sub_id: str) -> bool:
    return db.execute("DELETE FROM push_subscriptions WHERE id = ?", (sub_id,)).rowcount == 1


def mark_sent(db: Handle, sub_id: str, now: str) -> None:
    db.execute("UPDATE push_subscriptions SET last_sent_at = ?, failures = 0 WHERE id = ?", (now, sub_id))


def mark_failed(db: Handle, sub_id: str) -> None:
    db.execute("UPDATE push_subscriptions SET failures = failures + 1 WHERE id = ?", (sub_id,))


# -- settings -------------------------------------------------------------------------------------

def settings(db: Handle, household_id: str) -> dict | None:
    return row(db, "SELECT * FROM push_settings WHERE household_id = ?", (household_id,))


def put_settings(db: Handle, household_id: str, kinds: dict[str, bool], quiet_start: str | None,
                 quiet_end: str | None, now: str) -> None:
    cols = list(KINDS)
    db.execute(
        f"INSERT INTO push_settings (household_id, {', '.join(cols)}, quiet_start, quiet_end, updated_at)"
        f" VALUES (?, {', '.join('?' * len(cols))}, ?, ?, ?)"
        f" ON CONFLICT (household_id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in cols)},"
        " quiet_start = excluded.quiet_start, quiet_end = excluded.quiet_end, updated_at = excluded.updated_at",
        (household_id, *[int(bool(kinds[c])) for c in cols], quiet_start, quiet_end, now))


def settings_for(db: Handle, household_ids: list[str]) -> dict[str, dict]:
    if not household_ids:
        return {}
    out: dict[str, dict] = {}
    for i in range(0, len(household_ids), 500):
        hh_in, args = any_of(db, "household_id", household_ids[i:i + 500])
        for r in rows(db, f"SELECT * FROM push_settings WHERE {hh_in}", args):
            out[r["household_id"]] = r
    return out


# -- reminders: claim (before sending), finish -----------------------------------------------------

def _decode(r: dict) -> dict:
    r["data"] = json.loads(r["data"])
    return r


def recorded_keys(db: Handle, household_id: str) -> set[tuple[str, str, str]]:
    return {(r[0], r[1], r[2]) for r in db.execute(
        "SELECT kind, subject, occasion FROM push_reminders WHERE household_id = ?", (household_id,)).fetchall()}


def claim(db: Handle, rem: dict, status: str, now: str) -> bool:
    """Inserts the reminder row; False when (household, kind, subject, occasion) was claimed before."""
    cur = db.execute(
        "INSERT INTO push_reminders (household_id, kind, subject, occasion, status, due_on, until_on, toeslag,"
        " title, body, url, tag, data, claimed_at, finished_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (household_id, kind, subject, occasion) DO NOTHING",
        (rem["household_id"], rem["kind"], rem["subject"], rem["occasion"], status, rem["due_on"],
         rem["until_on"], rem.get("toeslag") or "", rem["title"], rem["body"], rem["url"], rem["tag"],
         json.dumps(rem.get("data") or {}, ensure_ascii=False, separators=(",", ":")), now,
         None if status == "claimed" else now))
    return cur.rowcount == 1


def finish(db: Handle, household_id: str, kind: str, subject: str, occasion: str, status: str, now: str,
           prompt_id: int | None = None) -> None:
    db.execute(
        "UPDATE push_reminders SET status = ?, finished_at = ?, prompt_id = coalesce(?, prompt_id)"
        " WHERE household_id = ? AND kind = ? AND subject = ? AND occasion = ?",
        (status, now, prompt_id, household_id, kind, subject, occasion))


def stale_claims(db: Handle, before: str, limit: int = 1000) -> list[dict]:
    return [_decode(r) for r in rows(
        db, "SELECT * FROM push_reminders WHERE status = 'claimed' AND claimed_at < ? ORDER BY claimed_at LIMIT ?",
        (before, limit))]


def reminder(db: Handle, household_id: str, kind: str, subject: str, occasion: str) -> dict | None:
    r = row(db, "SELECT * FROM push_reminders WHERE household_id = ? AND kind = ? AND subject = ? AND occasion = ?",
            (household_id, kind, subject, occasion))
    return _decode(r) if r else None


def reminders(db: Handle, household_id: str) -> list[dict]:
    return [_decode(r) for r in rows(
        db, "SELECT * FROM push_reminders WHERE household_id = ? ORDER BY claimed_at, kind, subject, occasion",
        (household_id,))]


def expired_cards(db: Handle, today: str, limit: int = 1000) -> list[dict]:
    return rows(db, "SELECT * FROM push_reminders WHERE status = 'card' AND prompt_id IS NOT NULL"
                    " AND card_closed = 0 AND until_on < ? LIMIT ?", (today, limit))


def close_card(db: Handle, household_id: str, kind: str, subject: str, occasion: str) -> None:
    db.execute("UPDATE push_reminders SET card_closed = 1 WHERE household_id = ? AND kind = ? AND subject = ?"
               " AND occasion = ?", (household_id, kind, subject, occasion))


# -- candidates for the reminder job ---------------------------------------------------------------

def children_born_in(db: Handle, ranges: list[tuple[str, str]]) -> list[str]:
    """Households with a child (role child) born within one of the inclusive ISO date ranges."""
    if not ranges:
        return []
    where = " OR ".join("(birth_date BETWEEN ? AND ?)" for _ in ranges)
    params = [d for r in ranges for d in r]
    return [r[0] for r in db.execute(
        f"SELECT DISTINCT household_id FROM persons WHERE role = 'child' AND ({where})", params).fetchall()]


def contracts_ending_between(db: Handle, first: str, last: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT household_id FROM childcare_contracts WHERE end_date BETWEEN ? AND ?",
        (first, last)).fetchall()]


def homes_starting_between(db: Handle, first: str, last: str) -> list[str]:
    return [r[0] for r in db.execute(
        "SELECT DISTINCT household_id FROM homes WHERE valid_from BETWEEN ? AND ?", (first, last)).fetchall()]


def rent_reports_since(db: Handle, first_month: str) -> list[dict]:
    """Current landlord rent reports from `first_month` ('YYYY-MM') on."""
    return rows(db, "SELECT id, household_id, month, rent, service_costs, received_at FROM feed_reports"
                    " WHERE data_type = 'rent' AND replaced_by IS NULL AND month >= ? ORDER BY household_id, month, id",
                (first_month,))


def partner_events_between(db: Handle, first: str, last: str) -> list[dict]:
    out = rows(db, "SELECT id, household_id, occurred_at, effective_date, what, amounts FROM events"
                   " WHERE kind = 'change.partner' AND effective_date BETWEEN ? AND ? ORDER BY id", (first, last))
    for e in out:
        e["what"] = json.loads(e["what"])
        e["amounts"] = json.loads(e["amounts"])
    return out


def households_applied(db: Handle, years: tuple[int, ...]) -> list[str]:
    year_in, args = any_of(db, "year", years)
    return [r[0] for r in db.execute(f"SELECT DISTINCT household_id FROM applications WHERE {year_in}", args).fetchall()]


def households_with_payment_day(db: Handle) -> list[str]:
    return [r[0] for r in db.execute("SELECT household_id FROM push_settings WHERE payment_day = 1").fetchall()]


def open_prompts_since(db: Handle, since: str, exclude_kind: str) -> list[dict]:
    """Open prompts created at or after `since` that are not of `exclude_kind` (the reminders' own cards)."""
    return rows(db, "SELECT id, household_id, kind, toeslag, title, body, action, created_at FROM prompts"
                    " WHERE status = 'open' AND created_at >= ? AND kind != ? ORDER BY household_id, id",
                (since, exclude_kind))

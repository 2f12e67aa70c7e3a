"""Prompts: one open prompt per (household, kind, toeslag, subject); history kept."""

from __future__ import annotations

import json

from .db import Handle, rows
from .dialect import any_of


def _decode(p: dict) -> dict:
    p["data"] = json.loads(p["data"])
    return p


def latest(db: Handle, household_id: str, kind: str, toeslag: str, subject: str) -> dict | None:
    """The newest prompt of this kind and subject, whatever its status."""
    found = rows(db, "SELECT * FROM prompts WHERE household_id = ? AND kind = ? AND toeslag = ? AND subject = ?"
                     " ORDER BY id DESC LIMIT 1", (household_id, kind, toeslag, subject))
    return _decode(found[0]) if found else None


def latest_of(db: Handle, household_ids: list[str]) -> dict[tuple, dict]:
    """`latest` for every (household, kind, toeslag, subject) of `household_ids` at once (a scan batch:
    one query instead of one per draft), keyed by that tuple."""
    out: dict[tuple, dict] = {}
    for lo in range(0, len(household_ids), 900):
        hh_in, hh_args = any_of(db, "household_id", household_ids[lo:lo + 900])
        for p in rows(db, f"SELECT * FROM prompts WHERE {hh_in} ORDER BY id", hh_args):
            out[(p["household_id"], p["kind"], p["toeslag"], p["subject"])] = p  # the newest wins
    return {k: _decode(p) for k, p in out.items()}


_INSERT_COLS = ("household_id", "kind", "toeslag", "subject", "fingerprint", "amount", "title", "body", "action",
                "data", "status", "created_at", "updated_at")


def insert_values(*, household_id: str, kind: str, toeslag: str, subject: str, fingerprint: str,
                  amount: int | None, title: str, body: str, action: str | None, data: dict, now: str) -> tuple:
    """One new open prompt as the row `insert_many` writes."""
    return (household_id, kind, toeslag, subject, fingerprint, amount, title, body, action,
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), "open", now, now)


def insert(db: Handle, values: tuple) -> int:
    """One new prompt (an `insert_values` row); its id."""
    cur = db.execute(f"INSERT INTO prompts ({', '.join(_INSERT_COLS)}) VALUES ({', '.join('?' * len(_INSERT_COLS))})"
                     " RETURNING id", values)
    return cur.fetchone()[0]  # RETURNING: both databases (no lastrowid on PostgreSQL)


def insert_many(db: Handle, values: list[tuple]) -> None:
    """New prompts (`insert_values` rows) in a statement per 60 rows: a scan batch raises hundreds, and
    on PostgreSQL each statement is a round trip (60 × 13 parameters stays under SQLite's 999)."""
    for lo in range(0, len(values), 60):
        part = values[lo:lo + 60]
        db.execute(f"INSERT INTO prompts ({', '.join(_INSERT_COLS)}) VALUES "
                   + ", ".join(["(" + ", ".join("?" * len(_INSERT_COLS)) + ")"] * len(part)),
                   [v for r in part for v in r])


def update_open(db: Handle, prompt_id: int, *, fingerprint: str, amount: int | None, title: str, body: str,
                action: str | None, data: dict, now: str) -> None:
    db.execute(
        "UPDATE prompts SET fingerprint = ?, amount = ?, title = ?, body = ?, action = ?, data = ?, updated_at = ?"
        " WHERE id = ? AND status = 'open'",
        (fingerprint, amount, title, body, action, json.dumps(data, ensure_ascii=False, separators=(",", ":")),
         now, prompt_id))


def open_for(db: Handle, household_id: str) -> list[dict]:
    return [_decode(p) for p in rows(
        db, "SELECT * FROM prompts WHERE household_id = ? AND status = 'open' ORDER BY id", (household_id,))]


def get(db: Handle, household_id: str, prompt_id: int) -> dict | None:
    found = rows(db, "SELECT * FROM prompts WHERE household_id = ? AND id = ?", (household_id, prompt_id))
    return _decode(found[0]) if found else None


def set_status(db: Handle, household_id: str, prompt_id: int, status: str, reason: str | None,
               now: str) -> bool:
    cur = db.execute(
        "UPDATE prompts SET status = ?, dismissed_reason = ?, updated_at = ?"
        " WHERE household_id = ? AND id = ? AND status = 'open'",
        (status, reason, now, household_id, prompt_id))
    return cur.rowcount == 1


def resolve_open(db: Handle, household_id: str, kind: str, toeslag: str, subject: str, now: str) -> bool:
    cur = db.execute(
        "UPDATE prompts SET status = 'resolved', updated_at = ? WHERE household_id = ? AND kind = ?"
        " AND toeslag = ? AND subject = ? AND status = 'open'",
        (now, household_id, kind, toeslag, subject))
    return cur.rowcount == 1

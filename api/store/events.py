"""The append-only event log (UPDATE and DELETE are refused by triggers)."""

from __future__ import annotations

import json

from .db import Handle, rows


def append(db: Handle, *, household_id: str, occurred_at: str, actor: str, source: str, kind: str,
           effective_date: str | None, what: dict, amounts: dict, summary: str) -> int:
    cur = db.execute(
        "INSERT INTO events (household_id, occurred_at, actor, source, kind, effective_date, what, amounts, summary)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        (household_id, occurred_at, actor, source, kind, effective_date,
         json.dumps(what, ensure_ascii=False, separators=(",", ":")),
         json.dumps(amounts, separators=(",", ":")), summary),
    )
    return cur.fetchone()[0]  # RETURNING: both databases (no lastrowid on PostgreSQL)


def for_household(db: Handle, household_id: str, limit: int = 200) -> list[dict]:
    out = rows(db, "SELECT * FROM events WHERE household_id = ? ORDER BY id DESC LIMIT ?", (household_id, limit))
    for e in out:
        e["what"] = json.loads(e["what"])
        e["amounts"] = json.loads(e["amounts"])
    return out


def count(db: Handle, household_id: str | None = None) -> int:
    if household_id is None:
        return db.execute("SELECT count(*) FROM events").fetchone()[0]
    return db.execute("SELECT count(*) FROM events WHERE household_id = ?", (household_id,)).fetchone()[0]

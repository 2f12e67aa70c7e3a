"""Childcare hours reported by the kinderopvangorganisatie, as the household sees them: the reports
(current and replaced), the adoptions ("Neem over") and the disputes ("Klopt niet")."""

from __future__ import annotations

import json

from .db import Handle, row, rows

REPORT_FIELDS = ("id", "organisation_id", "person_id", "household_id", "month", "contract_id", "hours",
                 "hourly_rate", "received_at", "replaced_by")


def reports(db: Handle, household_id: str, year: int) -> list[dict]:
    """Every childcare-hours report of the household for `year`, replaced ones included, oldest first."""
    return rows(
        db,
        f"SELECT {', '.join(REPORT_FIELDS)} FROM feed_reports WHERE household_id = ? AND data_type = 'childcare_hours'"
        " AND month >= ? AND month <= ? ORDER BY contract_id, month, id",
        (household_id, f"{year}-01", f"{year}-12"),
    )


def report(db: Handle, household_id: str, report_id: int) -> dict | None:
    return row(
        db,
        f"SELECT {', '.join(REPORT_FIELDS)} FROM feed_reports WHERE id = ? AND household_id = ?"
        " AND data_type = 'childcare_hours'",
        (report_id, household_id),
    )


# -- disputes -------------------------------------------------------------------------------------

def disputes(db: Handle, household_id: str) -> list[dict]:
    return rows(db, "SELECT * FROM childcare_disputes WHERE household_id = ? ORDER BY id", (household_id,))


def dispute_for(db: Handle, report_id: int) -> dict | None:
    return row(db, "SELECT * FROM childcare_disputes WHERE report_id = ?", (report_id,))


def add_dispute(db: Handle, *, report_id: int, household_id: str, contract_id: str, reason: str, event_id: int,
                now: str) -> int:
    cur = db.execute(
        "INSERT INTO childcare_disputes (report_id, household_id, contract_id, reason, status, event_id, created_at)"
        " VALUES (?, ?, ?, ?, 'open', ?, ?) RETURNING id",
        (report_id, household_id, contract_id, reason, event_id, now),
    )
    return cur.fetchone()[0]  # RETURNING: both databases (no lastrowid on PostgreSQL)


# -- adoptions ------------------------------------------------------------------------------------

def _decode(a: dict) -> dict:
    a["based_on"] = json.loads(a["based_on"])
    a["previous"] = json.loads(a["previous"])
    return a


def add_adoption(db: Handle, *, event_id: int, household_id: str, contract_id: str, mode: str, from_month: str,
                 hours: int, hourly_rate: int, based_on: list[int], previous: list[dict], adopted_on: str) -> None:
    db.execute(
        "INSERT INTO childcare_adoptions (event_id, household_id, contract_id, mode, from_month, hours, hourly_rate,"
        " based_on, previous, adopted_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (event_id, household_id, contract_id, mode, from_month, hours, hourly_rate,
         json.dumps(based_on, separators=(",", ":")), json.dumps(previous, separators=(",", ":")), adopted_on),
    )


def adoption(db: Handle, household_id: str, event_id: int) -> dict | None:
    a = row(db, "SELECT * FROM childcare_adoptions WHERE event_id = ? AND household_id = ?", (event_id, household_id))
    return None if a is None else _decode(a)


def adoptions(db: Handle, household_id: str) -> list[dict]:
    """Every adoption of the household, oldest first."""
    return [_decode(a) for a in rows(
        db, "SELECT * FROM childcare_adoptions WHERE household_id = ? ORDER BY event_id", (household_id,))]


def mark_undone(db: Handle, household_id: str, event_id: int, undo_event_id: int) -> bool:
    cur = db.execute(
        "UPDATE childcare_adoptions SET undone_by = ? WHERE event_id = ? AND household_id = ? AND undone_by IS NULL",
        (undo_event_id, event_id, household_id),
    )
    return cur.rowcount == 1

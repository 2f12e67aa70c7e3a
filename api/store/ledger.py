"""The ledger's correction lines (`ledger_corrections`, migration 0008): each nabetaling and
terugvordering a voorschot decision makes for months already paid, and the definitive settlement of a
year. The paid lines are the `payments` rows of kind 'voorschot' (api/store/decisions.py); the due
lines are the months of the decision in force. Portable SQL only (the store also runs on PostgreSQL)."""

from __future__ import annotations

from .db import Handle, row, rows, scalar

_COLS = ("id", "household_id", "toeslag", "year", "kind", "amount", "decided_on", "due_on", "status",
         "settled_on", "arrangement_monthly", "arrangement_kind", "arrangement_requested_on", "decision_id",
         "created_at")


def add_correction(db: Handle, line: dict) -> None:
    """One correction line: `line` holds the columns above (status defaults to 'open')."""
    add_corrections(db, [line])


def add_corrections(db: Handle, lines: list[dict]) -> None:
    """Correction lines in this order (`add_correction` each), one executemany."""
    if lines:
        db.conn.executemany(
            f"INSERT INTO ledger_corrections ({', '.join(_COLS)}) VALUES ({', '.join('?' * len(_COLS))})",
            [tuple({"status": "open", **line}.get(c) for c in _COLS) for line in lines])


_CORRECTIONS = (f"SELECT {', '.join('c.' + c for c in _COLS)} FROM ledger_corrections c"
                " LEFT JOIN decisions d ON d.id = c.decision_id"
                " WHERE c.household_id = ? AND c.year = ? ORDER BY c.decided_on, c.created_at, d.event_id, c.id")


def corrections_query(household_id: str, year: int) -> tuple[str, tuple]:
    """The read of `corrections`, for db.select_many."""
    return _CORRECTIONS, (household_id, year)


def corrections(db: Handle, household_id: str, year: int) -> list[dict]:
    """The correction lines of a year, oldest first (lines of the same moment in the order of the events
    that made them)."""
    return rows(db, *corrections_query(household_id, year))


def correction(db: Handle, household_id: str, correction_id: str) -> dict | None:
    """One correction line of the household (None: the household has no such line)."""
    return row(db, f"SELECT {', '.join(_COLS)} FROM ledger_corrections WHERE id = ? AND household_id = ?",
               (correction_id, household_id))


def set_status(db: Handle, household_id: str, correction_id: str, status: str, *, settled_on: str | None = None,
               arrangement_monthly: int | None = None, arrangement_kind: str | None = None,
               arrangement_requested_on: str | None = None, only_from: str | None = None) -> bool:
    """A correction is settled (paid out / fully repaid) or gets a betalingsregeling (its kind, monthly
    term and the day it was asked). The amount and date of the line never change, nor does a
    betalingsregeling once asked (a line settled later keeps what was asked). `only_from`: change the
    line only while it still has that status (two requests at once: one wins, in one statement on both
    databases). Returns False when the household has no such line (or it no longer has `only_from`)."""
    if status == "betalingsregeling":
        sql = ("UPDATE ledger_corrections SET status = ?, settled_on = ?, arrangement_monthly = ?,"
               " arrangement_kind = ?, arrangement_requested_on = ? WHERE id = ? AND household_id = ?")
        args: tuple = (status, settled_on, arrangement_monthly, arrangement_kind, arrangement_requested_on,
                       correction_id, household_id)
    else:
        sql = "UPDATE ledger_corrections SET status = ?, settled_on = ? WHERE id = ? AND household_id = ?"
        args = (status, settled_on, correction_id, household_id)
    if only_from is not None:
        sql += " AND status = ?"
        args += (only_from,)
    cur = db.execute(sql, args)
    return cur.rowcount == 1


def year_closed(db: Handle, household_id: str, year: int) -> bool:
    """A year is closed once its definitive settlement is in the ledger (issue #15)."""
    return bool(scalar(db, "SELECT COUNT(*) FROM ledger_corrections WHERE household_id = ? AND year = ?"
                           " AND kind = 'definitive_settlement'", (household_id, year)))

"""Voorschot decisions (per toeslag per month) and payments."""

from __future__ import annotations

from .db import Handle, rows


def add(db: Handle, decision: dict, months: list[dict]) -> None:
    cols = ("id", "household_id", "toeslag", "year", "decided_at", "reason", "effective_month", "entitled",
            "per_year", "new_monthly", "past_months", "all_paid", "event_id", "rules_version")
    db.execute(
        f"INSERT INTO decisions ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        tuple(decision.get(c) for c in cols),
    )
    db.conn.executemany(
        "INSERT INTO decision_months (decision_id, month, entitlement, voorschot, payment_date) VALUES (?, ?, ?, ?, ?)",
        [(decision["id"], m["month"], m["entitlement"], m["voorschot"], m["payment_date"]) for m in months],
    )


_FOR_YEAR = "SELECT * FROM decisions WHERE household_id = ? AND year = ? ORDER BY decided_at, rowid"
_MONTHS_OF_YEAR = ("SELECT dm.* FROM decision_months dm JOIN decisions d ON d.id = dm.decision_id"
                   " WHERE d.household_id = ? AND d.year = ? ORDER BY dm.decision_id, dm.month")


def for_year(db: Handle, household_id: str, year: int) -> list[dict]:
    """All decisions of a year, oldest first, each with its 12 months."""
    decs = rows(db, _FOR_YEAR, (household_id, year))
    if not decs:
        return []
    return with_months(decs, rows(db, _MONTHS_OF_YEAR, (household_id, year)))


def for_year_queries(household_id: str, year: int) -> dict[str, tuple[str, tuple]]:
    """The reads of `for_year` by name, for db.select_many; `with_months` puts them together."""
    return {"decisions": (_FOR_YEAR, (household_id, year)), "decision_months": (_MONTHS_OF_YEAR, (household_id, year))}


def with_months(decs: list[dict], months: list[dict]) -> list[dict]:
    """The decisions, each with its `months` (the rows of decision_months, in month order)."""
    by_id: dict[str, list[dict]] = {}
    for m in months:
        by_id.setdefault(m["decision_id"], []).append(m)
    for d in decs:
        d["months"] = by_id.get(d["id"], [])
    return decs


def recent(db: Handle, household_id: str, limit: int = 50) -> list[dict]:
    return rows(
        db,
        "SELECT * FROM decisions WHERE household_id = ? ORDER BY decided_at DESC, rowid DESC LIMIT ?",
        (household_id, limit),
    )


def add_payment(db: Handle, household_id: str, toeslag: str, year: int, month: int, kind: str, amount: int,
                payment_date: str, decision_id: str | None) -> None:
    db.execute(
        "INSERT INTO payments (household_id, toeslag, year, month, kind, amount, payment_date, decision_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (household_id, toeslag, year, month, kind, amount, payment_date, decision_id),
    )


def payments_query(household_id: str, year: int) -> tuple[str, tuple]:
    """The read of `payments`, for db.select_many."""
    return ("SELECT toeslag, year, month, kind, amount, payment_date, decision_id FROM payments"
            " WHERE household_id = ? AND year = ? ORDER BY payment_date, toeslag, month, id", (household_id, year))


def payments(db: Handle, household_id: str, year: int) -> list[dict]:
    return rows(db, *payments_query(household_id, year))

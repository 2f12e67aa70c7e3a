"""Voorschot decisions (per toeslag per month) and payments."""

from __future__ import annotations

from .db import Handle, rows, select_many

_COLUMNS = ("id", "household_id", "toeslag", "year", "decided_at", "reason", "effective_month", "entitled",
            "per_year", "new_monthly", "past_months", "all_paid", "event_id", "rules_version")


def add(db: Handle, decision: dict, months: list[dict]) -> None:
    add_many(db, [(decision, months)])


def add_many(db: Handle, decisions: list[tuple[dict, list[dict]]]) -> None:
    """Decisions with their months, in this order: one executemany for the decisions and one for all
    their months (psycopg pipelines an executemany: one round trip each on PostgreSQL)."""
    if not decisions:
        return
    db.conn.executemany(
        f"INSERT INTO decisions ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
        [tuple(d.get(c) for c in _COLUMNS) for d, _ in decisions],
    )
    db.conn.executemany(
        "INSERT INTO decision_months (decision_id, month, entitlement, voorschot, payment_date) VALUES (?, ?, ?, ?, ?)",
        [(d["id"], m["month"], m["entitlement"], m["voorschot"], m["payment_date"]) for d, months in decisions
         for m in months],
    )


_FOR_YEAR = "SELECT * FROM decisions WHERE household_id = ? AND year = ? ORDER BY decided_at, rowid"
_MONTHS_OF_YEAR = ("SELECT dm.* FROM decision_months dm JOIN decisions d ON d.id = dm.decision_id"
                   " WHERE d.household_id = ? AND d.year = ? ORDER BY dm.decision_id, dm.month")


def for_year(db: Handle, household_id: str, year: int) -> list[dict]:
    """All decisions of a year, oldest first, each with its 12 months (both reads in one go: db.select_many)."""
    found = select_many(db, for_year_queries(household_id, year))
    return with_months(found["decisions"], found["decision_months"])


def for_year_and_payments(db: Handle, household_id: str, year: int) -> tuple[list[dict], list[dict]]:
    """(`for_year`, `payments`): what a recalculation reads of a year, in one go (db.select_many)."""
    found = select_many(db, {**for_year_queries(household_id, year), "payments": payments_query(household_id, year)})
    return with_months(found["decisions"], found["decision_months"]), found["payments"]


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


_ADD_PAYMENT = ("INSERT INTO payments (household_id, toeslag, year, month, kind, amount, payment_date, decision_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")


def add_payment(db: Handle, household_id: str, toeslag: str, year: int, month: int, kind: str, amount: int,
                payment_date: str, decision_id: str | None) -> None:
    db.execute(_ADD_PAYMENT, (household_id, toeslag, year, month, kind, amount, payment_date, decision_id))


def add_payments(db: Handle, payments: list[tuple]) -> None:
    """Many `add_payment`s, in this order: tuples (household_id, toeslag, year, month, kind, amount,
    payment_date, decision_id), one executemany."""
    if payments:
        db.conn.executemany(_ADD_PAYMENT, payments)


_PAYMENTS = ("SELECT toeslag, year, month, kind, amount, payment_date, decision_id FROM payments"
             " WHERE household_id = ? AND year = ? ORDER BY payment_date, toeslag, month, id")


def payments_query(household_id: str, year: int) -> tuple[str, tuple]:
    """The read of `payments`, for db.select_many."""
    return _PAYMENTS, (household_id, year)


def payments(db: Handle, household_id: str, year: int) -> list[dict]:
    return rows(db, *payments_query(household_id, year))

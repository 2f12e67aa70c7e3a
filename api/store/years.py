"""The year cycle: final incomes of past years and the definitieve berekening that closes a year."""

from __future__ import annotations

from . import ledger as ledger_store  # noqa: F401 - api.years.service reaches the ledger through here
from .db import Handle, rows


def add_final_income(db: Handle, *, id: str, household_id: str, person_id: str, year: int, income: int,
                     source: str, organisation_id: str | None, now: str) -> None:
    db.execute(
        "INSERT INTO final_incomes (id, household_id, person_id, year, income, source, organisation_id,"
        " recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (id, household_id, person_id, year, income, source, organisation_id, now),
    )


def final_incomes(db: Handle, household_id: str) -> list[dict]:
    """Every final income of the household, oldest first: the last one per (person, year) counts."""
    return rows(db, "SELECT * FROM final_incomes WHERE household_id = ? ORDER BY year, recorded_at, id",
                (household_id,))


def add_settlement(db: Handle, *, household_id: str, year: int, toeslag: str, per_year: int, paid: int,
                   decided_at: str, event_id: int | None) -> None:
    db.execute(
        "INSERT INTO year_settlements (household_id, year, toeslag, per_year, paid, amount, decided_at, event_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (household_id, year, toeslag, per_year, paid, per_year - paid, decided_at, event_id),
    )


def settlements(db: Handle, household_id: str) -> list[dict]:
    return rows(db, "SELECT * FROM year_settlements WHERE household_id = ? ORDER BY year, toeslag",
                (household_id,))


def closed_years(db: Handle, household_id: str) -> set[int]:
    """The years whose definitieve berekening was made: here, or as a `definitive_settlement` line of the
    ledger (issue #14, migration 0008)."""
    return {r["year"] for r in rows(
        db, "SELECT year FROM year_settlements WHERE household_id = ?"
            " UNION SELECT year FROM ledger_corrections WHERE household_id = ? AND kind = 'definitive_settlement'",
        (household_id, household_id))}


def households_with_past_years(db: Handle, first: int, last: int) -> list[str]:
    """The households that had a toeslag in a year from `first` to `last` (the candidates of the year scan)."""
    return [r["household_id"] for r in rows(
        db, "SELECT DISTINCT household_id FROM applications WHERE year BETWEEN ? AND ? ORDER BY household_id",
        (first, last))]

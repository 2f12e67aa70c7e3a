"""The household domain's reads: the store's rows (api/store, which imports nothing of the domains)
mapped to the domain's types (models.py) in one place, so the layers above never index a row."""

from __future__ import annotations

from typing import NamedTuple

from ..store import Store
from ..store import decisions as decisions_store
from ..store import households as households_store
from ..store import ledger as ledger_store
from ..store.db import Handle, select_many
from .models import Decision, Household, Row, decisions_from_rows


def decisions_for_year(db: Handle, household_id: str, year: int) -> list[Decision]:
    """All decisions of a year, oldest first, each with its 12 months."""
    return decisions_from_rows(decisions_store.for_year(db, household_id, year))


def recent_decisions(db: Handle, household_id: str, limit: int = 50) -> list[Decision]:
    """The newest decisions first, without their months."""
    return decisions_from_rows(decisions_store.recent(db, household_id, limit))


def household(db: Handle, household_id: str) -> Household | None:
    """Everything the situation builder needs, in one consistent read (households.load), typed."""
    state = households_store.load(db, household_id)
    return None if state is None else Household.from_state(state)


class Year(NamedTuple):
    """A household and what its year holds: what an overview of that year reads."""
    household: Household
    decisions: list[Decision]    # oldest first, each with its 12 months
    payments: list[Row]
    corrections: list[Row]       # the ledger's correction lines


def _year_queries(household_id: str, year: int) -> dict[str, tuple[str, tuple[object, ...]]]:
    return {**households_store.load_queries(household_id), **decisions_store.for_year_queries(household_id, year),
            "payments": decisions_store.payments_query(household_id, year),
            "corrections": ledger_store.corrections_query(household_id, year)}


def _year(found: dict[str, list[Row]]) -> Year | None:
    state = households_store.loaded(found)
    if state is None:
        return None
    decs = decisions_store.with_months(found["decisions"], found["decision_months"]) if found["decisions"] else []
    return Year(Household.from_state(state), decisions_from_rows(decs), found["payments"], found["corrections"])


def year(store: Store, household_id: str, year: int) -> Year | None:
    """The household and its `year` from one snapshot, with as few round trips as the store allows
    (Store.select: one statement on PostgreSQL, no transaction around it). None: no such household."""
    return _year(store.select(_year_queries(household_id, year)))


def year_in(db: Handle, household_id: str, year: int) -> Year | None:
    """`year` inside the caller's transaction (with other reads of the same snapshot)."""
    return _year(select_many(db, _year_queries(household_id, year)))

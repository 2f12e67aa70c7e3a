"""A household's stored facts as a use case reads them: `load` (the facts, or the 404 problem a
session whose household has gone gets) and `decided` (the year's decisions and payments)."""

from __future__ import annotations

from sqlite_utils import Database

from ..store import decisions as decisions_store
from ..store import households as households_store
from ..web.problems import not_found


def load(db: Database, household_id: str) -> dict:
    state = households_store.load(db, household_id)
    if state is None:
        raise not_found()
    return state


def decided(db: Database, household_id: str, year: int) -> tuple[list[dict], list[dict]]:
    """(decisions, payments) of the household in `year`: what `situation.rules_input` takes."""
    return decisions_store.for_year_and_payments(db, household_id, year)

"""The household domain's reads: the store's rows (api/store, which imports nothing of the domains)
mapped to the domain's types (models.py) in one place, so the layers above never index a row."""

from __future__ import annotations

from ..store import decisions as decisions_store
from ..store import households as households_store
from ..store.db import Handle
from .models import Decision, Household, decisions_from_rows


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

"""Household routes. The household always comes from the session."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter

from ..auth.sessions import SessionInfo
from . import schemas as s
from .service import HouseholdService


class HouseholdController(Controller):
    path = "/"
    tags = ["household"]

    @get("/household", summary="The household's data (no BSN), and the rules input the phone previews with")
    async def household(self, household_session: NamedDependency[SessionInfo],
                        households: NamedDependency[HouseholdService]) -> s.HouseholdOut:
        return households.household(household_session.household_id)

    @get("/overview", summary="Every toeslag of a year (default this year; any open year, see /api/years): status, "
                              "amount this month, next payment, steps")
    async def overview(self, household_session: NamedDependency[SessionInfo], households: NamedDependency[HouseholdService],
                       year: Annotated[int | None, QueryParameter(ge=2000, le=2100, description="an open toeslag year")] = None
                       ) -> Response[s.Overview]:
        # cache hit (data version unchanged): answered on the event loop; a miss runs the rules in a thread
        body = households.cached_overview(household_session.household_id, year)
        if body is None:
            body = await anyio.to_thread.run_sync(households.overview_json, household_session.household_id, year)
        # the body is the Overview encoded already (it is cached as bytes); the return type documents its schema
        response: Response[Any] = Response(content=body, media_type="application/json")
        return response

    @get("/history", summary="Decisions, payments and events of a year")
    async def history(self, household_session: NamedDependency[SessionInfo], households: NamedDependency[HouseholdService],
                      year: Annotated[int, QueryParameter(ge=2000, le=2100)]) -> s.History:
        return households.history(household_session.household_id, year)

    @get("/messages", summary="Decisions in plain Dutch")
    async def messages(self, household_session: NamedDependency[SessionInfo],
                       households: NamedDependency[HouseholdService]) -> s.Messages:
        return households.messages(household_session.household_id)

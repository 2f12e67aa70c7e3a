"""Household routes. The household always comes from the session."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency, Provide
from litestar.params import QueryParameter

from ..auth.sessions import SessionInfo, provide_household_session
from ..store import overviews as overviews_store
from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import HouseholdService

Route = NamedDependency[HouseholdRoute[HouseholdService]]


async def _session_with_stored_overview(request: Request) -> SessionInfo:
    """The household's session with its stored overview, read in one statement: the route every parent
    opens costs one read while the stored overview holds (HouseholdService.overview)."""
    sessions = request.app.state["sessions"]
    return await provide_household_session(sessions, overviews_store.WITH_SESSION)(request)


class HouseholdController(Controller):
    path = "/"
    tags = ["household"]
    dependencies = route_of("households")

    @get("/household", summary="The household's data (no BSN), and the rules input the phone previews with",
         sync_to_thread=True)
    def household(self, di_route: Route) -> s.HouseholdOut:
        return di_route.service.household(di_route.household_id)

    @get("/overview", summary="Every toeslag of a year (default this year; any open year, see /api/years): status, "
                              "amount this month, next payment, steps",
         dependencies={"di_household_session": Provide(_session_with_stored_overview)})
    async def overview(self, di_route: Route, di_household_session: NamedDependency[SessionInfo],
                 year: Annotated[int | None, QueryParameter(ge=2000, le=2100, description="an open toeslag year")] = None
                 ) -> Response[s.Overview]:
        # this year's overview is stored while the household's data version is unchanged (HouseholdService)
        body = await di_route.service.overview(di_route.household_id, year, di_household_session.along)
        # the body is the Overview encoded already (it is stored encoded); the return type documents its schema
        response: Response[Any] = Response(content=body, media_type="application/json")
        return response

    @get("/history", summary="Decisions, payments and events of a year", sync_to_thread=True)
    def history(self, di_route: Route, year: Annotated[int, QueryParameter(ge=2000, le=2100)]) -> s.History:
        return di_route.service.history(di_route.household_id, year)

    @get("/messages", summary="Decisions in plain Dutch", sync_to_thread=True)
    def messages(self, di_route: Route) -> s.Messages:
        return di_route.service.messages(di_route.household_id)

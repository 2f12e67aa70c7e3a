"""Routes for changes and applications. The household always comes from the session."""

from __future__ import annotations

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import ChangeService

Route = NamedDependency[HouseholdRoute[ChangeService]]


class ChangesController(Controller):
    path = "/"
    tags = ["changes"]
    dependencies = route_of("changes")

    @post("/changes/preview", status_code=200, summary="What a proposed change does to each toeslag (nothing is stored)")
    async def preview(self, data: JSONBody[s.ChangeRequest], di_route: Route) -> s.PreviewOut:
        return await di_route.preview(di_route.service.preview)

    @post("/changes", status_code=201,
          summary="Pass a change on: stored, new voorschot decisions, event logged. Honours Idempotency-Key.")
    async def submit(self, data: JSONBody[s.ChangeRequest], di_change: Route) -> Response[s.SubmitOut]:
        return await di_change.change(di_change.service.submit)

    @post("/applications", status_code=201,
          summary="Apply for a toeslag the household does not have yet. Honours Idempotency-Key.")
    async def apply(self, data: JSONBody[s.ApplicationRequest], di_change: Route) -> Response[s.SubmitOut]:
        return await di_change.change(di_change.service.apply_for)

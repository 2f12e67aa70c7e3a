"""Childcare routes: the comparison of reported and estimated hours, "Neem over" (preview and submit),
undo, a correction of one month, and "Klopt niet". The household always comes from the session."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import ChildcareService

Route = NamedDependency[HouseholdRoute[ChildcareService]]


class ChildcareController(Controller):
    path = "/childcare"
    tags = ["childcare"]
    dependencies = route_of("childcare")

    @get("/", summary="Per contract and month: estimated vs reported hours and rate, the difference in "
                      "kinderopvangtoeslag, the running total and the year end if nothing changes",
         sync_to_thread=True)
    def overview(self, di_route: Route) -> s.ChildcareOut:
        return di_route.service.overview(di_route.household_id)

    @post("/adopt/preview", status_code=200,
          summary="\"Neem over\": what adopting the reported (or average) figures does (nothing is stored)")
    async def adopt_preview(self, data: JSONBody[s.AdoptRequest], di_route: Route) -> s.AdoptPreviewOut:
        return await di_route.preview(di_route.service.adopt_preview)

    @post("/adopt", status_code=201,
          summary="\"Neem over\": a change with source kinderopvang, new voorschot decisions, event logged. "
                  "Honours Idempotency-Key.")
    async def adopt(self, data: JSONBody[s.AdoptRequest], di_change: Route) -> Response[s.ChildcareChangeOut]:
        return await di_change.change(di_change.service.adopt)

    @post("/undo", status_code=201,
          summary="Undo an adoption in the calendar month it was made: the previous figures come back as a new "
                  "change. Honours Idempotency-Key.")
    async def undo(self, data: JSONBody[s.UndoRequest], di_change: Route) -> Response[s.ChildcareChangeOut]:
        return await di_change.change(di_change.service.undo)

    @post("/correct", status_code=201, summary="Set the hours and rate of one month by hand. Honours Idempotency-Key.")
    async def correct(self, data: JSONBody[s.CorrectRequest], di_change: Route) -> Response[s.ChildcareChangeOut]:
        return await di_change.change(di_change.service.correct)

    @post("/dispute", status_code=201,
          summary="\"Klopt niet\": mark a report as wrong; recorded for follow-up, not adopted. Honours Idempotency-Key.")
    async def dispute(self, data: JSONBody[s.DisputeRequest], di_change: Route) -> Response[s.DisputeOut]:
        return await di_change.change(di_change.service.dispute)

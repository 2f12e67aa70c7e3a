"""Routes of the year cycle. The household always comes from the session; the year is a query
parameter (reads) or in the body (writes)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import YearService

Route = NamedDependency[HouseholdRoute[YearService]]


class YearsController(Controller):
    path = "/years"
    tags = ["years"]
    dependencies = route_of("years")

    @get("/", summary="The toeslag years open today: next year's voorschot (from December), this year, and "
                      "past years until their definitieve berekening (with the expected settlement)",
         sync_to_thread=True)
    def years(self, di_route: Route,
              year: Annotated[int | None, QueryParameter(ge=2000, le=2100, description="only this open year")] = None
              ) -> s.Years:
        return di_route.service.years(di_route.household_id, year)

    @post("/final-income/preview", status_code=200,
          summary="The past year with this final income and its expected settlement (nothing is stored)")
    async def final_income_preview(self, data: JSONBody[s.FinalIncomeIn], di_route: Route) -> s.Years:
        return await di_route.preview(di_route.service.preview_final_income)

    @post("/final-income", status_code=201,
          summary="The final toetsingsinkomen of a past year from the tax assessment; answers that year with its "
                  "expected settlement. Honours Idempotency-Key.")
    async def final_income(self, data: JSONBody[s.FinalIncomeIn], di_change: Route) -> Response[s.Years]:
        return await di_change.change(di_change.service.add_final_income)

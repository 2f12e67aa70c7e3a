"""Routes of the year cycle. The household always comes from the session; the year is a query
parameter (reads) or in the body (writes)."""

from __future__ import annotations

from typing import Annotated

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody, QueryParameter

from ..auth.sessions import SessionInfo
from ..web import idempotency
from ..web.body import strict
from . import schemas as s
from .service import YearService


class YearsController(Controller):
    path = "/"
    tags = ["years"]

    @get("/years", summary="The toeslag years open today: next year's voorschot (from December), this year, and "
                           "past years until their definitieve berekening (with the expected settlement)",
         sync_to_thread=True)
    def years(self, household_session: NamedDependency[SessionInfo], years: NamedDependency[YearService],
              year: Annotated[int | None, QueryParameter(ge=2000, le=2100, description="only this open year")] = None
              ) -> s.Years:
        return years.years(household_session.household_id, year)

    @post("/years/final-income/preview", status_code=200,
          summary="The past year with this final income and its expected settlement (nothing is stored)")
    async def final_income_preview(self, request: Request, data: JSONBody[s.FinalIncomeIn],
                                   household_session: NamedDependency[SessionInfo],
                                   years: NamedDependency[YearService]) -> s.Years:
        data = await strict(request, s.FinalIncomeIn)
        return await anyio.to_thread.run_sync(years.preview_final_income, household_session.household_id, data)

    @post("/years/final-income", status_code=201,
          summary="The final toetsingsinkomen of a past year from the tax assessment; answers that year with its "
                  "expected settlement. Honours Idempotency-Key.")
    async def final_income(self, request: Request, data: JSONBody[s.FinalIncomeIn],
                           household_session: NamedDependency[SessionInfo],
                           years: NamedDependency[YearService],
                           idempotency_key: idempotency.Key = None) -> Response[s.Years]:
        data, key, h = await idempotency.read(request, s.FinalIncomeIn)
        return await anyio.to_thread.run_sync(years.add_final_income, household_session.household_id, data, key, h)

"""Income routes. The household comes from the session; nothing about income is in a URL."""

from __future__ import annotations

import anyio
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..auth.sessions import SessionInfo
from ..web import idempotency
from ..web.body import strict
from . import schemas as s
from .service import IncomeService


class IncomeController(Controller):
    path = "/"
    tags = ["income"]

    @get("/income", summary="The wages reported this year per person, and the projected yearly income with its band",
         sync_to_thread=True)
    def income(self, household_session: NamedDependency[SessionInfo],
               income: NamedDependency[IncomeService]) -> s.IncomeOut:
        return income.overview(household_session.household_id)

    @post("/income/cautious/preview", status_code=200,
          summary="Voorzichtig voorschot: the normal and the cautious path side by side (nothing is stored)")
    async def cautious_preview(self, request: Request, data: JSONBody[s.CautiousRequest],
                               household_session: NamedDependency[SessionInfo],
                               income: NamedDependency[IncomeService]) -> s.CautiousPreviewOut:
        data = await strict(request, s.CautiousRequest)
        return await anyio.to_thread.run_sync(income.cautious_preview, household_session.household_id, data)

    @post("/income/cautious", status_code=201,
          summary="Choose the cautious voorschot (band_high: a higher income estimate; percentage: a lower "
                  "voorschot). Honours Idempotency-Key.")
    async def cautious(self, request: Request, data: JSONBody[s.CautiousRequest],
                       household_session: NamedDependency[SessionInfo],
                       income: NamedDependency[IncomeService],
                       idempotency_key: idempotency.Key = None) -> Response[s.CautiousChosenOut]:
        data, key, h = await idempotency.read(request, s.CautiousRequest)
        return await anyio.to_thread.run_sync(income.choose_cautious, household_session.household_id, data, key, h)

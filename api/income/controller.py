"""Income routes. The household comes from the session; nothing about income is in a URL."""

from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import IncomeService

Route = NamedDependency[HouseholdRoute[IncomeService]]


class IncomeController(Controller):
    path = "/income"
    tags = ["income"]
    dependencies = route_of("income")

    @get("/", summary="The wages reported this year per person, and the projected yearly income with its band",
         sync_to_thread=True)
    def income(self, di_route: Route) -> s.IncomeOut:
        return di_route.service.overview(di_route.household_id)

    @post("/cautious/preview", status_code=200,
          summary="Voorzichtig voorschot: the normal and the cautious path side by side (nothing is stored)")
    async def cautious_preview(self, data: JSONBody[s.CautiousRequest], di_route: Route) -> s.CautiousPreviewOut:
        return await di_route.preview(di_route.service.cautious_preview)

    @post("/cautious", status_code=201,
          summary="Choose the cautious voorschot (band_high: a higher income estimate; percentage: a lower "
                  "voorschot). Honours Idempotency-Key.")
    async def cautious(self, data: JSONBody[s.CautiousRequest], di_change: Route) -> Response[s.CautiousChosenOut]:
        return await di_change.change(di_change.service.choose_cautious)

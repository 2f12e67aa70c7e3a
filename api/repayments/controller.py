"""Route of the betalingsregeling. The household comes from the session; the terugvordering is named
in the body (a line of the household's own ledger)."""

from __future__ import annotations

from litestar import Controller, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..web.route import HouseholdRoute, route_of
from . import schemas as s
from .service import RepaymentService

Route = NamedDependency[HouseholdRoute[RepaymentService]]


class RepaymentsController(Controller):
    path = "/"
    tags = ["repayments"]
    dependencies = route_of("repayments")

    @post("/repayments/arrangement", status_code=201,
          summary="Ask for a betalingsregeling for an open terugvordering of the household's ledger: the "
                  "standard one (24 monthly terms) or a persoonlijke one (a lower monthly term). "
                  "Honours Idempotency-Key.")
    async def arrangement(self, data: JSONBody[s.ArrangementRequest], di_change: Route) -> Response[s.ArrangementOut]:
        return await di_change.change_in(di_change.service.request_arrangement)

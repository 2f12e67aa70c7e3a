"""Route of the betalingsregeling. The household comes from the session; the terugvordering is named
in the body (a line of the household's own ledger)."""

from __future__ import annotations

import anyio
from litestar import Controller, Request, Response, post
from litestar.di import NamedDependency
from litestar.params import JSONBody

from ..auth.sessions import SessionInfo
from ..settings import Settings
from ..store import Store
from ..web import idempotency
from . import schemas as s
from .service import RepaymentService


class RepaymentsController(Controller):
    path = "/"
    tags = ["repayments"]

    @post("/repayments/arrangement", status_code=201,
          summary="Ask for a betalingsregeling for an open terugvordering of the household's ledger: the "
                  "standard one (24 monthly terms) or a persoonlijke one (a lower monthly term). "
                  "Honours Idempotency-Key.")
    async def arrangement(self, request: Request, data: JSONBody[s.ArrangementRequest],
                          household_session: NamedDependency[SessionInfo],
                          repayments: NamedDependency[RepaymentService],
                          store: NamedDependency[Store], settings: NamedDependency[Settings],
                          idempotency_key: idempotency.Key = None) -> Response[s.ArrangementOut]:
        data, key, h = await idempotency.read(request, s.ArrangementRequest)
        hid = household_session.household_id
        return await anyio.to_thread.run_sync(
            idempotency.run, store, settings, f"hh:{hid}", key, h,
            lambda db: repayments.request_arrangement(db, hid, data))

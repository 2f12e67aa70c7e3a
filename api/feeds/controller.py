"""Partner feed routes: /feeds/<data type>, each with its own bearer token (checked in a guard, before
the body is even read)."""

from __future__ import annotations

from collections.abc import Callable

import anyio
from litestar import Controller, Request, Response, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency, Provide
from litestar.handlers import BaseRouteHandler
from litestar.params import JSONBody

from ..web import idempotency
from ..web.idempotency import Key
from ..web.route import body_type
from . import schemas as s
from .service import FeedService


def feed_token_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if connection.scope.get("method") == "OPTIONS":
        # Litestar's automatic OPTIONS handler (it has no data type: a KeyError, a 500) only answers
        # with an Allow header; it reads and writes nothing, as on the /api routes.
        return
    feeds: FeedService = connection.app.state.feeds
    data_type = handler.opt["data_type"]
    connection.state.feed_token = feeds.authenticate(connection.headers.get("authorization"), data_type)


class FeedBatch:
    """One feed request: the batch (decoded strictly as the handler's `data` type), the token the guard
    checked, and the service; `receive` runs it in a worker thread with the Idempotency-Key and the
    request's hash."""
    def __init__(self, request: Request, service: FeedService):
        self.request = request
        self.service = service

    async def receive(self, fn: Callable[..., Response]) -> Response:
        data, key, h = await idempotency.read(self.request, body_type(self.request))
        return await anyio.to_thread.run_sync(fn, self.request.state.feed_token, data.reports, key, h)


def provide_batch(request: Request, di_feeds: NamedDependency[FeedService], idempotency_key: Key = None) -> FeedBatch:
    # every feed route honours Idempotency-Key: the header is declared here, once (web/route.py does
    # the same for the household routes)
    return FeedBatch(request, di_feeds)


Batch = NamedDependency[FeedBatch]


class FeedsController(Controller):
    path = "/feeds"
    tags = ["feeds"]
    guards = [feed_token_guard]  # the schema's `security: feedToken` follows from it (web/openapi.py)
    dependencies = {"di_batch": Provide(provide_batch, sync_to_thread=False)}

    @post("/childcare-hours", status_code=200, opt={"data_type": "childcare_hours"},
          summary="A kinderopvangorganisatie reports hours per child per month")
    async def childcare_hours(self, data: JSONBody[s.ChildcareHoursBatch], di_batch: Batch) -> Response[s.FeedResult]:
        return await di_batch.receive(di_batch.service.receive)

    @post("/income", status_code=200, opt={"data_type": "income"},
          summary="An income source reports monthly wages per person (as the loonaangifte)")
    async def income(self, data: JSONBody[s.IncomeBatch], di_batch: Batch) -> Response[s.FeedResult]:
        return await di_batch.receive(di_batch.service.receive)

    @post("/income-final", status_code=200, opt={"data_type": "income"},
          summary="The income data marks a person's toetsingsinkomen of a past year as final (after the tax "
                  "assessment); the expected definitieve berekening of that year follows it")
    async def income_final(self, data: JSONBody[s.FinalIncomeBatch], di_batch: Batch) -> Response[s.FeedResult]:
        return await di_batch.receive(di_batch.service.receive_final)

    @post("/insurance", status_code=200, opt={"data_type": "insurance"},
          summary="A health insurer reports insured status per person per month")
    async def insurance(self, data: JSONBody[s.InsuranceBatch], di_batch: Batch) -> Response[s.FeedResult]:
        return await di_batch.receive(di_batch.service.receive)

    @post("/rent", status_code=200, opt={"data_type": "rent"}, summary="A landlord reports the rent per month")
    async def rent(self, data: JSONBody[s.RentBatch], di_batch: Batch) -> Response[s.FeedResult]:
        return await di_batch.receive(di_batch.service.receive)

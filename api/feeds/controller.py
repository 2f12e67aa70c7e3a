"""Partner feed routes: /feeds/<data type>, each with its own bearer token (checked in a guard, before
the body is even read)."""

from __future__ import annotations

import anyio
from litestar import Controller, Request, Response, post
from litestar.connection import ASGIConnection
from litestar.di import NamedDependency
from litestar.handlers import BaseRouteHandler
from litestar.params import JSONBody

from ..web import idempotency
from . import schemas as s
from .service import FeedService


def feed_token_guard(connection: ASGIConnection, handler: BaseRouteHandler) -> None:
    if connection.scope.get("method") == "OPTIONS":
        # Litestar's automatic OPTIONS handler (it has no data type: a KeyError, a 500) only answers
        # with an Allow header; it reads and writes nothing, as on the /api routes.
        return
    feeds: NamedDependency[FeedService] = connection.app.state.feeds
    data_type = handler.opt["data_type"]
    connection.state.feed_token = feeds.authenticate(connection.headers.get("authorization"), data_type)


class FeedsController(Controller):
    path = "/feeds"
    tags = ["feeds"]
    guards = [feed_token_guard]  # the schema's `security: feedToken` follows from it (web/openapi.py)

    @post("/childcare-hours", status_code=200, opt={"data_type": "childcare_hours"},
          summary="A kinderopvangorganisatie reports hours per child per month")
    async def childcare_hours(self, request: Request, data: JSONBody[s.ChildcareHoursBatch],
                              feeds: NamedDependency[FeedService],
                              idempotency_key: idempotency.Key = None) -> Response[s.FeedResult]:
        return await _receive(request, feeds, s.ChildcareHoursBatch)

    @post("/income", status_code=200, opt={"data_type": "income"},
          summary="An income source reports monthly wages per person (as the loonaangifte)")
    async def income(self, request: Request, data: JSONBody[s.IncomeBatch],
                     feeds: NamedDependency[FeedService],
                     idempotency_key: idempotency.Key = None) -> Response[s.FeedResult]:
        return await _receive(request, feeds, s.IncomeBatch)

    @post("/income-final", status_code=200, opt={"data_type": "income"},
          summary="The income data marks a person's toetsingsinkomen of a past year as final (after the tax "
                  "assessment); the expected definitieve berekening of that year follows it")
    async def income_final(self, request: Request, data: JSONBody[s.FinalIncomeBatch],
                           feeds: NamedDependency[FeedService],
                           idempotency_key: idempotency.Key = None) -> Response[s.FeedResult]:
        data, key, h = await idempotency.read(request, s.FinalIncomeBatch)
        token = request.state.feed_token
        return await anyio.to_thread.run_sync(feeds.receive_final, token, data.reports, key, h)

    @post("/insurance", status_code=200, opt={"data_type": "insurance"},
          summary="A health insurer reports insured status per person per month")
    async def insurance(self, request: Request, data: JSONBody[s.InsuranceBatch],
                        feeds: NamedDependency[FeedService],
                        idempotency_key: idempotency.Key = None) -> Response[s.FeedResult]:
        return await _receive(request, feeds, s.InsuranceBatch)

    @post("/rent", status_code=200, opt={"data_type": "rent"}, summary="A landlord reports the rent per month")
    async def rent(self, request: Request, data: JSONBody[s.RentBatch],
                   feeds: NamedDependency[FeedService],
                   idempotency_key: idempotency.Key = None) -> Response[s.FeedResult]:
        return await _receive(request, feeds, s.RentBatch)


async def _receive(request: Request, feeds: FeedService, batch_type: type) -> Response:
    data, key, h = await idempotency.read(request, batch_type)
    token = request.state.feed_token
    return await anyio.to_thread.run_sync(feeds.receive, token, data.reports, key, h)

"""The shape every household route shares, in one place: the household from the session (never from
the request), the domain's service, the body decoded strictly as the type the handler declares for
`data` (so a route names its body type once), and the service call in a worker thread (services read
and write SQLite: ARCHITECTURE.md), for a change with its Idempotency-Key and the hash of the request.

A domain's controller declares `dependencies = route_of("childcare")` (Litestar's layered
dependencies); a handler asks for `di_route`, or `di_change` when it honours Idempotency-Key (the
header is declared once, on that dependency), and stays one line long:
`return await di_change.change(di_change.service.adopt)`. Problems the service raises reach the app's
exception handlers unchanged (problem+json)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

import anyio
from litestar import Request, Response
from litestar.di import NamedDependency, Provide
from sqlite_utils import Database

from ..settings import Settings
from ..store import Store
from . import idempotency
from .body import strict

R = TypeVar("R")
S = TypeVar("S")


class HouseholdRoute(Generic[S]):
    def __init__(self, request: Request, household_id: str, service: S, store: Store, settings: Settings):
        self.request = request
        self.household_id = household_id
        self.service = service
        self.store = store
        self.settings = settings

    async def preview(self, fn: Callable[[str, Any], R]) -> R:
        """`fn(household_id, body)`: a preview (nothing is stored)."""
        data: Any = await strict(self.request, body_type(self.request))
        return await anyio.to_thread.run_sync(fn, self.household_id, data)

    async def change(self, fn: Callable[[str, Any, str | None, str], Response]) -> Response:
        """`fn(household_id, body, Idempotency-Key, request hash)`: a service that runs its own
        idempotent transaction (it checks the body before taking the write lock)."""
        data, key, req_hash = await idempotency.read(self.request, body_type(self.request))
        return await anyio.to_thread.run_sync(fn, self.household_id, data, key, req_hash)

    async def change_in(self, fn: Callable[[Database, str, Any], tuple[int, object]]) -> Response:
        """`fn(db, household_id, body) -> (status, body)` inside the household's idempotent transaction."""
        data, key, req_hash = await idempotency.read(self.request, body_type(self.request))
        hid = self.household_id
        return await anyio.to_thread.run_sync(
            idempotency.run, self.store, self.settings, f"hh:{hid}", key, req_hash, lambda db: fn(db, hid, data))


def body_type(request: Request) -> type:
    """The type the route's handler declares for its `data` parameter (Litestar's parsed signature)."""
    return request.route_handler.parsed_fn_signature.parameters["data"].annotation


def route_of(service: str) -> dict[str, Provide]:
    """The controller-level dependency `di_route`: a HouseholdRoute with the service registered as
    `service` in the app's state. It needs `di_household_session` (a logged-in household: OpenAPI reads
    the route's security from that name, web/openapi.py)."""
    def provide(request: Request, di_household_session: NamedDependency[Any]) -> HouseholdRoute:
        # (Any: the SessionInfo of api/auth, which api/web may not import.) The store and the settings from the
        # app's state, where di_store and di_settings read them: each dependency Litestar resolves is a task.
        state = request.app.state
        return HouseholdRoute(request, di_household_session.household_id, state[service], state["store"],
                              state["settings"])
    def provide_change(di_route: NamedDependency[HouseholdRoute], idempotency_key: idempotency.Key = None
                       ) -> HouseholdRoute:
        # the same route; asking for `di_change` declares that the handler honours Idempotency-Key
        # (Litestar documents and validates the header of a dependency as of the handler)
        return di_route
    return {"di_route": Provide(provide, sync_to_thread=False), "di_change": Provide(provide_change, sync_to_thread=False)}

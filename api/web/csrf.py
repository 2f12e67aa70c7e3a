"""CSRF: the session cookie is SameSite=Strict, and every state-changing /api request must carry a
custom header (which a cross-site form or image cannot send without a CORS preflight we never allow)
and, when the browser sends one, an Origin of our own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.connection import ASGIConnection
from litestar.handlers import BaseRouteHandler

from ..settings import Settings
from .problems import forbidden

SAFE = {"GET", "HEAD", "OPTIONS"}
CSRF_HEADER = "x-requested-with"


def make_guard(settings: Settings) -> Callable[[ASGIConnection, BaseRouteHandler], Awaitable[None]]:
    allowed = set(settings.origins)

    # async: it only reads headers. Litestar runs a sync guard in a worker thread, so every /api request
    # (the hello-world /api/ping too) paid a thread hop for this check.
    async def csrf_guard(connection: ASGIConnection, _: BaseRouteHandler) -> None:
        if connection.scope.get("method") in SAFE:
            return
        headers = connection.headers
        if not headers.get(CSRF_HEADER):
            raise forbidden("Dit verzoek mist de kop X-Requested-With.")
        origin = headers.get("origin")
        if origin and origin != "null":
            own = f"{connection.url.scheme}://{headers.get('host', '')}"
            if origin not in allowed and origin != own:
                raise forbidden("Dit verzoek komt van een andere website.")
        if headers.get("sec-fetch-site") == "cross-site":
            raise forbidden("Dit verzoek komt van een andere website.")

    return csrf_guard

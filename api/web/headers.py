"""Security headers on every response (also errors and static files), `no-store` on API answers.

A `before_send` hook of the app, not a middleware: Litestar runs middleware only for a request that
matched a route, so its own 404 (no route) and 405 (no such method) answers went out without them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from litestar.enums import ScopeType
from litestar.types import Message, Scope

from ..settings import Settings
from . import client

CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
       "font-src 'self'; connect-src 'self'; worker-src 'self'; manifest-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
COMMON = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
]


def make_security_headers_hook(settings: Settings) -> Callable[[Message, Scope], Awaitable[None]]:
    # HSTS only where the public URL is https (own TLS, an https origin, or a trusted TLS proxy): over
    # plain http a browser ignores it, and on http://localhost it would only pin a dev machine.
    hsts = (b"strict-transport-security", f"max-age={settings.hsts_max_age}; includeSubDomains".encode())

    async def security_headers_hook(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope.get("type") != ScopeType.HTTP:
            return
        path = scope.get("path", "")
        private = path.startswith("/api/") or path.startswith("/feeds/")
        headers = list(message.get("headers") or [])
        names = {h[0].lower() for h in headers}
        headers.extend(h for h in COMMON if h[0] not in names)
        if private and b"cache-control" not in names:
            headers.append((b"cache-control", b"no-store"))
        if private and b"content-disposition" not in names:
            # an API answer opened in a tab is a download, never a page (ASVS 14.4.2)
            headers.append((b"content-disposition", b'attachment; filename="api.json"'))
        if hsts[0] not in names and client.over_https(scope, settings):
            headers.append(hsts)
        message["headers"] = headers

    return security_headers_hook

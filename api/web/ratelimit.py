"""Rate limiting on top of the store (so every API node shares the counters)."""

from __future__ import annotations

from litestar import Request

from ..settings import Settings
from ..store import Store
from ..store import ratelimit as ratelimit_store
from . import client
from .problems import too_many
from .security_log import event


def client_key(request: Request, settings: Settings) -> str:
    return client.key(request.scope, settings)


def count(store: Store, settings: Settings, bucket: str, window: int) -> tuple[int, int]:
    """Counts one hit in the current fixed window (committed even when the request then fails);
    returns (hits so far, seconds until the window ends)."""
    now = int(settings.now().timestamp())
    start = now - now % window
    with store.write() as db:
        hits = ratelimit_store.hit(db, bucket, start)
        if hits == 1:
            ratelimit_store.purge(db, start - 24 * 3600)
    return hits, start + window - now


def check(store: Store, settings: Settings, bucket: str, limit: tuple[int, int]) -> None:
    """Counts a hit and raises 429 above the limit."""
    hits_max, window = limit
    hits, retry_after = count(store, settings, bucket, window)
    if hits > hits_max:
        if hits == hits_max + 1:  # once per window and bucket, not once per refused request
            event("ratelimit.exceeded", bucket=bucket.split(":")[0], client=bucket.split(":")[-1][:12])
        raise too_many(retry_after=retry_after)

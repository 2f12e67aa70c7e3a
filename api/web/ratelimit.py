"""Rate limiting on top of the store (so every API node shares the counters)."""

from __future__ import annotations

from litestar import Request

from ..settings import Settings
from ..store import Store, ratelimit as ratelimit_store
from ..util import sha256_hex
from .problems import too_many


def client_key(request: Request) -> str:
    # Hashed: a client address is personal data and is not stored as is.
    host = request.client.host if request.client else "unknown"
    return sha256_hex("client:" + host)[:32]


def check(store: Store, settings: Settings, bucket: str, limit: tuple[int, int]) -> None:
    """Counts a hit (committed even when the request then fails) and raises 429 above the limit."""
    hits_max, window = limit
    now = int(settings.now().timestamp())
    start = now - now % window
    with store.write() as db:
        hits = ratelimit_store.hit(db, bucket, start)
        if hits == 1:
            ratelimit_store.purge(db, start - 24 * 3600)
    if hits > hits_max:
        raise too_many(retry_after=start + window - now)

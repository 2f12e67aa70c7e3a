"""Housekeeping: expired sessions, used or expired WebAuthn challenges, idempotency records past their
TTL and old rate-limit windows are deleted (they are in the database so that every node sees them;
this job keeps those tables small). Idempotent: a second run finds nothing more to delete."""

from __future__ import annotations

import datetime as dt

from ..settings import Settings
from ..store import Store
from ..store import auth as auth_store
from ..store import idempotency as idempotency_store
from ..store import ratelimit as ratelimit_store
from ..util import iso
from .schedule import Job


def run(store: Store, settings: Settings) -> dict:
    now = settings.now()
    with store.write() as db:
        sessions = auth_store.delete_expired_sessions(db, iso(now))
        auth_store.purge_challenges(db, iso(now))
        idempotency_store.purge(db, iso(now - settings.idempotency_ttl))
        ratelimit_store.purge(db, int(now.timestamp()) - 24 * 3600)
    return {"sessions": sessions}


JOB = Job(name="housekeeping", interval=dt.timedelta(minutes=15), run=run, lease=dt.timedelta(minutes=10))

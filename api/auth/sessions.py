"""Sessions in the store: the cookie holds a random token, the store its sha256."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Awaitable, Callable

import anyio
import msgspec
from litestar import Request, Response
from litestar.datastructures import Cookie
from sqlite_utils import Database

from ..settings import Settings
from ..store import Store
from ..store import auth as auth_store
from ..util import iso, sha256_hex
from ..web.problems import unauthorized

TOUCH_EVERY = dt.timedelta(minutes=5)
_SESSION_COLUMNS = frozenset(("token_hash", "household_id", "kind", "passkey_id", "created_at", "expires_at",
                              "last_seen_at"))


class SessionInfo(msgspec.Struct, frozen=True):
    token_hash: str
    household_id: str
    kind: str
    passkey_id: str | None
    created_at: str = ""  # when the login (or enrolment) that opened this session happened
    # what the route read with the session in the same statement (Sessions.resolve_async's `along`)
    along: dict | None = None


class Sessions:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    def create(self, db: Database, household_id: str, kind: str, passkey_id: str | None) -> str:
        token = secrets.token_urlsafe(32)
        now = self.settings.now()
        ttl = self.settings.enrolment_ttl if kind == "enrolment" else self.settings.session_ttl
        auth_store.add_session(db, sha256_hex(token), household_id, kind, passkey_id, iso(now), iso(now + ttl))
        return token

    def resolve(self, request: Request) -> SessionInfo | None:
        """The request's session (None: none, or ended), read in this thread."""
        token_hash = self._token_hash(request)
        if token_hash is None:
            return None
        found = auth_store.session(self.store.db(), token_hash)
        return self._keep(token_hash, found, self._due(found))

    async def resolve_async(self, request: Request, along: tuple[str, str] | None = None) -> SessionInfo | None:
        """`resolve` with the read on the event loop (Store.fetch): the session every household route
        asks for, without the hop to a worker thread and back. The writes (an ended session deleted, the
        last use noted every 5 minutes) still go to a worker thread. `along`: (columns, joins) of the
        session's household the route reads in the same statement (store/auth.session_query)."""
        token_hash = self._token_hash(request)
        if token_hash is None:
            return None
        rows = await self.store.fetch(auth_store.session_query(token_hash, along))
        found = rows[0] if rows else None
        due = self._due(found)
        info = self._keep(token_hash, found, None) if due is None else \
            await anyio.to_thread.run_sync(self._keep, token_hash, found, due)
        if info is None or along is None or found is None:
            return info
        return msgspec.structs.replace(info, along={k: v for k, v in found.items() if k not in _SESSION_COLUMNS})

    def _token_hash(self, request: Request) -> str | None:
        token = request.cookies.get(self.settings.session_cookie_name)
        if not token or len(token) > 100:
            return None
        return sha256_hex(token)

    def _due(self, row: dict | None) -> str | None:
        """What the session needs written: "end" (expired, or idle too long), "touch" (last use noted
        over 5 minutes ago), or None."""
        if row is None:
            return None
        now = self.settings.now()
        last_seen = dt.datetime.fromisoformat(row["last_seen_at"])
        if row["expires_at"] <= iso(now) or last_seen + self.settings.session_idle <= now:
            return "end"
        return "touch" if last_seen + TOUCH_EVERY <= now else None

    def _keep(self, token_hash: str, row: dict | None, due: str | None) -> SessionInfo | None:
        if row is None:
            return None
        # One row of the session's household, one statement: that household's write lock, not the one
        # every writer waits for (on PostgreSQL a write for no household runs alone, store/dialect.py, and
        # each session's touch every 5 minutes held up the writes of every household on every node).
        if due == "end":
            with self.store.write(household=row["household_id"]) as wdb:
                auth_store.delete_session(wdb, token_hash)
            return None
        if due == "touch":
            with self.store.write(household=row["household_id"]) as wdb:
                auth_store.touch_session(wdb, token_hash, iso(self.settings.now()))
        return SessionInfo(token_hash=token_hash, household_id=row["household_id"], kind=row["kind"],
                           passkey_id=row["passkey_id"], created_at=row["created_at"])

    # -- cookies ------------------------------------------------------------------------------
    def cookie(self, token: str, kind: str) -> Cookie:
        ttl = self.settings.enrolment_ttl if kind == "enrolment" else self.settings.session_ttl
        return self._cookie(token, int(ttl.total_seconds()))

    def clear_cookie(self, response: Response) -> None:
        """The same attributes as the session cookie (a browser matches on name, path and domain; and a
        __Host- cookie is only accepted with Secure), empty and expired."""
        response.set_cookie(self._cookie("", 0))

    def _cookie(self, value: str, max_age: int) -> Cookie:
        # one place for the attributes, so the clearing cookie cannot drift from the session cookie
        return Cookie(key=self.settings.session_cookie_name, value=value, path="/", httponly=True,
                      secure=self.settings.secure_cookies, samesite="strict", max_age=max_age,
                      expires=0 if max_age == 0 else None)


# -- dependencies -----------------------------------------------------------------------------

def provide_session(sessions: Sessions) -> Callable[[Request], Awaitable[SessionInfo]]:
    async def _any_session(request: Request) -> SessionInfo:
        info = await sessions.resolve_async(request)
        if info is None:
            raise unauthorized()
        return info
    return _any_session


def provide_household_session(sessions: Sessions, along: tuple[str, str] | None = None
                              ) -> Callable[[Request], Awaitable[SessionInfo]]:
    """A logged-in household (not an enrolment that has not registered a passkey yet); `along`: what the
    route reads of its household with the session (Sessions.resolve_async)."""
    async def _household_session(request: Request) -> SessionInfo:
        info = await sessions.resolve_async(request, along)
        if info is None:
            raise unauthorized()
        if info.kind != "full":
            raise unauthorized("Maak eerst een sleutel (passkey) aan om verder te gaan.")
        return info
    return _household_session

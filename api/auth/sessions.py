"""Sessions in the store: the cookie holds a random token, the store its sha256."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

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


class SessionInfo(msgspec.Struct, frozen=True):
    token_hash: str
    household_id: str
    kind: str
    passkey_id: str | None
    created_at: str = ""  # when the login (or enrolment) that opened this session happened


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
        token = request.cookies.get(self.settings.session_cookie_name)
        if not token or len(token) > 100:
            return None
        token_hash = sha256_hex(token)
        now = self.settings.now()
        db = self.store.db()
        row = auth_store.session(db, token_hash)
        if row is None:
            return None
        idle_limit = dt.datetime.fromisoformat(row["last_seen_at"]) + self.settings.session_idle
        # One row of the session's household, one statement: that household's write lock, not the one
        # every writer waits for (on PostgreSQL a write for no household runs alone, store/dialect.py, and
        # each session's touch every 5 minutes held up the writes of every household on every node).
        if row["expires_at"] <= iso(now) or idle_limit <= now:
            with self.store.write(household=row["household_id"]) as wdb:
                auth_store.delete_session(wdb, token_hash)
            return None
        if dt.datetime.fromisoformat(row["last_seen_at"]) + TOUCH_EVERY <= now:
            with self.store.write(household=row["household_id"]) as wdb:
                auth_store.touch_session(wdb, token_hash, iso(now))
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

def provide_session(sessions: Sessions) -> Callable[[Request], SessionInfo]:
    def _any_session(request: Request) -> SessionInfo:
        info = sessions.resolve(request)
        if info is None:
            raise unauthorized()
        return info
    return _any_session


def provide_household_session(sessions: Sessions) -> Callable[[Request], SessionInfo]:
    """A logged-in household (not an enrolment that has not registered a passkey yet)."""
    def _household_session(request: Request) -> SessionInfo:
        info = sessions.resolve(request)
        if info is None:
            raise unauthorized()
        if info.kind != "full":
            raise unauthorized("Maak eerst een sleutel (passkey) aan om verder te gaan.")
        return info
    return _household_session

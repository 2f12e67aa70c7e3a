"""Push subscriptions and reminder settings of a household, and the VAPID public key."""

from __future__ import annotations

import ipaddress
import threading
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from sqlite_utils import Database

from ..settings import Settings
from ..store import Store
from ..store import push as push_store
from ..store.found import present
from ..util import iso, new_id
from ..web.problems import invalid, not_found
from . import schemas as s
from .vapid import VapidKeys, b64url, b64url_decode, load_or_create, validate_subject

TIMEZONE = "Europe/Amsterdam"
DEFAULT_KINDS = {"child_age": True, "childcare_contract_end": True, "home_change": True, "partner_change": True,
                 "january_check": True, "payment_day": False, "prompts": True}
DEFAULT_QUIET = ("21:00", "08:00")
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def household_settings(row: dict | None) -> dict:
    """{"kinds": {kind: bool}, "quiet": (start, end) | None} from a push_settings row or the defaults."""
    if row is None:
        return {"kinds": dict(DEFAULT_KINDS), "quiet": DEFAULT_QUIET}
    quiet = (row["quiet_start"], row["quiet_end"]) if row["quiet_start"] and row["quiet_end"] else None
    return {"kinds": {k: bool(row[k]) for k in push_store.KINDS}, "quiet": quiet}


def endpoint_problem(endpoint: str, settings: Settings) -> str | None:
    """Why this endpoint is refused (plain Dutch), or None. Only https to a known push service (we POST
    to it: an open list would let anyone aim our server at internal addresses); http(s) on 127.0.0.1
    or localhost only when the test setting allows it."""
    try:
        parts = urlsplit(endpoint)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        return "Dit adres van de pushdienst klopt niet."
    if parts.username or parts.password or not host or any(c.isspace() for c in endpoint):
        return "Dit adres van de pushdienst klopt niet."
    if settings.push_allow_local_endpoints and host in _LOCAL_HOSTS and parts.scheme in ("http", "https"):
        return None
    if parts.scheme != "https":
        return "Het adres van de pushdienst moet met https:// beginnen."
    try:
        ipaddress.ip_address(host.strip("[]"))
        return "Deze pushdienst kennen we niet."
    except ValueError:
        pass
    if not any(host == h or host.endswith("." + h) for h in settings.push_endpoint_hosts):
        return "Deze pushdienst kennen we niet."
    return None


def _key(text: str, length: int, field: str, detail: str) -> bytes:
    try:
        raw = b64url_decode(text)
    except ValueError:
        raise invalid(field, detail) from None
    if len(raw) != length:
        raise invalid(field, detail)
    return raw


class PushService:
    def __init__(self, store: Store, settings: Settings):
        validate_subject(settings.vapid_subject)  # refuse to start with a subject push services reject
        self.store = store
        self.settings = settings
        self._keys: VapidKeys | None = None
        self._lock = threading.Lock()

    # -- VAPID --------------------------------------------------------------------------------
    def keys(self) -> VapidKeys:
        if self._keys is None:
            with self._lock:
                if self._keys is None:
                    self._keys = load_or_create(self.store, iso(self.settings.now()))
        return self._keys

    def public_key(self) -> s.PublicKey:
        return s.PublicKey(public_key=self.keys().public_key)

    # -- subscriptions ------------------------------------------------------------------------
    def subscribe(self, db: Database, household_id: str, req: s.SubscribeRequest) -> tuple[int, s.SubscriptionOut]:
        why = endpoint_problem(req.endpoint, self.settings)
        if why:
            raise invalid("endpoint", why)
        p256dh = _key(req.keys.p256dh, 65, "keys.p256dh", "Deze sleutel (p256dh) klopt niet.")
        try:
            ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
        except ValueError:
            raise invalid("keys.p256dh", "Deze sleutel (p256dh) klopt niet.") from None
        auth = _key(req.keys.auth, 16, "keys.auth", "Dit geheim (auth) klopt niet.")
        now = iso(self.settings.now())
        expiration = int(req.expirationTime) if req.expirationTime is not None else None
        found = push_store.subscription(db, household_id, req.endpoint)
        if found is not None:
            push_store.update_subscription_keys(db, found["id"], b64url(p256dh), b64url(auth), expiration, now)
            return 200, _out(present(push_store.subscription(db, household_id, req.endpoint), "subscription"))
        push_store.add_subscription(db, {
            "id": new_id("sub"), "household_id": household_id, "endpoint": req.endpoint, "p256dh": b64url(p256dh),
            "auth": b64url(auth), "expiration_ms": expiration, "created_at": now, "updated_at": now})
        return 201, _out(present(push_store.subscription(db, household_id, req.endpoint), "subscription"))

    def unsubscribe(self, db: Database, household_id: str, endpoint: str) -> tuple[int, s.Unsubscribed]:
        if not push_store.delete_subscription(db, household_id, endpoint):
            # the same answer for an unknown endpoint and another household's
            raise not_found("Dit apparaat krijgt geen herinneringen.", field="endpoint")
        return 200, s.Unsubscribed(removed=True, subscriptions=push_store.count_subscriptions(db, household_id))

    def list_subscriptions(self, household_id: str) -> s.SubscriptionList:
        with self.store.read() as db:
            return s.SubscriptionList(subscriptions=[_out(r) for r in push_store.subscriptions(db, household_id)])

    # -- settings -----------------------------------------------------------------------------
    def get_settings(self, household_id: str) -> s.SettingsOut:
        with self.store.read() as db:
            return self._settings_out(db, household_id)

    def put_settings(self, db: Database, household_id: str, req: s.SettingsRequest) -> tuple[int, s.SettingsOut]:
        q = req.quiet_hours
        if q is not None and q.start == q.end:
            raise invalid("quiet_hours.end", "Begin en einde zijn gelijk. Wil je geen stille uren? "
                                             "Zet ze dan uit.")
        kinds = {k: getattr(req.kinds, k) for k in push_store.KINDS}
        push_store.put_settings(db, household_id, kinds, q.start if q else None, q.end if q else None,
                                iso(self.settings.now()))
        return 200, self._settings_out(db, household_id)

    @staticmethod
    def _settings_out(db: Database, household_id: str) -> s.SettingsOut:
        hs = household_settings(push_store.settings(db, household_id))
        quiet = s.QuietHours(start=hs["quiet"][0], end=hs["quiet"][1]) if hs["quiet"] else None
        return s.SettingsOut(kinds=s.Kinds(**hs["kinds"]), quiet_hours=quiet, timezone=TIMEZONE,
                             subscriptions=push_store.count_subscriptions(db, household_id))


def _out(r: dict) -> s.SubscriptionOut:
    return s.SubscriptionOut(id=r["id"], endpoint_host=urlsplit(r["endpoint"]).hostname or "",
                             created_at=r["created_at"], last_sent_at=r["last_sent_at"])

"""Settings: one frozen object, read from the environment by the CLI, built directly by tests."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@dataclass(frozen=True)
class Settings:
    # A SQLite file, or a postgresql://user@host/db URL (kept as a string): TOESLAGEN_DB picks the store.
    db_path: Path = Path("var/toeslagen.db")
    # WebAuthn: the RP ID must be a domain (not an IP address); the demo runs at http://localhost:8000.
    rp_id: str = "localhost"
    rp_name: str = "Toeslagen"
    origins: tuple[str, ...] = ("http://localhost:8000",)
    # None: real date in Europe/Amsterdam. Tests and demos inject a fixed "today".
    today: dt.date | None = None
    # None: real UTC clock. Tests inject one to move time (expiry).
    clock: Callable[[], dt.datetime] | None = None
    # None: auto — Secure unless every origin is plain-http localhost.
    cookie_secure: bool | None = None
    max_body_size: int = 64 * 1024
    session_ttl: dt.timedelta = dt.timedelta(hours=8)
    session_idle: dt.timedelta = dt.timedelta(minutes=30)  # ASVS 3.3.2 (L2): 12 h or 30 min idle
    enrolment_ttl: dt.timedelta = dt.timedelta(minutes=15)
    challenge_ttl: dt.timedelta = dt.timedelta(minutes=5)
    activation_ttl: dt.timedelta = dt.timedelta(days=30)
    # (hits, window seconds) per client address
    activation_rate: tuple[int, int] = (10, 15 * 60)
    # Wrong activation codes from all addresses together, per activation_rate window: above this the
    # app logs a security warning and answers wrong codes slowly. It never refuses a right code (a
    # shared cap that did let ~100 addresses lock every household out of activation).
    activation_failures_alarm: int = 1000
    activation_slowdown: float = 1.0
    # Adding or removing a passkey needs a login (passkey ceremony) at most this long ago.
    reauth_window: dt.timedelta = dt.timedelta(minutes=10)
    # Reverse proxies whose X-Forwarded-For / X-Forwarded-Proto we believe (IP addresses or CIDR
    # networks). Empty: the peer of the TCP connection is the client and the scheme is our own.
    trusted_proxies: tuple[str, ...] = ()
    # Strict-Transport-Security max-age, sent when the public URL is https
    hsts_max_age: int = 2 * 365 * 24 * 3600
    login_rate: tuple[int, int] = (30, 60)
    idempotency_ttl: dt.timedelta = dt.timedelta(days=7)
    pwa_dir: Path = ROOT / "pwa"
    rules_dir: Path = ROOT / "shared_rules"
    # In 127.0.0.1 the browser refuses passkeys (an IP is no RP ID): send page loads to the RP origin.
    redirect_ip_to_rp: bool = True
    # this year's overview stored in the database when worked out (api/household/snapshot.py); off: worked
    # out on every request (a switch for operations and for the benchmark of the computation)
    overview_stored: bool = True
    # `python -m api serve` runs the scheduled jobs (drift scan, reminders); tests run them by hand.
    run_jobs: bool = False
    # Web Push (api/push): the VAPID `sub` claim, a real mailto: or https: contact (Apple rejects
    # localhost and reserved names); TTL of a push at the push service; endpoint hosts we POST to.
    vapid_subject: str = "mailto:toeslagen-demo@example.nl"
    push_ttl: int = 3 * 24 * 3600
    push_timeout: float = 10.0
    push_endpoint_hosts: tuple[str, ...] = (
        "fcm.googleapis.com", "android.googleapis.com", "updates.push.services.mozilla.com",
        "push.services.mozilla.com", "web.push.apple.com", "notify.windows.com")
    # Tests only: also accept http(s)://127.0.0.1 / localhost push endpoints (a local test push service).
    push_allow_local_endpoints: bool = False
    # The toeslag year cycle (api/years): from this (month, day) on next year's voorschot exists; a
    # past year stays open until its definitieve berekening, at most this many years back (Awir art. 19:
    # the agency has five years to set the definitive amount).
    next_year_from: tuple[int, int] = (12, 1)
    past_years_open: int = 5
    extra: dict = field(default_factory=dict)

    # -- derived -----------------------------------------------------------------------------
    def now(self) -> dt.datetime:
        return self.clock() if self.clock else dt.datetime.now(dt.UTC)

    def today_date(self) -> dt.date:
        return self.today or self.now().astimezone(AMSTERDAM).date()

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return not all(_is_plain_http_localhost(o) for o in self.origins)

    @property
    def session_cookie_name(self) -> str:
        # The __Host- prefix requires Secure; plain-http localhost cannot use it.
        return "__Host-session" if self.secure_cookies else "session"

    @property
    def db_label(self) -> str:
        """The database to name in output: a PostgreSQL URL without its password."""
        text = str(self.db_path)
        parts = urlsplit(text)
        if parts.scheme.startswith("postgres") and parts.password:
            return text.replace(f":{parts.password}@", ":***@", 1)
        return text

    @property
    def public_url(self) -> str:
        return self.origins[0]

    @property
    def https_origin(self) -> bool:
        return urlsplit(self.public_url).scheme == "https"

    def with_(self, **changes: Any) -> Settings:
        return replace(self, **changes)

    @classmethod
    def from_env(cls, environ: dict | None = None, *, port: int | None = None) -> Settings:
        env = os.environ if environ is None else environ
        kw: dict = {}
        if env.get("TOESLAGEN_DB"):
            db = env["TOESLAGEN_DB"]
            kw["db_path"] = db if db.startswith(("postgresql://", "postgres://")) else Path(db)
        if env.get("TOESLAGEN_RP_ID"):
            kw["rp_id"] = env["TOESLAGEN_RP_ID"]
        if env.get("TOESLAGEN_ORIGINS"):
            kw["origins"] = tuple(o.strip().rstrip("/") for o in env["TOESLAGEN_ORIGINS"].split(",") if o.strip())
        elif port is not None:
            kw["origins"] = (f"http://localhost:{port}",)
        if env.get("TOESLAGEN_TODAY"):
            kw["today"] = dt.date.fromisoformat(env["TOESLAGEN_TODAY"])
        if env.get("TOESLAGEN_NEXT_YEAR_FROM"):  # MM-DD
            mm, dd = env["TOESLAGEN_NEXT_YEAR_FROM"].split("-")
            kw["next_year_from"] = (int(mm), int(dd))
        if env.get("TOESLAGEN_COOKIE_SECURE"):
            kw["cookie_secure"] = env["TOESLAGEN_COOKIE_SECURE"].lower() in ("1", "true", "yes")
        if env.get("TOESLAGEN_OVERVIEW_STORED"):
            kw["overview_stored"] = env["TOESLAGEN_OVERVIEW_STORED"].lower() in ("1", "true", "yes")
        if env.get("TOESLAGEN_PWA_DIR"):
            kw["pwa_dir"] = Path(env["TOESLAGEN_PWA_DIR"])
        if env.get("TOESLAGEN_VAPID_SUBJECT"):
            kw["vapid_subject"] = validate_subject(env["TOESLAGEN_VAPID_SUBJECT"])
        if env.get("TOESLAGEN_TRUSTED_PROXIES"):
            kw["trusted_proxies"] = tuple(p.strip() for p in env["TOESLAGEN_TRUSTED_PROXIES"].split(",") if p.strip())
        if env.get("TOESLAGEN_PUSH_HOSTS"):
            kw["push_endpoint_hosts"] = tuple(h.strip().lower() for h in env["TOESLAGEN_PUSH_HOSTS"].split(",") if h.strip())
        return cls(**kw)


def _is_plain_http_localhost(origin: str) -> bool:
    parts = urlsplit(origin)
    return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")


# -- the VAPID subject (api/push): checked here, with the setting, so settings import nothing of push

# Names that can never be a reachable contact (RFC 2606 / RFC 6761); Apple's push service answers
# 403 BadJwtToken for a `sub` on localhost, and such a contact helps no push service operator.
_RESERVED_TLDS = ("localhost", "invalid", "test", "local", "example", "internal", "lan", "home", "arpa")
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")



def _public_host(host: str) -> bool:
    host = host.lower().rstrip(".")
    if not host or len(host) > 253:
        return False
    try:
        ipaddress.ip_address(host.strip("[]"))
        return False  # an IP address is no contact
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) < 2 or not all(_LABEL.match(x) for x in labels):
        return False
    return labels[-1] not in _RESERVED_TLDS and not labels[-1].isdigit()


def validate_subject(subject: str) -> str:
    """The VAPID subject must be `mailto:someone@real.domain` or `https://real.host[/…]`. Raises
    ValueError (with the reason) for anything else."""
    s = (subject or "").strip()
    if s.lower().startswith("mailto:"):
        addr = s[7:]
        if addr.count("@") != 1 or "?" in addr:
            raise ValueError(f"TOESLAGEN_VAPID_SUBJECT: {subject!r} is not a mailto: address")
        local, domain = addr.split("@")
        if not _LOCAL.match(local) or not _public_host(domain):
            raise ValueError(f"TOESLAGEN_VAPID_SUBJECT: {subject!r} needs a real e-mail domain "
                             "(not localhost, an IP address or a reserved name)")
        return s
    if s.lower().startswith("https://"):
        parts = urlsplit(s)
        if parts.username or parts.password or not parts.hostname or not _public_host(parts.hostname):
            raise ValueError(f"TOESLAGEN_VAPID_SUBJECT: {subject!r} needs a real https host "
                             "(not localhost, an IP address or a reserved name)")
        return s
    raise ValueError(f"TOESLAGEN_VAPID_SUBJECT: {subject!r} must start with mailto: or https:")

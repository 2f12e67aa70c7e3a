"""Security events, one log line each on the `api.security` logger, for monitoring and after-the-fact
investigation (ASVS V7.1/V7.2): login, logout, activation, enrolment, passkeys, codes, rate limits,
refused access and refused input.

Only pseudonymous ids go in (household and passkey ids are random, a client is a truncated hash of its
address): never a BSN, an income, a name, an activation code, a session token or a challenge. Values are
escaped, so a value cannot start a line of its own (log injection, ASVS 7.3.1)."""

from __future__ import annotations

import logging
import sys
import time
from typing import TextIO

from .client import pseudonym

log = logging.getLogger("api.security")

# keys an event may carry; anything else is refused, so personal data cannot slip in by a new call
ALLOWED = {"household", "passkey", "client", "reason", "bucket", "kind", "count", "window", "status", "path",
           "type", "field", "method"}
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"


def _safe(value: object) -> str:
    text = str(value)
    if text.isprintable() and " " not in text:
        return text
    return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'


def event(name: str, *, level: int = logging.INFO, **fields: object) -> None:
    unknown = set(fields) - ALLOWED
    if unknown:
        raise ValueError(f"security event {name}: fields {sorted(unknown)} are not allowed")
    parts = " ".join(f"{k}={_safe(v)}" for k, v in sorted(fields.items()) if v is not None)
    log.log(level, "security event=%s %s", _safe(name), parts)


class UTCFormatter(logging.Formatter):
    """ISO 8601 timestamps in UTC with milliseconds (ASVS 7.1.4, 7.3.4: one time zone for a timeline)."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802 (logging's name)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created)) + f".{int(record.msecs):03d}Z"


def configure(stream: TextIO | None = None, level: int = logging.INFO) -> logging.Handler:
    """The `api` loggers (security events, errors) to stderr (or `stream`) in UTC: `python -m api serve`
    calls this; without it their INFO lines would reach no handler at all."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(UTCFormatter(LOG_FORMAT))
    api = logging.getLogger("api")
    api.handlers = [h for h in api.handlers if not getattr(h, "_toeslagen", False)]
    handler._toeslagen = True  # type: ignore[attr-defined]
    api.addHandler(handler)
    api.setLevel(level)
    return handler


class AccessLogPseudonyms(logging.Filter):
    """uvicorn's access log names each client by "address:port"; an address is personal data (AVG, and
    ASVS 7.1.1), so the line carries the client's pseudonym instead: the same truncated hash the
    security events and rate limits use, which still ties one client's requests together."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and args and isinstance(args[0], str):
            # uvicorn writes f"{host}:{port}", an IPv6 host without brackets: the port is after the last colon
            record.args = ("client=" + pseudonym(args[0].rsplit(":", 1)[0]), *args[1:])
        return True


def pseudonymize_access_log() -> None:
    """Once per process, before the server starts (uvicorn keeps the logger's filters)."""
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogPseudonyms) for f in access.filters):
        access.addFilter(AccessLogPseudonyms())

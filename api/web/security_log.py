"""Security events, one log line each on the `api.security` logger, for monitoring and after-the-fact
investigation (ASVS V7.1/V7.2): login, logout, activation, enrolment, passkeys, codes, rate limits.

Only pseudonymous ids go in (household and passkey ids are random, a client is a truncated hash of its
address): never a BSN, an income, a name, an activation code, a session token or a challenge."""

from __future__ import annotations

import logging

log = logging.getLogger("api.security")

# keys an event may carry; anything else is refused, so personal data cannot slip in by a new call
ALLOWED = {"household", "passkey", "client", "reason", "bucket", "kind", "count", "window"}


def event(name: str, *, level: int = logging.INFO, **fields) -> None:
    unknown = set(fields) - ALLOWED
    if unknown:
        raise ValueError(f"security event {name}: fields {sorted(unknown)} are not allowed")
    parts = " ".join(f"{k}={v}" for k, v in sorted(fields.items()) if v is not None)
    log.log(level, "security event=%s %s", name, parts)

"""Who is the client, and did it reach us over https? The TCP peer, unless the peer is a reverse proxy we
trust (Settings.trusted_proxies): then its X-Forwarded-For and X-Forwarded-Proto speak for the client.
Headers from anyone else are ignored, so a client cannot pick its own address to dodge a rate limit."""

from __future__ import annotations

import functools
import ipaddress

from litestar.types import Scope

from ..settings import Settings
from ..util import sha256_hex

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def networks(trusted: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(t, strict=False) for t in trusted)


def _trusted(host: str, nets: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(ip in n for n in nets)


def _header(scope: Scope, name: bytes) -> str | None:
    values = [v.decode("latin-1") for k, v in scope.get("headers") or () if k.lower() == name]
    return ",".join(values) if values else None


def _peer(scope: Scope) -> str:
    client = scope.get("client")
    return client[0] if client else "unknown"


def address(scope: Scope, settings: Settings) -> str:
    """The client's IP address: the peer, or through trusted proxies the right-most address in
    X-Forwarded-For that is not itself a trusted proxy (left of that, the client could have written it)."""
    peer = _peer(scope)
    nets = networks(settings.trusted_proxies)
    if not nets or not _trusted(peer, nets):
        return peer
    forwarded = _header(scope, b"x-forwarded-for")
    if not forwarded:
        return peer
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, nets):
            return hop
    return hops[0] if hops else peer


def over_https(scope: Scope, settings: Settings) -> bool:
    """True when the public URL is https, or a trusted proxy says the client came over https."""
    if settings.https_origin or scope.get("scheme") == "https":
        return True
    nets = networks(settings.trusted_proxies)
    if nets and _trusted(_peer(scope), nets):
        proto = _header(scope, b"x-forwarded-proto")
        # the proxy next to us appends last
        return proto is not None and proto.split(",")[-1].strip().lower() == "https"
    return False


def key(scope: Scope, settings: Settings) -> str:
    """The client as a rate-limit key: hashed (an address is personal data and is not stored as is); an
    IPv6 client by its /64, since one subscriber line holds a whole /64."""
    return pseudonym(address(scope, settings))


def pseudonym(host: str) -> str:
    """A client address as a truncated hash, the same one for the rate limits and the logs."""
    try:
        ip = ipaddress.ip_address(host)
        if ip.version == 6 and ip.ipv4_mapped is None:
            host = str(ipaddress.ip_network(f"{ip}/64", strict=False))
        elif ip.version == 6:
            host = str(ip.ipv4_mapped)
    except ValueError:
        pass
    return sha256_hex("client:" + host)[:32]

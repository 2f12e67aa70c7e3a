"""Sending one Web Push message with pywebpush: VAPID (RFC 8292, `Authorization: vapid t=…,k=…`),
payload encrypted with aes128gcm (RFC 8291/8188), a TTL and an Urgency (RFC 8030).

The payload is the stable contract with the service worker (see `payload()`):

    {"title": str, "body": str, "url": str, "tag": str}

Logs carry the push service's host and the status code only: the endpoint is a capability URL."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from pywebpush import WebPushException, webpush

from .vapid import VapidKeys

log = logging.getLogger("api.push")

MAX_PAYLOAD = 3000   # bytes of JSON; one aes128gcm record holds 3993 bytes of plaintext at most
URGENCIES = ("very-low", "low", "normal", "high")


def payload(title: str, body: str, url: str, tag: str) -> bytes:
    """The push message. The keys are fixed; a service worker must ignore keys it does not know (later
    versions may add some). `url` is a same-origin path with the app's hash route, e.g.
    "/#/wijzigen/kinderen"; `tag` groups notifications (a newer one with the same tag replaces it)."""
    if not url.startswith("/") or url.startswith("//"):
        raise ValueError("url must be a same-origin path")
    data = json.dumps({"title": title, "body": body, "url": url, "tag": tag}, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_PAYLOAD:
        raise ValueError("push payload too large")
    return data


@dataclass(frozen=True)
class Outcome:
    status: str             # 'sent' | 'gone' (404/410: delete the subscription) | 'failed'
    http_status: int | None


class Sender:
    """Holds one HTTP session (connection reuse). No redirects are followed: a push service answers a
    POST itself, and following one would let an endpoint steer our requests elsewhere."""

    def __init__(self, keys: VapidKeys, subject: str, *, timeout: float = 10.0):
        self.keys = keys
        self.subject = subject
        self.timeout = timeout
        self.session = requests.Session()
        self.session.max_redirects = 0

    def close(self) -> None:
        self.session.close()

    def send(self, subscription: dict, data: bytes, *, ttl: int, urgency: str = "normal") -> Outcome:
        if urgency not in URGENCIES:
            raise ValueError("unknown urgency")
        host = urlsplit(subscription["endpoint"]).hostname or "?"
        info = {"endpoint": subscription["endpoint"],
                "keys": {"p256dh": subscription["p256dh"], "auth": subscription["auth"]}}
        try:
            # pywebpush fills aud (the endpoint's origin) and exp (12 hours; Apple refuses > 24 h)
            resp = webpush(info, data=data, vapid_private_key=self.keys.vapid, vapid_claims={"sub": self.subject},
                           content_encoding="aes128gcm", ttl=max(0, int(ttl)), timeout=self.timeout,
                           headers={"Urgency": urgency}, requests_session=self.session)
            return Outcome("sent", getattr(resp, "status_code", None))
        except WebPushException as e:
            code = e.status_code
            if code in (404, 410):
                log.info("push subscription gone at %s (%s)", host, code)
                return Outcome("gone", code)
            log.warning("push to %s refused: %s", host, code)
            return Outcome("failed", code)
        except requests.RequestException as e:
            log.warning("push to %s failed: %s", host, type(e).__name__)
            return Outcome("failed", None)

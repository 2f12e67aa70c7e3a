"""Request and response shapes of the push routes."""

from __future__ import annotations

from typing import Annotated

import msgspec
from msgspec import Meta

B64 = r"^[A-Za-z0-9_-]+={0,2}$"
Hhmm = Annotated[str, Meta(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]


class PublicKey(msgspec.Struct, kw_only=True):
    """The applicationServerKey for PushManager.subscribe(): base64url, uncompressed P-256 point."""
    public_key: str


class SubscriptionKeys(msgspec.Struct, forbid_unknown_fields=True):
    p256dh: Annotated[str, Meta(min_length=1, max_length=200, pattern=B64)]
    auth: Annotated[str, Meta(min_length=1, max_length=100, pattern=B64)]


class SubscribeRequest(msgspec.Struct, forbid_unknown_fields=True):
    """PushSubscription.toJSON() as the browser gives it."""
    endpoint: Annotated[str, Meta(min_length=1, max_length=2048)]
    keys: SubscriptionKeys
    # ms since 1970 (a DOMHighResTimeStamp, may come as a float); stored, not acted on
    expirationTime: Annotated[float, Meta(ge=0, le=2**53)] | None = None  # noqa: N815 (the browser's name)


class UnsubscribeRequest(msgspec.Struct, forbid_unknown_fields=True):
    endpoint: Annotated[str, Meta(min_length=1, max_length=2048)]


class SubscriptionOut(msgspec.Struct, kw_only=True):
    id: str
    endpoint_host: str      # e.g. "fcm.googleapis.com": which push service, never the full endpoint
    created_at: str
    last_sent_at: str | None


class SubscriptionList(msgspec.Struct, kw_only=True):
    subscriptions: list[SubscriptionOut]


class Unsubscribed(msgspec.Struct, kw_only=True):
    removed: bool
    subscriptions: int      # how many devices still get reminders


class Kinds(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    child_age: bool
    childcare_contract_end: bool
    home_change: bool
    partner_change: bool
    january_check: bool
    payment_day: bool
    prompts: bool


class QuietHours(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """Europe/Amsterdam wall-clock times; `start` > `end` spans midnight (21:00-08:00)."""
    start: Hhmm
    end: Hhmm


class SettingsRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    kinds: Kinds
    quiet_hours: QuietHours | None


class SettingsOut(msgspec.Struct, kw_only=True):
    kinds: Kinds
    quiet_hours: QuietHours | None
    timezone: str
    subscriptions: int

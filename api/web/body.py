"""Strict JSON bodies. Litestar converts bodies with msgspec in lax mode (it would accept "1" for an
int); the API re-decodes the raw body strictly, so wrong JSON types are refused, not coerced.

msgspec (like most decoders) keeps the last of two equal keys in one object, silently: `"wages": 1,
"wages": 2` is never what a sender meant, so every JSON body (the API's and the partner feeds') is
refused with 400 `duplicate-key` before anything decodes it (`check_body`, the app's before_request
hook, which also refuses a body that does not say it is JSON)."""

from __future__ import annotations

import json
from typing import TypeVar

import msgspec
from litestar import Request

from .problems import Problem, _field_from, dutch

T = TypeVar("T")
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


async def strict(request: Request, type_: type[T]) -> T:
    raw = await request.body()
    try:
        return msgspec.json.decode(raw, type=type_)
    except msgspec.ValidationError as e:
        msg = str(e)
        field = _field_from(msg, None)
        detail = dutch(msg)
        raise Problem(400, "validation-error", "Ongeldige invoer", detail, field=field,
                      extra={"errors": [{"field": field, "detail": detail, "source": "body"}]}) from None
    except msgspec.DecodeError:
        raise Problem(400, "malformed-body", "Ongeldige invoer", "De gegevens zijn geen geldige JSON.") from None


def duplicate_key(raw: bytes) -> str | None:
    """The first key that appears twice in one JSON object of `raw`, or None. Not JSON, or nested too
    deep: None, and the decoder proper refuses the body (the size limit has been applied already, by
    reading the body under the route's limit)."""
    if b'"' not in raw:
        return None
    found: list[str] = []

    def pairs_hook(pairs):
        if not found and len(pairs) > 1:
            seen = set()
            for k, _ in pairs:
                if k in seen:
                    found.append(k)
                    break
                seen.add(k)
        return None  # the values are not needed: building no dicts keeps this cheap

    try:
        json.loads(raw, object_pairs_hook=pairs_hook)
    except (ValueError, RecursionError):
        return None
    return found[0] if found else None


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (media.startswith("application/") and media.endswith("+json"))


async def check_body(request: Request) -> None:
    """Every request body is JSON, said so in its Content-Type (else 415: ASVS 13.1.5, 13.2.5), with no key
    twice in one object (else 400 `duplicate-key`)."""
    if request.method not in BODY_METHODS:
        return
    raw = await request.body()
    if not raw:
        return
    if not is_json(request.headers.get("content-type")):
        raise Problem(415, "unsupported-media-type", "Verkeerd formaat",
                      "Stuur de gegevens als JSON (Content-Type: application/json).",
                      field="Content-Type", headers={"Accept": "application/json"})
    key = duplicate_key(raw)
    if key is not None:
        detail = "Dit veld staat twee keer in de gegevens. Stuur het één keer."
        raise Problem(400, "duplicate-key", "Ongeldige invoer", detail, field=key,
                      extra={"errors": [{"field": key, "detail": detail, "source": "body"}]})

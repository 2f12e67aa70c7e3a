"""Strict JSON bodies. Litestar converts bodies with msgspec in lax mode (it would accept "1" for an
int); the API re-decodes the raw body strictly, so wrong JSON types are refused, not coerced."""

from __future__ import annotations

from typing import TypeVar

import msgspec
from litestar import Request

from .problems import Problem, _field_from, dutch

T = TypeVar("T")


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

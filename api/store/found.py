"""`present()`: a row the caller has just written, or has checked for already, read back. The store's
getters return `dict | None` because a missing row is normal for a lookup; here it would be a bug,
so it fails loudly (a 500, never a silent None further down) and tells mypy the row is there."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def present(value: T | None, what: str) -> T:
    if value is None:
        raise LookupError(f"{what}: expected a row, found none")
    return value

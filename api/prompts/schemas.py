"""Prompts on the overview."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec


class PromptOut(msgspec.Struct):
    id: int
    kind: str
    toeslag: str | None
    title: str
    body: str
    amount: int | None
    action: str | None
    data: dict[str, Any]
    created_at: str
    updated_at: str


class PromptList(msgspec.Struct):
    prompts: list[PromptOut]


class DismissRequest(msgspec.Struct, forbid_unknown_fields=True):
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=500)]

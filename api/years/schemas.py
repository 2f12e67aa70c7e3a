"""The year cycle at the edge: the open years with their voorschot or expected settlement."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Year = Annotated[int, Meta(ge=2000, le=2100)]
YearCents = Annotated[int, Meta(ge=0, le=10_000_000_000)]


class YearToeslag(msgspec.Struct, kw_only=True):
    """One toeslag in one year. `known: false` = no parameters for the year yet: there is no amount
    (the app says "nog niet bekend"; `per_year`/`per_month` are null, never 0)."""
    toeslag: str
    name: str
    applied: bool
    known: bool
    provisional: bool = False
    source: str | None = None          # where provisional parameters come from
    entitled: bool | None = None
    reasons: list[str] = []
    per_year: int | None = None
    per_month: int | None = None       # the voorschot of the first month not paid yet
    months: list[int] | None = None


class SettlementToeslag(msgspec.Struct, kw_only=True):
    toeslag: str
    name: str
    known: bool
    per_year: int | None               # the expected definitive entitlement
    paid: int                          # what was paid for the year (corrections included)
    amount: int | None                 # per_year - paid: > 0 you get it, < 0 you pay it back
    hoge_terugvordering: bool
    threshold: int
    text: str                          # "Je krijgt naar verwachting € … terug" / "Je betaalt …"


class Settlement(msgspec.Struct, kw_only=True):
    year: int
    final_income_known: bool
    final_income_source: list[str]     # income_data and/or parent
    decided: bool                      # the definitieve berekening was made: the year is closed
    toeslagen: list[SettlementToeslag]
    total: int
    text: str
    hoge_terugvordering: bool
    can_do: list[str]                  # what the household can still do, in plain Dutch


YearKind = Literal["next", "current", "past"]


class YearRulesInput(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What the phone needs beside the household's facts (GET /api/household `facts`) to preview a change
    in this year offline with shared_rules.changes.preview_change: the voorschot paid per toeslag and
    month (null: not paid yet), the voorzichtig voorschot choices in force, and a past year's final
    toetsingsinkomen per person (it stays the figure of the year whatever the change)."""
    today: str
    year: int
    paid: dict[str, list[int | None]]
    cautious: dict[str, dict[str, int]] | None = None
    finals: dict[str, int] | None = None


class YearOut(msgspec.Struct, kw_only=True):
    year: int
    kind: YearKind
    title: str
    rules_version: str
    toeslagen: list[YearToeslag]
    settlement: Settlement | None = None
    prompt: str | None = None          # e.g. "Klopt je inkomen voor 2027 nog?"
    rules_input: YearRulesInput | None = None


class Years(msgspec.Struct, kw_only=True):
    today: str
    current: int
    years: list[YearOut]


class FinalIncomeIn(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The toetsingsinkomen of a past year as the tax assessment (aanslag) states it."""
    year: Year
    person: Literal["applicant", "partner"] = "applicant"
    final_income: YearCents

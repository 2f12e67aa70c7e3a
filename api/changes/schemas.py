"""A proposed change (one of six kinds, tagged by `kind`), the preview and the submit answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal, Union

import msgspec
from msgspec import Meta

from ..household.schemas import RulesWarning, Step

YearCents = Annotated[int, Meta(ge=0, le=10_000_000_000)]       # up to € 100 million a year
MonthCents = Annotated[int, Meta(ge=0, le=1_000_000)]           # up to € 10.000 a month
Hours = Annotated[int, Meta(ge=0, le=744)]                      # 31 × 24
Rate = Annotated[int, Meta(ge=0, le=5000)]                      # up to € 50 an hour
Name = Annotated[str, Meta(min_length=1, max_length=80)]
Bsn = Annotated[str, Meta(pattern=r"^[0-9]{9}$")]
Id = Annotated[str, Meta(min_length=1, max_length=64)]


class Address(msgspec.Struct, forbid_unknown_fields=True):
    street: Annotated[str, Meta(min_length=1, max_length=100)]
    house_number: Annotated[str, Meta(min_length=1, max_length=12)]
    postcode: Annotated[str, Meta(pattern=r"^[1-9][0-9]{3} ?[A-Za-z]{2}$")]
    city: Annotated[str, Meta(min_length=1, max_length=80)]


class IncomeChange(msgspec.Struct, tag="income", tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """A new estimate of the yearly toetsingsinkomen (and vermogen) of the applicant or partner."""
    date: dt.date
    person: Literal["applicant", "partner"] = "applicant"
    income: YearCents
    assets: YearCents | None = None


class HomeChange(msgspec.Struct, tag="home", tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """New rent (kale huur) or service costs for the same home."""
    date: dt.date
    rent: MonthCents
    service_costs: MonthCents = 0


class AddressChange(msgspec.Struct, tag="address", tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """Moving house."""
    date: dt.date
    address: Address
    renting: bool = True
    rent: MonthCents | None = None
    service_costs: MonthCents = 0


class ChildcareChange(msgspec.Struct, tag="childcare", tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """Other hours or hourly rate for a childcare contract, or the contract ends."""
    date: dt.date
    contract_id: Id
    hours_per_month: Hours | None = None
    hourly_rate: Rate | None = None
    ends: bool = False


class NewPartner(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    given_name: Name
    birth_date: dt.date
    income: YearCents
    assets: YearCents = 0
    insured: bool = True
    works: bool = True
    bsn: Bsn | None = None


class PartnerChange(msgspec.Struct, tag="partner", tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """A toeslagpartner moves in or out."""
    date: dt.date
    action: Literal["moves_in", "moves_out"]
    partner: NewPartner | None = None


class NewChild(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    given_name: Name
    birth_date: dt.date
    bsn: Bsn | None = None


class ChildChange(msgspec.Struct, tag="child", tag_field="kind", forbid_unknown_fields=True, kw_only=True):
    """A child is born, comes to live with you, or leaves home."""
    date: dt.date
    action: Literal["born", "moves_in", "moves_out"]
    child: NewChild | None = None
    child_id: Id | None = None


Change = Union[IncomeChange, HomeChange, AddressChange, ChildcareChange, PartnerChange, ChildChange]


class ChangeRequest(msgspec.Struct, forbid_unknown_fields=True):
    change: Change


class ApplicationRequest(msgspec.Struct, forbid_unknown_fields=True):
    toeslag: Literal["zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag"]


# -- answers ------------------------------------------------------------------------------------

class YearResult(msgspec.Struct, kw_only=True):
    entitled: bool = False
    per_year: int = 0
    per_month: int = 0
    months: list[int] = []
    reasons: list[str] = []
    steps: list[Step] = []


class ToeslagPreview(msgspec.Struct, kw_only=True):
    applied: bool = False
    computed: bool = True
    reasons: list[str] = []
    before: YearResult = msgspec.field(default_factory=YearResult)
    after: YearResult = msgspec.field(default_factory=YearResult)
    paid: list[int | None] = []
    voorschot: list[int] = []
    new_monthly: int = 0
    difference_per_month: list[int] = []
    past_months: int = 0
    repayment: int = 0
    settlement: int = 0
    settlement_unchanged: int = 0
    hoge_terugvordering: bool = False
    hoge_terugvordering_unchanged: bool = False
    threshold: int = 0


class PreviewOut(msgspec.Struct, kw_only=True):
    """shared_rules.preview's answer, as is (see shared_rules/PREVIEW.md), plus `applied` per toeslag."""
    year: int
    today: str
    effective_month: int | None = None
    rules_version: str
    toeslagen: dict[str, ToeslagPreview]
    warnings: list[RulesWarning] = []


class ToeslagOutcome(msgspec.Struct, kw_only=True):
    toeslag: str
    name: str
    applied: bool
    entitled: bool
    per_year: int
    before_monthly: int | None
    new_monthly: int
    effective_month: int
    past_months: int
    repayment: int
    hoge_terugvordering: bool
    decision_id: str | None
    message: str | None


class SubmitOut(msgspec.Struct, kw_only=True):
    event_id: int
    kind: str
    effective_date: str
    summary: str
    version: int
    toeslagen: list[ToeslagOutcome]

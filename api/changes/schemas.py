"""A proposed change (one of six kinds, tagged by `kind`), the preview and the submit answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

import msgspec
from msgspec import Meta

# the answers of a change live beside the recalculation that makes them (household/recalc.py)
from ..household.schemas import (  # noqa: F401
    CarriedOut,
    PreviewOut,
    SubmitOut,
    ToeslagOutcome,
    ToeslagPreview,
    YearPreview,
    YearResult,
)

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


Change = IncomeChange | HomeChange | AddressChange | ChildcareChange | PartnerChange | ChildChange


class ChangeRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    change: Change
    # The toeslag year the change is for (an open year: next year's from December, a past year until its
    # definitieve berekening). Default: the year of `change.date`. A change dated before the year (e.g. in
    # December for next year) holds from 1 January of that year.
    year: Annotated[int, Meta(ge=2000, le=2100)] | None = None


class ApplicationRequest(msgspec.Struct, forbid_unknown_fields=True):
    toeslag: Literal["zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag"]

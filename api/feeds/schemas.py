"""Partner feed reports. A person is named by the pseudonymous reference the organisation got from us
(`child_ref` / `person_ref`) or by BSN in the body (never in a URL); exactly one of the two."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta

Month = Annotated[str, Meta(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Lrk = Annotated[str, Meta(pattern=r"^[0-9]{12}$", description="LRK number, 12 digits")]
Ref = Annotated[str, Meta(min_length=4, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
Bsn = Annotated[str, Meta(pattern=r"^[0-9]{9}$")]
Hours = Annotated[int, Meta(ge=0, le=744)]
Rate = Annotated[int, Meta(ge=0, le=5000)]
Wages = Annotated[int, Meta(ge=0, le=10_000_000)]
MonthCents = Annotated[int, Meta(ge=0, le=1_000_000)]


class ChildcareHoursReport(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    child_ref: Ref | None = None
    bsn: Bsn | None = None
    lrk_number: Lrk
    month: Month
    hours: Hours
    hourly_rate: Rate


class PersonReport(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """What every report about a person (not a child) starts with: who, by reference or BSN."""
    person_ref: Ref | None = None
    bsn: Bsn | None = None


class IncomeReport(PersonReport):
    month: Month
    wages: Wages  # loon for the month in euro cents, as in the loonaangifte
    # optional, as the loonaangifte splits them: vakantiebijslag and one-off payments (bijzondere beloningen)
    holiday_allowance: Wages = 0
    one_off: Wages = 0


class InsuranceReport(PersonReport):
    month: Month
    insured: bool


class RentReport(PersonReport):
    month: Month
    rent: MonthCents
    service_costs: MonthCents = 0


class ChildcareHoursBatch(msgspec.Struct, forbid_unknown_fields=True):
    reports: Annotated[list[ChildcareHoursReport], Meta(min_length=1, max_length=500)]


class IncomeBatch(msgspec.Struct, forbid_unknown_fields=True):
    reports: Annotated[list[IncomeReport], Meta(min_length=1, max_length=500)]


class InsuranceBatch(msgspec.Struct, forbid_unknown_fields=True):
    reports: Annotated[list[InsuranceReport], Meta(min_length=1, max_length=500)]


class RentBatch(msgspec.Struct, forbid_unknown_fields=True):
    reports: Annotated[list[RentReport], Meta(min_length=1, max_length=500)]


ReportStatus = Literal["created", "replaced", "unchanged"]


class ReportResult(msgspec.Struct, kw_only=True):
    index: int
    month: str
    ref: str | None
    status: ReportStatus
    warnings: list[str] = []  # accepted, but worth a look (e.g. more hours than the toeslag counts)


class FeedResult(msgspec.Struct, kw_only=True):
    organisation_id: str
    data_type: str
    results: list[ReportResult]


class FinalIncomeReport(PersonReport):
    """The final toetsingsinkomen of a person for a past year (the income data after the tax assessment).
    `final` must be true: it marks the figure the definitieve berekening uses (Awir art. 19)."""
    year: Annotated[int, Meta(ge=2000, le=2100)]
    income: Annotated[int, Meta(ge=0, le=10_000_000_000)]
    final: Literal[True]


class FinalIncomeBatch(msgspec.Struct, forbid_unknown_fields=True):
    reports: Annotated[list[FinalIncomeReport], Meta(min_length=1, max_length=500)]

"""Requests and answers of /api/childcare (msgspec Structs; OpenAPI is generated from them). Money in
euro cents, hours whole hours per month, months as 'YYYY-MM', dates ISO."""

from __future__ import annotations

from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from ..changes.schemas import PreviewOut, SubmitOut

# The year starts with 1-9: "0000-01" matched the old pattern, and date(0, 1, 1) does not exist (a 500).
Month = Annotated[str, Meta(pattern=r"^[1-9][0-9]{3}-(0[1-9]|1[0-2])$", description="YYYY-MM")]
Id = Annotated[str, Meta(min_length=1, max_length=64)]
Hours = Annotated[int, Meta(ge=0, le=744)]                      # 31 × 24
Rate = Annotated[int, Meta(ge=0, le=5000)]                      # up to € 50 an hour
RowId = Annotated[int, Meta(ge=1, le=2**62)]
Mode = Literal["reported", "average"]


# -- requests -------------------------------------------------------------------------------------

class AdoptRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """"Neem over". `reported`: the hours and rate the organisation reported for `from_month`, from that
    month on. `average`: the average of the recent reported months (at most 3), from `from_month` on."""
    contract: Id
    from_month: Month
    mode: Mode


class UndoRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    event_id: RowId  # the event of the adoption (ChildcareChangeOut.event_id)


class CorrectRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The parent's own figures for one month; the months after it keep their figures."""
    contract: Id
    month: Month
    hours: Hours
    hourly_rate: Rate


class DisputeRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    report_id: RowId
    reason: Annotated[str, Meta(min_length=1, max_length=500)]


# -- the comparison -------------------------------------------------------------------------------

class Figures(msgspec.Struct, kw_only=True):
    hours: int
    hourly_rate: int


class EarlierReport(msgspec.Struct, kw_only=True):
    id: int
    hours: int
    hourly_rate: int
    received_at: str
    disputed: bool


class ReportedFigures(msgspec.Struct, kw_only=True):
    id: int                                   # report id (for "Klopt niet")
    hours: int
    hourly_rate: int
    received_at: str
    status: Literal["current", "disputed"]
    dispute_reason: str | None
    earlier: list[EarlierReport]              # reports for this month that this one replaced, oldest first


class MonthComparison(msgspec.Struct, kw_only=True):
    month: str                                # YYYY-MM
    active: bool                              # the contract runs on the 1st of the month (Awir art. 5)
    basis: Literal["reported", "projected", "estimate", "disputed", "inactive"]
    estimated: Figures | None                 # what the toeslag is based on now
    reported: ReportedFigures | None          # the newest report for the month, if any
    projected: Figures | None                 # months after the last report: the recent average
    difference_hours: int | None              # reported (or projected) − estimated
    toeslag_estimated: int                    # this contract's part of the month's kinderopvangtoeslag, estimate
    toeslag_actual: int                       # its part with every contract's reported/projected figures
    #                                           (shared_rules `parts`: the contracts add up to the household)
    difference: int                           # toeslag_actual − toeslag_estimated (> 0: you get more)
    running_total: int                        # sum of `difference` from January up to this month


class Average(msgspec.Struct, kw_only=True):
    hours: int
    hourly_rate: int
    months: list[str]                         # the reported months averaged (newest last)


class YearEnd(msgspec.Struct, kw_only=True):
    reported_so_far: int                      # sum of differences over reported months
    projected_rest: int                       # sum over the projected months
    total: int                                # = reported_so_far + projected_rest = months[11].running_total
    reported_months: int                      # months with a report that counts
    pace_per_year: int                        # the recent months' (average.months) difference a month × 12
    direction: Literal["repay", "receive", "none"]
    matters: bool                             # above the threshold (see `threshold`) and toeslag applied for
    text: str                                 # plain Dutch: what it costs or brings if nothing changes


class AdoptOption(msgspec.Struct, kw_only=True):
    mode: Mode
    from_month: str
    hours: int
    hourly_rate: int
    based_on: list[str]                       # reported months the figures come from
    text: str                                 # plain Dutch: which figures
    change: dict[str, Any]                    # {"date", "timeline"}: add to household.rules_input for an offline preview


class AdoptionOut(msgspec.Struct, kw_only=True):
    event_id: int
    contract_id: str
    mode: Mode
    from_month: str
    hours: int
    hourly_rate: int
    based_on: list[int]                       # report ids
    adopted_on: str
    undone_by: int | None                     # event id of the undo
    can_undo: bool
    undo_until: str                           # last day on which undo is possible


class ContractComparison(msgspec.Struct, kw_only=True):
    contract_id: str
    child_id: str
    child_name: str
    kind: str
    organisation: str
    location_name: str
    lrk_number: str
    start_date: str
    end_date: str | None
    months: list[MonthComparison]             # always 12, January first
    average: Average | None
    year_end: YearEnd
    prompt_id: int | None                     # the open "Je kinderopvang gaf andere uren door" prompt
    adopt_options: list[AdoptOption]
    adoptions: list[AdoptionOut]              # this year, newest first


class Total(msgspec.Struct, kw_only=True):
    """All contracts changed at once: the sum of the contracts' differences (each contract's is its
    part of this, shared_rules kinderopvangtoeslag.split)."""
    months: list[int]
    reported_so_far: int
    projected_rest: int
    total: int


class Threshold(msgspec.Struct, kw_only=True):
    min_year_end: int                         # |year_end.total| at least this …
    min_pace_per_year: int                    # … and |pace_per_year| at least this
    high_repayment: int                       # the € 1.000 line (shared_rules' threshold for kinderopvangtoeslag)
    recent_months: int                        # months in the average


class ChildcareOut(msgspec.Struct, kw_only=True):
    year: int
    today: str
    rules_version: str
    applied: bool                             # the household gets kinderopvangtoeslag this year
    threshold: Threshold
    total: Total
    contracts: list[ContractComparison]


# -- answers of the POSTs -------------------------------------------------------------------------

class AdoptPreviewOut(msgspec.Struct, kw_only=True):
    contract_id: str
    mode: Mode
    from_month: str
    hours: int
    hourly_rate: int
    based_on: list[str]
    text: str
    estimated: Figures | None                 # the figures now, in from_month
    change: dict[str, Any]                    # what was handed to shared_rules.preview as `change`
    preview: PreviewOut


class ChildcareChangeOut(SubmitOut, kw_only=True):
    contract_id: str
    adoption: AdoptionOut | None = None       # POST /adopt
    undoes: int | None = None                 # POST /undo: the adoption's event id
    prompt_resolved: bool = False


class DisputeOut(msgspec.Struct, kw_only=True):
    event_id: int
    contract_id: str
    month: str
    summary: str
    version: int
    report: ReportedFigures
    prompt_resolved: bool

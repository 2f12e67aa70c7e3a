"""Income routes: the wages reported this year with the projection, and the cautious voorschot.
Money in euro cents; a settlement is positive when it is paid out to the household, negative when
the household pays back."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from msgspec import Meta


class WageMonth(msgspec.Struct, kw_only=True):
    month: str                       # YYYY-MM
    wages: int                       # regular wage, all income sources together
    holiday_allowance: int
    one_off: int


class Projection(msgspec.Struct, kw_only=True):
    """shared_rules.projection.project_income: yearly income from the months reported so far."""
    reported_months: int            # the last month with a report (1-12)
    year_to_date: int
    monthly_rate: int               # the regular wage carried forward
    holiday_allowance_expected: int
    projected: int
    low: int
    high: int


class PersonIncome(msgspec.Struct, kw_only=True):
    person: Literal["applicant", "partner"]
    person_id: str
    given_name: str
    estimate: int                   # the income estimate the toeslagen are computed with now
    months: list[WageMonth | None]  # 12 entries, None = nothing reported for that month
    projection: Projection | None   # None: nothing reported this year
    usable: bool                    # the scan acts on it (from the 3rd reported month on)


class CautiousOut(msgspec.Struct, kw_only=True):
    """A cautious voorschot the household chose this year."""
    mode: Literal["band_high", "percentage"]
    toeslag: str | None             # percentage: the toeslag it applies to; band_high: None
    percentage: int | None
    chosen_at: str
    from_month: int | None = None   # percentage: the first month it lowers
    ended_at: str | None = None     # percentage: when the household stopped it or chose another one
    active: bool                    # percentage: in force (lowers every recalculation until it ends)


class IncomeOut(msgspec.Struct, kw_only=True):
    year: int
    today: str
    min_reported_months: int
    persons: list[PersonIncome]
    cautious: list[CautiousOut]


Percentage = Annotated[int, Meta(ge=1, le=50)]


class CautiousRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """`band_high`: the income estimate of every person with a projection goes to the high end of
    its band. `percentage`: the voorschot of every toeslag the household gets is lowered by this
    percentage for the months not paid yet (1-50); it stays in force through later recalculations.
    `stop`: every percentage choice in force ends; the normal voorschot again."""
    mode: Literal["band_high", "percentage", "stop"]
    percentage: Percentage | None = None


class Totals(msgspec.Struct, kw_only=True):
    """What a path comes to, for one toeslag (PathOut) or for all together."""
    now: int                        # settled now over the months already paid (negative: pay back now)
    settlement: int                 # expected at year end when the income ends at the projection
    settlement_if_low: int          # ... at the low end of the band
    settlement_if_high: int         # ... at the high end of the band


class PathOut(Totals):
    monthly: int                    # voorschot of the first month not paid yet (0 when all are paid)
    voorschot: list[int]            # the 12 months: paid ones as paid, then the schedule of this path


class CautiousToeslag(msgspec.Struct, kw_only=True):
    toeslag: str
    name: str
    normal: PathOut
    cautious: PathOut


class CautiousPreviewOut(msgspec.Struct, kw_only=True):
    year: int
    today: str
    mode: Literal["band_high", "percentage", "stop"]
    percentage: int | None
    first_unpaid_month: int | None  # None: every voorschot of the year is paid already
    basis: Literal["projection", "estimate"]   # what income the expected settlements assume
    persons: list[dict]             # [{"person", "estimate", "projected", "low", "high", "cautious_income"}]
    toeslagen: list[CautiousToeslag]
    normal: Totals
    cautious: Totals
    summary: str                    # plain Dutch, one or two sentences


class CautiousChosenOut(msgspec.Struct, kw_only=True):
    mode: Literal["band_high", "percentage", "stop"]
    percentage: int | None
    year: int
    event_ids: list[int]
    toeslagen: list[dict]           # [{"toeslag", "decision_id", "new_monthly", "effective_month", "past_months"}]
    summary: str

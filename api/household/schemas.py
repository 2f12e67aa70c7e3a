"""Response shapes of the household routes (msgspec Structs; OpenAPI is generated from them)."""

from __future__ import annotations

from typing import Any, Literal

import msgspec

from ..ledger import ToeslagLedger


class Step(msgspec.Struct, kw_only=True):
    text: str
    amount: int | None = None
    law: str | None = None


class NextPayment(msgspec.Struct, kw_only=True):
    date: str
    month: str  # YYYY-MM: the month this voorschot is for
    amount: int | None  # None: not known yet (no decision for that year)


class YearSoFar(msgspec.Struct, kw_only=True):
    months: int
    paid: int
    entitled: int


# unknown: no parameters for the year yet ("nog niet bekend"): its amounts are no amounts
ToeslagStatus = Literal["applied", "not_applied", "not_entitled", "unknown"]


class ToeslagOverview(msgspec.Struct, kw_only=True):
    toeslag: str
    name: str
    status: ToeslagStatus
    applied: bool
    entitled: bool
    reasons: list[str]
    per_year: int
    entitlement_this_month: int
    amount_this_month: int
    months: list[int]
    voorschot: list[int]
    paid: list[int | None]
    next_payment: NextPayment | None
    year_so_far: YearSoFar
    expected_settlement: int
    steps: list[Step]
    # the ledger of the year (paid lines, due, corrections with their status): None when not applied.
    # `paid` above is the rules' input (what each month is settled at, corrections included).
    ledger: ToeslagLedger | None = None


class RulesWarning(msgspec.Struct, kw_only=True):
    """shared_rules/warnings.py: vermogen above or near a limit, a toeslagpartner moving in or out."""
    code: str
    toeslag: str | None
    level: str
    text: str
    law: str
    assets: int
    limit: int
    amount: int


class Overview(msgspec.Struct, kw_only=True):
    year: int
    month: int
    today: str
    rules_version: str
    household_label: str
    total_this_month: int
    toeslagen: list[ToeslagOverview]
    warnings: list[RulesWarning] = []     # shared_rules/warnings.py over the year as it stands


class PersonOut(msgspec.Struct, kw_only=True):
    id: str
    role: str
    given_name: str
    birth_date: str
    bsn_masked: str | None
    insured: bool
    works: bool
    member_from: str
    member_until: str | None
    treaty_country: str | None = None    # lives abroad in a treaty country (zorgtoeslag woonlandfactor)
    co_resident_is_child: bool = False   # a medebewoner who is the applicant's child (Awir art. 7 lid 6)


class HomeOut(msgspec.Struct, kw_only=True):
    valid_from: str
    street: str
    house_number: str
    postcode: str
    city: str
    renting: bool
    rent: int | None
    service_costs: int


class ContractOut(msgspec.Struct, kw_only=True):
    id: str
    child_id: str
    organisation: str
    location_name: str
    lrk_number: str
    kind: str
    start_date: str
    end_date: str | None
    hours_per_month: int | None
    hourly_rate: int | None


class EstimateOut(msgspec.Struct, kw_only=True):
    person_id: str
    year: int
    income: int
    assets: int


class ReportOut(msgspec.Struct, kw_only=True, omit_defaults=True):
    data_type: str
    organisation_id: str
    person_id: str
    month: str
    received_at: str
    contract_id: str | None = None
    hours: int | None = None
    hourly_rate: int | None = None
    wages: int | None = None
    insured: bool | None = None
    rent: int | None = None
    service_costs: int | None = None


class RulesInput(msgspec.Struct, kw_only=True, omit_defaults=True):
    """What the phone passes to shared_rules.preview (PREVIEW.md)."""
    today: str
    timeline: list[dict[str, Any]]
    paid: dict[str, list[int | None]]
    # the voorzichtig voorschot choices in force: {toeslag: {"percentage", "from_month"}} (PREVIEW.md)
    cautious: dict[str, dict[str, int]] | None = None


class HouseholdOut(msgspec.Struct, kw_only=True):
    label: str
    version: int
    year: int
    today: str
    persons: list[PersonOut]
    homes: list[HomeOut]
    contracts: list[ContractOut]
    estimates: list[EstimateOut]
    applications: list[str]
    reports: list[ReportOut]
    rules_input: RulesInput
    # the household's facts as shared_rules.changes reads them (no names, BSN or address): the phone's
    # preview of a change is changes.preview_change({today, household: facts, paid, cautious, change})
    facts: dict[str, list[dict[str, Any]]]


class DecisionMonth(msgspec.Struct, kw_only=True):
    month: int
    entitlement: int
    voorschot: int
    payment_date: str


class DecisionOut(msgspec.Struct, kw_only=True):
    id: str
    toeslag: str
    name: str
    year: int
    decided_at: str
    reason: str
    effective_month: int
    entitled: bool
    per_year: int
    new_monthly: int
    past_months: int
    months: list[DecisionMonth]


class PaymentOut(msgspec.Struct, kw_only=True):
    toeslag: str
    month: int
    kind: str
    amount: int
    payment_date: str


class EventOut(msgspec.Struct, kw_only=True):
    id: int
    occurred_at: str
    source: str
    kind: str
    effective_date: str | None
    summary: str
    amounts: dict[str, dict[str, int]]


class History(msgspec.Struct, kw_only=True):
    year: int
    decisions: list[DecisionOut]
    payments: list[PaymentOut]
    events: list[EventOut]


class MessageOut(msgspec.Struct, kw_only=True):
    id: str
    date: str
    toeslag: str
    title: str
    body: str
    toeslagen: list[str] = []    # every toeslag the message is about (one change: one message)


class Messages(msgspec.Struct, kw_only=True):
    messages: list[MessageOut]


# -- the answers of a change (preview and decision: household/recalc.py) ------------------------------------------------

class YearResult(msgspec.Struct, kw_only=True):
    entitled: bool = False
    per_year: int = 0
    per_month: int = 0
    months: list[int] = []
    reasons: list[str] = []
    steps: list[Step] = []


class ToeslagPreview(msgspec.Struct, kw_only=True):
    applied: bool = False
    computed: bool = True              # false: no parameters for the year ("nog niet bekend", no amount)
    provisional: bool = False          # the year's parameters are provisional ("voorlopig")
    source: str | None = None          # where provisional parameters come from
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


class YearPreview(msgspec.Struct, kw_only=True):
    """shared_rules.preview's answer for one year, as is (see shared_rules/PREVIEW.md), plus `applied`
    per toeslag."""
    year: int
    today: str
    effective_month: int | None = None
    rules_version: str
    toeslagen: dict[str, ToeslagPreview]
    warnings: list[RulesWarning] = []


class PreviewOut(YearPreview, kw_only=True):
    """The preview of the change's own year, and of each later open year it still holds in
    (shared_rules.changes.carried_forward: this year for a past-year change, next year from December)."""
    carried_forward: list[YearPreview] = []


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
    # every voorschot of the year was already paid: there is no new monthly amount, only the
    # correction now (past_months; a nabetaling is paid out on payout_on) and the settlement after
    # the year (settlement: > 0 paid out, < 0 paid back)
    all_paid: bool = False
    payout_on: str | None = None
    settlement: int = 0
    threshold: int = 0                  # the agency's line for a hoge terugvordering


class CarriedOut(msgspec.Struct, kw_only=True):
    """A change carried into a later open year (event `change.carried_forward`): what was decided there."""
    year: int
    event_id: int
    summary: str
    toeslagen: list[ToeslagOutcome]    # the applied toeslagen with an amount
    unknown: list[str] = []            # applied toeslagen without parameters for the year: "nog niet bekend"


class SubmitOut(msgspec.Struct, kw_only=True):
    event_id: int
    kind: str
    effective_date: str
    year: int | None = None            # the toeslag year the change was for
    summary: str
    version: int
    toeslagen: list[ToeslagOutcome]
    carried_forward: list[CarriedOut] = []   # the later open years the change still holds in

"""The household domain's typed state: what the store's rows become once they leave api/store (which
imports nothing of the domains, so the mapping sits here, right above it), and what the layers pass
to each other instead of dicts.

- `Decision` (with its `DecisionMonth`s): a voorschot decision as recorded (`decisions` and
  `decision_months`), or as just planned (`voorschot.message` of a decision about to be answered).
- `Plan`: what a recalculation decides for one toeslag, before `voorschot.save` records it as a Decision.
- `Household`: one household as read in one transaction (households.load): its row and its persons,
  homes, childcare contracts and terms, estimates, applications and voorzichtig voorschot choices.

Values: frozen. The rooms that still read store rows (api/ledger, api/childcare, api/years, the
income scan's batch read) get rows at their boundary (`decision_rows`, `Household.state`);
shared_rules never sees these types: it takes plain dicts (shared_rules/CONTRACT.md), and
`Household.state()` is the one conversion to them (api/household/situation.py calls it)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import msgspec

Row = dict[str, Any]
DecisionReason = Literal["initial", "change", "application"]


class DecisionMonth(msgspec.Struct, frozen=True, kw_only=True):
    """One month of a decision: the entitlement, the voorschot it schedules and its payment date."""
    month: int           # 1..12
    entitlement: int     # cents
    voorschot: int       # cents: the entitlement, lower under a voorzichtig voorschot
    payment_date: str    # ISO date


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """A voorschot decision for one toeslag and year (Awir art. 16): the new schedule from
    `effective_month` on, and the settlement of the months already paid (`past_months`)."""
    id: str
    toeslag: str
    year: int
    decided_at: str                  # ISO timestamp ("" for a decision not recorded yet)
    reason: DecisionReason
    effective_month: int             # the first month not paid yet (12 when all were paid)
    entitled: bool
    per_year: int                    # cents
    new_monthly: int                 # cents; 0 when every month was already paid
    past_months: int                 # cents: >0 paid out now, <0 to be repaid
    all_paid: bool = False           # every voorschot of the year was already paid
    event_id: int | None = None      # the event (change) it follows from
    rules_version: str | None = None
    months: tuple[DecisionMonth, ...] = ()   # empty when read without its months (decisions.recent)

    @classmethod
    def from_row(cls, row: Row) -> Decision:
        """A `decisions` row (with its `months` rows when read with them)."""
        return cls(
            id=row["id"], toeslag=row["toeslag"], year=row["year"], decided_at=row["decided_at"],
            reason=row["reason"], effective_month=row["effective_month"], entitled=bool(row["entitled"]),
            per_year=row["per_year"], new_monthly=row["new_monthly"], past_months=row["past_months"],
            all_paid=bool(row["all_paid"]), event_id=row.get("event_id"), rules_version=row.get("rules_version"),
            months=tuple(DecisionMonth(month=m["month"], entitlement=m["entitlement"], voorschot=m["voorschot"],
                                       payment_date=m["payment_date"]) for m in row.get("months") or ()))

    def voorschot_of(self, month: int) -> int | None:
        """The voorschot this decision schedules for `month`, None when read without months."""
        for m in self.months:
            if m.month == month:
                return m.voorschot
        return None


def decisions_from_rows(rows: Iterable[Row]) -> list[Decision]:
    return [Decision.from_row(r) for r in rows]


def decision_rows(decisions: Iterable[Decision]) -> list[Row]:
    """The decisions as store rows, for the rooms that read rows (api/ledger): `entitled` and
    `all_paid` as 0/1 and `months` as a list of dicts, as decisions_store.for_year gives them."""
    out = []
    for d in decisions:
        r = msgspec.structs.asdict(d)
        r["entitled"] = int(d.entitled)
        r["all_paid"] = int(d.all_paid)
        r["months"] = [msgspec.structs.asdict(m) for m in d.months]
        out.append(r)
    return out



class Plan(msgspec.Struct, frozen=True, kw_only=True):
    """What a recalculation decides for one toeslag before it is recorded (voorschot.plan): the new
    entitlement and schedule, and the settlement of the months already paid. `save` records it as a
    Decision; the answer to the parent (recalc.outcome) reads it."""
    toeslag: str
    result: Row                      # shared_rules.preview's answer for the toeslag (PREVIEW.md: plain dicts)
    entitled: bool                   # under the situation after the change
    per_year: int                    # cents
    months: tuple[int, ...]          # the entitlement per month, cents
    paid: tuple[int | None, ...]     # per month what was paid, None when not paid yet
    voorschot: tuple[int, ...]       # the new schedule per month
    due: tuple[int, ...]             # what each month should pay: the entitlement, lower under a voorzichtig voorschot
    effective_month: int             # the first month not paid yet (12 when all were paid)
    all_paid: bool
    new_monthly: int                 # the voorschot of the effective month; 0 when all were paid
    past_months: int                 # the settlement of the months already paid: >0 paid out, <0 to be repaid
    rules_version: str

# -- the household as read from the store ---------------------------------------------------------
# Field order is the tables' column order, so `Household.state()` gives back the rows the store gave.

class Person(msgspec.Struct, frozen=True, kw_only=True):
    """A member of the household over [member_from, member_until)."""
    id: str
    household_id: str
    role: Literal["applicant", "partner", "child", "co_resident"]
    given_name: str
    birth_date: str                  # ISO date
    bsn: str | None                  # never in a log or URL; masked in every answer
    insured: bool
    works: bool
    treaty_country: str | None
    co_resident_is_child: bool
    member_from: str                 # ISO date
    member_until: str | None         # not a member from this date on
    created_at: str


class Home(msgspec.Struct, frozen=True, kw_only=True):
    """An address and its rent from `valid_from` on."""
    id: int
    household_id: str
    valid_from: str
    street: str
    house_number: str
    postcode: str
    city: str
    renting: bool
    rent: int | None                 # kale huur per month, cents
    service_costs: int               # cents per month
    landlord_id: str | None
    created_at: str


class Contract(msgspec.Struct, frozen=True, kw_only=True):
    """A childcare contract of one child (with its organisation's name)."""
    id: str
    household_id: str
    child_id: str
    organisation_id: str
    location_name: str
    lrk_number: str
    kind: Literal["dagopvang", "bso", "gastouderopvang"]
    start_date: str
    end_date: str | None             # the last day of care
    created_at: str
    organisation_name: str


class Terms(msgspec.Struct, frozen=True, kw_only=True):
    """Hours and rate of a contract from `valid_from` on."""
    id: int
    contract_id: str
    valid_from: str
    hours_per_month: int
    hourly_rate: int                 # cents per hour
    created_at: str


class Estimate(msgspec.Struct, frozen=True, kw_only=True):
    """A person's estimated toetsingsinkomen and assets for a year (the last one per person and year counts)."""
    id: int
    household_id: str
    person_id: str
    year: int
    income: int                      # cents
    assets: int                      # cents
    source: str
    recorded_at: str


class Application(msgspec.Struct, frozen=True, kw_only=True):
    household_id: str
    toeslag: str
    year: int
    from_month: int
    applied_at: str


class CautiousChoice(msgspec.Struct, frozen=True, kw_only=True):
    """A voorzichtig voorschot choice (`income_cautious`): a percentage lower per toeslag, or the high end
    of an income band."""
    id: int
    household_id: str
    year: int
    toeslag: str                     # "" for band_high
    mode: Literal["band_high", "percentage"]
    percentage: int | None
    person_id: str | None
    income: int | None
    decision_id: str | None
    event_id: int | None
    chosen_at: str
    from_month: int | None
    ended_at: str | None


_FLAGS = {"persons": ("insured", "works", "co_resident_is_child"), "homes": ("renting",)}


class Household(msgspec.Struct, frozen=True, kw_only=True):
    """One household as read in one transaction (households.load): its row, members, homes, childcare,
    estimates, applications and voorzichtig voorschot choices, each oldest first."""
    id: str
    label: str
    demo_key: str | None
    version: int                     # bumped on every change
    created_at: str
    persons: tuple[Person, ...] = ()
    homes: tuple[Home, ...] = ()
    contracts: tuple[Contract, ...] = ()
    terms: tuple[Terms, ...] = ()
    estimates: tuple[Estimate, ...] = ()
    applications: tuple[Application, ...] = ()
    cautious: tuple[CautiousChoice, ...] = ()

    @classmethod
    def from_state(cls, state: Row) -> Household:
        """From what households.load gives: {"household": row, "persons": rows, ...}."""
        return msgspec.convert({**state["household"], **{k: v for k, v in state.items() if k != "household"}},
                               cls, strict=False)

    def state(self) -> Row:
        """The household as households.load gives it: the one conversion to the rows shared_rules
        reads (shared_rules/CONTRACT.md takes plain dicts) and the rooms that read rows still get.
        Flags are 0/1 as stored."""
        fields = msgspec.structs.asdict(self)
        out: Row = {"household": {k: fields[k] for k in ("id", "label", "demo_key", "version", "created_at")}}
        for key in ("persons", "homes", "contracts", "terms", "estimates", "applications", "cautious"):
            flags = _FLAGS.get(key, ())
            items = []
            for item in fields[key]:
                r = msgspec.structs.asdict(item)
                for f in flags:
                    r[f] = int(r[f])
                items.append(r)
            out[key] = items
        return out

    def applied(self, year: int) -> set[str]:
        """The toeslagen the household applied for in `year`."""
        return {a.toeslag for a in self.applications if a.year == year}

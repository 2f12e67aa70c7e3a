"""Builds what shared_rules needs from the store, in one place: the situation on a day, the timeline
of a year (segments that start on the first of a month, Awir art. 5), and the voorschot `paid` per
month from the recorded decisions and payments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, TypeVar

from .. import rules
from ..rules import changes
from ..util import TOESLAGEN
from .models import Decision, Household, Row

# a decision, or its store row where a room does not read Decisions yet (the income scan's batch
# read, api/years)
DecisionOrRow = TypeVar("DecisionOrRow", Decision, Row)
# a household, or the rows households.load gives where a room does not read Households yet
# (api/childcare, api/years, the income scan)
HouseholdState = Household | Row
# per toeslag, the voorschot paid for each month (None: not paid yet): shared_rules.preview's `paid`
PaidLists = dict[str, list[int | None]]


def rows_of(state: HouseholdState) -> Row:
    """The household as the rows shared_rules.changes reads (shared_rules/CONTRACT.md: plain dicts)."""
    return state.state() if isinstance(state, Household) else state

# The facts -> situation rules live in shared_rules.changes (the phone runs the same code); these
# wrappers take the API's dt.date.

def estimate(state: HouseholdState, person_id: str, year: int) -> tuple[int, int]:
    """(income, assets) for the year: the latest estimate of that year, else of the latest earlier year."""
    income: int
    assets: int
    income, assets = changes.estimate(rows_of(state), person_id, year)
    return income, assets


def members_on(state: HouseholdState, day: dt.date) -> list[Row]:
    out: list[Row] = changes.members_on(rows_of(state), day.isoformat())
    return out


def children_on(state: HouseholdState, day: dt.date) -> list[Row]:
    out: list[Row] = changes.children_on(rows_of(state), day.isoformat())
    return out


def home_on(state: HouseholdState, day: dt.date) -> Row | None:
    out: Row | None = changes.home_on(rows_of(state), day.isoformat())
    return out


def terms_on(state: HouseholdState, contract_id: str, day: dt.date) -> Row | None:
    out: Row | None = changes.terms_on(rows_of(state), contract_id, day.isoformat())
    return out


def contracts_on(state: HouseholdState, day: dt.date) -> list[Row]:
    out: list[Row] = changes.contracts_on(rows_of(state), day.isoformat())
    return out


def situation_on(state: HouseholdState, day: dt.date, year: int, month: int | None = None) -> dict[str, Any]:
    """The household's situation (CONTRACT.md) as it stands on `day`, with the yearly figures of `year`."""
    out: dict[str, Any] = changes.situation_on(rows_of(state), day.isoformat(), year, month)
    return out


def timeline(state: HouseholdState, year: int) -> list[dict[str, Any]]:
    """Segments of the year, each starting on the first of a month (Awir art. 5)."""
    out: list[dict[str, Any]] = changes.timeline(rows_of(state), year)
    return out


FACT_KEYS = {
    "persons": ("id", "role", "birth_date", "insured", "works", "treaty_country", "co_resident_is_child",
                "member_from", "member_until"),
    "homes": ("valid_from", "renting", "rent", "service_costs"),
    "contracts": ("id", "child_id", "kind", "start_date", "end_date"),
    "terms": ("contract_id", "valid_from", "hours_per_month", "hourly_rate"),
    "estimates": ("person_id", "year", "income", "assets"),
}


def facts(state: HouseholdState) -> dict[str, list[dict[str, Any]]]:
    """The household's facts as shared_rules.changes reads them (and the phone gets them): no names,
    no BSN, no address; booleans as booleans."""
    rows = rows_of(state)
    out: dict[str, list[dict[str, Any]]] = {}
    for key, cols in FACT_KEYS.items():
        out[key] = [{c: row[c] for c in cols} for row in rows[key]]
    for p in out["persons"]:
        for flag in ("insured", "works", "co_resident_is_child"):
            p[flag] = bool(p[flag])
    for h in out["homes"]:
        h["renting"] = bool(h["renting"])
    return out


def applied(state: HouseholdState, year: int) -> set[str]:
    if isinstance(state, Household):
        return state.applied(year)
    return {a["toeslag"] for a in state["applications"] if a["year"] == year}


def latest_decisions(decisions: Sequence[DecisionOrRow]) -> dict[str, DecisionOrRow]:
    """The decision in force per toeslag (decisions come oldest first)."""
    out: dict[str, DecisionOrRow] = {}
    for d in decisions:
        out[d.toeslag if isinstance(d, Decision) else d["toeslag"]] = d
    return out


def _scheduled(decisions: Sequence[Decision] | Sequence[Row]) -> dict[str, tuple[str, dict[int, int]]]:
    """Per toeslag, (id, voorschot per month) of the decision in force (decisions come oldest first),
    from Decisions or their store rows."""
    out: dict[str, tuple[str, dict[int, int]]] = {}
    for d in decisions[::-1]:
        if isinstance(d, Decision):
            if d.toeslag not in out:
                out[d.toeslag] = d.id, {m.month: m.voorschot for m in d.months}
        elif d["toeslag"] not in out:
            out[d["toeslag"]] = d["id"], {m["month"]: m["voorschot"] for m in d["months"]}
    return out


def paid_lists(decisions: Sequence[Decision] | Sequence[Row], payments: list[Row], year: int,
               today: dt.date) -> PaidLists:
    """Per toeslag, the voorschot paid for each month (corrections included), None when not paid yet.
    A month whose payment date has passed without a recorded payment counts as paid with the amount
    of the decision in force (the payment run is not materialised for every day).

    That decision lists such a month as it stood when the decision was made: the voorschot it
    scheduled, or — when the month had been paid before it — what had been paid by then, earlier
    corrections included (shared_rules returns paid months as paid). So on top of it only the
    decision's own corrections count; adding every correction again counted the earlier ones twice
    (a household applying after the payment date, then changing twice, ended with a negative "paid"
    month that the rules refuse)."""
    latest = _scheduled(decisions)
    voorschot_rows: dict[tuple[str, int], int] = {}
    corrections: dict[tuple[str, int], int] = {}
    own_corrections: dict[tuple[str, int], int] = {}
    for p in payments:
        key = (p["toeslag"], p["month"])
        if p["kind"] == "voorschot":
            voorschot_rows[key] = voorschot_rows.get(key, 0) + p["amount"]
        else:
            corrections[key] = corrections.get(key, 0) + p["amount"]
            dec = latest.get(p["toeslag"])
            if dec is not None and p.get("decision_id") == dec[0]:
                own_corrections[key] = own_corrections.get(key, 0) + p["amount"]
    today_s = today.isoformat()
    out: PaidLists = {}
    for t in TOESLAGEN:
        dec = latest.get(t)
        scheduled = dec[1] if dec else {}
        months: list[int | None] = []
        for m in range(1, 13):
            key = (t, m)
            due = rules.payment_date(year, m) <= today_s
            if key in voorschot_rows:
                months.append(voorschot_rows[key] + corrections.get(key, 0))
            elif due:
                months.append(scheduled.get(m, 0) + own_corrections.get(key, 0))
            elif key in corrections:
                months.append(corrections[key])
            else:
                months.append(None)
        out[t] = months
    return out


def rules_input(state: HouseholdState, decisions: Sequence[Decision] | Sequence[Row], payments: list[Row], year: int,
                today: dt.date) -> dict[str, Any]:
    """The preview payload without a change: what is known now (with the voorzichtig voorschot
    choices in force, when there are any)."""
    rows = rows_of(state)
    out: dict[str, Any] = {
        "today": today.isoformat(),
        "timeline": timeline(rows, year),
        "paid": paid_lists(decisions, payments, year, today),
    }
    chosen = cautious_in_force(rows, year)
    if chosen:
        out["cautious"] = chosen
    return out


def cautious_percentages(state: HouseholdState, year: int) -> dict[str, Row]:
    """Per toeslag, the percentage choice (an `income_cautious` row) in force in `year`: the newest one
    the household did not stop. It stays in force through every later recalculation."""
    out: dict[str, Row] = {}
    for c in rows_of(state).get("cautious") or ():
        if c["mode"] == "percentage" and c["year"] == year and c["ended_at"] is None and c["from_month"]:
            out[c["toeslag"]] = c
    return out


def cautious_in_force(state: HouseholdState, year: int) -> dict[str, Row]:
    """The `cautious` input of shared_rules.preview (PREVIEW.md) for `year`."""
    return {t: {"percentage": c["percentage"], "from_month": c["from_month"]}
            for t, c in sorted(cautious_percentages(state, year).items())}

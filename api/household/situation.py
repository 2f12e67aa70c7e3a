"""Builds what shared_rules needs from the store, in one place: the situation on a day, the timeline
of a year (segments that start on the first of a month, Awir art. 5), and the voorschot `paid` per
month from the recorded decisions and payments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .. import rules
from ..util import TOESLAGEN, effective_month


def _member_on(p: dict, day: str) -> bool:
    return p["member_from"] <= day and (p["member_until"] is None or day < p["member_until"])


def estimate(state: dict, person_id: str, year: int) -> tuple[int, int]:
    """(income, assets) for the year: the latest estimate of that year, else of the latest earlier year."""
    best = None
    for e in state["estimates"]:  # ordered by year, id
        if e["person_id"] == person_id and e["year"] <= year:
            best = e
    return (best["income"], best["assets"]) if best else (0, 0)


def members_on(state: dict, day: dt.date) -> list[dict]:
    d = day.isoformat()
    return [p for p in state["persons"] if _member_on(p, d)]


def children_on(state: dict, day: dt.date) -> list[dict]:
    kids = [p for p in members_on(state, day) if p["role"] == "child"]
    kids.sort(key=lambda p: (p["birth_date"], p["id"]))
    return kids


def home_on(state: dict, day: dt.date) -> dict | None:
    d = day.isoformat()
    current = None
    for h in state["homes"]:  # ordered by valid_from, id
        if h["valid_from"] <= d:
            current = h
    return current


def terms_on(state: dict, contract_id: str, day: dt.date) -> dict | None:
    d = day.isoformat()
    current = first = None
    for t in state["terms"]:
        if t["contract_id"] != contract_id:
            continue
        first = first or t
        if t["valid_from"] <= d:
            current = t
    return current or first


def contracts_on(state: dict, day: dt.date) -> list[dict]:
    d = day.isoformat()
    return [c for c in state["contracts"]
            if c["start_date"] <= d and (c["end_date"] is None or d <= c["end_date"])]


def _person(state: dict, p: dict, year: int) -> dict[str, Any]:
    income, assets = estimate(state, p["id"], year)
    return {
        "birth_date": p["birth_date"],
        "income": income,
        "assets": assets,
        "insured": bool(p["insured"]),
        "treaty_country": p["treaty_country"],
        "works": bool(p["works"]),
    }


def situation_on(state: dict, day: dt.date, year: int, month: int | None = None) -> dict[str, Any]:
    """The household's situation (CONTRACT.md) as it stands on `day`, with the yearly figures of `year`."""
    members = members_on(state, day)
    applicant = next((p for p in members if p["role"] == "applicant"), None)
    if applicant is None:
        applicant = next(p for p in state["persons"] if p["role"] == "applicant")
    partner = next((p for p in members if p["role"] == "partner"), None)
    kids = children_on(state, day)
    co_residents = [p for p in members if p["role"] == "co_resident"]
    home = home_on(state, day)
    situation: dict[str, Any] = {
        "year": year,
        "applicant": _person(state, applicant, year),
        "partner": _person(state, partner, year) if partner else None,
        "children": [{"birth_date": k["birth_date"]} for k in kids],
        "home": None,
        "childcare": [],
    }
    if home is not None and home["renting"] and home["rent"] is not None:
        cos = []
        for c in co_residents:
            income, assets = estimate(state, c["id"], year)
            cos.append({"birth_date": c["birth_date"], "income": income, "assets": assets,
                        "child": bool(c["co_resident_is_child"])})
        situation["home"] = {
            "rent": home["rent"],
            "service_costs": home["service_costs"],
            "persons": 1 + (1 if partner else 0) + len(kids) + len(co_residents),
            "co_residents": cos,
        }
    index = {k["id"]: i for i, k in enumerate(kids)}
    for c in contracts_on(state, day):
        if c["child_id"] not in index:
            continue
        t = terms_on(state, c["id"], day)
        if t is None:
            continue
        situation["childcare"].append({
            "child": index[c["child_id"]], "kind": c["kind"],
            "hours": t["hours_per_month"], "hourly_rate": t["hourly_rate"],
        })
    situation["childcare"].sort(key=lambda x: (x["child"], x["kind"], x["hours"], x["hourly_rate"]))
    if month is not None:
        situation["month"] = month
    return situation


def _boundaries(state: dict) -> set[dt.date]:
    out: set[dt.date] = set()
    for p in state["persons"]:
        out.add(dt.date.fromisoformat(p["member_from"]))
        if p["member_until"]:
            out.add(dt.date.fromisoformat(p["member_until"]))
    for h in state["homes"]:
        out.add(dt.date.fromisoformat(h["valid_from"]))
    for c in state["contracts"]:
        out.add(dt.date.fromisoformat(c["start_date"]))
        if c["end_date"]:
            out.add(dt.date.fromisoformat(c["end_date"]) + dt.timedelta(days=1))
    for t in state["terms"]:
        out.add(dt.date.fromisoformat(t["valid_from"]))
    return out


def timeline(state: dict, year: int) -> list[dict[str, Any]]:
    """Segments of the year, each starting on the first of a month: the situation of a month is the one
    on its first day (Awir art. 5). Consecutive equal situations are merged."""
    months = {1}
    for b in _boundaries(state):
        y, m = effective_month(b)
        if y == year:
            months.add(m)
    out: list[dict[str, Any]] = []
    for m in sorted(months):
        start = dt.date(year, m, 1)
        sit = situation_on(state, start, year)
        if out and out[-1]["situation"] == sit:
            continue
        out.append({"from": start.isoformat(), "situation": sit})
    return out


def applied(state: dict, year: int) -> set[str]:
    return {a["toeslag"] for a in state["applications"] if a["year"] == year}


def latest_decisions(decisions: list[dict]) -> dict[str, dict]:
    """The decision in force per toeslag (decisions come oldest first)."""
    out: dict[str, dict] = {}
    for d in decisions:
        out[d["toeslag"]] = d
    return out


def paid_lists(decisions: list[dict], payments: list[dict], year: int, today: dt.date) -> dict[str, list]:
    """Per toeslag, the voorschot paid for each month (corrections included), None when not paid yet.
    A month whose payment date has passed without a recorded payment counts as paid with the amount
    of the decision in force (the payment run is not materialised for every day).

    That decision lists such a month as it stood when the decision was made: the voorschot it
    scheduled, or — when the month had been paid before it — what had been paid by then, earlier
    corrections included (shared_rules returns paid months as paid). So on top of it only the
    decision's own corrections count; adding every correction again counted the earlier ones twice
    (a household applying after the payment date, then changing twice, ended with a negative "paid"
    month that the rules refuse)."""
    latest = latest_decisions(decisions)
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
            if dec is not None and p.get("decision_id") == dec["id"]:
                own_corrections[key] = own_corrections.get(key, 0) + p["amount"]
    today_s = today.isoformat()
    out: dict[str, dict] = {}
    for t in TOESLAGEN:
        dec = latest.get(t)
        scheduled = {m["month"]: m["voorschot"] for m in dec["months"]} if dec else {}
        months: list = []
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


def rules_input(state: dict, decisions: list[dict], payments: list[dict], year: int, today: dt.date) -> dict:
    """The preview payload without a change: what is known now (with the voorzichtig voorschot
    choices in force, when there are any)."""
    out = {
        "today": today.isoformat(),
        "timeline": timeline(state, year),
        "paid": paid_lists(decisions, payments, year, today),
    }
    chosen = cautious_in_force(state, year)
    if chosen:
        out["cautious"] = chosen
    return out


def cautious_percentages(state: dict, year: int) -> dict[str, dict]:
    """Per toeslag, the percentage choice (an `income_cautious` row) in force in `year`: the newest one
    the household did not stop. It stays in force through every later recalculation."""
    out: dict[str, dict] = {}
    for c in state.get("cautious") or ():
        if c["mode"] == "percentage" and c["year"] == year and c["ended_at"] is None and c["from_month"]:
            out[c["toeslag"]] = c
    return out


def cautious_in_force(state: dict, year: int) -> dict[str, dict]:
    """The `cautious` input of shared_rules.preview (PREVIEW.md) for `year`."""
    return {t: {"percentage": c["percentage"], "from_month": c["from_month"]}
            for t, c in sorted(cautious_percentages(state, year).items())}

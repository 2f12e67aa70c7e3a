"""The expected definitieve berekening of a past year through shared_rules (no writes). The year facts
it builds on (final income over the estimate, the toeslagen of a year, a preview for a year that may
have no parameters) live in api/household/years.py and are re-exported here."""

from __future__ import annotations

import datetime as dt

from ..household.years import (  # noqa: F401
    HIGH_REPAYMENT,
    applied_in,
    known,
    latest_finals,
    preview,
    provisional,
    provisional_source,
    voorschot,
    with_final_incomes,
    year_input,
)
from ..util import TOESLAGEN


def settlement(state: dict, finals: list[dict], decs: list[dict], pays: list[dict], year: int,
               today: dt.date, applied: set[str]) -> dict:
    """The expected definitieve berekening of a past year: per applied toeslag the entitlement with the
    final income where known (else the latest estimate) against what was paid for the year."""
    st = with_final_incomes(state, finals, year)
    pv = voorschot(st, decs, pays, year, today)
    mine = latest_finals(finals, year)
    people = [p for p in state["persons"] if p["role"] in ("applicant", "partner")
              and p["member_from"] <= f"{year}-12-31" and (p["member_until"] is None or p["member_until"] > f"{year}-01-01")]
    out = {"year": year, "rules_version": pv["rules_version"],
           "final_income_known": bool(people) and all(p["id"] in mine for p in people),
           "final_income_source": sorted({f["source"] for f in mine.values()}), "toeslagen": {}}
    for t in TOESLAGEN:
        r = pv["toeslagen"][t]
        if t not in applied:
            continue
        res = r["before"]
        paid = sum(p for p in r["paid"] if p is not None)
        if not known(r):
            out["toeslagen"][t] = {"known": False, "per_year": None, "paid": paid, "amount": None,
                                   "hoge_terugvordering": False, "threshold": HIGH_REPAYMENT[t]}
            continue
        amount = res["per_year"] - paid
        out["toeslagen"][t] = {"known": True, "per_year": res["per_year"], "paid": paid, "amount": amount,
                               "hoge_terugvordering": -amount >= HIGH_REPAYMENT[t],
                               "threshold": HIGH_REPAYMENT[t]}
    return out

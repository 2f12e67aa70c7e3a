"""One toeslag year of a household through shared_rules: the voorschot of any open year (next year's
with next year's rules) and the expected definitieve berekening of a past year. No writes.

Interface of shared_rules relied on (issue #12): every toeslag of a result may carry
`"provisional": true` (parameters published only provisionally); a toeslag without parameters for
the year has `computed: false`, `reasons: ["no_parameters"]` and zero amounts — that zero is never an
amount to show ("nog niet bekend"). A year without any parameter file is treated the same way."""

from __future__ import annotations

import datetime as dt

from .. import rules
from ..household import situation
from ..util import TOESLAGEN

# Not law: the agency's own line for a hoge terugvordering (the same figures shared_rules uses).
HIGH_REPAYMENT = {"zorgtoeslag": 50000, "huurtoeslag": 50000, "kindgebonden_budget": 50000,
                  "kinderopvangtoeslag": 100000}


def with_final_incomes(state: dict, finals: list[dict], year: int) -> dict:
    """The state with each person's final income for `year` as the last (so winning) estimate of that
    year: the definitieve berekening uses the final toetsingsinkomen (Awir art. 19), not the estimate."""
    mine = latest_finals(finals, year)
    if not mine:
        return state
    estimates = list(state["estimates"])
    for person_id, f in sorted(mine.items()):
        _, assets = situation.estimate(state, person_id, year)
        estimates.append({"person_id": person_id, "year": year, "income": f["income"], "assets": assets,
                          "source": "final"})
    estimates.sort(key=lambda e: e["year"])  # stable in CPython: finals stay last within their year
    out = dict(state)
    out["estimates"] = estimates
    return out


def latest_finals(finals: list[dict], year: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in finals:  # oldest first
        if f["year"] == year:
            out[f["person_id"]] = f
    return out


def applied_in(state: dict, year: int, kind: str) -> set[str]:
    """The toeslagen the household has in `year`. Next year: the ones it has now continue (the agency
    sets next year's voorschot for every toeslag that runs on) unless it already has its own."""
    own = situation.applied(state, year)
    if own or kind != "next":
        return own
    return situation.applied(state, year - 1)


def _no_parameters(inp: dict, year: int) -> dict:
    zero = {"computed": False, "entitled": False, "per_year": 0, "per_month": 0, "months": [0] * 12,
            "reasons": ["no_parameters"], "steps": []}
    paid = inp.get("paid") or {}
    return {"year": year, "today": inp["today"], "effective_month": 1, "rules_version": "",
            "toeslagen": {t: {"computed": False, "before": dict(zero), "after": dict(zero),
                              "paid": list(paid.get(t) or [None] * 12), "voorschot": [0] * 12, "new_monthly": 0,
                              "due": [0] * 12, "difference_per_month": [0] * 12, "past_months": 0,
                              "repayment": 0, "settlement": 0, "settlement_unchanged": 0,
                              "hoge_terugvordering": False, "hoge_terugvordering_unchanged": False,
                              "threshold": HIGH_REPAYMENT[t]} for t in TOESLAGEN}}


def preview(inp: dict, year: int) -> dict:
    """shared_rules.preview, or — for a year without any parameter file — the same shape with every
    toeslag `computed: false` (never a made-up amount)."""
    try:
        return rules.preview(inp)
    except rules.InputError as e:
        if str(getattr(e, "field", "")).split(".")[-1] == "year" or "no parameters" in str(e):
            return _no_parameters(inp, year)
        raise


def known(r: dict) -> bool:
    """Whether a toeslag result has an amount to show (not `no_parameters`)."""
    res = r.get("after") or r.get("before") or r
    return r.get("computed") is not False and "no_parameters" not in (res.get("reasons") or [])


def provisional(r: dict) -> bool:
    return bool(r.get("provisional") or (r.get("after") or {}).get("provisional")
                or (r.get("before") or {}).get("provisional"))


def provisional_source(r: dict, year: int, toeslag: str) -> str | None:
    """Where the provisional parameters come from: the result's own source when shared_rules gives one,
    else the parameter module's, else a plain statement that the amounts are provisional."""
    if not provisional(r):
        return None
    for holder in (r, r.get("after") or {}, r.get("before") or {}):
        for key in ("provisional_source", "source"):
            if holder.get(key):
                return str(holder[key])
    try:
        from shared_rules.params import for_year, section
        p = for_year(year)
        sec = section(p, toeslag.upper()) or section(p, toeslag)
        for holder in (sec, p):
            for key in ("PROVISIONAL_SOURCE", "SOURCE", "provisional_source", "source"):
                v = holder.get(key) if isinstance(holder, dict) else getattr(holder, key, None)
                if isinstance(v, str) and v:
                    return v
    except Exception:  # a year without a parameter file has no source either
        pass
    return f"Voorlopige bedragen voor {year}; de definitieve bedragen volgen."


def year_input(state: dict, decs: list[dict], pays: list[dict], year: int, today: dt.date) -> dict:
    """The preview payload of `year` as it stands (the rules_input of that year)."""
    return situation.rules_input(state, decs, pays, year, today)


def voorschot(state: dict, decs: list[dict], pays: list[dict], year: int, today: dt.date) -> dict:
    return preview(year_input(state, decs, pays, year, today), year)


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

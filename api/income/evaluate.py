"""What the scan concludes for one household: the prompts it should have now. Pure (no database):
`Household` wraps the store's rows, `drafts(hh)` gives every prompt the household should have.

Amounts come from shared_rules only — `preview` (via `api.rules`) or `calculate` — and the projection
from `shared_rules.projection.project_income`. The thresholds below are ours (not law):

- **projection used** from the 3rd reported month on (`MIN_REPORTED_MONTHS`): with one or two
  months the band is too wide to act on;
- **repayment** (`income_drift`, subject = person role): for a toeslag the household gets, the
  expected final settlement when the income is not passed on (`settlement_unchanged` of a preview
  that changes that person's income to the projection) reaches the preview's own `threshold` of a
  *hoge terugvordering* (€ 500; € 1,000 for kinderopvangtoeslag), or the toeslag is entitled now and
  not under the projection (an entitlement limit crossed). The amount is the sum over the toeslagen
  the household gets (negative = to repay), the band gives the same at the low and high income;
- **extra payment** (`income_drift` the other way): the sum is at least € 250
  (`EXTRA_PAYMENT_LINE`): half the repayment line, about € 20 a month, worth a correction;
- **materiality** after a dismissal: the prompt comes back only when the amount grew by at least
  € 100 and at least 20 % (`MATERIAL_CENTS`, `MATERIAL_PCT`), or turned the other way;
- **assets** (`assets_near_limit`, toeslag, subject = year): the household's vermogen is at most
  10 % below the limit of a toeslag it gets (`ASSET_MARGIN_PCT`; limits read from
  shared_rules.params); at stake is that toeslag's whole year (all or nothing);
- **January** (`january_check`, subject = year): in January, everyone with a toeslag that year;
- **possible non-use** (`possible_non_use`, toeslag, subject = toeslag): shared_rules gives an
  entitlement (under the projection when there is one, else under the estimate) for a toeslag the
  household has not applied for this year;
- a person whose estimate was put at the high end of the band on purpose (cautious voorschot) gets
  no "your income is lower" prompt while that estimate stands.

The amounts under an income come from one of two engines (`engines.py`: `Exact`, `Fast`), which
give the same numbers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shared_rules
from shared_rules.params import for_year, section
from shared_rules.version import rules_version

from .. import rules
from ..household import situation
from ..prompts.service import PromptDraft
from ..util import TOESLAG_NAMES, TOESLAGEN, euro, month_name
from .engines import Exact, Fast, Household, Outcome, engine

KINDS = ("income_drift", "assets_near_limit", "january_check", "possible_non_use")

EXTRA_PAYMENT_LINE = 25_000          # € 250
MATERIAL_CENTS = 10_000              # € 100
MATERIAL_PCT = 20
ASSET_MARGIN_PCT = 10
SCAN_VERSION = "1"                   # bump when the rules of this module change: every household is rescanned

# shared_rules.params section and the key of the limit without a partner; with a partner the key is
# `asset_limit_partner`. Zorgtoeslag and kindgebonden budget test the assets of applicant and partner
# together; huurtoeslag too, and every medebewoner on their own against the per-person limit.
ASSET_LIMITS = {
    "zorgtoeslag": ("ZORGTOESLAG", "asset_limit_single"),
    "kindgebonden_budget": ("KINDGEBONDEN_BUDGET", "asset_limit_single"),
    "huurtoeslag": ("HUURTOESLAG", "asset_limit_person"),
}


def cautious_estimate(snap: dict, person_id: str, estimate: int) -> bool:
    """The person's estimate is one the household chose on purpose at the high end of the band
    (and has not changed since): the scan does not suggest lowering it."""
    return any(c["mode"] == "band_high" and c["person_id"] == person_id and c["income"] == estimate
               for c in snap.get("cautious", []))



def scan_key(version: int, today: dt.date) -> str:
    """What the scan's answer depends on: the household's data version (bumped by every change and
    every feed report), the month (January; months paid) and the rules."""
    suffix = _KEY_SUFFIX.get(today)
    if suffix is None:
        due = sum(1 for m in range(1, 13) if rules.payment_date(today.year, m) <= today.isoformat())
        suffix = _KEY_SUFFIX[today] = f"{today.year}-{today.month:02d}|{due}|{rules_version()}"
    return f"{SCAN_VERSION}|{version}|{suffix}"


_KEY_SUFFIX: dict[dt.date, str] = {}



def drafts(hh: Household, eng: Fast | Exact | None = None) -> list[PromptDraft]:
    """Every prompt of KINDS the household should have now."""
    eng = eng or engine(hh)
    hh.path = eng.name
    out: list[PromptDraft] = []
    at_projection: dict[str, Outcome] = {}
    for p in hh.usable():
        pr = p["projection"]
        if pr["projected"] == p["estimate"]:
            continue
        o = eng.at({p["role"]: pr["projected"]})
        at_projection[p["role"]] = o
        verdict = _judge(o)
        if verdict is None or (verdict["direction"] == "extra_payment"
                               and cautious_estimate(hh.snap, p["person"]["id"], p["estimate"])):
            continue
        # the band's ends only settle the toeslagen the household gets
        low = eng.at({p["role"]: pr["low"]}, applied_only=True)
        high = eng.at({p["role"]: pr["high"]}, applied_only=True)
        out.append(_drift_draft(hh, p, o, low, high, verdict))
    out.extend(_non_use_drafts(hh, eng, at_projection))
    near = _assets_near(hh, eng.sit if isinstance(eng, Fast) else situation.situation_on(hh.snap, hh.today, hh.year),
                        lambda t: _entitled_now(hh, eng, t))
    if near:
        now = eng.now()
        out.extend(_assets_draft(hh, n, now[n["toeslag"]]["per_year"]) for n in near)
    jan = january_draft(hh)
    if jan is not None:
        out.append(jan)
    return out


def _entitled_now(hh: Household, eng: Fast | Exact, t: str) -> bool:
    if eng.name == "fast":
        return bool(hh.latest[t]["entitled"])
    return bool(eng.now()[t]["entitled"])


def _judge(o: Outcome) -> dict | None:
    net = 0
    repay, lost = [], []
    for t in o.applied:
        s = o.settle[t]
        net += s
        if -s >= o.threshold[t]:
            repay.append(t)
        if o.entitled_now[t] and not o.after[t]["entitled"]:
            lost.append(t)
    if repay or lost:
        return {"direction": "repayment", "net": net, "repay": repay, "lost": lost}
    if net >= EXTRA_PAYMENT_LINE:
        return {"direction": "extra_payment", "net": net, "repay": [], "lost": []}
    return None


def _about(cents: int) -> str:
    """An income in text: rounded to € 100."""
    return euro((cents + 5_000) // 10_000 * 10_000, whole=True)


def _list_nl(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _drift_draft(hh: Household, p: dict, o: Outcome, low: Outcome, high: Outcome, verdict: dict) -> PromptDraft:
    pr = p["projection"]
    year = hh.year
    role = p["role"]
    repayment = verdict["direction"] == "repayment"
    through = month_name(pr["reported_months"])
    parts = {t: o.settle[t] for t in o.applied}
    higher = "hoger" if repayment else "lager"
    if role == "applicant":
        title = f"Je inkomen is {higher} dan geschat"
        seen = (f"Voor {year} rekenen we met een inkomen van {euro(p['estimate'], whole=True)}. Je loon tot en met "
                f"{through} wijst op ongeveer {_about(pr['projected'])}")
    else:
        name = p["person"]["given_name"]
        title = f"Het inkomen van {name} is {higher} dan geschat"
        seen = (f"Voor {year} rekenen we voor {name} met een inkomen van {euro(p['estimate'], whole=True)}. "
                f"Het loon van {name} tot en met {through} wijst op ongeveer {_about(pr['projected'])}")
    if pr["low"] != pr["high"]:
        seen += f" (tussen {_about(pr['low'])} en {_about(pr['high'])})"
    seen += "."
    net = verdict["net"]
    detail = _list_nl([f"{TOESLAG_NAMES[t].lower()} {euro(abs(s), whole=True)}" for t, s in parts.items()
                       if s and (s < 0) == (net < 0)])
    if repayment:
        cost = (f"Geef je dit niet door, dan moet je na afloop van {year} waarschijnlijk "
                f"{euro(-net, whole=True)} terugbetalen" if net < 0 else
                f"Geef je dit niet door, dan klopt je toeslag over {year} niet")
        cost += f" ({detail})." if detail and net < 0 else "."
        lost = [TOESLAG_NAMES[t].lower() for t in verdict["lost"]]
        if lost:
            cost += f" Met dit inkomen heb je geen recht meer op {_list_nl(lost)}."
        body = f"{seen} {cost} Check je inkomen, pas het aan en geef het door. Dan klopt je voorschot weer."
    else:
        body = (f"{seen} Geef je dit door, dan krijg je meer toeslag. Doe je niets, dan krijg je na afloop van "
                f"{year} waarschijnlijk {euro(net, whole=True)} terug" + (f" ({detail})." if detail else ".")
                + " Check je inkomen, pas het aan en geef het door.")
    data = {
        "year": year, "person": role, "person_id": p["person"]["id"],
        "reported_through": pr["reported_months"], "estimate": p["estimate"],
        "projected": pr["projected"], "low": pr["low"], "high": pr["high"],
        "year_to_date": pr["year_to_date"], "monthly_rate": pr["monthly_rate"],
        "holiday_allowance_expected": pr["holiday_allowance_expected"],
        "direction": verdict["direction"], "settlement": net,
        "settlement_if_low": sum(low.settle[t] for t in low.applied),
        "settlement_if_high": sum(high.settle[t] for t in high.applied),
        "toeslagen": [{
            "toeslag": t, "settlement": parts[t], "settlement_if_low": low.settle.get(t, 0),
            "settlement_if_high": high.settle.get(t, 0), "threshold": o.threshold[t],
            "high_repayment": t in verdict["repay"], "entitled_now": o.entitled_now[t],
            "entitled_projected": bool(o.after[t]["entitled"]),
        } for t in o.applied],
        "change": {"kind": "income", "date": hh.today.isoformat(), "person": role, "income": pr["projected"]},
    }
    return PromptDraft(kind="income_drift", toeslag="", subject=role,
                       fingerprint=f"{year}:{verdict['direction']}:{pr['projected']}", amount=net, title=title,
                       body=body, action="#/wijzigen/inkomen", data=data)


def _non_use_drafts(hh: Household, eng: Fast | Exact, at_projection: dict[str, Outcome]) -> list[PromptDraft]:
    if all(t in hh.applied for t in TOESLAGEN):
        return []
    incomes = {p["role"]: p["projection"]["projected"] for p in hh.usable()}
    if not incomes:
        res, basis = eng.now(), "estimate"
    else:
        o = at_projection.get(next(iter(incomes))) if len(incomes) == 1 else None
        if o is None and at_projection and _out_of_reach(hh, next(iter(at_projection.values())).after):
            return []
        res, basis = (o or eng.at(incomes)).after, "projection"
    out = []
    month = hh.today.month
    for t in TOESLAGEN:
        r = res[t]
        if t in hh.applied or not r["computed"] or not r["entitled"]:
            continue
        per_month = r["months"][month - 1] or max(r["months"])
        name = TOESLAG_NAMES[t].lower()
        why = ("Met je loon van dit jaar" if basis == "projection" else "Met de gegevens die we van je hebben")
        body = (f"{why} heb je misschien recht op {name}: ongeveer {euro(per_month, whole=True)} per maand, "
                f"{euro(r['per_year'], whole=True)} over heel {hh.year}. Je hebt {name} voor {hh.year} nog niet "
                f"aangevraagd. Vraag het aan, dan rekenen we het precies uit.")
        out.append(PromptDraft(
            kind="possible_non_use", toeslag=t, subject=t, fingerprint=f"{hh.year}:{t}", amount=r["per_year"],
            title=f"Je hebt misschien recht op {name}", body=body, action=f"#/aanvragen/{t}",
            data={"year": hh.year, "toeslag": t, "per_month": per_month, "per_year": r["per_year"],
                  "basis": basis}))
    return out


# Reasons (shared_rules' `reasons`) why a toeslag is not given that no income can change: a
# toeslag refused only for these is refused under every income, so the scan need not work out the
# household's other incomes to know it is not in reach.
NOT_BY_INCOME = frozenset(("no_children", "no_childcare", "no_rent", "no_qualifying_activity", "not_insured",
                           "under_18", "assets_above_limit", "rent_below_basishuur", "rent_above_limit",
                           "child_in_secondary_school"))


def _out_of_reach(hh: Household, after: dict) -> bool:
    """Every toeslag the household has not applied for is refused, under some income, only for
    reasons no income changes (NOT_BY_INCOME)."""
    for t in TOESLAGEN:
        if t in hh.applied:
            continue
        r = after[t]
        if r["computed"] and (r["entitled"] or not r["reasons"] or not NOT_BY_INCOME.issuperset(r["reasons"])):
            return False
    return True


def _assets_near(hh: Household, sit: dict, entitled: Any) -> list[dict]:
    """The toeslagen the household gets whose asset limit is at most ASSET_MARGIN_PCT away."""
    candidates = [t for t in ASSET_LIMITS if t in hh.applied]
    if not candidates:
        return []
    partner = sit.get("partner")
    together = sit["applicant"]["assets"] + (partner["assets"] if partner else 0)
    co = [c["assets"] for c in ((sit.get("home") or {}).get("co_residents") or [])]
    if not together and not any(co):
        return []
    try:
        params = for_year(hh.year)
    except shared_rules.InputError:
        return []
    out = []
    for t in candidates:
        name, single = ASSET_LIMITS[t]
        p = section(params, name)
        if p is None or not entitled(t):
            continue
        limit = p["asset_limit_partner" if partner else single] * 100
        found = None
        if limit - limit * ASSET_MARGIN_PCT // 100 <= together <= limit:
            found = {"toeslag": t, "assets": together, "limit": limit, "who": "household", "partner": bool(partner)}
        elif t == "huurtoeslag":
            per_person = p["asset_limit_person"] * 100
            for a in co:
                if per_person - per_person * ASSET_MARGIN_PCT // 100 <= a <= per_person:
                    found = {"toeslag": t, "assets": a, "limit": per_person, "who": "co_resident", "partner": False}
                    break
        if found is not None:
            out.append(found)
    return out


def _assets_draft(hh: Household, near: dict, at_stake: int) -> PromptDraft:
    t = near["toeslag"]
    name = TOESLAG_NAMES[t].lower()
    year = hh.year
    whose = {"household": "Jullie vermogen samen" if near["partner"] else "Je vermogen",
             "co_resident": "Het vermogen van iemand die bij je woont"}[near["who"]]
    body = (f"{whose} op 1 januari {year} is {euro(near['assets'], whole=True)}. De grens voor {name} is "
            f"{euro(near['limit'], whole=True)}. Is het vermogen ook maar 1 euro hoger dan de grens, dan krijg je "
            f"over heel {year} geen {name}. Dan betaal je {euro(at_stake, whole=True)} terug. "
            "Kijk goed of het bedrag klopt en geef het door als het anders is.")
    return PromptDraft(
        kind="assets_near_limit", toeslag=t, subject=str(year), fingerprint=f"{year}:{t}:{near['assets']}",
        amount=-at_stake, title=f"Je vermogen ligt dicht bij de grens voor {name}", body=body,
        action="#/wijzigen/inkomen",
        data={"year": year, "toeslag": t, "assets": near["assets"], "limit": near["limit"],
              "margin_pct": ASSET_MARGIN_PCT, "who": near["who"], "at_stake": at_stake})


def january_draft(hh: Household) -> PromptDraft | None:
    if hh.today.month != 1 or not hh.applied:
        return None
    year = hh.year
    lines = []
    persons = []
    for p in hh.persons:
        who = "je inkomen" if p["role"] == "applicant" else f"het inkomen van {p['person']['given_name']}"
        lines.append(f"{who} {euro(p['estimate'], whole=True)}")
        persons.append({"person": p["role"], "person_id": p["person"]["id"], "estimate": p["estimate"]})
    known = _list_nl(lines)
    body = (f"Het is een nieuw jaar. Je toeslagen voor {year} zijn berekend met deze schatting: {known}. "
            "Klopt dat nog? Kijk het na en geef een ander inkomen door als het niet klopt. "
            "Zo voorkom je dat je later moet terugbetalen.")
    return PromptDraft(kind="january_check", toeslag="", subject=str(year), fingerprint=str(year), amount=None,
                       title=f"Klopt je inkomen voor {year}?", body=body, action="#/wijzigen/inkomen",
                       data={"year": year, "persons": persons,
                             "toeslagen": [t for t in TOESLAGEN if t in hh.applied]})


def materiality(last: dict | None, draft: PromptDraft) -> int:
    """`raise_prompt` brings a dismissed prompt back when |amount| > |dismissed| + materiality: here
    when it grew by at least MATERIAL_CENTS and MATERIAL_PCT, or turned the other way (always)."""
    if last is None or last["amount"] is None or draft.amount is None:
        return 0
    was, now = last["amount"], draft.amount
    if (was < 0) != (now < 0):
        return -abs(was) - 1
    grow = max(MATERIAL_CENTS, -(-abs(was) * MATERIAL_PCT // 100))
    return grow - 1

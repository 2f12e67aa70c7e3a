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

Two engines give the same numbers. `Exact` runs `shared_rules.preview` as POST /api/changes/preview
does (any household). `Fast` serves a year with one situation whose voorschot decisions were made
with the current rules (nearly every household): there a preview's `after` is `calculate()` of the
changed situation and the schedule it settles against is the decision in force, so one
`calculate()` per income replaces a preview (about 5× cheaper). That rests on one invariant: every
change of a household's situation records new voorschot decisions (POST /api/changes and
/api/applications do). The tests run both engines on the same households and require identical
prompts."""

from __future__ import annotations

import datetime as dt
from typing import Any

import shared_rules
from shared_rules.params import for_year, section
from shared_rules import situation as rules_situation
from shared_rules.projection import project
from shared_rules.version import rules_version
from shared_rules.voorschot import HIGH_REPAYMENT, calculate_parsed

from .. import rules
from ..household import situation
from ..prompts.service import PromptDraft
from ..util import TOESLAG_NAMES, TOESLAGEN, effective_month, euro, month_name

KINDS = ("income_drift", "assets_near_limit", "january_check", "possible_non_use")
ROLES = ("applicant", "partner")

MIN_REPORTED_MONTHS = 3
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


class Household:
    """One household on `today`: the rows the store gave (the `households.load` shape plus
    `decisions`, `payments`, `wages`, `prompts`, `cautious`), and what follows from them."""

    def __init__(self, snap: dict, today: dt.date):
        self.snap = snap
        self.id = snap["household"]["id"]
        self.today = today
        self.year = today.year
        self.applied = situation.applied(snap, self.year)
        self.latest = situation.latest_decisions(snap["decisions"])
        self._timeline = None
        self._paid = None
        self._change_sit = None
        self._persons = None
        self._fast = None                # Fast.eligible(self), once
        self.path = None                 # the engine drafts() used: "fast" or "exact"

    @property
    def timeline(self) -> list[dict]:
        if self._timeline is None:
            self._timeline = situation.timeline(self.snap, self.year)
        return self._timeline

    @property
    def paid(self) -> dict:
        if self._paid is None:
            self._paid = situation.paid_lists(self.snap["decisions"], self.snap["payments"], self.year, self.today)
        return self._paid

    def base_input(self) -> dict:
        """The preview input of what is known now, with the voorzichtig voorschot choices in force."""
        out = {"today": self.today.isoformat(), "timeline": self.timeline, "paid": self.paid}
        chosen = situation.cautious_in_force(self.snap, self.year)
        if chosen:
            out["cautious"] = chosen
        return out

    def needs_months(self) -> bool:
        """The month rows of the decisions in force are needed (a batch read leaves them out): for the
        exact engine, and for the months paid when payments are recorded."""
        return bool(self.snap["payments"]) or not self.fast()

    def fast(self) -> bool:
        """Fast.eligible for this household (asked by the batch read and by engine())."""
        if self._fast is None:
            self._fast = Fast.eligible(self)
        return self._fast

    def change_situation(self) -> dict:
        """The situation a change made today starts from (as POST /api/changes/preview builds it)."""
        if self._change_sit is None:
            ey, em = effective_month(self.today)
            on = dt.date(ey, em, 1) if ey == self.year else self.today
            self._change_sit = situation.situation_on(self.snap, on, self.year)
        return self._change_sit

    def change_input(self, incomes: dict[str, int]) -> dict:
        return {**self.base_input(),
                "change": {"date": self.today.isoformat(), "situation": with_incomes(self.change_situation(), incomes)}}

    @property
    def persons(self) -> list[dict]:
        if self._persons is None:
            self._persons = person_projections(self.snap, self.today)
        return self._persons

    def usable(self) -> list[dict]:
        """Persons with a projection to act on."""
        return [p for p in self.persons if p["usable"]]


def with_incomes(sit: dict, incomes: dict[str, int]) -> dict:
    out = dict(sit)
    for role, income in incomes.items():
        if out.get(role) is not None:
            out[role] = {**out[role], "income": income}
    return out


def cautious_estimate(snap: dict, person_id: str, estimate: int) -> bool:
    """The person's estimate is one the household chose on purpose at the high end of the band
    (and has not changed since): the scan does not suggest lowering it."""
    return any(c["mode"] == "band_high" and c["person_id"] == person_id and c["income"] == estimate
               for c in snap.get("cautious", []))


def wage_months(wage_rows: list[tuple], person_id: str) -> list[list[int] | None]:
    """The 12 months of one person as shared_rules.projection.project takes them: None (no report)
    or [regular, holiday allowance, one-off], every income source's report added up."""
    months: list[list[int] | None] = [None] * 12
    for _, pid, month, wages, holiday, one_off in wage_rows:
        if pid != person_id:
            continue
        i = (ord(month[5]) - 48) * 10 + ord(month[6]) - 49
        m = months[i]
        if m is None:
            months[i] = [wages or 0, holiday or 0, one_off or 0]
        else:
            m[0] += wages or 0
            m[1] += holiday or 0
            m[2] += one_off or 0
    return months


def person_projections(snap: dict, today: dt.date) -> list[dict]:
    """Applicant and partner (members today): estimate, reported months and projection."""
    year = today.year
    members = situation.members_on(snap, today)
    out = []
    for role in ROLES:
        p = next((m for m in members if m["role"] == role), None)
        if p is None:
            continue
        income, assets = situation.estimate(snap, p["id"], year)
        months = wage_months(snap["wages"], p["id"])
        # the store's wage rows are whole cents 0 or more (feed validation), so no second check
        pr = project(months) if any(m is not None for m in months) else None
        out.append({"role": role, "person": p, "estimate": income, "assets": assets, "months": months,
                    "projection": pr,
                    "usable": pr is not None and pr["reported_months"] >= MIN_REPORTED_MONTHS})
    return out


def scan_key(version: int, today: dt.date) -> str:
    """What the scan's answer depends on: the household's data version (bumped by every change and
    every feed report), the month (January; months paid) and the rules."""
    suffix = _KEY_SUFFIX.get(today)
    if suffix is None:
        due = sum(1 for m in range(1, 13) if rules.payment_date(today.year, m) <= today.isoformat())
        suffix = _KEY_SUFFIX[today] = f"{today.year}-{today.month:02d}|{due}|{rules_version()}"
    return f"{SCAN_VERSION}|{version}|{suffix}"


_KEY_SUFFIX: dict[dt.date, str] = {}


# -- two engines, one answer ---------------------------------------------------------------------

class Outcome:
    """The year under some income(s): per toeslag the result (`computed`, `entitled`, `per_year`,
    `months`), and for the toeslagen the household gets: the expected settlement when nothing is passed
    on (positive: paid out), its high-repayment line, and whether it is entitled now."""
    __slots__ = ("after", "applied", "settle", "threshold", "entitled_now")

    def __init__(self, after: dict, applied: list[str], settle: dict, threshold: dict, entitled_now: dict):
        self.after = after
        self.applied = applied
        self.settle = settle
        self.threshold = threshold
        self.entitled_now = entitled_now


class Exact:
    """shared_rules.preview, as POST /api/changes/preview computes it: any household."""
    name = "exact"

    def __init__(self, hh: Household):
        self.hh = hh
        self._base = None

    def base(self) -> dict:
        if self._base is None:
            self._base = rules.preview(self.hh.base_input())["toeslagen"]
        return self._base

    def at(self, incomes: dict[str, int], applied_only: bool = False) -> Outcome:
        """`applied_only` is for the Fast engine's sake (a preview always has every toeslag)."""
        hh = self.hh
        pv = rules.preview(hh.change_input(incomes))["toeslagen"]
        applied = [t for t in TOESLAGEN if t in hh.applied and pv[t]["computed"]]
        return Outcome({t: pv[t]["after"] for t in TOESLAGEN}, applied,
                       {t: pv[t]["settlement_unchanged"] for t in applied},
                       {t: pv[t]["threshold"] for t in applied},
                       {t: bool(pv[t]["before"]["entitled"]) for t in applied})

    def now(self) -> dict:
        """The year under the current estimates (the `before` of a preview)."""
        return {t: r["before"] for t, r in self.base().items()}


class Fast:
    """For a year with one situation whose voorschot decisions were made with these rules: a preview's
    `after` is calculate() of the changed situation (12 equal months), and the schedule the preview
    compares with is the decision in force. One calculate() per income instead of a preview; the same
    amounts (tests/api/test_income.py compares both engines)."""
    name = "fast"

    def __init__(self, hh: Household):
        self.hh = hh
        self.sit = hh.timeline[0]["situation"]
        self._parsed = None
        self._calc: dict = {}
        self._schedule = None

    @staticmethod
    def eligible(hh: Household) -> bool:
        rv = rules_version()
        for t in hh.applied:
            d = hh.latest.get(t)
            if d is None or d["rules_version"] != rv or months_count(d) != 12:
                return False
        if len(hh.timeline) != 1:
            return False
        if effective_month(hh.today)[0] != hh.year and hh.change_situation() != hh.timeline[0]["situation"]:
            return False  # a change in December counts from next year: its situation may differ
        return True

    def calc(self, incomes: dict[str, int], only: frozenset | None = None) -> dict:
        """calculate() of the year's situation with these incomes (of the toeslagen in `only`, or all);
        the situation is parsed once per household (shared_rules.situation.with_incomes gives the same
        answers as a new dict)."""
        key = (tuple(sorted(incomes.items())), only)
        res = self._calc.get(key) or self._calc.get((key[0], None))
        if res is None:
            if self._parsed is None:
                self._parsed = rules_situation.parse(self.sit)
            s = rules_situation.with_incomes(self._parsed, incomes) if incomes else self._parsed
            res = calculate_parsed(s, explain=False, only=only)["toeslagen"]
            self._calc[key] = res
        return res

    def schedule(self) -> dict[str, int]:
        """Per toeslag the household gets: what the year pays, months paid (payments, corrections)
        and the decision's voorschot for the others."""
        if self._schedule is None:
            hh = self.hh
            out = {}
            for t in hh.applied:
                d = hh.latest[t]
                if hh.snap["payments"]:
                    sched = [0] * 12
                    for m in d["months"]:
                        sched[m["month"] - 1] = m["voorschot"]
                    paid = hh.paid[t]
                    out[t] = sum(paid[m] if paid[m] is not None else sched[m] for m in range(12))
                else:
                    out[t] = scheduled_total(d)
            self._schedule = out
        return self._schedule

    def at(self, incomes: dict[str, int], applied_only: bool = False) -> Outcome:
        hh = self.hh
        res = self.calc(incomes, frozenset(hh.applied) if applied_only else None)
        sched = self.schedule()
        applied = [t for t in TOESLAGEN if t in hh.applied and res[t]["computed"]]
        return Outcome(res, applied, {t: res[t]["per_year"] - sched[t] for t in applied},
                       {t: HIGH_REPAYMENT[t] for t in applied},
                       {t: bool(hh.latest[t]["entitled"]) for t in applied})

    def now(self) -> dict:
        return self.calc({})


def months_count(decision: dict) -> int:
    """How many months the decision schedules (12 for a decision of a whole year)."""
    months = decision.get("months")
    return decision["months_count"] if months is None else len(months)


def scheduled_total(decision: dict) -> int:
    """The voorschot the decision schedules over the year (its months, or the batch read's sum)."""
    months = decision.get("months")
    return decision["voorschot_total"] if months is None else sum(m["voorschot"] for m in months)


def engine(hh: Household):
    return Fast(hh) if hh.fast() else Exact(hh)


def drafts(hh: Household, eng=None) -> list[PromptDraft]:
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
    near = _assets_near(hh, situation.situation_on(hh.snap, hh.today, hh.year) if eng.name == "exact" else eng.sit,
                        lambda t: _entitled_now(hh, eng, t))
    if near:
        now = eng.now()
        out.extend(_assets_draft(hh, n, now[n["toeslag"]]["per_year"]) for n in near)
    jan = january_draft(hh)
    if jan is not None:
        out.append(jan)
    return out


def _entitled_now(hh: Household, eng, t: str) -> bool:
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


def _non_use_drafts(hh: Household, eng, at_projection: dict[str, Outcome]) -> list[PromptDraft]:
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

"""The household the income scan looks at (`Household`: the store's rows and what follows from them,
the persons' projections), and the two engines that give the year's amounts under some income(s).

Two engines give the same numbers. `Exact` runs `shared_rules.preview` as POST /api/changes/preview
does (any household). `Fast` serves a year with one situation whose voorschot decisions were made
with the current rules (nearly every household): there a preview's `after` is `calculate()` of the
changed situation and the schedule it settles against is the decision in force, so one
`calculate()` per income replaces a preview (about 5× cheaper). That rests on one invariant: every
change of a household's situation records new voorschot decisions (POST /api/changes and
/api/applications do). The tests run both engines on the same households and require identical
prompts (the prompts themselves: `evaluate.py`)."""

from __future__ import annotations

import datetime as dt

from shared_rules import situation as rules_situation
from shared_rules.projection import project
from shared_rules.version import rules_version
from shared_rules.voorschot import HIGH_REPAYMENT, calculate_parsed

from .. import rules
from ..household import situation
from ..util import TOESLAGEN, effective_month

ROLES = ("applicant", "partner")
MIN_REPORTED_MONTHS = 3              # the projection is used from the 3rd reported month on (evaluate.py)


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
        self._timeline: list[dict] | None = None
        self._paid: dict | None = None
        self._change_sit: dict | None = None
        self._persons: list[dict] | None = None
        self._fast: bool | None = None   # Fast.eligible(self), once
        self.path: str | None = None     # the engine drafts() used: "fast" or "exact"

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



# -- two engines, one answer ---------------------------------------------------------------------

class Outcome:
    """The year under some income(s): per toeslag the result (`computed`, `entitled`, `per_year`,
    `months`), and for the toeslagen the household gets: the expected settlement when nothing is passed
    on (positive: paid out), its high-repayment line, and whether it is entitled now."""
    __slots__ = ("after", "applied", "entitled_now", "settle", "threshold")

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
        self._base: dict | None = None

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
        self._schedule: dict[str, int] | None = None

    @staticmethod
    def eligible(hh: Household) -> bool:
        rv = rules_version()
        for t in hh.applied:
            d = hh.latest.get(t)
            if d is None or d["rules_version"] != rv or months_count(d) != 12:
                return False
        if len(hh.timeline) != 1:
            return False
        # a change in December counts from next year: its situation may differ
        return not (effective_month(hh.today)[0] != hh.year and hh.change_situation() != hh.timeline[0]["situation"])

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


def engine(hh: Household) -> Fast | Exact:
    return Fast(hh) if hh.fast() else Exact(hh)

"""Childcare hours compared: what the kinderopvangorganisatie reported next to what the parent estimated.

Pure of HTTP and of the use cases (those are `service.py`): the comparison, the adoption options,
the prompt card and `refresh` (run by the feed and after each change, inside the caller's transaction).

The comparison (GET /api/childcare), per contract and month of the current year:
- *estimated*: the hours and hourly rate the toeslag is based on now (the contract's terms on the 1st
  of the month, Awir art. 5);
- *reported*: the newest report of the organisation for that month (replaced reports are kept and
  shown as `earlier`); a report the parent marked as wrong ("Klopt niet") does not count;
- *projected*: for the months after the last report, the average of the recent reported months
  (at most `RECENT` = 3; hours and rate each rounded half up) — "if nothing changes";
- the kinderopvangtoeslag of the household for the month, computed by `shared_rules.preview` for the
  household's timeline with the estimated figures and again with every contract's reported/projected
  figures; per contract its PART of each (shared_rules `parts`, kinderopvangtoeslag.split: the
  month rounded once, the parts add up to it, and a child's part does not move when only another
  child's figures change, except the last child in the law's order, which takes the rounding);
  the difference per month, the running total, and the total at year end. The contracts' totals add
  up to the household's total ("Alle opvang samen").

When does the difference matter? The agency calls a kinderopvangtoeslag repayment of € 1.000 or more
*hoog* (shared_rules `threshold`, 100 000 cents). The card "Je kinderopvang gaf andere uren door" is
raised for a contract when all of these hold:
1. the household gets kinderopvangtoeslag this year (no voorschot, nothing to repay);
2. |year-end total| >= `MIN_YEAR_END` = 10 000 cents (€ 100): what the parent repays or gets at the
   final settlement if nothing changes. Below € 100 a tap costs more attention than it saves; one
   extra day of dagopvang a month (about 10 hours, ≈ € 100 of toeslag) stays under it;
3. |pace| >= `MIN_PACE` = 25 000 cents (€ 250) a year: the average difference of the recent reported
   months (the same ones the projection averages) times 12, a quarter of the € 1.000 line. At that
   pace the difference is a pattern, not a one-off: about 2 hours a month at € 10 an hour and 96 %
   toeslag (the issue's "2–3 hours a week too many" is ≈ € 1.000–1.500 a year). A single odd month
   earlier in the year does not keep the card up on its own; a new pattern shows after one report.
A dismissed card comes back only when the year-end total grew by more than `REPROMPT_GROWTH`
(€ 100). The card is resolved when the difference drops under the threshold (a new report), when
the parent adopts the figures, or marks a report as wrong; an undo recomputes it.

Adopting ("Neem over") is a normal change (source "kinderopvang") through household/recalc.py: new terms
from `from_month` on, a voorschot decision per applied toeslag, an event with before/after amounts.
The preview is the same shared_rules.preview call as /api/changes/preview: one `change` situation
from the 1st of `from_month` on. That is why an adoption has one set of figures: `reported` = the
figures reported for `from_month`, `average` = the recent average. Single months can be set with
"correct". An adoption can be undone in the calendar month it was made in (a new change that puts
the previous figures back; history is never deleted)."""

from __future__ import annotations

import datetime as dt

from shared_rules.params import for_year, section

from .. import rules
from ..household import situation
from ..util import euro, month_name
from ..web.problems import Problem
from . import schemas as s

MIN_YEAR_END = 10_000        # € 100 at year end, if nothing changes
MIN_PACE = 25_000            # € 250 a year at the pace of the recent reported months: ¼ of the € 1.000 line
HIGH_REPAYMENT = 100_000     # the agency's line for kinderopvangtoeslag (shared_rules preview `threshold`)
RECENT = 3                   # months in the average

PROMPT_KIND = "childcare_hours"
TOESLAG = "kinderopvangtoeslag"

# -- small helpers --------------------------------------------------------------------------------

def _first(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _ym(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _month_nl(ym: str) -> str:
    return f"{month_name(int(ym[5:]))} {ym[:4]}"


def _months_nl(yms: list[str]) -> str:
    names = [month_name(int(m[5:])) for m in yms]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " en " + names[-1]


def _avg(values: list[int]) -> int:
    """Mean of non-negative whole numbers, rounded half up."""
    n = len(values)
    return (2 * sum(values) + n) // (2 * n)


def _figures_text(h: int, r: int) -> str:
    return f"{h} uur per maand, {euro(r)} per uur"


def _active(state: dict, contract: dict, day: dt.date) -> bool:
    """The contract counts in the situation of the month that starts on `day` (Awir art. 5)."""
    if not any(c["id"] == contract["id"] for c in situation.contracts_on(state, day)):
        return False
    return any(k["id"] == contract["child_id"] for k in situation.children_on(state, day))


def _figures(state: dict, contract_id: str, day: dt.date) -> tuple[int, int] | None:
    t = situation.terms_on(state, contract_id, day)
    return None if t is None else (t["hours_per_month"], t["hourly_rate"])


def _with_terms(state: dict, contract: dict, writes: list[tuple[str, int, int]]) -> dict:
    """A copy of `state` with extra terms for `contract` (as if stored now, after all existing ones)."""
    terms = list(state["terms"])
    next_id = max((t["id"] for t in terms), default=0) + 1
    for valid_from, h, r in writes:
        terms.append({"id": next_id, "contract_id": contract["id"], "valid_from": valid_from,
                      "hours_per_month": h, "hourly_rate": r, "created_at": ""})
        next_id += 1
    terms.sort(key=lambda t: (t["contract_id"], t["valid_from"], t["id"]))  # as the store orders them
    return {**state, "terms": terms}


def plan_terms(state: dict, contract: dict, desired: dict[str, tuple[int, int]]) -> list[tuple[str, int, int]]:
    """The fewest new terms so that the figures on each date in `desired` ('YYYY-MM-01' → (hours, rate))
    are the desired ones. Later existing terms are overridden only where they differ."""
    writes: list[tuple[str, int, int]] = []
    current = state
    for day in sorted(desired):
        want = desired[day]
        if _figures(current, contract["id"], dt.date.fromisoformat(day)) != want:
            writes.append((max(day, contract["start_date"]), want[0], want[1]))
            current = _with_terms(state, contract, writes)
    return writes


def max_hours(year: int) -> int | None:
    """Hours per child per month the kinderopvangtoeslag counts at most (a shared_rules parameter), or
    None for a year without parameters."""
    try:
        return section(for_year(year), "KINDEROPVANGTOESLAG")["max_hours"]
    except (rules.InputError, TypeError, KeyError):
        return None


def _no_rules(year: int) -> Problem:
    return Problem(503, "no-rules-for-year", "Nog niet beschikbaar",
                   f"De berekening voor {year} is nog niet beschikbaar.")


def _kot_months(state: dict, year: int, today: dt.date) -> tuple[list[int], dict[str, list[int]], str]:
    """Kinderopvangtoeslag per month for the household's timeline, by shared_rules.preview, and each
    contract's part of every month as shared_rules divides it (`parts`, kinderopvangtoeslag.split:
    the parts add up to the month; never re-added or re-rounded here)."""
    try:
        pv = rules.preview({"today": today.isoformat(), "timeline": situation.timeline(state, year)})
    except rules.InputError as e:
        if "year" in str(getattr(e, "field", "")):
            raise _no_rules(year) from None
        raise
    kot = pv["toeslagen"][TOESLAG]
    if kot.get("computed") is False:
        raise _no_rules(year)
    before = kot["before"]
    parts: dict[str, list[int]] = {}
    for m in range(12):
        ids = rules.changes.contracts_in_order(state, _first(year, m + 1).isoformat())
        for k, cid in enumerate(ids):
            parts.setdefault(cid, [0] * 12)[m] += before["parts"][m][k]
    return list(before["months"]), parts, pv["rules_version"]


# -- the comparison -------------------------------------------------------------------------------

class _Contract:
    """Working data for one contract while comparing."""

    def __init__(self, contract: dict):
        self.c = contract
        self.rows: list[dict] = []
        self.actual: dict[str, tuple[int, int]] = {}   # 'YYYY-MM-01' → figures (reported or projected)
        self.counted: list[dict] = []                  # reported rows that count, by month
        self.average: s.Average | None = None


def _build(state: dict, c: dict, months: dict[str, list[dict]], disputed: dict[int, dict], year: int) -> _Contract:
    """One contract's rows for the 12 months: estimate, newest report (and the ones it replaced), basis;
    the reported months that count, their recent average and the projection after the last report."""
    w = _Contract(c)
    for m in range(1, 13):
        ym = _ym(year, m)
        day = _first(year, m)
        active = _active(state, c, day)
        est = _figures(state, c["id"], day) if active else None
        rep = None
        found = months.get(ym, [])
        current = next((r for r in found if r["replaced_by"] is None), None)
        if current is not None:
            d = disputed.get(current["id"])
            rep = s.ReportedFigures(
                id=current["id"], hours=current["hours"], hourly_rate=current["hourly_rate"],
                received_at=current["received_at"], status="disputed" if d else "current",
                dispute_reason=d["reason"] if d else None,
                earlier=[s.EarlierReport(id=r["id"], hours=r["hours"], hourly_rate=r["hourly_rate"],
                                         received_at=r["received_at"], disputed=r["id"] in disputed)
                         for r in found if r["id"] != current["id"]])
        if not active:
            basis = "inactive"
        elif rep is None:
            basis = "estimate"
        elif rep.status == "disputed":
            basis = "disputed"
        else:
            basis = "reported"
        row: dict = {"month": ym, "active": active, "basis": basis, "estimated": est, "reported": rep,
                     "projected": None}
        if rep is not None and basis == "reported":  # basis "reported" means rep is there
            w.actual[day.isoformat()] = (rep.hours, rep.hourly_rate)
            w.counted.append(row)
        w.rows.append(row)
    if w.counted:
        recent = w.counted[-RECENT:]
        w.average = s.Average(hours=_avg([r["reported"].hours for r in recent]),
                              hourly_rate=_avg([r["reported"].hourly_rate for r in recent]),
                              months=[r["month"] for r in recent])
        last = w.counted[-1]["month"]
        for row in w.rows:
            if row["month"] > last and row["basis"] == "estimate":
                row["basis"] = "projected"
                row["projected"] = (w.average.hours, w.average.hourly_rate)
                w.actual[f"{row['month']}-01"] = row["projected"]
    return w


def _reports_by_month(reports: list[dict]) -> dict[str, dict[str, list[dict]]]:
    out: dict[str, dict[str, list[dict]]] = {}
    for r in reports:  # oldest first
        if r["contract_id"] is not None:
            out.setdefault(r["contract_id"], {}).setdefault(r["month"], []).append(r)
    return out


def compare(state: dict, reports: list[dict], disputes: list[dict], year: int, today: dt.date,
            *, with_options: bool = True) -> tuple[s.Total, list[s.ContractComparison], str]:
    """The comparison of every contract of the household in `year`. Pure: no store access."""
    disputed = {d["report_id"]: d for d in disputes}
    persons = {p["id"]: p for p in state["persons"]}
    by_contract = _reports_by_month(reports)
    base, base_parts, version = _kot_months(state, year, today)
    applied = TOESLAG in situation.applied(state, year)

    work = [_build(state, c, by_contract.get(c["id"], {}), disputed, year) for c in state["contracts"]
            if c["start_date"] <= f"{year}-12-31" and (c["end_date"] is None or c["end_date"] >= f"{year}-01-01")]

    # One comparison for all contracts at once: the household's kinderopvangtoeslag with every
    # contract's reported (or projected) figures, next to the estimate. Each contract's difference is
    # its part of that (shared_rules `parts`), so the contracts add up to the total and one child's
    # difference does not move when only another child's figures change (kinderopvangtoeslag.split).
    variant = state
    for w in work:
        if not w.actual:
            continue
        # a term for every active month (the estimate where nothing was reported), so reported figures
        # never carry over into a month without a report of its own
        writes = []
        for row in w.rows:
            day = f"{row['month']}-01"
            figures = w.actual.get(day) or row["estimated"]
            if row["active"] and figures is not None:
                writes.append((day, figures[0], figures[1]))
        variant = _with_terms(variant, w.c, writes)
    if variant is state:
        together, together_parts = list(base), base_parts
    else:
        together, together_parts, _ = _kot_months(variant, year, today)
    none = [0] * 12

    out: list[s.ContractComparison] = []
    for w in work:
        estimated = base_parts.get(w.c["id"], none)
        actual = together_parts.get(w.c["id"], none)
        running = 0
        rows = []
        so_far = rest = 0
        for i, row in enumerate(w.rows):
            diff = actual[i] - estimated[i]
            running += diff
            if row["basis"] == "reported":
                so_far += diff
            elif row["basis"] == "projected":
                rest += diff
            est, proj = row["estimated"], row["projected"]
            other = (row["reported"].hours if row["basis"] == "reported" else proj[0] if proj else None)
            rows.append(s.MonthComparison(
                month=row["month"], active=row["active"], basis=row["basis"],
                estimated=s.Figures(hours=est[0], hourly_rate=est[1]) if est else None,
                reported=row["reported"],
                projected=s.Figures(hours=proj[0], hourly_rate=proj[1]) if proj else None,
                difference_hours=(other - est[0]) if (other is not None and est) else None,
                toeslag_estimated=estimated[i], toeslag_actual=actual[i], difference=diff,
                running_total=running))
        total = so_far + rest
        # the pace of the recent reported months (the ones the projection averages), over a whole year
        recent = set(w.average.months) if w.average else set()
        n = len(recent)
        recent_sum = sum(r.difference for r in rows if r.month in recent)
        pace = 0 if n == 0 else (1 if recent_sum >= 0 else -1) * ((2 * abs(recent_sum) * 12 + n) // (2 * n))
        matters = (applied and n > 0 and abs(total) >= MIN_YEAR_END and abs(recent_sum) * 12 >= MIN_PACE * n)
        child = persons.get(w.c["child_id"], {})
        out.append(s.ContractComparison(
            contract_id=w.c["id"], child_id=w.c["child_id"], child_name=child.get("given_name", ""),
            kind=w.c["kind"], organisation=w.c.get("organisation_name", ""), location_name=w.c["location_name"],
            lrk_number=w.c["lrk_number"], start_date=w.c["start_date"], end_date=w.c["end_date"],
            months=rows, average=w.average,
            year_end=s.YearEnd(reported_so_far=so_far, projected_rest=rest, total=total,
                               reported_months=len(w.counted),
                               pace_per_year=pace, direction="repay" if total < 0 else "receive" if total > 0 else "none",
                               matters=matters, text=_year_end_text(total)),
            prompt_id=None,
            adopt_options=_options(state, w, year) if with_options else [],
            adoptions=[]))
    tot_so_far = tot_rest = 0
    for i in range(12):
        bases = {w.rows[i]["basis"] for w in work}
        d = together[i] - base[i]
        if "reported" in bases:
            tot_so_far += d
        else:
            tot_rest += d
    overall = s.Total(months=[together[i] - base[i] for i in range(12)], reported_so_far=tot_so_far,
                      projected_rest=tot_rest, total=tot_so_far + tot_rest)
    return overall, out, version


def _year_end_text(total: int) -> str:
    if total < 0:
        return (f"Als je niets doet, moet je aan het eind van het jaar ongeveer {euro(-total, whole=True)} "
                "terugbetalen.")
    if total > 0:
        return f"Als je niets doet, krijg je aan het eind van het jaar ongeveer {euro(total, whole=True)} extra."
    return "Er is geen verschil met de uren die je hebt opgegeven."


def _adoption_figures(w: _Contract, mode: str, from_ym: str) -> tuple[tuple[int, int], list[dict]] | None:
    """(figures, reported rows they come from) for an adoption, or None when there is nothing to adopt."""
    if mode == "reported":
        row = next((r for r in w.counted if r["month"] == from_ym), None)
        if row is None:
            return None
        return (row["reported"].hours, row["reported"].hourly_rate), [row]
    if w.average is None:
        return None
    rows = [r for r in w.counted if r["month"] in w.average.months]
    return (w.average.hours, w.average.hourly_rate), rows


def _desired_from(state: dict, contract: dict, year: int, from_m: int, figures: tuple[int, int]) -> dict:
    return {_first(year, m).isoformat(): figures for m in range(from_m, 13)
            if _active(state, contract, _first(year, m))}


def _option_text(mode: str, figures: tuple[int, int], based_on: list[str], from_ym: str) -> str:
    if mode == "reported":
        return (f"De uren die je kinderopvang doorgaf voor {_month_nl(from_ym)}: {_figures_text(*figures)}, "
                f"vanaf {_month_nl(from_ym)}.")
    return (f"Het gemiddelde van {_months_nl(based_on)}: {_figures_text(*figures)}, vanaf {_month_nl(from_ym)}.")


def _options(state: dict, w: _Contract, year: int) -> list[s.AdoptOption]:
    """The two suggested adoptions: `reported` from the newest reported month, `average` from the
    first month of the average (then the averaged months together come out about even)."""
    if not w.counted or w.average is None:  # reported months that count always have an average
        return []
    out: list[s.AdoptOption] = []
    suggested: tuple[tuple[s.Mode, str], ...] = (("reported", w.counted[-1]["month"]),
                                                 ("average", w.average.months[0]))
    for mode, from_ym in suggested:
        got = _adoption_figures(w, mode, from_ym)
        if got is None:
            continue
        figures, rows = got
        desired = _desired_from(state, w.c, year, int(from_ym[5:]), figures)
        writes = plan_terms(state, w.c, desired)
        if not writes:
            continue
        after = _with_terms(state, w.c, writes)
        # the whole year after adopting, as the decision will see it (shared_rules.changes.timeline)
        change = {"date": f"{from_ym}-01", "timeline": situation.timeline(after, year)}
        based = [r["month"] for r in rows]
        if any(o.from_month == from_ym and (o.hours, o.hourly_rate) == figures for o in out):
            continue  # one reported month: its average is the same offer
        out.append(s.AdoptOption(mode=mode, from_month=from_ym, hours=figures[0], hourly_rate=figures[1],
                                 based_on=based, text=_option_text(mode, figures, based, from_ym), change=change))
    return out

"""Income: GET /api/income and the cautious voorschot (preview and choice). The drift scan of one
household lives in scan.py.

**Cautious voorschot, stored honestly.** Two ways, both chosen by the household:
- `band_high`: the income estimate of every person with a projection becomes the high end of the
  band. That is an ordinary income change (POST /api/changes semantics: event, new decisions, months
  already paid settled now); a row in `income_cautious` remembers it was chosen on purpose, so the
  scan does not suggest lowering the estimate again while it is unchanged.
- `percentage`: the voorschot of each toeslag the household gets is lowered by the percentage from
  the first month not paid yet. The entitlement does not change: the new decision records per month
  the entitlement *and* the lowered voorschot (decision_months); months already paid stay as paid and
  the difference is paid out at the definitive settlement after the year. A row per toeslag in
  `income_cautious` (with its first month) keeps the choice **in force through every later
  recalculation** (a change, an application, adopted childcare hours): those pass it to
  shared_rules.preview as `cautious`, which lowers the new schedule too and settles months paid under
  the choice to the lowered amount. It ends when the household stops it (`mode: "stop"`: the normal
  voorschot again, and what was held back over the months already paid is paid out now) or chooses
  another percentage.
"""

from __future__ import annotations

from litestar import Response
from sqlite_utils import Database

from .. import rules
from ..changes import schemas as cs
from ..changes.service import ChangeService
from ..household import situation, voorschot
from ..settings import Settings
from ..store import Store
from ..store import events as events_store
from ..store import households as households_store
from ..store import income as income_store
from ..util import TOESLAG_NAMES, TOESLAGEN, euro, iso, month_name
from ..web import idempotency
from ..web.problems import invalid, not_found
from . import engines
from . import schemas as s
from .scan import scan_hook, scan_in, snapshot


def _first_unpaid(paid: dict) -> int | None:
    for m in range(12):
        if all(paid[t][m] is None for t in TOESLAGEN):
            return m + 1
    return None


class IncomeService:
    def __init__(self, store: Store, settings: Settings, changes: ChangeService):
        self.store = store
        self.settings = settings
        self.changes = changes

    def after_change(self, db: Database, household_id: str) -> None:
        """The hook household/recalc.py runs after every recalculation (api/app.py registers it):
        the household's prompts follow the change."""
        scan_hook(db, self.settings, household_id)

    # -- GET /api/income ------------------------------------------------------------------------
    def overview(self, household_id: str) -> s.IncomeOut:
        today = self.settings.today_date()
        with self.store.read() as db:
            snap = snapshot(db, household_id, today)
        if snap is None:
            raise not_found()
        year = today.year
        persons = []
        for p in engines.person_projections(snap, today):
            months = [None if m is None else s.WageMonth(month=f"{year}-{i + 1:02d}", wages=m[0],
                                                         holiday_allowance=m[1], one_off=m[2])
                      for i, m in enumerate(p["months"])]
            pr = p["projection"]
            persons.append(s.PersonIncome(
                person=p["role"], person_id=p["person"]["id"], given_name=p["person"]["given_name"],
                estimate=p["estimate"], months=months, projection=s.Projection(**pr) if pr else None,
                usable=p["usable"]))
        active = situation.cautious_percentages(snap, year)
        estimates = {p.person_id: p.estimate for p in persons}
        cautious = [s.CautiousOut(
            mode=c["mode"], toeslag=c["toeslag"] or None, percentage=c["percentage"], chosen_at=c["chosen_at"],
            from_month=c["from_month"], ended_at=c["ended_at"],
            active=(active.get(c["toeslag"]) is c) if c["mode"] == "percentage"
            else estimates.get(c["person_id"]) == c["income"]) for c in snap["cautious"]]
        return s.IncomeOut(year=year, today=today.isoformat(), min_reported_months=engines.MIN_REPORTED_MONTHS,
                           persons=persons, cautious=cautious)

    # -- cautious voorschot ---------------------------------------------------------------------
    def _check(self, req: s.CautiousRequest) -> None:
        if req.mode == "percentage" and req.percentage is None:
            raise invalid("percentage", "Kies met hoeveel procent je voorschot lager wordt (1 tot en met 50).")
        if req.mode == "band_high" and req.percentage is not None:
            raise invalid("percentage", "Bij een inkomen aan de bovenkant van de band hoort geen percentage.")
        if req.mode == "stop" and req.percentage is not None:
            raise invalid("percentage", "Als je stopt met een voorzichtig voorschot, hoort daar geen percentage bij.")

    def _paths(self, hh: engines.Household, req: s.CautiousRequest) -> dict:
        """Both paths side by side, from shared_rules.preview only (plus sums of schedules)."""
        year = hh.year
        base = rules.preview(hh.base_input())["toeslagen"]
        applied = [t for t in TOESLAGEN if t in hh.applied and base[t]["computed"] and base[t]["before"]["entitled"]]
        if not applied:
            raise invalid("mode", f"Je krijgt in {year} geen toeslag. Een lager voorschot kan dan niet.")
        first = _first_unpaid(hh.paid)
        usable = hh.usable()
        if req.mode == "percentage" and first is None:
            raise invalid("mode", f"Alle voorschotten voor {year} zijn al betaald. Een lager voorschot kan nu niet "
                                  "meer.")
        if req.mode == "band_high" and not usable:
            raise invalid("mode", f"We hebben nog te weinig loon van {year} om een inkomensband te maken. "
                                  "Kies een percentage.")
        if usable:
            at = {k: rules.preview(hh.change_input({p["role"]: p["projection"][k] for p in usable}))["toeslagen"]
                  for k in ("projected", "low", "high")}
            basis = "projection"
        else:
            at = {"projected": base, "low": base, "high": base}
            basis = "estimate"
        entitlement = {k: {t: pv[t]["after"]["per_year"] for t in applied} for k, pv in at.items()}
        in_force = situation.cautious_in_force(hh.snap, year)
        if req.mode == "stop" and not in_force:
            raise invalid("mode", "Je hebt geen voorzichtig voorschot met een percentage. Er is niets om te stoppen.")
        # the choices in force afterwards: a new percentage replaces one in force from that one's first month
        # (the months paid under it are settled to the new percentage now), else it starts at the first month
        # not paid yet; stopping ends them all; the high end of the band leaves them as they are
        if req.mode == "percentage":
            chosen = {t: {"percentage": req.percentage,
                          "from_month": in_force[t]["from_month"] if t in in_force else first} for t in applied}
            after = {**in_force, **chosen}
        else:
            chosen, after = {}, ({} if req.mode == "stop" else in_force)
        # the status quo (`base`, the choices in force included) beside the path asked for
        if req.mode == "band_high":
            other = at["high"]
        else:
            inp = {k: v for k, v in hh.base_input().items() if k != "cautious"}
            other = rules.preview({**inp, "cautious": after} if after else inp)["toeslagen"]
        rows = []
        for t in applied:
            now_r, new_r = base[t], other[t]
            rows.append((t, self._path(now_r["voorschot"], 0, first, entitlement, t),
                         self._path(new_r["voorschot"], new_r["past_months"], first, entitlement, t)))
        return {"first": first, "basis": basis, "usable": usable, "rows": rows, "at": at, "in_force": in_force,
                "chosen": chosen, "after": after}

    @staticmethod
    def _path(schedule: list[int], now: int, first: int | None, entitlement: dict, t: str) -> s.PathOut:
        total = sum(schedule) + now
        return s.PathOut(monthly=schedule[first - 1] if first else 0, voorschot=schedule, now=now,
                         settlement=entitlement["projected"][t] - total,
                         settlement_if_low=entitlement["low"][t] - total,
                         settlement_if_high=entitlement["high"][t] - total)

    def cautious_preview(self, household_id: str, req: s.CautiousRequest) -> s.CautiousPreviewOut:
        self._check(req)
        today = self.settings.today_date()
        with self.store.read() as db:
            snap = snapshot(db, household_id, today)
        if snap is None:
            raise not_found()
        hh = engines.Household(snap, today)
        paths = self._paths(hh, req)
        toeslagen = [s.CautiousToeslag(toeslag=t, name=TOESLAG_NAMES[t], normal=n, cautious=c)
                     for t, n, c in paths["rows"]]

        def totals(which: str) -> s.Totals:
            ps = [getattr(x, which) for x in toeslagen]
            return s.Totals(now=sum(p.now for p in ps), settlement=sum(p.settlement for p in ps),
                            settlement_if_low=sum(p.settlement_if_low for p in ps),
                            settlement_if_high=sum(p.settlement_if_high for p in ps))

        normal, careful = totals("normal"), totals("cautious")
        persons = [{"person": p["role"], "estimate": p["estimate"], "projected": p["projection"]["projected"],
                    "low": p["projection"]["low"], "high": p["projection"]["high"],
                    "cautious_income": p["projection"]["high"] if req.mode == "band_high" else None}
                   for p in paths["usable"]]
        return s.CautiousPreviewOut(
            year=hh.year, today=today.isoformat(), mode=req.mode, percentage=req.percentage,
            first_unpaid_month=paths["first"], basis=paths["basis"], persons=persons, toeslagen=toeslagen,
            normal=normal, cautious=careful, summary=_summary(hh.year, normal, careful, paths["first"]))

    def choose_cautious(self, household_id: str, req: s.CautiousRequest, key: str | None, req_hash: str) -> Response:
        self._check(req)

        def work(db: Database) -> tuple[int, s.CautiousChosenOut]:
            return 201, self._choose(db, household_id, req)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    def _choose(self, db: Database, household_id: str, req: s.CautiousRequest) -> s.CautiousChosenOut:
        today = self.settings.today_date()
        year = today.year
        now = iso(self.settings.now())
        snap = snapshot(db, household_id, today)
        if snap is None:
            raise not_found()
        hh = engines.Household(snap, today)
        paths = self._paths(hh, req)  # validates: toeslagen, months left, a band
        if req.mode == "band_high":
            event_ids, outcome = [], {}
            # first the choice (so the scan that runs with each change knows it), then the changes
            for p in paths["usable"]:
                income_store.add_cautious(db, household_id=household_id, year=year, toeslag="", mode="band_high",
                                          percentage=None, person_id=p["person"]["id"],
                                          income=p["projection"]["high"], decision_id=None, event_id=None, now=now)
            for p in paths["usable"]:
                high = p["projection"]["high"]
                if high == p["estimate"]:
                    continue
                out = self.changes.submit_in(db, household_id, cs.IncomeChange(date=today, person=p["role"], income=high))
                event_ids.append(out.event_id)
                for o in out.toeslagen:
                    if o.decision_id:
                        outcome[o.toeslag] = {"toeslag": o.toeslag, "decision_id": o.decision_id,
                                              "new_monthly": o.new_monthly, "effective_month": o.effective_month,
                                              "past_months": o.past_months}
            summary = ("Je koos voor een voorzichtig voorschot: we rekenen met het inkomen aan de bovenkant van de "
                       "band. Je krijgt nu minder per maand, en na afloop van het jaar waarschijnlijk geld terug.")
            scan_in(db, self.settings, household_id)
            return s.CautiousChosenOut(mode="band_high", percentage=None, year=year, event_ids=event_ids,
                                       toeslagen=list(outcome.values()), summary=summary)
        return self._choose_schedule(db, household_id, req, hh, paths, now)

    def _choose_schedule(self, db: Database, household_id: str, req: s.CautiousRequest, hh: engines.Household,
                           paths: dict, now: str) -> s.CautiousChosenOut:
        """`percentage` (a new choice per toeslag the household gets) or `stop` (every choice in force
        ends): new decisions from shared_rules.preview with the choices that hold afterwards."""
        year, today, snap = hh.year, hh.today, hh.snap
        in_force, chosen, first, pct = paths["in_force"], paths["chosen"], paths["first"], req.percentage
        planned = voorschot.plan(state=snap, year=year, today=today, paid=hh.paid, cautious=paths["after"])
        ending = sorted(t for t in in_force if req.mode == "stop" or t in chosen)
        todo = sorted(t for t in set(chosen) | set(ending) if t in planned and t in hh.applied)
        amounts = {t: {"before": hh.latest[t]["new_monthly"] if t in hh.latest else 0,
                       "after": planned[t].new_monthly, "past_months": planned[t].past_months} for t in todo}
        past = sum(a["past_months"] for a in amounts.values())
        if req.mode == "percentage":
            summary = (f"Je koos voor een voorzichtig voorschot: vanaf {month_name(first)} {year} krijg je {pct} % "
                       "minder voorschot. Wat je minder krijgt, krijg je na afloop van het jaar terug als je inkomen "
                       "klopt.")
        else:
            summary = "Je stopt met je voorzichtig voorschot." + (
                f" Vanaf {month_name(first)} krijg je weer het normale voorschot." if first else "")
        if past > 0:
            summary += (f" Wat je over de maanden die al betaald zijn minder kreeg, {euro(past, whole=True)}, "
                        "betalen we nu aan je uit.")
        elif past < 0:
            summary += f" Over de maanden die al betaald zijn, betaal je nu {euro(-past, whole=True)} terug."
        event_id = events_store.append(
            db, household_id=household_id, occurred_at=now, actor="parent", source="parent",
            kind="change.cautious_voorschot", effective_date=f"{year}-{(first or 12):02d}-01",
            what={"mode": req.mode, "percentage": pct, "year": year, "toeslagen": todo},
            amounts=amounts, summary=summary)
        ids = voorschot.save(db, household_id=household_id, year=year, today=today, planned=planned,
                             toeslagen=set(todo), reason="change", event_id=event_id, decided_at=now)
        income_store.end_cautious(db, household_id, year, ending, now)
        for t in sorted(chosen):
            if t in ids:
                income_store.add_cautious(db, household_id=household_id, year=year, toeslag=t, mode="percentage",
                                          percentage=pct, person_id=None, income=None, decision_id=ids[t],
                                          event_id=event_id, now=now, from_month=chosen[t]["from_month"])
        households_store.bump_version(db, household_id)
        scan_in(db, self.settings, household_id)
        return s.CautiousChosenOut(
            mode=req.mode, percentage=pct, year=year, event_ids=[event_id],
            toeslagen=[{"toeslag": t, "decision_id": ids[t], "new_monthly": planned[t].new_monthly,
                        "effective_month": planned[t].effective_month, "past_months": planned[t].past_months}
                       for t in sorted(ids)],
            summary=summary)


def _outcome(year: int, n: int) -> str:
    if n < 0:
        return f"moet je na afloop van {year} waarschijnlijk {euro(-n, whole=True)} terugbetalen"
    if n > 0:
        return f"krijg je na afloop van {year} waarschijnlijk {euro(n, whole=True)} terug"
    return f"klopt je voorschot over {year} ongeveer"


def _summary(year: int, normal: s.Totals, careful: s.Totals, first: int | None) -> str:
    text = f"Zonder aanpassing {_outcome(year, normal.settlement)}. Met een voorzichtig voorschot "
    if careful.now < 0:
        text += f"betaal je nu {euro(-careful.now, whole=True)} terug over de maanden die al betaald zijn, en "
    text += f"{_outcome(year, careful.settlement)}."
    return text

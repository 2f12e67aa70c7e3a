"""Childcare use cases: the overview (GET /api/childcare), adopting reported hours ("Neem over") and its
undo, correcting single months and marking a report as wrong ("Klopt niet").

The comparison itself, its thresholds and the prompt card are in `compare.py` (see its docstring for
when a difference matters). Adopting is a normal change (source "kinderopvang") through
household/recalc.py: new terms from `from_month` on, a voorschot decision per applied toeslag, an event
with before/after amounts; its preview is the year after the writes. An adoption can be undone in the
calendar month it was made in (a new change that puts the previous figures back; history is never
deleted)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from litestar import Response
from sqlite_utils import Database

from ..household import situation, stored
from ..household.recalc import Apply, Recalc
from ..prompts.service import resolve as resolve_prompt
from ..settings import Settings
from ..store import Store
from ..store import childcare as store
from ..store import events as events_store
from ..store import households as households_store
from ..store import prompts as prompts_store
from ..store.found import present
from ..util import euro, iso
from ..web import idempotency
from ..web.problems import Problem, conflict, invalid, not_found
from . import schemas as s
from .card import refresh
from .compare import (
    HIGH_REPAYMENT,
    MIN_PACE,
    MIN_YEAR_END,
    PROMPT_KIND,
    RECENT,
    TOESLAG,
    _active,
    _adoption_figures,
    _build,
    _desired_from,
    _figures,
    _figures_text,
    _first,
    _month_nl,
    _months_nl,
    _option_text,
    _reports_by_month,
    compare,
    plan_terms,
)

# -- the service ----------------------------------------------------------------------------------

class ChildcareService:
    def __init__(self, store_: Store, settings: Settings, recalc: Recalc):
        self.store = store_
        self.settings = settings
        self.recalc = recalc

    # -- reading --------------------------------------------------------------------------------
    def overview(self, household_id: str) -> s.ChildcareOut:
        today = self.settings.today_date()
        year = today.year
        with self.store.read() as db:
            state = stored.load(db, household_id)
            reports = store.reports(db, household_id, year)
            disputes = store.disputes(db, household_id)
            adoptions = store.adoptions(db, household_id)
            open_prompts = {p["subject"]: p["id"] for p in prompts_store.open_for(db, household_id)
                            if p["kind"] == PROMPT_KIND}
        total, contracts, version = compare(state, reports, disputes, year, today)
        for c in contracts:
            c.prompt_id = open_prompts.get(c.contract_id)
            c.adoptions = [self._adoption_out(state, a, today) for a in reversed(adoptions)
                           if a["contract_id"] == c.contract_id and a["from_month"][:4] == str(year)]
        return s.ChildcareOut(
            year=year, today=today.isoformat(), rules_version=version,
            applied=TOESLAG in situation.applied(state, year),
            threshold=s.Threshold(min_year_end=MIN_YEAR_END, min_pace_per_year=MIN_PACE,
                                  high_repayment=HIGH_REPAYMENT, recent_months=RECENT),
            total=total, contracts=contracts)

    def _adoption_out(self, state: dict, a: dict, today: dt.date) -> s.AdoptionOut:
        return s.AdoptionOut(
            event_id=a["event_id"], contract_id=a["contract_id"], mode=a["mode"], from_month=a["from_month"],
            hours=a["hours"], hourly_rate=a["hourly_rate"], based_on=a["based_on"], adopted_on=a["adopted_on"],
            undone_by=a["undone_by"], can_undo=_undo_blocker(state, a, today) is None,
            undo_until=_last_day(a["adopted_on"]))

    # -- "Neem over" ------------------------------------------------------------------------------
    def _adoption(self, db: Database, household_id: str, state: dict, req: s.AdoptRequest) -> dict:
        """Validates an adoption against the store; returns what to write. Raises a problem otherwise."""
        today = self.settings.today_date()
        year = today.year
        contract, from_m = _contract_month(state, req.contract, req.from_month, "from_month", year)
        reports = _reports_by_month(store.reports(db, household_id, year)).get(contract["id"], {})
        work = _build(state, contract, reports, {d["report_id"]: d for d in store.disputes(db, household_id)}, year)
        got = _adoption_figures(work, req.mode, req.from_month)
        if got is None:
            if req.mode == "reported":
                raise invalid("from_month", "Voor deze maand gaf je kinderopvang geen uren door die je kunt "
                                            "overnemen.")
            raise invalid("contract", "Je kinderopvang gaf voor dit contract nog geen uren door.")
        figures, rows = got
        desired = _desired_from(state, contract, year, from_m, figures)
        writes = plan_terms(state, contract, desired)
        if not writes:
            raise invalid("from_month", "Deze uren en uurprijs gelden vanaf deze maand al. Er is niets over te nemen.")
        # what held before, to put back on undo (also on 1 January next year, when the contract runs on)
        previous_days = sorted(desired)
        nxt = dt.date(year + 1, 1, 1).isoformat()
        if contract["end_date"] is None or contract["end_date"] >= nxt:
            previous_days.append(nxt)
        previous = []
        for day in previous_days:
            f = _figures(state, contract["id"], dt.date.fromisoformat(day))
            if f is not None:
                previous.append({"date": day, "hours": f[0], "hourly_rate": f[1]})
        return {"contract": contract, "from_m": from_m, "figures": figures, "rows": rows, "writes": writes,
                "previous": previous}

    def _adopt_apply(self, household_id: str, req: s.AdoptRequest, holder: dict) -> Apply:
        def apply(db: Database, state: dict, now: str) -> tuple[dict, str]:
            a = self._adoption(db, household_id, state, req)
            holder.update(a)
            for valid_from, h, r in a["writes"]:
                households_store.add_terms(db, a["contract"]["id"], valid_from, h, r, now)
            child = _child_name(state, a["contract"])
            h, r = a["figures"]
            based = [row["month"] for row in a["rows"]]
            if req.mode == "reported":
                summary = (f"Je nam de uren over die {a['contract'].get('organisation_name') or 'je kinderopvang'} "
                           f"doorgaf voor {child}: {_figures_text(h, r)}, vanaf {_month_nl(req.from_month)}.")
            else:
                summary = (f"Je nam voor {child} het gemiddelde van {_months_nl(based)} over: {_figures_text(h, r)}, "
                           f"vanaf {_month_nl(req.from_month)}.")
            what = {"contract_id": a["contract"]["id"], "mode": req.mode, "from_month": req.from_month,
                    "hours_per_month": h, "hourly_rate": r, "based_on": [row["reported"].id for row in a["rows"]],
                    "months": based}
            return what, summary
        return apply

    def adopt_preview(self, household_id: str, req: s.AdoptRequest) -> s.AdoptPreviewOut:
        holder: dict = {}
        pv, change = self.recalc.preview(household_id, dt.date.fromisoformat(f"{req.from_month}-01"),
                                               self._adopt_apply(household_id, req, holder))
        h, r = holder["figures"]
        based = [row["month"] for row in holder["rows"]]
        with self.store.read() as db:
            state = present(households_store.load(db, household_id), "household")  # the preview found it
        est = _figures(state, req.contract, dt.date.fromisoformat(f"{req.from_month}-01"))
        return s.AdoptPreviewOut(
            contract_id=req.contract, mode=req.mode, from_month=req.from_month, hours=h, hourly_rate=r,
            based_on=based, text=_option_text(req.mode, (h, r), based, req.from_month),
            estimated=s.Figures(hours=est[0], hourly_rate=est[1]) if est else None, change=change, preview=pv)

    def adopt(self, household_id: str, req: s.AdoptRequest, key: str | None, req_hash: str) -> Response:
        def work(db: Database) -> tuple[int, s.ChildcareChangeOut]:
            holder: dict = {}
            today = self.settings.today_date()
            out = self.recalc.submit(
                db, household_id, apply=self._adopt_apply(household_id, req, holder), kind="childcare_adopt",
                event_kind="childcare.adopt", effective_date=dt.date.fromisoformat(f"{req.from_month}-01"),
                source="kinderopvang", actor="parent", amounts_month=int(req.from_month[5:]))
            store.add_adoption(db, event_id=out.event_id, household_id=household_id, contract_id=req.contract,
                               mode=req.mode, from_month=req.from_month, hours=holder["figures"][0],
                               hourly_rate=holder["figures"][1],
                               based_on=[row["reported"].id for row in holder["rows"]],
                               previous=holder["previous"], adopted_on=today.isoformat())
            now = iso(self.settings.now())
            resolved = resolve_prompt(db, household_id, PROMPT_KIND, TOESLAG, req.contract, now)
            state = present(households_store.load(db, household_id), "household")
            adoption = self._adoption_out(state, present(store.adoption(db, household_id, out.event_id), "adoption"),
                                          today)
            return 201, _change_out(out, req.contract, adoption=adoption, prompt_resolved=resolved)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    # -- undo -----------------------------------------------------------------------------------
    def undo(self, household_id: str, req: s.UndoRequest, key: str | None, req_hash: str) -> Response:
        def work(db: Database) -> tuple[int, s.ChildcareChangeOut]:
            today = self.settings.today_date()
            a = store.adoption(db, household_id, req.event_id)
            if a is None:
                raise not_found("Dit overnemen van uren hebben we niet gevonden.", field="event_id")
            def apply(db_: Database, state: dict, now: str) -> tuple[dict, str]:
                blocker = _undo_blocker(state, a, today)
                if blocker is not None:
                    raise blocker
                contract = next(c for c in state["contracts"] if c["id"] == a["contract_id"])
                desired = {p["date"]: (p["hours"], p["hourly_rate"]) for p in a["previous"]}
                for valid_from, h, r in plan_terms(state, contract, desired):
                    households_store.add_terms(db_, contract["id"], valid_from, h, r, now)
                this_year = [p for p in a["previous"] if p["date"][:4] == a["from_month"][:4]]
                same = {(p["hours"], p["hourly_rate"]) for p in this_year}
                child = _child_name(state, contract)
                back = (f": {_figures_text(this_year[0]['hours'], this_year[0]['hourly_rate'])}"
                        if len(same) == 1 else "")
                summary = (f"Je maakte het overnemen van de uren voor {child} ongedaan. Vanaf "
                           f"{_month_nl(a['from_month'])} gelden weer de uren van daarvoor{back}.")
                return ({"contract_id": contract["id"], "undoes": a["event_id"], "from_month": a["from_month"],
                         "figures": a["previous"]}, summary)

            out = self.recalc.submit(
                db, household_id, apply=apply, kind="childcare_undo", event_kind="childcare.undo",
                effective_date=dt.date.fromisoformat(f"{a['from_month']}-01"), source="kinderopvang",
                actor="parent", amounts_month=int(a["from_month"][5:]))
            if not store.mark_undone(db, household_id, a["event_id"], out.event_id):  # pragma: no cover - guarded above
                raise conflict("already-undone", "Dit overnemen is al ongedaan gemaakt.", field="event_id")
            refresh(db, household_id, today, iso(self.settings.now()))
            return 201, _change_out(out, a["contract_id"], undoes=a["event_id"])
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    # -- correct one month by hand ----------------------------------------------------------------
    def correct(self, household_id: str, req: s.CorrectRequest, key: str | None, req_hash: str) -> Response:
        def work(db: Database) -> tuple[int, s.ChildcareChangeOut]:
            today = self.settings.today_date()
            year = today.year

            def apply(db_: Database, state: dict, now: str) -> tuple[dict, str]:
                contract, m = _contract_month(state, req.contract, req.month, "month", year)
                desired = {_first(year, m).isoformat(): (req.hours, req.hourly_rate)}
                later = [_first(year, k) for k in range(m + 1, 13)] + [dt.date(year + 1, 1, 1)]
                for day in later:
                    if contract["end_date"] is not None and contract["end_date"] < day.isoformat():
                        break
                    f = _figures(state, contract["id"], day)
                    if f is not None:
                        desired[day.isoformat()] = f
                writes = plan_terms(state, contract, desired)
                if not writes:
                    raise invalid("hours", "Deze uren en uurprijs gelden voor deze maand al.")
                for valid_from, h, r in writes:
                    households_store.add_terms(db_, contract["id"], valid_from, h, r, now)
                child = _child_name(state, contract)
                return ({"contract_id": contract["id"], "month": req.month, "hours_per_month": req.hours,
                         "hourly_rate": req.hourly_rate},
                        f"Je paste de uren voor {child} in {_month_nl(req.month)} aan: {req.hours} uur, "
                        f"{euro(req.hourly_rate)} per uur.")

            out = self.recalc.submit(
                db, household_id, apply=apply, kind="childcare_correct", event_kind="childcare.correct",
                effective_date=dt.date.fromisoformat(f"{req.month}-01"), source="parent", actor="parent",
                amounts_month=int(req.month[5:]))
            refresh(db, household_id, today, iso(self.settings.now()))
            return 201, _change_out(out, req.contract)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    # -- "Klopt niet" -----------------------------------------------------------------------------
    def dispute(self, household_id: str, req: s.DisputeRequest, key: str | None, req_hash: str) -> Response:
        if not req.reason.strip():  # spaces and newlines only: as empty as "" (which the schema refuses)
            raise invalid("reason", "Schrijf kort op wat er niet klopt.", status=400)

        def work(db: Database) -> tuple[int, s.DisputeOut]:
            now = iso(self.settings.now())
            r = store.report(db, household_id, req.report_id)
            if r is None or r["contract_id"] is None:
                raise not_found("Deze opgave van je kinderopvang hebben we niet gevonden.", field="report_id")
            if r["replaced_by"] is not None:
                raise conflict("report-replaced", "Je kinderopvang stuurde voor deze maand al een nieuwere opgave. "
                                                  "Kijk eerst of die wel klopt.", field="report_id")
            if store.dispute_for(db, r["id"]) is not None:
                raise conflict("already-disputed", "Je gaf al door dat deze opgave niet klopt.", field="report_id")
            state = present(households_store.load(db, household_id), "household")  # it has this report
            contract = next(c for c in state["contracts"] if c["id"] == r["contract_id"])
            child = _child_name(state, contract)
            org = contract.get("organisation_name") or "je kinderopvang"
            summary = (f"Je gaf door dat de uren van {org} voor {child} in {_month_nl(r['month'])} niet kloppen "
                       f"({r['hours']} uur, {euro(r['hourly_rate'])} per uur). We nemen ze niet over en zoeken het uit.")
            event_id = events_store.append(
                db, household_id=household_id, occurred_at=now, actor="parent", source="parent",
                kind="childcare.dispute", effective_date=f"{r['month']}-01",
                what={"report_id": r["id"], "contract_id": r["contract_id"], "month": r["month"],
                      "hours": r["hours"], "hourly_rate": r["hourly_rate"]},
                amounts={}, summary=summary)
            store.add_dispute(db, report_id=r["id"], household_id=household_id, contract_id=r["contract_id"],
                              reason=req.reason, event_id=event_id, now=now)
            resolved = resolve_prompt(db, household_id, PROMPT_KIND, TOESLAG, r["contract_id"], now)
            households_store.bump_version(db, household_id)
            earlier = [x for x in store.reports(db, household_id, int(r["month"][:4]))
                       if x["contract_id"] == r["contract_id"] and x["month"] == r["month"] and x["id"] != r["id"]]
            report = s.ReportedFigures(
                id=r["id"], hours=r["hours"], hourly_rate=r["hourly_rate"], received_at=r["received_at"],
                status="disputed", dispute_reason=req.reason,
                earlier=[s.EarlierReport(id=x["id"], hours=x["hours"], hourly_rate=x["hourly_rate"],
                                         received_at=x["received_at"], disputed=store.dispute_for(db, x["id"]) is not None)
                         for x in earlier])
            return 201, s.DisputeOut(event_id=event_id, contract_id=r["contract_id"], month=r["month"], summary=summary,
                                     version=present(households_store.version(db, household_id), "household version"),
                                     report=report,
                                     prompt_resolved=resolved)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)


# -- module helpers used by the service -------------------------------------------------------------

def _last_day(day: str) -> str:
    y, m = int(day[:4]), int(day[5:7])
    return dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def _child_name(state: dict, contract: dict) -> str:
    return next((p["given_name"] for p in state["persons"] if p["id"] == contract["child_id"]), "je kind")


def _undo_blocker(state: dict, a: dict, today: dt.date) -> Problem | None:
    """Why this adoption cannot be undone now, or None."""
    if a["undone_by"] is not None:
        return conflict("already-undone", "Dit overnemen is al ongedaan gemaakt.", field="event_id")
    if a["adopted_on"][:7] != today.isoformat()[:7]:
        return conflict("undo-too-late", "Ongedaan maken kan alleen in de maand waarin je de uren overnam. "
                                         "Die maand is voorbij. Pas je uren zelf aan als ze niet kloppen.",
                        field="event_id")
    contract = next((c for c in state["contracts"] if c["id"] == a["contract_id"]), None)
    if contract is None:  # pragma: no cover - contracts are never deleted
        return conflict("changed-since", "Dit opvangcontract is veranderd.", field="event_id")
    for p in a["previous"]:
        if p["date"][:4] != a["from_month"][:4]:
            continue
        if _figures(state, contract["id"], dt.date.fromisoformat(p["date"])) != (a["hours"], a["hourly_rate"]):
            return conflict("changed-since", "Na het overnemen zijn je uren nog een keer veranderd. Ongedaan maken "
                                             "kan daarom niet meer. Pas je uren zelf aan.", field="event_id")
    return None


def _change_out(out: Any, contract_id: str, **extra: Any) -> s.ChildcareChangeOut:
    fields = {f: getattr(out, f) for f in out.__struct_fields__}
    return s.ChildcareChangeOut(**fields, contract_id=contract_id, **extra)


def _contract_month(state: dict, contract_id: str, month: str, field: str, year: int) -> tuple[dict, int]:
    """The household's contract `contract_id` (only its own) and the number of `month` (YYYY-MM); a
    problem naming `field` when the month is not in `year` or the contract does not run in it."""
    contract = next((c for c in state["contracts"] if c["id"] == contract_id), None)
    if contract is None:
        raise not_found("Dit opvangcontract hebben we niet gevonden.", field="contract")
    if int(month[:4]) != year:
        raise invalid(field, f"Kies een maand in {year}.")
    m = int(month[5:])
    if not _active(state, contract, _first(year, m)):
        raise invalid(field, "In deze maand loopt dit opvangcontract niet.")
    return contract, m

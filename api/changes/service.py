"""Changes to a household: preview (shared_rules.changes.preview_change, the phone's own call, nothing
stored) and submit (the writes shared_rules.changes.apply gives are stored, then household/recalc.py
records a voorschot decision per applied toeslag and logs the event); applying for a toeslag."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec
from litestar import Response
from sqlite_utils import Database

from .. import rules
from ..household import read, situation, stored, voorschot
from ..household import years as year_compute
from ..household.models import Row, decisions_from_rows
from ..household.recalc import Recalc, outcome, preview_out
from ..household.years import check_open as _check_open_year
from ..settings import Settings
from ..store import Store
from ..store import decisions as decisions_store
from ..store import events as events_store
from ..store import households as households_store
from ..store import years as years_store
from ..store.found import present
from ..util import TOESLAG_NAMES, TOESLAGEN, bsn_valid, euro, iso, month_name, new_id
from ..web import idempotency
from ..web.problems import Problem, conflict, invalid, not_found
from . import schemas as s


class ChangeService:
    def __init__(self, store: Store, settings: Settings, recalc: Recalc):
        self.store = store
        self.settings = settings
        self.recalc = recalc

    # -- validation and applying a change to the store ------------------------------------------
    def _check_date(self, db: Database, state: Row, day: dt.date, year: int, field: str) -> None:
        """The change must be for an open year (api/years: next year's from December, a past year until its
        definitieve berekening), dated in that year or before it (then it holds from 1 January)."""
        if day.year > year:
            raise invalid(field, f"Deze datum ligt na {year}. Kies een datum in {year}.")
        if day.year < year - 1:
            raise invalid(field, f"Kies een datum in {year}.")
        _check_open_year(self.settings, db, state["household"]["id"], state, year,
                                 "year" if day.year != year else field)

    @staticmethod
    def _check_text(value: str, field: str, detail: str) -> None:
        """A name, street, house number or city of spaces only is as empty as no text at all (the
        same 400 as an empty string, which the schema refuses)."""
        if not value.strip():
            raise invalid(field, detail, status=400)

    def _check_birth_date(self, day: dt.date, field: str) -> None:
        if day < dt.date(1900, 1, 1) or day > self.settings.today_date():
            raise invalid(field, "Deze geboortedatum kan niet kloppen.")

    def _check(self, change: Any, db: Database, state: Row, year: int | None = None) -> None:
        """The input checks the API makes before the change model (shared_rules.changes) sees a change:
        the year (an open one), and per kind the texts of spaces only, birth dates and BSNs. The phone's
        forms make the same checks."""
        self._check_date(db, state, change.date, change.date.year if year is None else year, "change.date")
        check = CHECKS.get(change.__struct_config__.tag)
        if check is not None:
            check(self, change)

    def _check_address(self, change: s.AddressChange) -> None:
        a = change.address
        self._check_text(a.street, "change.address.street", "Vul de straat in.")
        self._check_text(a.house_number, "change.address.house_number", "Vul het huisnummer in.")
        self._check_text(a.city, "change.address.city", "Vul de plaats in.")

    def _check_new_person(self, new: s.NewPartner | s.NewChild | None, field: str, who: str) -> None:
        if new is None:
            return  # the change model asks for the data
        self._check_text(new.given_name, f"{field}.given_name", f"Vul de voornaam van {who} in.")
        self._check_birth_date(new.birth_date, f"{field}.birth_date")
        if new.bsn is not None and not bsn_valid(new.bsn):
            raise invalid(f"{field}.bsn", "Dit burgerservicenummer klopt niet.")

    def _check_partner(self, change: s.PartnerChange) -> None:
        if change.action == "moves_in":
            self._check_new_person(change.partner, "change.partner", "je partner")

    def _check_child(self, change: s.ChildChange) -> None:
        if change.action != "moves_out":
            self._check_new_person(change.child, "change.child", "het kind")

    @staticmethod
    def _applied(facts: Row, change: Any, new_ids: dict[str, str] | None = None, year: int | None = None) -> Row:
        """shared_rules.changes.apply on the household's facts, its refusals as problems. For a change
        for another year than its date's (dated in December for next year) the estimates it writes are
        that year's."""
        try:
            out: Row = rules.changes.apply(facts, msgspec.to_builtins(change), new_ids, year)
            return out
        except rules.ChangeRefused as e:
            raise refusal(e) from None

    def _write(self, db: Database, state: Row, change: Any, now: str, year: int | None = None) -> tuple[Row, str]:
        """Stores the change: the writes shared_rules.changes.apply gives, nothing else, so the stored
        facts are the facts the preview was made from. Returns (what, summary) for the event; `what`
        never holds a BSN."""
        self._check(change, db, state, year)
        kind = change.__struct_config__.tag
        new_ids = {"partner": new_id("prs")} if kind == "partner" else {"child": new_id("prs")} if kind == "child" else None
        writes = self._applied(state, change, new_ids, year)["writes"]
        persist(db, state["household"]["id"], writes, now, bsn=_new_bsn(change))
        return DESCRIBE[kind](state, change, writes)

    # -- preview --------------------------------------------------------------------------------
    def preview(self, household_id: str, req: s.ChangeRequest) -> s.PreviewOut:
        """The same call the phone makes: shared_rules.changes.preview_change({today, household facts,
        paid, cautious, change, year, finals}), on the facts GET /api/household gives and the year's
        `rules_input` GET /api/years gives (this year's: GET /api/household)."""
        change = req.change
        today = self.settings.today_date()
        year = _year_of(req)
        with self.store.read() as db:
            state = stored.load(db, household_id)
            self._check(change, db, state, year)
            finals = years_store.final_incomes(db, household_id) if year < today.year else []
            dec_rows, pays = decisions_store.for_year_and_payments(db, household_id, year)
            later_rows = {y: decisions_store.for_year_and_payments(db, household_id, y)
                          for y in year_compute.later_years(year, today, self.settings.next_year_from)}
        decs = decisions_from_rows(dec_rows)
        later = [year_compute.later_input(state, decisions_from_rows(rows), later_pays, y, today)
                 for y, (rows, later_pays) in later_rows.items()]
        data = year_compute.change_input(state, finals, decs, pays, year, today)
        data["change"] = msgspec.to_builtins(change)
        if later:
            data["later"] = later
        try:
            pv = rules.changes.preview_change(data)
        except rules.ChangeRefused as e:
            raise refusal(e) from None
        return preview_out(pv, year_compute.applied_in(state, year, _kind(year, today)),
                           {y: year_compute.applied_in(state, y, _kind(y, today)) for y in (x["year"] for x in later)})

    # -- submit ---------------------------------------------------------------------------------
    def submit(self, household_id: str, req: s.ChangeRequest, key: str | None, req_hash: str) -> Response[Any]:
        def work(db: Database) -> tuple[int, s.SubmitOut]:
            return 201, self.submit_in(db, household_id, req.change, _year_of(req))
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    def submit_in(self, db: Database, household_id: str, change: Any, year: int | None = None) -> s.SubmitOut:
        """Stores one change for toeslag `year` (default: the year of its date) and records the decisions,
        inside the caller's transaction (POST /api/changes, and the income domain for the high end of an
        income band)."""
        tag = change.__struct_config__.tag
        year = change.date.year if year is None else year
        seen: Row = {}

        def write(db_: Database, state: Row, now: str) -> tuple[Row, str]:
            seen["before"] = state
            return self._write(db_, state, change, now, year)

        out = self.recalc.submit(db, household_id, apply=write, kind=tag, event_kind=f"change.{tag}",
                                 effective_date=change.date, year=year)
        today = self.settings.today_date()
        carried = [self._carry_forward(db, household_id, tag, seen["before"], year, later)
                   for later in year_compute.later_years(year, today, self.settings.next_year_from)]
        out.carried_forward = [c for c in carried if c is not None]
        return out

    def _carry_forward(self, db: Database, household_id: str, tag: str, before: Row, year: int,
                       later: int) -> s.CarriedOut | None:
        """A change to `year` whose facts still hold in the `later` open year (the partner who moved in
        in March last year still lives here; the new rent is still the rent; in December, next year's
        estimate is this year's carried forward): that year's voorschot is worked out again as well, in
        the same transaction, as an event of its own. Otherwise that year would be paid on the facts
        the household just corrected, and be repaid at its settlement. Nothing is carried when that
        year's timeline is the same (an estimate of that year only, a fact that ended since), as
        shared_rules.changes.carried_forward previews it."""
        today = self.settings.today_date()
        after = households_store.load(db, household_id)
        kind = _kind(later, today)
        if after is None or not year_compute.applied_in(after, later, kind):
            return None
        if situation.timeline(before, later) == situation.timeline(after, later):
            return None
        summary = f"Je wijziging over {year} geldt ook in {later}. Je voorschot voor {later} is opnieuw berekend."
        out = self.recalc.submit(db, household_id,
                                 apply=lambda db_, state, now: ({"kind": tag, "from_year": year, "year": later}, summary),
                                 kind=tag, event_kind="change.carried_forward", effective_date=dt.date(later, 1, 1),
                                 year=later)
        applied = year_compute.applied_in(after, later, kind)
        decided = {t.toeslag for t in out.toeslagen}
        return s.CarriedOut(year=later, event_id=out.event_id, summary=summary,
                            toeslagen=[t for t in out.toeslagen if t.applied],
                            unknown=[t for t in TOESLAGEN if t in applied and t not in decided])

    # -- applying for a toeslag -----------------------------------------------------------------
    def apply_for(self, household_id: str, req: s.ApplicationRequest, key: str | None, req_hash: str) -> Response[Any]:
        def work(db: Database) -> tuple[int, s.SubmitOut]:
            return 201, self._apply_for(db, household_id, req.toeslag)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    def _apply_for(self, db: Database, household_id: str, toeslag: str) -> s.SubmitOut:
        today = self.settings.today_date()
        year = today.year
        now = iso(self.settings.now())
        hh = read.household(db, household_id)
        if hh is None:
            raise not_found()
        if toeslag in hh.applied(year):
            raise conflict("already-applied", f"Je hebt {TOESLAG_NAMES[toeslag].lower()} voor {year} al aangevraagd.",
                           field="toeslag")
        dec_rows, pays = decisions_store.for_year_and_payments(db, household_id, year)
        decs = decisions_from_rows(dec_rows)
        paid = situation.paid_lists(decs, pays, year, today)
        planned = voorschot.plan(state=hh, year=year, today=today, paid=paid)
        if toeslag not in planned:
            raise Problem(503, "no-rules-for-year", "Nog niet beschikbaar",
                          f"De berekening voor {year} is nog niet beschikbaar.")
        if not planned[toeslag].entitled:
            raise invalid("toeslag", f"Met je gegevens krijg je geen {TOESLAG_NAMES[toeslag].lower()}. "
                                     "Een aanvraag heeft daarom geen zin.")
        households_store.add_application(db, household_id, toeslag, year, 1, now)
        p = planned[toeslag]
        summary = f"Je vroeg {TOESLAG_NAMES[toeslag].lower()} aan voor {year}."
        event_id = events_store.append(
            db, household_id=household_id, occurred_at=now, actor="parent", source="parent", kind="application",
            effective_date=f"{year}-01-01", what={"toeslag": toeslag, "year": year},
            amounts={toeslag: {"before": 0, "after": p.new_monthly}}, summary=summary)
        ids = voorschot.save(db, household_id=household_id, year=year, today=today, planned=planned,
                             toeslagen={toeslag}, reason="application", event_id=event_id, decided_at=now)
        households_store.bump_version(db, household_id)
        self.recalc.after_change(db, household_id)  # closes a possible-non-use prompt
        return s.SubmitOut(event_id=event_id, kind="application", effective_date=f"{year}-01-01", summary=summary,
                           version=present(households_store.version(db, household_id), "household version"),
                           toeslagen=[outcome(toeslag, p, True, None, ids[toeslag], year, today)])


def _kind(year: int, today: dt.date) -> str:
    return "current" if year == today.year else "next" if year > today.year else "past"


def _year_of(req: s.ChangeRequest) -> int:
    return req.change.date.year if req.year is None else req.year


def refusal(e: Any) -> Problem:
    """A change the household's facts do not allow (shared_rules.changes.ChangeRefused) as a problem."""
    if e.status == 404:
        return not_found(e.message, field=e.field)
    if e.code:
        return conflict(e.code, e.message, field=e.field, status=e.status)
    return invalid(e.field, e.message, status=e.status)


def persist(db: Database, household_id: str, writes: list[Row], now: str, *, bsn: str | None = None) -> None:
    """Stores the writes of shared_rules.changes.apply (one store call each). `bsn`: of the person the
    change adds (the change model never sees a BSN)."""
    for w in writes:
        op = w["op"]
        if op == "estimate":
            households_store.add_estimate(db, household_id, w["person_id"], w["year"], w["income"], w["assets"],
                                          "parent", now)
        elif op == "home":
            households_store.add_home(db, household_id, w["home"], now)
        elif op == "terms":
            households_store.add_terms(db, w["contract_id"], w["valid_from"], w["hours_per_month"],
                                       w["hourly_rate"], now)
        elif op == "end_contract":
            households_store.end_contract(db, household_id, w["contract_id"], w["end_date"])
        elif op == "person":
            households_store.add_person(db, {**w["person"], "household_id": household_id, "bsn": bsn,
                                             "created_at": now})
        elif op == "end_membership":
            households_store.end_membership(db, household_id, w["person_id"], w["until"])
        else:  # pragma: no cover - the change model has no other writes
            raise ValueError(f"unknown write {op}")


def _new_bsn(change: Any) -> str | None:
    new = getattr(change, "partner", None) or getattr(change, "child", None)
    return getattr(new, "bsn", None)


def _person_name(state: Row, person_id: str) -> str:
    name: str = next(p["given_name"] for p in state["persons"] if p["id"] == person_id)
    return name


# -- what a change did, in the event log: (what, summary) per kind ---------------------------------

def _income_text(state: Row, c: s.IncomeChange, writes: list[Row]) -> tuple[Row, str]:
    w = writes[0]
    who = "je" if c.person == "applicant" else "het"
    extra = "" if c.person == "applicant" else " van je toeslagpartner"
    return ({"person": c.person, "person_id": w["person_id"], "year": w["year"], "income": w["income"],
             "assets": w["assets"]},
            f"Je gaf {who} inkomen{extra} voor {w['year']} door: {euro(w['income'], whole=True)}.")


def _home_text(state: Row, c: s.HomeChange, writes: list[Row]) -> tuple[Row, str]:
    return ({"rent": c.rent, "service_costs": c.service_costs},
            f"Je gaf een nieuwe huur door: {euro(c.rent)} per maand vanaf {_nl_date(c.date)}.")


def _address_text(state: Row, c: s.AddressChange, writes: list[Row]) -> tuple[Row, str]:
    return ({"renting": c.renting, "rent": c.rent, "city": c.address.city},
            f"Je gaf een verhuizing door op {_nl_date(c.date)} naar {c.address.city}.")


def _childcare_text(state: Row, c: s.ChildcareChange, writes: list[Row]) -> tuple[Row, str]:
    contract = next(x for x in state["contracts"] if x["id"] == c.contract_id)
    if c.ends:
        return ({"contract_id": contract["id"], "ends": True},
                f"Je gaf door dat de {contract['kind']} stopt op {_nl_date(c.date)}.")
    hours, rate = writes[0]["hours_per_month"], writes[0]["hourly_rate"]
    return ({"contract_id": contract["id"], "hours_per_month": hours, "hourly_rate": rate},
            f"Je gaf voor de {contract['kind']} door: {hours} uur per maand, "
            f"{euro(rate)} per uur, vanaf {_nl_date(c.date)}.")


def _partner_text(state: Row, c: s.PartnerChange, writes: list[Row]) -> tuple[Row, str]:
    if c.action == "moves_in":
        assert c.partner is not None  # the change model refuses a move-in without a partner
        pid = writes[0]["person"]["id"]
        return ({"action": "moves_in", "person_id": pid, "income": c.partner.income, "assets": c.partner.assets},
                f"Je gaf door dat {c.partner.given_name} op {_nl_date(c.date)} bij je komt wonen als toeslagpartner.")
    pid = writes[0]["person_id"]
    return ({"action": "moves_out", "person_id": pid},
            f"Je gaf door dat {_person_name(state, pid)} op {_nl_date(c.date)} niet meer je toeslagpartner is.")


def _child_text(state: Row, c: s.ChildChange, writes: list[Row]) -> tuple[Row, str]:
    if c.action in ("born", "moves_in"):
        assert c.child is not None  # the change model refuses a child without its data
        # a subordinate clause ("dat ..."): the finite verb goes last
        text = "is geboren" if c.action == "born" else "bij je komt wonen"
        return ({"action": c.action, "person_id": writes[0]["person"]["id"]},
                f"Je gaf door dat {c.child.given_name} op {_nl_date(c.date)} {text}.")
    pid = writes[0]["person_id"]
    return ({"action": "moves_out", "person_id": pid},
            f"Je gaf door dat {_person_name(state, pid)} op {_nl_date(c.date)} niet meer bij je woont.")


DESCRIBE: dict[str, Callable[[Row, Any, list[Row]], tuple[Row, str]]] = {
    "income": _income_text, "home": _home_text, "address": _address_text, "childcare": _childcare_text,
    "partner": _partner_text, "child": _child_text,
}


CHECKS: dict[str, Callable[[ChangeService, Any], None]] = {
    "address": ChangeService._check_address, "partner": ChangeService._check_partner,
    "child": ChangeService._check_child,
}


def _nl_date(day: dt.date) -> str:
    return f"{day.day} {month_name(day.month)} {day.year}"

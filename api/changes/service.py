"""Changes to a household: preview (the shared_rules preview of the change, nothing stored) and submit
(the change is stored, a voorschot decision per applied toeslag is recorded, the event is logged)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import msgspec
from sqlite_utils import Database

from .. import rules
from ..household import situation, voorschot
from ..income.service import scan_hook as income_scan
from ..settings import Settings
from ..store import Rollback, Store, decisions as decisions_store, events as events_store
from ..store import households as households_store
from ..util import TOESLAG_NAMES, TOESLAGEN, bsn_valid, euro, iso, month_name, new_id
from ..web import idempotency
from ..web.problems import Problem, conflict, invalid, not_found
from . import schemas as s

KIND_TEXT = {
    "income": "inkomen", "home": "huur", "address": "verhuizing", "childcare": "kinderopvang",
    "partner": "toeslagpartner", "child": "kinderen",
}


class ChangeService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    # -- validation and applying a change to the store ------------------------------------------
    def _check_date(self, day: dt.date, field: str) -> None:
        year = self.settings.today_date().year
        if day.year != year:
            raise invalid(field, f"Kies een datum in {year}. Wijzigingen voor een ander jaar kunnen hier niet.")

    @staticmethod
    def _check_text(value: str, field: str, detail: str) -> None:
        """A name, street, house number or city of spaces only is as empty as no text at all (the
        same 400 as an empty string, which the schema refuses)."""
        if not value.strip():
            raise invalid(field, detail, status=400)

    def _check_birth_date(self, day: dt.date, field: str) -> None:
        if day < dt.date(1900, 1, 1) or day > self.settings.today_date():
            raise invalid(field, "Deze geboortedatum kan niet kloppen.")

    def _check(self, change: Any) -> None:
        """The input checks the API makes before the change model (shared_rules.changes) sees a change:
        the year, texts of spaces only, birth dates, BSNs. The phone's forms make the same checks."""
        self._check_date(change.date, "change.date")
        if isinstance(change, s.AddressChange):
            a = change.address
            self._check_text(a.street, "change.address.street", "Vul de straat in.")
            self._check_text(a.house_number, "change.address.house_number", "Vul het huisnummer in.")
            self._check_text(a.city, "change.address.city", "Vul de plaats in.")
        new = (change.partner if isinstance(change, s.PartnerChange) and change.action == "moves_in" else
               change.child if isinstance(change, s.ChildChange) and change.action != "moves_out" else None)
        if new is not None:
            who = "je partner" if isinstance(change, s.PartnerChange) else "het kind"
            field = "change.partner" if isinstance(change, s.PartnerChange) else "change.child"
            self._check_text(new.given_name, f"{field}.given_name", f"Vul de voornaam van {who} in.")
            self._check_birth_date(new.birth_date, f"{field}.birth_date")
            if new.bsn is not None and not bsn_valid(new.bsn):
                raise invalid(f"{field}.bsn", "Dit burgerservicenummer klopt niet.")

    @staticmethod
    def _applied(facts: dict, change: Any, new_ids: dict[str, str] | None = None) -> dict:
        """shared_rules.changes.apply on the household's facts, its refusals as problems."""
        try:
            return rules.changes.apply(facts, msgspec.to_builtins(change), new_ids)
        except rules.ChangeRefused as e:
            raise refusal(e) from None

    def _write(self, db: Database, state: dict, change: Any, now: str) -> tuple[dict, str]:
        """Stores the change: the writes shared_rules.changes.apply gives, nothing else, so the stored
        facts are the facts the preview was made from. Returns (what, summary) for the event; `what`
        never holds a BSN."""
        self._check(change)
        kind = change.__struct_config__.tag
        new_ids = {"partner": new_id("prs")} if kind == "partner" else {"child": new_id("prs")} if kind == "child" else None
        writes = self._applied(state, change, new_ids)["writes"]
        persist(db, state["household"]["id"], writes, now, bsn=_new_bsn(change))
        return DESCRIBE[kind](state, change, writes)

    # -- preview --------------------------------------------------------------------------------
    def preview(self, household_id: str, req: s.ChangeRequest) -> s.PreviewOut:
        """The same call the phone makes: shared_rules.changes.preview_change({today, household facts,
        paid, cautious, change}), on the facts GET /api/household gives."""
        change = req.change
        self._check(change)
        today = self.settings.today_date()
        year = today.year
        with self.store.read() as db:
            state = households_store.load(db, household_id)
            if state is None:
                raise not_found()
            decs = decisions_store.for_year(db, household_id, year)
            pays = decisions_store.payments(db, household_id, year)
        inp = situation.rules_input(state, decs, pays, year, today)
        data = {"today": inp["today"], "household": situation.facts(state), "paid": inp["paid"],
                "change": msgspec.to_builtins(change)}
        if inp.get("cautious"):
            data["cautious"] = inp["cautious"]
        try:
            pv = rules.changes.preview_change(data)
        except rules.ChangeRefused as e:
            raise refusal(e) from None
        return _preview_out(pv, situation.applied(state, year))

    def preview_with(self, household_id: str, date: dt.date,
                     apply: Callable[[Database, dict, str], Any]) -> tuple[s.PreviewOut, dict]:
        """Preview of any change that `apply(db, state, now)` writes (rolled back afterwards), counting
        from `date` (Awir art. 5): the year's timeline after the writes against the one before, as the
        decision will see them. Returns the preview and the `change` object handed to shared_rules."""
        today = self.settings.today_date()
        year = today.year
        result: dict = {}
        with self.store.write() as db:
            state = households_store.load(db, household_id)
            if state is None:
                raise not_found()
            decs = decisions_store.for_year(db, household_id, year)
            pays = decisions_store.payments(db, household_id, year)
            inp = situation.rules_input(state, decs, pays, year, today)
            apply(db, state, iso(self.settings.now()))
            new_state = households_store.load(db, household_id)
            result["timeline"] = situation.timeline(new_state, year)
            result["applied"] = situation.applied(state, year)
            raise Rollback()
        inp["change"] = {"date": date.isoformat(), "timeline": result["timeline"]}
        return _preview_out(rules.preview(inp), result["applied"]), inp["change"]

    # -- submit ---------------------------------------------------------------------------------
    def submit(self, household_id: str, req: s.ChangeRequest, key: str | None, req_hash: str):
        def work(db: Database):
            return 201, self._submit(db, household_id, req.change)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    def _submit(self, db: Database, household_id: str, change: Any) -> s.SubmitOut:
        tag = change.__struct_config__.tag
        return self.submit_with(db, household_id, apply=lambda db_, state, now: self._write(db_, state, change, now),
                                kind=tag, event_kind=f"change.{tag}", effective_date=change.date)

    def submit_with(self, db: Database, household_id: str, *, apply: Callable[[Database, dict, str], tuple[dict, str]],
                    kind: str, event_kind: str, effective_date: dt.date, source: str = "parent",
                    actor: str = "parent", amounts_month: int | None = None) -> s.SubmitOut:
        """Stores a change that `apply(db, state, now) -> (what, summary)` writes, logs the event (with
        `source`, e.g. "kinderopvang" for hours the childcare organisation reported) and records a voorschot
        decision per applied toeslag. Event amounts per applied toeslag: by default the monthly voorschot
        before/after; with `amounts_month` the entitlement of that month before/after, plus the yearly
        entitlement before/after and `past_months` (settled now for months already paid)."""
        today = self.settings.today_date()
        year = today.year
        now = iso(self.settings.now())
        state = households_store.load(db, household_id)
        if state is None:
            raise not_found()
        decs = decisions_store.for_year(db, household_id, year)
        pays = decisions_store.payments(db, household_id, year)
        paid = situation.paid_lists(decs, pays, year, today)
        latest = situation.latest_decisions(decs)
        applied = situation.applied(state, year)
        what, summary = apply(db, state, now)
        new_state = households_store.load(db, household_id)
        planned = voorschot.plan(state=new_state, year=year, today=today, paid=paid)
        if amounts_month is None:
            amounts = {t: {"before": latest[t]["new_monthly"] if t in latest else 0,
                           "after": planned[t]["new_monthly"]}
                       for t in sorted(applied) if t in planned}
        else:
            old = voorschot.plan(state=state, year=year, today=today, paid=paid)
            amounts = {t: {"before": old[t]["months"][amounts_month - 1],
                           "after": planned[t]["months"][amounts_month - 1],
                           "per_year_before": old[t]["res"]["per_year"], "per_year_after": planned[t]["res"]["per_year"],
                           "past_months": planned[t]["past_months"]}
                       for t in sorted(applied) if t in planned and t in old}
        event_id = events_store.append(
            db, household_id=household_id, occurred_at=now, actor=actor, source=source,
            kind=event_kind, effective_date=effective_date.isoformat(), what=what,
            amounts=amounts, summary=summary)
        ids = voorschot.save(db, household_id=household_id, year=year, today=today, planned=planned,
                             toeslagen=applied, reason="change", event_id=event_id, decided_at=now)
        households_store.bump_version(db, household_id)
        income_scan(db, self.settings, household_id)  # prompts follow the change (adopting a projection closes its prompt)
        return s.SubmitOut(
            event_id=event_id, kind=kind, effective_date=effective_date.isoformat(),
            summary=summary, version=households_store.version(db, household_id),
            toeslagen=[_outcome(t, planned[t], t in applied, latest.get(t), ids.get(t), year) for t in TOESLAGEN
                       if t in planned])

    # -- applying for a toeslag -----------------------------------------------------------------
    def apply_for(self, household_id: str, req: s.ApplicationRequest, key: str | None, req_hash: str):
        def work(db: Database):
            return 201, self._apply_for(db, household_id, req.toeslag)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    def _apply_for(self, db: Database, household_id: str, toeslag: str) -> s.SubmitOut:
        today = self.settings.today_date()
        year = today.year
        now = iso(self.settings.now())
        state = households_store.load(db, household_id)
        if state is None:
            raise not_found()
        if toeslag in situation.applied(state, year):
            raise conflict("already-applied", f"Je hebt {TOESLAG_NAMES[toeslag].lower()} voor {year} al aangevraagd.",
                           field="toeslag")
        decs = decisions_store.for_year(db, household_id, year)
        pays = decisions_store.payments(db, household_id, year)
        paid = situation.paid_lists(decs, pays, year, today)
        planned = voorschot.plan(state=state, year=year, today=today, paid=paid)
        if toeslag not in planned:
            raise Problem(503, "no-rules-for-year", "Nog niet beschikbaar",
                          f"De berekening voor {year} is nog niet beschikbaar.")
        if not planned[toeslag]["res"]["entitled"]:
            raise invalid("toeslag", f"Met je gegevens krijg je geen {TOESLAG_NAMES[toeslag].lower()}. "
                                     "Een aanvraag heeft daarom geen zin.")
        households_store.add_application(db, household_id, toeslag, year, 1, now)
        p = planned[toeslag]
        summary = f"Je vroeg {TOESLAG_NAMES[toeslag].lower()} aan voor {year}."
        event_id = events_store.append(
            db, household_id=household_id, occurred_at=now, actor="parent", source="parent", kind="application",
            effective_date=f"{year}-01-01", what={"toeslag": toeslag, "year": year},
            amounts={toeslag: {"before": 0, "after": p["new_monthly"]}}, summary=summary)
        ids = voorschot.save(db, household_id=household_id, year=year, today=today, planned=planned,
                             toeslagen={toeslag}, reason="application", event_id=event_id, decided_at=now)
        households_store.bump_version(db, household_id)
        income_scan(db, self.settings, household_id)  # closes a possible-non-use prompt
        return s.SubmitOut(event_id=event_id, kind="application", effective_date=f"{year}-01-01", summary=summary,
                           version=households_store.version(db, household_id),
                           toeslagen=[_outcome(toeslag, p, True, None, ids[toeslag], year)])


def _preview_out(pv: dict, applied: set[str]) -> s.PreviewOut:
    out = msgspec.convert(pv, s.PreviewOut, from_attributes=False)
    for t, tp in out.toeslagen.items():
        tp.applied = t in applied
    return out


def refusal(e: Any) -> Problem:
    """A change the household's facts do not allow (shared_rules.changes.ChangeRefused) as a problem."""
    if e.status == 404:
        return not_found(e.message, field=e.field)
    if e.code:
        return conflict(e.code, e.message, field=e.field, status=e.status)
    return invalid(e.field, e.message, status=e.status)


def persist(db: Database, household_id: str, writes: list[dict], now: str, *, bsn: str | None = None) -> None:
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


def _person_name(state: dict, person_id: str) -> str:
    return next(p["given_name"] for p in state["persons"] if p["id"] == person_id)


# -- what a change did, in the event log: (what, summary) per kind ---------------------------------

def _income_text(state: dict, c: s.IncomeChange, writes: list[dict]) -> tuple[dict, str]:
    w = writes[0]
    who = "je" if c.person == "applicant" else "het"
    extra = "" if c.person == "applicant" else " van je toeslagpartner"
    return ({"person": c.person, "person_id": w["person_id"], "year": w["year"], "income": w["income"],
             "assets": w["assets"]},
            f"Je gaf {who} inkomen{extra} voor {w['year']} door: {euro(w['income'], whole=True)}.")


def _home_text(state: dict, c: s.HomeChange, writes: list[dict]) -> tuple[dict, str]:
    return ({"rent": c.rent, "service_costs": c.service_costs},
            f"Je gaf een nieuwe huur door: {euro(c.rent)} per maand vanaf {_nl_date(c.date)}.")


def _address_text(state: dict, c: s.AddressChange, writes: list[dict]) -> tuple[dict, str]:
    return ({"renting": c.renting, "rent": c.rent, "city": c.address.city},
            f"Je gaf een verhuizing door op {_nl_date(c.date)} naar {c.address.city}.")


def _childcare_text(state: dict, c: s.ChildcareChange, writes: list[dict]) -> tuple[dict, str]:
    contract = next(x for x in state["contracts"] if x["id"] == c.contract_id)
    if c.ends:
        return ({"contract_id": contract["id"], "ends": True},
                f"Je gaf door dat de {contract['kind']} stopt op {_nl_date(c.date)}.")
    hours, rate = writes[0]["hours_per_month"], writes[0]["hourly_rate"]
    return ({"contract_id": contract["id"], "hours_per_month": hours, "hourly_rate": rate},
            f"Je gaf voor de {contract['kind']} door: {hours} uur per maand, "
            f"{euro(rate)} per uur, vanaf {_nl_date(c.date)}.")


def _partner_text(state: dict, c: s.PartnerChange, writes: list[dict]) -> tuple[dict, str]:
    if c.action == "moves_in":
        assert c.partner is not None  # the change model refuses a move-in without a partner
        pid = writes[0]["person"]["id"]
        return ({"action": "moves_in", "person_id": pid, "income": c.partner.income, "assets": c.partner.assets},
                f"Je gaf door dat {c.partner.given_name} op {_nl_date(c.date)} bij je komt wonen als toeslagpartner.")
    pid = writes[0]["person_id"]
    return ({"action": "moves_out", "person_id": pid},
            f"Je gaf door dat {_person_name(state, pid)} op {_nl_date(c.date)} niet meer je toeslagpartner is.")


def _child_text(state: dict, c: s.ChildChange, writes: list[dict]) -> tuple[dict, str]:
    if c.action in ("born", "moves_in"):
        assert c.child is not None  # the change model refuses a child without its data
        text = "is geboren" if c.action == "born" else "komt bij je wonen"
        return ({"action": c.action, "person_id": writes[0]["person"]["id"]},
                f"Je gaf door dat {c.child.given_name} op {_nl_date(c.date)} {text}.")
    pid = writes[0]["person_id"]
    return ({"action": "moves_out", "person_id": pid},
            f"Je gaf door dat {_person_name(state, pid)} op {_nl_date(c.date)} niet meer bij je woont.")


DESCRIBE: dict[str, Callable[[dict, Any, list[dict]], tuple[dict, str]]] = {
    "income": _income_text, "home": _home_text, "address": _address_text, "childcare": _childcare_text,
    "partner": _partner_text, "child": _child_text,
}


def _outcome(t: str, p: dict, applied: bool, previous: dict | None, decision_id: str | None,
             year: int = 0) -> s.ToeslagOutcome:
    r = p["result"]
    repayment = max(0, -p["past_months"])
    threshold = r.get("threshold") or (100000 if t == "kinderopvangtoeslag" else 50000)
    msg = None
    if decision_id is not None:
        _, msg = voorschot.message({
            "toeslag": t, "year": year, "reason": "change" if previous is not None else "application",
            "new_monthly": p["new_monthly"], "past_months": p["past_months"],
            "effective_month": p["effective_month"], "entitled": p["res"]["entitled"], "all_paid": p["all_paid"],
        }, previous)
    return s.ToeslagOutcome(
        toeslag=t, name=TOESLAG_NAMES[t], applied=applied, entitled=bool(p["res"]["entitled"]),
        per_year=p["res"]["per_year"], before_monthly=previous["new_monthly"] if previous else None,
        new_monthly=p["new_monthly"], effective_month=p["effective_month"], past_months=p["past_months"],
        repayment=repayment, hoge_terugvordering=repayment >= threshold, decision_id=decision_id, message=msg)


def _nl_date(day: dt.date) -> str:
    return f"{day.day} {month_name(day.month)} {day.year}"

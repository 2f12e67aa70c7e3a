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
from ..util import TOESLAG_NAMES, TOESLAGEN, bsn_valid, effective_month, euro, iso, month_name, new_id
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

    def _apply(self, db: Database, state: dict, change: Any, now: str) -> tuple[dict, str]:
        """Writes the change; returns (what, summary) for the event. `what` never holds a BSN."""
        hh = state["household"]["id"]
        day = change.date
        d = day.isoformat()
        self._check_date(day, "change.date")
        members = situation.members_on(state, day)
        year = day.year
        if isinstance(change, s.IncomeChange):
            person = next((p for p in members if p["role"] == change.person), None)
            if person is None:
                raise invalid("change.person", "Je hebt op deze datum geen toeslagpartner.")
            _, assets = situation.estimate(state, person["id"], year)
            new_assets = assets if change.assets is None else change.assets
            households_store.add_estimate(db, hh, person["id"], year, change.income, new_assets, "parent", now)
            who = "je" if change.person == "applicant" else "het"
            extra = "" if change.person == "applicant" else " van je toeslagpartner"
            return ({"person": change.person, "person_id": person["id"], "year": year, "income": change.income,
                     "assets": new_assets},
                    f"Je gaf {who} inkomen{extra} voor {year} door: {euro(change.income, whole=True)}.")
        if isinstance(change, s.HomeChange):
            home = situation.home_on(state, day)
            if home is None:
                raise invalid("change.kind", "We kennen je woning nog niet. Geef eerst je adres door.")
            households_store.add_home(db, hh, {**home, "valid_from": d, "renting": True, "rent": change.rent,
                                               "service_costs": change.service_costs}, now)
            return ({"rent": change.rent, "service_costs": change.service_costs},
                    f"Je gaf een nieuwe huur door: {euro(change.rent)} per maand vanaf {_nl_date(day)}.")
        if isinstance(change, s.AddressChange):
            if change.renting and change.rent is None:
                raise invalid("change.rent", "Vul de kale huur per maand in.")
            a = change.address
            self._check_text(a.street, "change.address.street", "Vul de straat in.")
            self._check_text(a.house_number, "change.address.house_number", "Vul het huisnummer in.")
            self._check_text(a.city, "change.address.city", "Vul de plaats in.")
            households_store.add_home(db, hh, {
                "valid_from": d, "street": a.street, "house_number": a.house_number,
                "postcode": a.postcode.upper().replace(" ", "")[:4] + " " + a.postcode.upper().replace(" ", "")[4:],
                "city": a.city, "renting": change.renting, "rent": change.rent if change.renting else None,
                "service_costs": change.service_costs if change.renting else 0,
            }, now)
            return ({"renting": change.renting, "rent": change.rent, "city": a.city},
                    f"Je gaf een verhuizing door op {_nl_date(day)} naar {a.city}.")
        if isinstance(change, s.ChildcareChange):
            contract = households_store.contract(db, hh, change.contract_id)
            if contract is None:
                raise not_found("Dit opvangcontract hebben we niet gevonden.", field="change.contract_id")
            if change.ends:
                if d <= contract["start_date"]:
                    raise invalid("change.date", "De einddatum ligt voor het begin van de opvang.")
                households_store.end_contract(db, hh, contract["id"], (day - dt.timedelta(days=1)).isoformat())
                return ({"contract_id": contract["id"], "ends": True},
                        f"Je gaf door dat de {contract['kind']} stopt op {_nl_date(day)}.")
            if change.hours_per_month is None and change.hourly_rate is None:
                raise invalid("change.hours_per_month", "Vul het aantal uren per maand of de uurprijs in.")
            current = situation.terms_on(state, contract["id"], day)
            hours = change.hours_per_month if change.hours_per_month is not None else current["hours_per_month"]
            rate = change.hourly_rate if change.hourly_rate is not None else current["hourly_rate"]
            households_store.add_terms(db, contract["id"], max(d, contract["start_date"]), hours, rate, now)
            return ({"contract_id": contract["id"], "hours_per_month": hours, "hourly_rate": rate},
                    f"Je gaf voor de {contract['kind']} door: {hours} uur per maand, "
                    f"{euro(rate)} per uur, vanaf {_nl_date(day)}.")
        if isinstance(change, s.PartnerChange):
            partner = next((p for p in members if p["role"] == "partner"), None)
            if change.action == "moves_in":
                if change.partner is None:
                    raise invalid("change.partner", "Vul de gegevens van je toeslagpartner in.")
                if partner is not None:
                    raise conflict("partner-exists", "Je hebt al een toeslagpartner.", field="change.action",
                                   status=422)
                np_ = change.partner
                self._check_text(np_.given_name, "change.partner.given_name", "Vul de voornaam van je partner in.")
                self._check_birth_date(np_.birth_date, "change.partner.birth_date")
                if np_.bsn is not None and not bsn_valid(np_.bsn):
                    raise invalid("change.partner.bsn", "Dit burgerservicenummer klopt niet.")
                pid = new_id("prs")
                households_store.add_person(db, {
                    "id": pid, "household_id": hh, "role": "partner", "given_name": np_.given_name,
                    "birth_date": np_.birth_date.isoformat(), "bsn": np_.bsn, "insured": np_.insured,
                    "works": np_.works, "member_from": d, "created_at": now})
                households_store.add_estimate(db, hh, pid, year, np_.income, np_.assets, "parent", now)
                return ({"action": "moves_in", "person_id": pid, "income": np_.income, "assets": np_.assets},
                        f"Je gaf door dat {np_.given_name} op {_nl_date(day)} bij je komt wonen als toeslagpartner.")
            if partner is None:
                raise invalid("change.action", "Je hebt op deze datum geen toeslagpartner.")
            households_store.end_membership(db, hh, partner["id"], d)
            return ({"action": "moves_out", "person_id": partner["id"]},
                    f"Je gaf door dat {partner['given_name']} op {_nl_date(day)} niet meer je toeslagpartner is.")
        if isinstance(change, s.ChildChange):
            if change.action in ("born", "moves_in"):
                if change.child is None:
                    raise invalid("change.child", "Vul de gegevens van het kind in.")
                c = change.child
                self._check_text(c.given_name, "change.child.given_name", "Vul de voornaam van het kind in.")
                self._check_birth_date(c.birth_date, "change.child.birth_date")
                if c.bsn is not None and not bsn_valid(c.bsn):
                    raise invalid("change.child.bsn", "Dit burgerservicenummer klopt niet.")
                if change.action == "born" and c.birth_date != day:
                    raise invalid("change.child.birth_date", "Bij een geboorte is de datum de geboortedatum.")
                if _age_on(c.birth_date, day) >= 18:
                    raise invalid("change.child.birth_date", "Dit kind is 18 jaar of ouder.")
                pid = new_id("prs")
                households_store.add_person(db, {
                    "id": pid, "household_id": hh, "role": "child", "given_name": c.given_name,
                    "birth_date": c.birth_date.isoformat(), "bsn": c.bsn, "member_from": d, "created_at": now})
                # a subordinate clause ("dat ... "): the finite verb goes last
                text = "is geboren" if change.action == "born" else "bij je komt wonen"
                return ({"action": change.action, "person_id": pid},
                        f"Je gaf door dat {c.given_name} op {_nl_date(day)} {text}.")
            if change.child_id is None:
                raise invalid("change.child_id", "Kies het kind dat het huis uit gaat.")
            child = next((p for p in members if p["role"] == "child" and p["id"] == change.child_id), None)
            if child is None:
                raise not_found("Dit kind hebben we niet gevonden.", field="change.child_id")
            households_store.end_membership(db, hh, child["id"], d)
            return ({"action": "moves_out", "person_id": child["id"]},
                    f"Je gaf door dat {child['given_name']} op {_nl_date(day)} niet meer bij je woont.")
        raise invalid("change.kind", "Dit soort wijziging kennen we niet.")  # pragma: no cover

    # -- preview --------------------------------------------------------------------------------
    def preview(self, household_id: str, req: s.ChangeRequest) -> s.PreviewOut:
        """The same call the phone makes: shared_rules.preview(timeline now, paid, change). The change
        situation is built by applying the change in a transaction that is rolled back."""
        change = req.change
        out, _ = self.preview_with(household_id, change.date,
                                   lambda db, state, now: self._apply(db, state, change, now))
        return out

    def preview_with(self, household_id: str, date: dt.date,
                     apply: Callable[[Database, dict, str], Any]) -> tuple[s.PreviewOut, dict]:
        """Preview of any change that `apply(db, state, now)` writes (rolled back afterwards), counting
        from `date` (Awir art. 5). Returns the preview and the `change` object handed to shared_rules."""
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
            ey, em = effective_month(date)
            on = dt.date(ey, em, 1) if ey == year else date
            result["situation"] = situation.situation_on(new_state, on, year)
            result["applied"] = situation.applied(state, year)
            raise Rollback()
        inp["change"] = {"date": date.isoformat(), "situation": result["situation"]}
        pv = rules.preview(inp)
        out = msgspec.convert(pv, s.PreviewOut, from_attributes=False)
        for t, tp in out.toeslagen.items():
            tp.applied = t in result["applied"]
        return out, inp["change"]

    # -- submit ---------------------------------------------------------------------------------
    def submit(self, household_id: str, req: s.ChangeRequest, key: str | None, req_hash: str):
        def work(db: Database):
            return 201, self._submit(db, household_id, req.change)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    def _submit(self, db: Database, household_id: str, change: Any) -> s.SubmitOut:
        tag = change.__struct_config__.tag
        return self.submit_with(db, household_id, apply=lambda db_, state, now: self._apply(db_, state, change, now),
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


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _nl_date(day: dt.date) -> str:
    return f"{day.day} {month_name(day.month)} {day.year}"

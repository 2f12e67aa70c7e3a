"""The year cycle of one household: its open years, next year's voorschot, the expected settlement of
a past year, the final income of a past year, and the definitieve berekening that closes a year."""

from __future__ import annotations

import datetime as dt

import msgspec
from litestar import Response
from sqlite_utils import Database

from ..household import situation, stored
from ..household.years import check_open, open_years_of, people_in, phone_input, record_final_income
from ..settings import Settings
from ..store import Rollback, Store
from ..store import events as events_store
from ..store import households as households_store
from ..store import years as years_store
from ..util import TOESLAG_NAMES, TOESLAGEN, euro, iso, new_id
from ..web import idempotency
from ..web.problems import invalid
from . import compute, cycle
from . import schemas as s


class YearService:
    def __init__(self, store: Store | None, settings: Settings):
        """`store` None: only the reads inside a caller's transaction (`years_in`; the scans)."""
        self._store = store
        self.settings = settings

    @property
    def store(self) -> Store:
        if self._store is None:
            raise RuntimeError("YearService without a store: use years_in(db, ...)")
        return self._store

    # -- reads ------------------------------------------------------------------------------------
    def _read(self, db: Database, household_id: str, year: int) -> tuple:
        decs, pays = stored.decided(db, household_id, year)
        return decs, pays

    def years(self, household_id: str, only: int | None = None) -> s.Years:
        with self.store.read() as db:
            return self._years_in(db, household_id, only)

    def years_in(self, db: Database, household_id: str, only: int | None = None,
                 kinds: frozenset[str] | None = None) -> s.Years:
        """`years`, inside the caller's transaction (reads through `db` only); `kinds`: only the open
        years of those kinds (the scan needs the past ones)."""
        return self._years_in(db, household_id, only, kinds)

    def _years_in(self, db: Database, household_id: str, only: int | None,
                  kinds: frozenset[str] | None = None) -> s.Years:
        today = self.settings.today_date()
        state = stored.load(db, household_id)
        closed = years_store.closed_years(db, household_id)
        finals = years_store.final_incomes(db, household_id)
        settled = years_store.settlements(db, household_id)
        wanted = open_years_of(self.settings, state, closed, today)
        if only is not None:
            if cycle.kind_of(only, wanted) is None:
                check_open(self.settings, db, household_id, state, only, "year")
            wanted = [y for y in wanted if y["year"] == only]
        if kinds is not None:
            wanted = [y for y in wanted if y["kind"] in kinds]
        out = [self._year(state, finals, settled, y["year"], y["kind"], today, *self._read(db, household_id, y["year"]))
               for y in wanted]
        return s.Years(today=today.isoformat(), current=today.year, years=out)

    def _year(self, state: dict, finals: list[dict], settled: list[dict], year: int, kind: s.YearKind, today: dt.date,
              decs: list[dict], pays: list[dict]) -> s.YearOut:
        applied = compute.applied_in(state, year, kind)
        st = compute.with_final_incomes(state, finals, year) if kind == cycle.PAST else state
        pv = compute.voorschot(st, decs, pays, year, today)
        items = []
        for t in TOESLAGEN:
            r = pv["toeslagen"][t]
            res = r["before"]
            if not compute.known(r):
                items.append(s.YearToeslag(toeslag=t, name=TOESLAG_NAMES[t], applied=t in applied, known=False,
                                           reasons=["no_parameters"]))
                continue
            unpaid = any(p is None for p in r["paid"])
            items.append(s.YearToeslag(
                toeslag=t, name=TOESLAG_NAMES[t], applied=t in applied, known=True,
                provisional=compute.provisional(r), source=compute.provisional_source(r, year, t),
                entitled=bool(res["entitled"]), reasons=list(res.get("reasons") or []), per_year=res["per_year"],
                per_month=r["new_monthly"] if unpaid else None, months=list(res["months"])))
        settlement = None
        prompt = None
        if kind == cycle.PAST:
            settlement = self._settlement(state, finals, settled, year, today, decs, pays, applied)
            prompt = f"Je definitieve berekening {year} komt eraan: klopt je inkomen?"
        elif kind == cycle.NEXT:
            if any(i.known for i in items if i.applied):
                prompt = f"Je voorschot voor {year} staat klaar. Klopt je inkomen voor {year}?"
            else:  # "staat klaar" over amounts that are all still unknown would promise what is not there
                prompt = (f"De bedragen voor {year} zijn nog niet bekend. Je kunt je inkomen voor {year} "
                          "al wel doorgeven.")
        elif today.month == 1:
            prompt = f"Klopt je inkomen voor {year} nog?"
        title = {"next": f"Voorschot {year}", "current": f"{year}", "past": f"Afrekening {year}"}[kind]
        ri = msgspec.convert(phone_input(state, finals, decs, pays, year, today), s.YearRulesInput)
        return s.YearOut(year=year, kind=kind, title=title, rules_version=pv["rules_version"], toeslagen=items,
                         settlement=settlement, prompt=prompt, rules_input=ri)

    def _settlement(self, state: dict, finals: list[dict], settled: list[dict], year: int, today: dt.date,
                    decs: list[dict], pays: list[dict], applied: set[str]) -> s.Settlement:
        c = compute.settlement(state, finals, decs, pays, year, today, applied)
        rows = []
        total = 0
        high = False
        for t in TOESLAGEN:
            x = c["toeslagen"].get(t)
            if x is None:
                continue
            if x["known"]:
                total += x["amount"]
                high = high or x["hoge_terugvordering"]
            rows.append(s.SettlementToeslag(toeslag=t, name=TOESLAG_NAMES[t], text=_amount_text(x["amount"]), **x))
        can_do = []
        if not c["final_income_known"]:
            can_do.append(f"Je definitieve inkomen over {year} is nog niet bekend. Heb je de aanslag inkomstenbelasting "
                          f"over {year} al? Vul dan het inkomen in dat daarop staat.")
        can_do.append(f"Klopt er iets niet over {year}? Bijvoorbeeld je inkomen, je huur, een partner of een kind. "
                      "Geef het nu nog door. Dat kan tot de definitieve berekening er is.")
        if total < 0:
            can_do.append("Moet je geld terugbetalen? Dan kun je een betalingsregeling vragen. Je betaalt dan in "
                          "delen per maand.")
        if high:
            can_do.append("Dit is veel geld. Zet het nu al opzij als dat kan, of vraag meteen een betalingsregeling.")
        return s.Settlement(year=year, final_income_known=c["final_income_known"],
                            final_income_source=c["final_income_source"],
                            decided=any(r["year"] == year for r in settled), toeslagen=rows, total=total,
                            text=_amount_text(total) if rows else f"Je had in {year} geen toeslag.",
                            hoge_terugvordering=high, can_do=can_do)

    # -- final income (the household's own figure from its tax assessment) -------------------------
    def _record_final(self, db: Database, household_id: str, req: s.FinalIncomeIn) -> s.Years:
        state = stored.load(db, household_id)
        today = self.settings.today_date()
        if req.year >= today.year:
            raise invalid("year", f"Een definitief inkomen is er pas na afloop van het jaar. Kies {today.year - 1} "
                                  "of een eerder jaar.")
        check_open(self.settings, db, household_id, state, req.year, "year")
        person = next((p for p in people_in(state, req.year) if p["role"] == req.person), None)
        if person is None:
            raise invalid("person", f"Je had in {req.year} geen toeslagpartner.")
        record_final_income(db, household_id=household_id, person=person, year=req.year, income=req.final_income,
                            source="parent", organisation_id=None, now=iso(self.settings.now()))
        return self._years_in(db, household_id, req.year)

    def preview_final_income(self, household_id: str, req: s.FinalIncomeIn) -> s.Years:
        """The year with that final income, as `add_final_income` would answer; nothing is stored."""
        out: dict = {}
        with self.store.write() as db:
            out["years"] = self._record_final(db, household_id, req)
            raise Rollback()
        return out["years"]

    def add_final_income(self, household_id: str, req: s.FinalIncomeIn, key: str | None, req_hash: str) -> Response:
        def work(db: Database) -> tuple[int, s.Years]:
            return 201, self._record_final(db, household_id, req)
        return idempotency.run(self.store, self.settings, f"hh:{household_id}", key, req_hash, work)

    # -- the definitieve berekening (the agency's decision; closes the year) -----------------------
    def decide(self, db: Database, household_id: str, year: int) -> list[dict]:
        """Records the definitieve berekening of `year` as computed now (final income where known) and
        closes the year. Used by the agency side (CLI, demo, tests)."""
        today = self.settings.today_date()
        state = stored.load(db, household_id)
        kind = check_open(self.settings, db, household_id, state, year, "year")
        if kind != cycle.PAST:
            raise invalid("year", f"{year} is nog niet voorbij.")
        decs, pays = self._read(db, household_id, year)
        finals = years_store.final_incomes(db, household_id)
        c = compute.settlement(state, finals, decs, pays, year, today, situation.applied(state, year))
        now = iso(self.settings.now())
        amounts = {t: {"per_year": x["per_year"], "paid": x["paid"], "amount": x["amount"]}
                   for t, x in sorted(c["toeslagen"].items()) if x["known"]}
        total = sum(a["amount"] for a in amounts.values())
        event_id = events_store.append(
            db, household_id=household_id, occurred_at=now, actor="agency", source="agency",
            kind="decision.definitive", effective_date=f"{year}-12-31", what={"year": year}, amounts=amounts,
            summary=f"Definitieve berekening {year}: {_amount_text(total).replace('naar verwachting ', '')}.")
        for t, a in amounts.items():
            years_store.add_settlement(db, household_id=household_id, year=year, toeslag=t, per_year=a["per_year"],
                                       paid=a["paid"], decided_at=now, event_id=event_id)
            if years_store.ledger_store is not None:  # the ledger event that closes the year (issue #14)
                years_store.ledger_store.add_correction(db, {
                    "id": new_id("cor"), "household_id": household_id, "toeslag": t, "year": year,
                    "kind": "definitive_settlement", "amount": a["amount"], "decided_on": today.isoformat(),
                    "due_on": None, "decision_id": None, "created_at": now})
        households_store.bump_version(db, household_id)
        return [dict(toeslag=t, **a) for t, a in amounts.items()]


def _amount_text(amount: int | None) -> str:
    if amount is None:
        return "Nog niet bekend"
    if amount > 0:
        return f"Je krijgt naar verwachting {euro(amount, whole=True)} terug"
    if amount < 0:
        return f"Je betaalt naar verwachting {euro(-amount, whole=True)} terug"
    return "Je hoeft naar verwachting niets terug te betalen"

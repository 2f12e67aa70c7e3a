"""Reads of one household: its data, the overview of this year, history and messages."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence

import anyio
import msgspec

from .. import ledger, rules
from ..settings import Settings
from ..store import Store
from ..store import decisions as decisions_store
from ..store import events as events_store
from ..store import feeds as feeds_store
from ..store import households as households_store
from ..store import overviews as overviews_store
from ..util import TOESLAG_NAMES, TOESLAGEN, iso
from ..web.problems import not_found
from . import read, situation, snapshot, voorschot
from . import schemas as s
from .models import Decision, Estimate, Household, Row, decision_rows

log = logging.getLogger(__name__)


def _mask(bsn: str | None) -> str | None:
    return None if not bsn else "******" + bsn[-3:]


class HouseholdService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    # -- overview -----------------------------------------------------------------------------
    async def overview(self, household_id: str, year: int | None = None, stored: Row | None = None) -> bytes:
        """The encoded overview of `year` (an open year; default this year). This year's is stored when
        it is worked out (snapshot.py): while it holds, serving it is one read on the event loop, on any
        node (the data version is read with it, so a change made through another node is never missed).
        `stored`: store.overviews.current_query's row, when the caller read it already (with the session)."""
        today = self.settings.today_date()
        if (year is not None and year != today.year) or not self.settings.overview_stored:
            return await anyio.to_thread.run_sync(self.overview_json, household_id, year)
        if stored is None:
            found = await self.store.fetch(overviews_store.current_query(household_id))
            if not found:
                raise not_found()
            stored = found[0]
        if snapshot.holds(stored, today):
            return snapshot.unpack(stored["body"], today)
        return await anyio.to_thread.run_sync(self.overview_json, household_id, None)

    def overview_json(self, household_id: str, year: int | None = None) -> bytes:
        """The overview of `year` worked out now. Another year than this one is shown as on its first
        month not paid yet (next year: January), or December for a past year. This year's is stored."""
        today = self.settings.today_date()
        y = today.year if year is None else year
        if y != today.year:
            with self.store.read() as db:
                found = read.year_in(db, household_id, y)
                if found is None:
                    raise not_found()
                from .years import check_open
                check_open(self.settings, db, household_id, found.household.state(), y, "year")
            return msgspec.json.encode(self._overview(found, today, y))
        # everything it needs in one read (one statement on PostgreSQL), its data version from that snapshot
        found = read.year(self.store, household_id, y)
        if found is None:
            raise not_found()
        body = msgspec.json.encode(self._overview(found, today, y))
        if self.settings.overview_stored:
            try:
                self._put([(household_id, found.household.version, body)], today)
            except Exception:  # a stored overview is a cache: the parent still gets this one
                log.exception("overview not stored")
        return body

    def refresh_stored(self, household_ids: list[str]) -> int:
        """Works out anew and stores this year's overview of each household (the nightly job
        `overviews`, for those whose stored one ran out). Returns how many were stored."""
        today = self.settings.today_date()
        done: list[tuple[str, int, bytes]] = []
        failed = 0
        for hid in household_ids:
            try:
                found = read.year(self.store, hid, today.year)
                if found is not None:
                    done.append((hid, found.household.version,
                                 msgspec.json.encode(self._overview(found, today, today.year))))
            except Exception:  # one household's failure must not stop the others' (it is worked out on request)
                failed += 1
        if failed:
            log.error("overviews not worked out: %d of %d", failed, len(household_ids))
        self._put(done, today)
        return len(done)

    def _put(self, worked_out: list[tuple[str, int, bytes]], today: dt.date) -> None:
        valid_from, valid_until = snapshot.window(today)
        now = iso(self.settings.now())
        rows = [(hid, today.year, version, snapshot.code(), valid_from.isoformat(), valid_until.isoformat(),
                 snapshot.pack(body, today), now) for hid, version, body in worked_out]
        if rows:
            with self.store.write(household=[r[0] for r in rows]) as db:
                overviews_store.put_many(db, rows)

    def _overview(self, found: read.Year, today: dt.date, year: int) -> s.Overview:
        return self.compute_overview(found.household, found.decisions, found.payments, today, found.corrections,
                                     year=year)

    def compute_overview(self, state: Household, decs: list[Decision], pays: list[Row], today: dt.date,
                         corrections: Sequence[Row] = (), year: int | None = None) -> s.Overview:
        """Every amount of a toeslag the household applied for comes from its ledger (api/ledger):
        paid months as paid, the rest as the decision in force schedules, corrections as their own
        lines; the entitlement and steps from shared_rules. Another year than this one is shown as on
        its first month not paid yet (next year: January), or December for a past year."""
        from . import years as year_compute
        year = today.year if year is None else year
        month = today.month if year == today.year else (1 if year > today.year else 12)
        rows = state.state()  # the rows shared_rules and api/household/years read
        inp = situation.rules_input(rows, decs, pays, year, today)
        pv = year_compute.preview(inp, year)  # a year without parameters: every toeslag "nog niet bekend"
        try:
            # This month's situation stands in where the year says nothing: its reasons for a toeslag
            # whose year gives none (an entitled one), its steps where the year's explanation has none.
            # Only those toeslagen are worked out, the reasons without steps (the same reasons).
            now = situation.situation_on(rows, dt.date(year, month, 1), year, month=month)
            calc = rules.calculate_only(now, [t for t in TOESLAGEN if not pv["toeslagen"][t]["before"].get("reasons")],
                                        explain=False)
            explained = rules.year_explained(inp["timeline"], month)
            bare = [t for t in TOESLAGEN if not explained[t].get("steps")]
            if bare:
                calc["toeslagen"].update(rules.calculate_only(now, bare)["toeslagen"])
        except rules.InputError as e:
            if str(getattr(e, "field", "")).split(".")[-1] != "year":
                raise
            calc = {"toeslagen": {t: {"steps": [], "reasons": ["no_parameters"]} for t in TOESLAGEN}}
            explained = {t: {} for t in TOESLAGEN}
        applied = year_compute.applied_in(rows, year, "next" if year > today.year else "current")
        # the ledger of each toeslag applied for (a toeslag not applied for shows none)
        drows, cors = decision_rows(decs), list(corrections)
        books = {t: ledger.build(t, year, today, drows, pays, cors) for t in TOESLAGEN if t in applied}
        in_force = situation.latest_decisions(decs)
        items = []
        total = 0
        for t in TOESLAGEN:
            r = pv["toeslagen"][t]
            res = r["before"]
            months = list(res["months"])
            is_applied = t in applied
            paid = list(r["paid"]) if is_applied else [None if p is None else 0 for p in r["paid"]]
            sched = list(r["voorschot"]) if is_applied else [0] * 12
            if is_applied and t in in_force:
                # months still to pay get the voorschot of the decision in force: normally the
                # entitlement, lower when the household chose a voorzichtig voorschot
                decided = {m.month: m.voorschot for m in in_force[t].months}
                sched = [sched[i] if paid[i] is not None else decided.get(i + 1, sched[i]) for i in range(12)]
            entitled = bool(res["entitled"]) and res["per_year"] > 0
            status: s.ToeslagStatus = "not_entitled" if not entitled else ("applied" if is_applied else "not_applied")
            if not year_compute.known(r):
                status = "unknown"  # no parameters for the year: no amount ("nog niet bekend"), never € 0
            nxt = None
            today_s = today.isoformat()
            for m in range(1, 13):
                d = rules.payment_date(year, m)
                if d > today_s:
                    nxt = s.NextPayment(date=d, month=f"{year}-{m:02d}", amount=sched[m - 1] if is_applied else None)
                    break
            if nxt is None:
                try:
                    nxt = s.NextPayment(date=rules.payment_date(year + 1, 1), month=f"{year + 1}-01", amount=None)
                except Exception:
                    nxt = None
            book = books.get(t)
            if book is not None:
                # the amount of a paid month is what was paid (a later correction is its own line)
                line = book.months[month - 1]
                amount_now = line.paid if line.paid is not None else sched[month - 1]
            else:
                amount_now = 0
            total += amount_now
            steps_src = explained[t].get("steps") or calc["toeslagen"][t].get("steps") or []
            items.append(s.ToeslagOverview(
                toeslag=t, name=TOESLAG_NAMES[t], status=status, applied=is_applied, entitled=entitled,
                reasons=list(res.get("reasons") or calc["toeslagen"][t].get("reasons") or []),
                per_year=res["per_year"], entitlement_this_month=months[month - 1], amount_this_month=amount_now,
                months=months, voorschot=sched, paid=paid, next_payment=nxt,
                year_so_far=s.YearSoFar(months=month, paid=book.paid_so_far if book is not None else 0,
                                        entitled=sum(months[:month])),
                expected_settlement=res["per_year"] - sum(sched) if is_applied else 0,
                steps=[s.Step(text=st.get("text", ""), amount=st.get("amount"), law=st.get("law"))
                       for st in steps_src],
                ledger=book,
            ))
        return s.Overview(year=year, month=month, today=today.isoformat(), rules_version=pv["rules_version"] or "",
                          household_label=state.label, total_this_month=total, toeslagen=items,
                          warnings=msgspec.convert(pv.get("warnings") or [], list[s.RulesWarning]))

    # -- household data -----------------------------------------------------------------------
    def household(self, household_id: str) -> s.HouseholdOut:
        today = self.settings.today_date()
        year = today.year
        with self.store.read() as db:
            hh = read.household(db, household_id)
            if hh is None:
                raise not_found()
            decs = read.decisions_for_year(db, household_id, year)
            pays = decisions_store.payments(db, household_id, year)
            reports = feeds_store.reports_for_household(db, household_id, year)
        rows = hh.state()  # the rows shared_rules reads
        inp = situation.rules_input(rows, decs, pays, year, today)
        terms_now: dict[str, Row] = {}
        for c in hh.contracts:
            t = situation.terms_on(rows, c.id, today)
            if t is not None:
                terms_now[c.id] = t
        latest_est: dict[tuple[str, int], Estimate] = {}
        for e in hh.estimates:
            latest_est[(e.person_id, e.year)] = e
        return s.HouseholdOut(
            label=hh.label, version=hh.version, year=year,
            today=today.isoformat(),
            persons=[s.PersonOut(id=p.id, role=p.role, given_name=p.given_name, birth_date=p.birth_date,
                                 bsn_masked=_mask(p.bsn), insured=p.insured, works=p.works,
                                 member_from=p.member_from, member_until=p.member_until,
                                 treaty_country=p.treaty_country, co_resident_is_child=p.co_resident_is_child)
                     for p in hh.persons],
            homes=[s.HomeOut(valid_from=h.valid_from, street=h.street, house_number=h.house_number,
                             postcode=h.postcode, city=h.city, renting=h.renting, rent=h.rent,
                             service_costs=h.service_costs) for h in hh.homes],
            contracts=[s.ContractOut(
                id=c.id, child_id=c.child_id, organisation=c.organisation_name,
                location_name=c.location_name, lrk_number=c.lrk_number, kind=c.kind,
                start_date=c.start_date, end_date=c.end_date,
                hours_per_month=terms_now[c.id]["hours_per_month"] if c.id in terms_now else None,
                hourly_rate=terms_now[c.id]["hourly_rate"] if c.id in terms_now else None)
                for c in hh.contracts],
            estimates=[s.EstimateOut(person_id=e.person_id, year=e.year, income=e.income, assets=e.assets)
                       for e in latest_est.values()],
            applications=sorted(hh.applied(year)),
            reports=[s.ReportOut(
                data_type=r["data_type"], organisation_id=r["organisation_id"], person_id=r["person_id"],
                month=r["month"], received_at=r["received_at"], contract_id=r["contract_id"], hours=r["hours"],
                hourly_rate=r["hourly_rate"], wages=r["wages"],
                insured=None if r["insured"] is None else bool(r["insured"]), rent=r["rent"],
                service_costs=r["service_costs"]) for r in reports],
            rules_input=s.RulesInput(**inp),
            facts=situation.facts(rows),
        )

    # -- history and messages -----------------------------------------------------------------
    def history(self, household_id: str, year: int) -> s.History:
        with self.store.read() as db:
            if households_store.version(db, household_id) is None:
                raise not_found()
            decs = read.decisions_for_year(db, household_id, year)
            pays = decisions_store.payments(db, household_id, year)
            evs = events_store.for_household(db, household_id)
        return s.History(
            year=year,
            decisions=[_decision_out(d) for d in reversed(decs)],
            payments=[s.PaymentOut(toeslag=p["toeslag"], month=p["month"], kind=p["kind"], amount=p["amount"],
                                   payment_date=p["payment_date"]) for p in pays],
            events=[s.EventOut(id=e["id"], occurred_at=e["occurred_at"], source=e["source"], kind=e["kind"],
                               effective_date=e["effective_date"], summary=e["summary"], amounts=e["amounts"])
                    for e in evs if (e["effective_date"] or e["occurred_at"])[:4] == str(year)],
        )

    def messages(self, household_id: str) -> s.Messages:
        with self.store.read() as db:
            if households_store.version(db, household_id) is None:
                raise not_found()
            decs = read.recent_decisions(db, household_id, limit=200)
        decs = list(reversed(decs))  # oldest first, to know the previous decision per toeslag
        previous: dict[tuple[str, int], Decision] = {}
        out = []
        # One change recalculates every toeslag the household gets: one message per change (its
        # event), naming the toeslagen it touched, not one per toeslag.
        groups: list[list[Decision]] = []
        for d in decs:
            last = groups[-1] if groups else None
            if (last and d.reason == "change" and last[0].reason == "change" and d.event_id is not None
                    and last[0].event_id == d.event_id and last[0].year == d.year):
                last.append(d)
            else:
                groups.append([d])
        for group in groups:
            d = group[0]
            if d.reason == "change":
                before = {x.toeslag: previous.get((x.toeslag, x.year)) for x in group}
                names, title, body = voorschot.change_message(group, {t: p for t, p in before.items() if p})
            else:
                title, body = voorschot.message(d, previous.get((d.toeslag, d.year)))
                names = [d.toeslag]
            for x in group:
                previous[(x.toeslag, x.year)] = x
            out.append(s.MessageOut(id=d.id, date=d.decided_at, toeslag=names[0], toeslagen=names,
                                    title=title, body=body))
        out.reverse()
        return s.Messages(messages=out)


def _decision_out(d: Decision) -> s.DecisionOut:
    return s.DecisionOut(
        id=d.id, toeslag=d.toeslag, name=TOESLAG_NAMES[d.toeslag], year=d.year, decided_at=d.decided_at,
        reason=d.reason, effective_month=d.effective_month, entitled=d.entitled, per_year=d.per_year,
        new_monthly=d.new_monthly, past_months=d.past_months,
        months=[s.DecisionMonth(month=m.month, entitlement=m.entitlement, voorschot=m.voorschot,
                                payment_date=m.payment_date) for m in d.months])

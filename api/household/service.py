"""Reads of one household: its data, the overview of this year, history and messages."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict

import msgspec

from .. import ledger, rules
from ..settings import Settings
from ..store import Store
from ..store import decisions as decisions_store
from ..store import events as events_store
from ..store import feeds as feeds_store
from ..store import households as households_store
from ..store import ledger as ledger_store
from ..store.found import present
from ..util import TOESLAG_NAMES, TOESLAGEN
from ..web.problems import not_found
from . import schemas as s
from . import situation, stored, voorschot

# an overview as cached: ((data version, today), the encoded overview)
_Cached = tuple[tuple[int, dt.date], bytes]


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict[str, _Cached] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> _Cached | None:
        with self.lock:
            v = self.data.get(key)
            if v is not None:
                self.data.move_to_end(key)
            return v

    def put(self, key: str, value: _Cached) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            while len(self.data) > self.size:
                self.data.popitem(last=False)


def _mask(bsn: str | None) -> str | None:
    return None if not bsn else "******" + bsn[-3:]


class HouseholdService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings
        # The overview per household with the (data version, today) it was computed for: the store stays
        # the source of truth (the version is read on every request), so any node can serve any
        # household. One entry per household: keyed by (household, version, today), every change left
        # its superseded overview behind (~25 KB each, never served again) until 4,096 of them filled
        # the cache — the server's memory grew with every change under load.
        self._cache = _LRU(settings.overview_cache_size)

    def _cached(self, household_id: str, version: int, today: dt.date) -> bytes | None:
        hit = self._cache.get(household_id)
        if hit is not None and hit[0] == (version, today):
            return hit[1]
        return None

    # -- overview -----------------------------------------------------------------------------
    def overview_json(self, household_id: str, year: int | None = None) -> bytes:
        """The overview of `year` (an open year; default this year). Another year than this one is
        shown as on its first month not paid yet (next year: January), or December for a past year."""
        today = self.settings.today_date()
        y = today.year if year is None else year
        other = y != today.year
        with self.store.read() as db:
            version = households_store.version(db, household_id)
            if version is None:
                raise not_found()
            hit = None if other else self._cached(household_id, version, today)
            if hit is not None:
                return hit
            state = present(households_store.load(db, household_id), "household")  # its version was just read
            if other:
                from .years import check_open
                check_open(self.settings, db, household_id, state, y, "year")
            decs = decisions_store.for_year(db, household_id, y)
            pays = decisions_store.payments(db, household_id, y)
            cors = ledger_store.corrections(db, household_id, y)
        body = msgspec.json.encode(self.compute_overview(state, decs, pays, today, cors, year=y))
        if not other:
            self._cache.put(household_id, ((version, today), body))
        return body

    def compute_overview(self, state: dict, decs: list[dict], pays: list[dict], today: dt.date,
                         corrections: list[dict] | tuple = (), year: int | None = None) -> s.Overview:
        """Every amount of a toeslag the household applied for comes from its ledger (api/ledger):
        paid months as paid, the rest as the decision in force schedules, corrections as their own
        lines; the entitlement and steps from shared_rules. Another year than this one is shown as on
        its first month not paid yet (next year: January), or December for a past year."""
        from . import years as year_compute
        year = today.year if year is None else year
        month = today.month if year == today.year else (1 if year > today.year else 12)
        books = ledger.build_all(year, today, decs, pays, list(corrections))
        inp = situation.rules_input(state, decs, pays, year, today)
        pv = year_compute.preview(inp, year)  # a year without parameters: every toeslag "nog niet bekend"
        try:
            calc = rules.calculate(situation.situation_on(state, dt.date(year, month, 1), year, month=month))
            explained = rules.year_explained(inp["timeline"], month)
        except rules.InputError as e:
            if str(getattr(e, "field", "")).split(".")[-1] != "year":
                raise
            calc = {"toeslagen": {t: {"steps": [], "reasons": ["no_parameters"]} for t in TOESLAGEN}}
            explained = {t: {} for t in TOESLAGEN}
        applied = year_compute.applied_in(state, year, "next" if year > today.year else "current")
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
                decided = {m["month"]: m["voorschot"] for m in in_force[t]["months"]}
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
            book = books[t]
            if is_applied:
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
                year_so_far=s.YearSoFar(months=month, paid=book.paid_so_far if is_applied else 0,
                                        entitled=sum(months[:month])),
                expected_settlement=res["per_year"] - sum(sched) if is_applied else 0,
                steps=[s.Step(text=st.get("text", ""), amount=st.get("amount"), law=st.get("law"))
                       for st in steps_src],
                ledger=book if is_applied else None,
            ))
        return s.Overview(year=year, month=month, today=today.isoformat(), rules_version=pv["rules_version"] or "",
                          household_label=state["household"]["label"], total_this_month=total, toeslagen=items,
                          warnings=msgspec.convert(pv.get("warnings") or [], list[s.RulesWarning]))

    # -- household data -----------------------------------------------------------------------
    def household(self, household_id: str) -> s.HouseholdOut:
        today = self.settings.today_date()
        year = today.year
        with self.store.read() as db:
            state = stored.load(db, household_id)
            decs, pays = stored.decided(db, household_id, year)
            reports = feeds_store.reports_for_household(db, household_id, year)
        inp = situation.rules_input(state, decs, pays, year, today)
        terms_now: dict[str, dict] = {}
        for c in state["contracts"]:
            t = situation.terms_on(state, c["id"], today)
            if t is not None:
                terms_now[c["id"]] = t
        latest_est: dict[tuple[str, int], dict] = {}
        for e in state["estimates"]:
            latest_est[(e["person_id"], e["year"])] = e
        return s.HouseholdOut(
            label=state["household"]["label"], version=state["household"]["version"], year=year,
            today=today.isoformat(),
            persons=[s.PersonOut(id=p["id"], role=p["role"], given_name=p["given_name"], birth_date=p["birth_date"],
                                 bsn_masked=_mask(p["bsn"]), insured=bool(p["insured"]), works=bool(p["works"]),
                                 member_from=p["member_from"], member_until=p["member_until"],
                                 treaty_country=p["treaty_country"],
                                 co_resident_is_child=bool(p["co_resident_is_child"]))
                     for p in state["persons"]],
            homes=[s.HomeOut(valid_from=h["valid_from"], street=h["street"], house_number=h["house_number"],
                             postcode=h["postcode"], city=h["city"], renting=bool(h["renting"]), rent=h["rent"],
                             service_costs=h["service_costs"]) for h in state["homes"]],
            contracts=[s.ContractOut(
                id=c["id"], child_id=c["child_id"], organisation=c["organisation_name"],
                location_name=c["location_name"], lrk_number=c["lrk_number"], kind=c["kind"],
                start_date=c["start_date"], end_date=c["end_date"],
                hours_per_month=terms_now[c["id"]]["hours_per_month"] if c["id"] in terms_now else None,
                hourly_rate=terms_now[c["id"]]["hourly_rate"] if c["id"] in terms_now else None)
                for c in state["contracts"]],
            estimates=[s.EstimateOut(person_id=e["person_id"], year=e["year"], income=e["income"], assets=e["assets"])
                       for e in latest_est.values()],
            applications=sorted(situation.applied(state, year)),
            reports=[s.ReportOut(
                data_type=r["data_type"], organisation_id=r["organisation_id"], person_id=r["person_id"],
                month=r["month"], received_at=r["received_at"], contract_id=r["contract_id"], hours=r["hours"],
                hourly_rate=r["hourly_rate"], wages=r["wages"],
                insured=None if r["insured"] is None else bool(r["insured"]), rent=r["rent"],
                service_costs=r["service_costs"]) for r in reports],
            rules_input=s.RulesInput(**inp),
            facts=situation.facts(state),
        )

    # -- history and messages -----------------------------------------------------------------
    def history(self, household_id: str, year: int) -> s.History:
        with self.store.read() as db:
            if households_store.version(db, household_id) is None:
                raise not_found()
            decs, pays = stored.decided(db, household_id, year)
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
            decs = decisions_store.recent(db, household_id, limit=200)
        decs = list(reversed(decs))  # oldest first, to know the previous decision per toeslag
        previous: dict[tuple[str, int], dict] = {}
        out = []
        # One change recalculates every toeslag the household gets: one message per change (its
        # event), naming the toeslagen it touched, not one per toeslag.
        groups: list[list[dict]] = []
        for d in decs:
            last = groups[-1] if groups else None
            if (last and d["reason"] == "change" and last[0]["reason"] == "change" and d["event_id"] is not None
                    and last[0]["event_id"] == d["event_id"] and last[0]["year"] == d["year"]):
                last.append(d)
            else:
                groups.append([d])
        for group in groups:
            d = group[0]
            if d["reason"] == "change":
                before = {x["toeslag"]: previous.get((x["toeslag"], x["year"])) for x in group}
                names, title, body = voorschot.change_message(group, {t: p for t, p in before.items() if p})
            else:
                title, body = voorschot.message(d, previous.get((d["toeslag"], d["year"])))
                names = [d["toeslag"]]
            for x in group:
                previous[(x["toeslag"], x["year"])] = x
            out.append(s.MessageOut(id=d["id"], date=d["decided_at"], toeslag=names[0], toeslagen=names,
                                    title=title, body=body))
        out.reverse()
        return s.Messages(messages=out)


def _decision_out(d: dict) -> s.DecisionOut:
    return s.DecisionOut(
        id=d["id"], toeslag=d["toeslag"], name=TOESLAG_NAMES[d["toeslag"]], year=d["year"], decided_at=d["decided_at"],
        reason=d["reason"], effective_month=d["effective_month"], entitled=bool(d["entitled"]), per_year=d["per_year"],
        new_monthly=d["new_monthly"], past_months=d["past_months"],
        months=[s.DecisionMonth(month=m["month"], entitlement=m["entitlement"], voorschot=m["voorschot"],
                                payment_date=m["payment_date"]) for m in d["months"]])

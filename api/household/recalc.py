"""Apply a change to a household and recalculate its voorschot decisions: the one way every channel
(a parent's change, adopted childcare hours, their undo, a correction, the high end of an income
band) turns writes into decisions. It sits below the domains that call it (changes, childcare,
income) and imports none of them; what must follow every recalculation inside the same
transaction (the income drift scan) registers itself as a hook (api/app.py wires it).

- `preview(household_id, date, apply)`: the writes of `apply` in a transaction that is rolled back;
  shared_rules.preview of the year's timeline after them against the one before.
- `submit(db, household_id, apply=..., ...)`: the writes, the event, one decision per applied toeslag,
  the hooks; the answer (`SubmitOut`) says per toeslag what was decided (`outcome`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import msgspec
from sqlite_utils import Database

from .. import ledger, rules
from ..settings import Settings
from ..store import Rollback, Store
from ..store import decisions as decisions_store
from ..store import events as events_store
from ..store import households as households_store
from ..store.found import present
from ..util import TOESLAG_NAMES, TOESLAGEN, iso
from ..web.problems import not_found
from . import read, situation, stored, voorschot
from . import schemas as s
from .models import Decision, Plan, Row, decisions_from_rows

# apply(db, state, now) -> (what, summary): writes one change to the store, says what for the event log
Apply = Callable[[Database, Row, str], tuple[Row, str]]
# hook(db, household_id): runs after every recalculation, in its transaction
Hook = Callable[[Database, str], Any]


class Recalc:
    def __init__(self, store: Store, settings: Settings, hooks: list[Hook] | None = None):
        self.store = store
        self.settings = settings
        self.hooks: list[Hook] = list(hooks or [])

    def add_hook(self, hook: Hook) -> None:
        self.hooks.append(hook)

    def after_change(self, db: Database, household_id: str) -> None:
        """Runs the hooks (prompts follow the change: adopting a projection closes its prompt)."""
        for hook in self.hooks:
            hook(db, household_id)

    # -- preview --------------------------------------------------------------------------------
    def preview(self, household_id: str, date: dt.date, apply: Callable[[Database, Row, str], Any]
                ) -> tuple[s.PreviewOut, Row]:
        """Preview of any change that `apply(db, state, now)` writes (rolled back afterwards), counting
        from `date` (Awir art. 5): the year's timeline after the writes against the one before, as the
        decision will see them. Returns the preview and the `change` object handed to shared_rules."""
        today = self.settings.today_date()
        year = today.year
        result: Row = {}
        with self.store.write(household=household_id) as db:
            state = households_store.load(db, household_id)
            if state is None:
                raise not_found()
            decs = read.decisions_for_year(db, household_id, year)
            pays = decisions_store.payments(db, household_id, year)
            inp = situation.rules_input(state, decs, pays, year, today)
            apply(db, state, iso(self.settings.now()))
            new_state = present(households_store.load(db, household_id), "household after the change")
            result["timeline"] = situation.timeline(new_state, year)
            result["applied"] = situation.applied(state, year)
            raise Rollback()
        inp["change"] = {"date": date.isoformat(), "timeline": result["timeline"]}
        return preview_out(rules.preview(inp), result["applied"]), inp["change"]

    # -- submit ---------------------------------------------------------------------------------
    def submit(self, db: Database, household_id: str, *, apply: Apply, kind: str, event_kind: str,
               effective_date: dt.date, source: str = "parent", actor: str = "parent",
               amounts_month: int | None = None, year: int | None = None) -> s.SubmitOut:
        """Stores a change that `apply(db, state, now) -> (what, summary)` writes, logs the event (with
        `source`, e.g. "kinderopvang" for hours the childcare organisation reported) and records a voorschot
        decision per applied toeslag. Event amounts per applied toeslag: by default the monthly voorschot
        before/after; with `amounts_month` the entitlement of that month before/after, plus the yearly
        entitlement before/after and `past_months` (settled now for months already paid).

        `year`: the toeslag year (default: this year; api/years): a past year is computed with its final
        income where known; next year's toeslagen continue the ones the household has now."""
        from ..store import years as years_store  # the year cycle (issue #15)
        from . import years as year_compute
        today = self.settings.today_date()
        year = today.year if year is None else year
        now = iso(self.settings.now())
        state = stored.load(db, household_id)
        finals = years_store.final_incomes(db, household_id) if year < today.year else []
        dec_rows, pays = decisions_store.for_year_and_payments(db, household_id, year)
        decs = decisions_from_rows(dec_rows)
        paid = situation.paid_lists(decs, pays, year, today)
        latest = situation.latest_decisions(decs)
        applied = year_compute.applied_in(state, year, "next" if year > today.year else "current")
        what, summary = apply(db, state, now)
        if year > today.year:
            for t in sorted(applied - situation.applied(state, year)):  # next year's toeslagen run on
                households_store.add_application(db, household_id, t, year, 1, now)
        state = year_compute.with_final_incomes(state, finals, year)
        new_state = present(households_store.load(db, household_id), "household after the change")
        new_state = year_compute.with_final_incomes(new_state, finals, year)
        planned = voorschot.plan(state=new_state, year=year, today=today, paid=paid)
        if amounts_month is None:
            amounts = {t: {"before": latest[t].new_monthly if t in latest else 0,
                           "after": planned[t].new_monthly}
                       for t in sorted(applied) if t in planned}
        else:
            old = voorschot.plan(state=state, year=year, today=today, paid=paid)
            amounts = {t: {"before": old[t].months[amounts_month - 1],
                           "after": planned[t].months[amounts_month - 1],
                           "per_year_before": old[t].per_year, "per_year_after": planned[t].per_year,
                           "past_months": planned[t].past_months}
                       for t in sorted(applied) if t in planned and t in old}
        event_id = events_store.append(
            db, household_id=household_id, occurred_at=now, actor=actor, source=source,
            kind=event_kind, effective_date=effective_date.isoformat(), what=what,
            amounts=amounts, summary=summary)
        ids = voorschot.save(db, household_id=household_id, year=year, today=today, planned=planned,
                             toeslagen=applied, reason="change", event_id=event_id, decided_at=now)
        # the hooks (the income scan: prompts) do not change the household's data version
        version = present(households_store.bump_version(db, household_id), "household version")
        self.after_change(db, household_id)
        return s.SubmitOut(
            event_id=event_id, kind=kind, effective_date=effective_date.isoformat(), year=year,
            summary=summary, version=version,
            toeslagen=[outcome(t, planned[t], t in applied, latest.get(t), ids.get(t), year, today) for t in TOESLAGEN
                       if t in planned])


def preview_out(pv: Row, applied: set[str], later: dict[int, set[str]] | None = None) -> s.PreviewOut:
    """shared_rules.preview's answer as the API's shape, with `applied` per toeslag (`later`: the
    toeslagen of each later open year in `carried_forward`)."""
    out = msgspec.convert(pv, s.PreviewOut, from_attributes=False)
    for t, tp in out.toeslagen.items():
        tp.applied = t in applied
    for c in out.carried_forward:
        mine = (later or {}).get(c.year, set())
        for t, tp in c.toeslagen.items():
            tp.applied = t in mine
    return out


def _before_monthly(previous: Decision | None, month: int) -> int | None:
    """What the decision before this one scheduled for `month` (the month the new amount starts in).
    None when there was none, or when it had no month left to pay (then there is nothing to compare:
    never "Was per maand € 0" after the year was paid)."""
    if previous is None or previous.all_paid:
        return None
    scheduled = previous.voorschot_of(month)
    return previous.new_monthly if scheduled is None else scheduled


def outcome(t: str, p: Plan, applied: bool, previous: Decision | None, decision_id: str | None,
            year: int = 0, today: dt.date | None = None) -> s.ToeslagOutcome:
    """What was decided for one toeslag (`p`: its voorschot.plan entry; `previous`: the decision it
    replaces). When every voorschot of the year was already paid (`all_paid`) there is no new monthly
    amount: the answer carries the correction now (a nabetaling paid out on `payout_on`) and the
    expected settlement after the year instead."""
    r = p.result
    repayment = max(0, -p.past_months)
    threshold = r.get("threshold") or (100000 if t == "kinderopvangtoeslag" else 50000)
    msg = None
    if decision_id is not None:
        _, msg = voorschot.message(Decision(
            id=decision_id, toeslag=t, year=year, reason="change" if previous is not None else "application",
            new_monthly=p.new_monthly, past_months=p.past_months, per_year=p.per_year,
            effective_month=p.effective_month, entitled=p.entitled, all_paid=p.all_paid,
            decided_at=today.isoformat() if today else "", rules_version=p.rules_version,
        ), previous)
    payout_on = None
    if p.past_months > 0 and today is not None:
        payout_on = ledger.nabetaling_date(year, today.isoformat())
    return s.ToeslagOutcome(
        toeslag=t, name=TOESLAG_NAMES[t], applied=applied, entitled=p.entitled,
        per_year=p.per_year,
        before_monthly=None if p.all_paid else _before_monthly(previous, p.effective_month),
        new_monthly=p.new_monthly, effective_month=p.effective_month, past_months=p.past_months,
        repayment=repayment, hoge_terugvordering=repayment >= threshold, decision_id=decision_id, message=msg,
        all_paid=p.all_paid, payout_on=payout_on, settlement=r.get("settlement", 0), threshold=threshold)

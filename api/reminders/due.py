"""What is due today: a cheap superset of households and kinds from the store (`candidates`), then per
household the collectors of each kind (`due_for`). Restartable: every run recomputes what is due from
the store; nothing is kept in memory. Shardable: `shard=(i, n)` handles the households whose id hashes
to i modulo n."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from sqlite_utils import Database

from .. import rules
from ..household import read
from ..household.models import Household, Row
from ..push import windows as w
from ..settings import Settings
from ..store import Store
from ..store import push as push_store
from ..util import iso
from . import life_events as life
from . import yearly
from .model import Context, Reminder
from .texts import Effects

CARD_KIND = "life_event"
# Kinds that never fall back to a card: a payment day is no card, prompts are cards already, and the
# January check has its own card (the income feature raises prompt kind 'january_check').
NO_CARD_KINDS = ("payment_day", "prompts", "january_check")


COLLECTORS = {
    "child_age": (life.child_age_reminders,),
    "childcare_contract_end": (life.contract_end_reminders,),
    "home_change": (life.home_reminders, life.rent_feed_reminders),
    "partner_change": (life.partner_reminders,),
    "january_check": (yearly.january_reminders, yearly.year_cycle_reminders),
    "payment_day": (yearly.payment_reminders,),
    "prompts": (yearly.prompt_reminders,),
}


def in_shard(household_id: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha256(household_id.encode()).hexdigest()[:8], 16) % n == i


def candidates(db: Database, today: dt.date, now: dt.datetime) -> tuple[dict[str, set[str]], list[Row], list[Row],
                                                                        list[Row]]:
    """household -> the kinds that may be due (a cheap superset from the store)."""
    out: dict[str, set[str]] = {}

    def add(ids: Iterable[str], kind: str) -> None:
        for hid in ids:
            out.setdefault(hid, set()).add(kind)

    add(push_store.children_born_in(db, [(a.isoformat(), b.isoformat()) for a, b in w.birth_ranges(today)]),
        "child_age")
    add(push_store.contracts_ending_between(db, today.isoformat(), (today + w.LEAD_DAYS * w.DAY).isoformat()),
        "childcare_contract_end")
    add(push_store.homes_starting_between(db, (today + w.DAY).isoformat(), (today + w.LEAD_DAYS * w.DAY).isoformat()),
        "home_change")
    rent = push_store.rent_reports_since(db, w.add_months(today, -3).strftime("%Y-%m"))
    add({r["household_id"] for r in rent}, "home_change")
    partner = push_store.partner_events_between(db, w.add_months(today, -2).isoformat(), today.isoformat())
    add({e["household_id"] for e in partner}, "partner_change")
    if (w.january_check(today.year).contains(today) or today.month == 12
            or dt.date(today.year, 4, 1) <= today <= dt.date(today.year, 5, 31)):
        # January check, next year's voorschot (December), last year's settlement (spring): year_cycle_reminders
        add(push_store.households_applied(db, (today.year, today.year - 1)), "january_check")
    if any(w.payment_day(rules.payment_day(y, m)).contains(today)
           for y, m in [(today.year, m) for m in range(1, 13)] + [(today.year + 1, 1)]):
        add(push_store.households_with_payment_day(db), "payment_day")
    since = iso(now - dt.timedelta(days=8))
    prompts = push_store.open_prompts_since(db, since, CARD_KIND)
    add({p["household_id"] for p in prompts}, "prompts")
    return out, rent, partner, prompts


def due_for(store: Store, db: Database, settings: Settings, today: dt.date, hid: str, kinds: list[str],
            rent: list[Row], partner: list[Row], prompts: list[Row]) -> list[Reminder]:
    hh = read.household(db, hid)
    if hh is None:
        return []
    rows = hh.state()
    ctx = Context(store=store, db=db, settings=settings, today=today, household_id=hid, household=hh, rows=rows,
                  applied=applied(hh, today.year), effects=Effects(db, rows, hid, today),
                  rent_reports=[r for r in rent if r["household_id"] == hid],
                  partner_events=[e for e in partner if e["household_id"] == hid],
                  prompts=[p for p in prompts if p["household_id"] == hid], done=push_store.recorded_keys(db, hid))
    out = []
    for kind in kinds:
        for collect in COLLECTORS[kind]:
            for r in collect(ctx):
                if ctx.wanted(r.kind, r.subject, r.occasion, r.window):
                    out.append(r)
                    ctx.done.add(r.key)
    return out


def applied(household: Household, year: int) -> set[str]:
    """The toeslagen of `year`; before the new year's applications are recorded, those of the latest
    earlier year (a toeslag continues from year to year until it is stopped)."""
    years = [a.year for a in household.applications if a.year <= year]
    return household.applied(max(years)) if years else set()

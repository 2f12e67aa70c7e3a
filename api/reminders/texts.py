"""The texts of reminders: Dutch dates and months, and the effect on the amounts the rules compute
for the month an event takes effect (`Effects`)."""

from __future__ import annotations

import datetime as dt
from typing import TypedDict

from sqlite_utils import Database

from .. import rules
from ..household import read, situation
from ..household.situation import HouseholdState
from ..push import windows as w
from ..store import decisions as decisions_store
from ..util import month_name


def nl_date(day: dt.date, today: dt.date) -> str:
    return f"{day.day} {month_name(day.month)}" + ("" if day.year == today.year else f" {day.year}")


def nl_month(ym: tuple[int, int], today: dt.date) -> str:
    return month_name(ym[1]) + ("" if ym[0] == today.year else f" {ym[0]}")


def more_less(cents: int) -> str:
    return "hoger" if cents > 0 else "lager"


class MonthEffect(TypedDict):
    """The effect of an event on one toeslag: the amount of its first month against the month before."""
    month: str          # YYYY-MM
    before: int         # cents
    after: int
    difference: int


class Effects:
    """Monthly amounts per toeslag under what the store knows now (the timeline: ages move month by
    month, contracts end, homes change), from shared_rules.preview — one call per year, cached. The
    effect of an event is the amount of its first month minus the amount of the month before."""

    def __init__(self, db: Database, state: HouseholdState, household_id: str, today: dt.date):
        self.db = db
        self.state = state
        self.household_id = household_id
        self.today = today
        self._years: dict[int, dict[str, list[int]] | None] = {}

    def _year(self, year: int) -> dict[str, list[int]] | None:
        if year not in self._years:
            try:
                if year == self.today.year:
                    decs = read.decisions_for_year(self.db, self.household_id, year)
                    pays = decisions_store.payments(self.db, self.household_id, year)
                else:
                    decs, pays = [], []
                pv = rules.preview(situation.rules_input(self.state, decs, pays, year, self.today))
                # A toeslag without figures (no_parameters) or with provisional ones (2027 from the
                # begroting) gives no amount in a reminder: a difference across the year boundary
                # would mix the age effect with figures that may still change.
                self._years[year] = {t: r["before"]["months"] for t, r in pv["toeslagen"].items()
                                     if r.get("computed") is not False and not r.get("provisional")}
            except rules.InputError:
                self._years[year] = None
        return self._years[year]

    def month(self, ym: tuple[int, int]) -> dict[str, int] | None:
        months = self._year(ym[0])
        if not months:
            return None
        return {t: m[ym[1] - 1] for t, m in months.items()}

    def change(self, ym: tuple[int, int], toeslagen: set[str]) -> dict[str, MonthEffect]:
        """{toeslag: {"month": "YYYY-MM", "before": cents, "after": cents, "difference": cents}} for the
        toeslagen the household has; {} when the rules cannot compute that month."""
        after = self.month(ym)
        prev = w.add_months(dt.date(ym[0], ym[1], 1), -1)
        before = self.month((prev.year, prev.month))
        if after is None or before is None:
            return {}
        return {t: {"month": f"{ym[0]}-{ym[1]:02d}", "before": before[t], "after": after[t],
                    "difference": after[t] - before[t]}
                for t in sorted(toeslagen) if t in after and t in before}

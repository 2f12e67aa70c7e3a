"""When a reminder is due: one pure function per kind, (facts) -> Window(due, until). A reminder is
sent on the first scheduler run with due <= today <= until (inclusive, dates in Europe/Amsterdam)
outside the household's quiet hours; after `until` it is no longer sent (a missed window is dropped,
not sent late). The sent-reminders table makes sure each (household, kind, subject, occasion) goes
out at most once.

| kind | occasion | window |
|---|---|---|
| child_age 4, 12, 16, 18 | the age | from 14 days before the first day of the birthday month to the last day of that month |
| childcare_contract_end | the end date | from 14 days before the last day of care up to and including that day |
| home_change (future home or rent) | valid_from | from 14 days before the new home/rent starts to the day before (*) |
| home_change (landlord feed) | month + amounts | from the day the report came in, 30 days |
| partner_change | the change event | the month after the month of the change, 1st to last day (**) |
| january_check | the year | 2 to 31 January |
| payment_day (opt-in) | the month paid for | the day before the payment day, and the payment day itself |
| prompts | the prompt | from its creation, 7 days |

(*) only when it was recorded before the window opened; (**) only when it was recorded before that month.

Birthdays follow `shared_rules.months.age_on`: someone born on 29 February reaches an age on 1 March
in a year without 29 February. Effects follow the month model (PREVIEW.md): an age supplement of the
kindgebonden budget starts, and the kindgebonden budget stops, the month after the birthday month
(Wkb art. 2 lid 1 and 3); a change counts from the first day of the next month (Awir art. 5)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

DAY = dt.timedelta(days=1)
LEAD_DAYS = 14
AGES = (4, 12, 16, 18)


@dataclass(frozen=True)
class Window:
    due: dt.date
    until: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.due <= day <= self.until


# -- calendar helpers -------------------------------------------------------------------------------

def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    return add_months(month_start(day), 1) - DAY


def add_months(day: dt.date, n: int) -> dt.date:
    """The first day of the month `n` months after `day`'s month."""
    index = day.year * 12 + day.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def next_month(day: dt.date) -> tuple[int, int]:
    d = add_months(day, 1)
    return d.year, d.month


def birthday(birth: dt.date, age: int) -> dt.date:
    """The day someone born on `birth` reaches `age` (29 February → 1 March in a common year)."""
    year = birth.year + age
    try:
        return birth.replace(year=year)
    except ValueError:
        return dt.date(year, 3, 1)


# -- one function per kind --------------------------------------------------------------------------

def child_age(birth: dt.date, age: int) -> tuple[Window, dt.date, tuple[int, int]]:
    """(window, birthday, first month with the new amount)."""
    bday = birthday(birth, age)
    return Window(month_start(bday) - LEAD_DAYS * DAY, month_end(bday)), bday, next_month(bday)


def contract_end(last_day_of_care: dt.date) -> tuple[Window, tuple[int, int]]:
    """(window, first month without this care): the situation of a month is the one on its first
    day, so care up to any day of month M still counts for M, and M+1 is the first month without."""
    return Window(last_day_of_care - LEAD_DAYS * DAY, last_day_of_care), next_month(last_day_of_care)


def home_start(valid_from: dt.date, recorded_on: dt.date) -> tuple[Window, tuple[int, int]] | None:
    """A home or rent recorded in advance: (window, first month it counts for), or None when it was
    recorded inside the window (the household has just seen the preview)."""
    window = Window(valid_from - LEAD_DAYS * DAY, valid_from - DAY)
    if recorded_on >= window.due:
        return None
    eff = (valid_from.year, valid_from.month) if valid_from.day == 1 else next_month(valid_from)
    return window, eff


def rent_report(received_on: dt.date) -> Window:
    return Window(received_on, received_on + 30 * DAY)


def partner_change(change_date: dt.date, recorded_on: dt.date) -> Window | None:
    start = add_months(change_date, 1)
    window = Window(start, month_end(start))
    if recorded_on >= window.due:
        return None
    return window


def january_check(year: int) -> Window:
    return Window(dt.date(year, 1, 2), dt.date(year, 1, 31))


def payment_day(payment: dt.date) -> Window:
    return Window(payment - DAY, payment)


def prompt(created_on: dt.date) -> Window:
    return Window(created_on, created_on + 7 * DAY)


# -- prefilters for the store (supersets; the functions above decide) -------------------------------

def birth_ranges(today: dt.date, ages: tuple[int, ...] = AGES) -> list[tuple[dt.date, dt.date]]:
    """Birth date ranges that can have a child_age window containing `today`. The window of a
    birthday month M contains today only when M is today's month or the month of today + 14 days;
    the ranges start one day early so that 29 February (birthday 1 March) is always inside."""
    months = {month_start(today), month_start(today + LEAD_DAYS * DAY)}
    out = []
    for m in sorted(months):
        for age in ages:
            first = dt.date(m.year - age, m.month, 1)
            out.append((first - DAY, month_end(first)))
    return out


def in_quiet_hours(local: dt.time, start: str | None, end: str | None) -> bool:
    """`start`/`end` as HH:MM; start > end spans midnight (21:00-08:00 is quiet at 23:00 and 07:59)."""
    if not start or not end or start == end:
        return False
    t = f"{local.hour:02d}:{local.minute:02d}"
    if start < end:
        return start <= t < end
    return t >= start or t < end

"""Which toeslag years are open at a date. Pure: no store, no rules.

- year N (the calendar year of `today`) is always open: its voorschot is being paid;
- year N+1 is open from `next_year_from` (default 1 December): next year's voorschot exists;
- a past year is open until its definitieve berekening, at most `past_years` back (Awir art. 19 lid 1:
  the agency sets the definitive amount within five years after the year), and only when the
  household had a toeslag in it (there is nothing to settle otherwise)."""

from __future__ import annotations

import datetime as dt

NEXT = "next"
CURRENT = "current"
PAST = "past"


def next_year_open(today: dt.date, next_year_from: tuple[int, int] = (12, 1)) -> bool:
    return (today.month, today.day) >= tuple(next_year_from)


def open_years(today: dt.date, *, closed: set[int], with_toeslag: set[int],
               next_year_from: tuple[int, int] = (12, 1), past_years: int = 5) -> list[dict]:
    """[{year, kind}] newest first: next (when open), current, then the open past years."""
    n = today.year
    out = []
    if next_year_open(today, next_year_from):
        out.append({"year": n + 1, "kind": NEXT})
    out.append({"year": n, "kind": CURRENT})
    for y in range(n - 1, n - 1 - past_years, -1):
        if y in with_toeslag and y not in closed:
            out.append({"year": y, "kind": PAST})
    return out


def kind_of(year: int, years: list[dict]) -> str | None:
    """The kind of `year` when it is open, else None."""
    return next((y["kind"] for y in years if y["year"] == year), None)

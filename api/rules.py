"""The one door to shared_rules: the API never reimplements a rule, it calls these."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import shared_rules
from shared_rules import (
    InputError,  # noqa: F401  (re-exported for the exception handler)
    changes,  # noqa: F401  (the change model: facts -> situations, change -> facts)
    params,  # noqa: F401  (which years have parameters)
)
from shared_rules.changes import ChangeRefused  # noqa: F401
from shared_rules.months import payment_date as _payment_date


def calculate(situation: dict) -> dict:
    return shared_rules.calculate(situation)


def calculate_only(situation: dict, toeslagen: list[str], explain: bool = True) -> dict:
    """calculate() of just the toeslagen named (each exactly as calculate() gives it; no rules_version):
    for a caller that needs only some of them, or only their reasons (explain=False: the same reasons
    and amounts without the steps)."""
    from shared_rules.situation import parse
    from shared_rules.voorschot import calculate_parsed

    return calculate_parsed(parse(situation), explain, only=toeslagen)


def preview(payload: dict) -> dict:
    return shared_rules.preview(payload)


def year_explained(timeline: list[dict], month: int) -> dict:
    """Per toeslag the year under `timeline` (the preview's input), with the steps of `month`: the
    explanation of that month ends in the year's total the page shows ("Over het hele jaar"), not in
    the total of that month's situation held for twelve months (issue #14: € 21.096 vs € 21.240)."""
    from shared_rules.voorschot import _timeline, calculate_year

    year, months = _timeline({"timeline": timeline})
    return calculate_year(months, year, month, True)


@lru_cache(maxsize=256)
def payment_date(year: int, month: int) -> str:
    """Date the voorschot of (year, month) is paid: the 20th of the month before, or the next working day."""
    return _payment_date(year, month)


def payment_day(year: int, month: int) -> dt.date:
    return dt.date.fromisoformat(payment_date(year, month))

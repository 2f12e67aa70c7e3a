"""The one door to shared_rules: the API never reimplements a rule, it calls these."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import shared_rules
from shared_rules import InputError  # noqa: F401  (re-exported for the exception handler)
from shared_rules import changes  # noqa: F401  (the change model: facts -> situations, change -> facts)
from shared_rules.changes import ChangeRefused  # noqa: F401

from shared_rules.months import payment_date as _payment_date


def calculate(situation: dict) -> dict:
    return shared_rules.calculate(situation)


def preview(payload: dict) -> dict:
    return shared_rules.preview(payload)


@lru_cache(maxsize=256)
def payment_date(year: int, month: int) -> str:
    """Date the voorschot of (year, month) is paid: the 20th of the month before, or the next working day."""
    return _payment_date(year, month)


def payment_day(year: int, month: int) -> dt.date:
    return dt.date.fromisoformat(payment_date(year, month))

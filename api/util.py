"""Small helpers: ids, hashing, timestamps and Dutch money/month formatting."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from shared_rules.explain import euro as _euro
from shared_rules.explain import euro_whole
from shared_rules.months import effective_month as _effective_month

MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")

TOESLAGEN = ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag")
TOESLAG_NAMES = {
    "zorgtoeslag": "Zorgtoeslag",
    "huurtoeslag": "Huurtoeslag",
    "kindgebonden_budget": "Kindgebonden budget",
    "kinderopvangtoeslag": "Kinderopvangtoeslag",
}


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(12)}"


def sha256_hex(value: str | bytes) -> str:
    if isinstance(value, str):
        value = value.encode()
    return hashlib.sha256(value).hexdigest()


def iso(ts: dt.datetime) -> str:
    return ts.astimezone(dt.UTC).isoformat(timespec="seconds")


def euro(cents: int, *, whole: bool = False) -> str:
    """€ 1.234,56 (Dutch notation), the same text the rules' steps use. `whole` drops ',00'."""
    return euro_whole(cents) if whole else _euro(cents)


def month_name(month: int) -> str:
    return MONTHS_NL[month - 1]


def long_date(iso_date: str) -> str:
    """'2026-12-07' -> '7 december 2026' (the PWA's format.js longDate says the same)."""
    y, m, d = (int(x) for x in iso_date[:10].split("-"))
    return f"{d} {month_name(m)} {y}"


def effective_month(day: dt.date) -> tuple[int, int]:
    """Awir art. 5 (the rule lives in shared_rules.months): (year, month) the change counts from."""
    month = _effective_month((day.year, day.month, day.day), day.year)
    return (day.year + 1, 1) if month == 13 else (day.year, month)


def bsn_valid(bsn: str) -> bool:
    """The elfproef for a BSN (9 digits)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1), strict=True)) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"

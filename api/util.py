"""Small helpers: ids, hashing, timestamps and Dutch money/month formatting."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

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
    return ts.astimezone(dt.timezone.utc).isoformat(timespec="seconds")


def euro(cents: int, *, whole: bool = False) -> str:
    """€ 1.234,56 (Dutch notation). `whole` drops the cents when they are zero."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    grouped = f"{euros:,}".replace(",", ".")
    if whole and rest == 0:
        return f"{sign}€ {grouped}"
    return f"{sign}€ {grouped},{rest:02d}"


def month_name(month: int) -> str:
    return MONTHS_NL[month - 1]


def effective_month(day: dt.date) -> tuple[int, int]:
    """Awir art. 5: a change counts from the first day of the next month, or that day if it is the 1st.
    Returns (year, month)."""
    if day.day == 1:
        return day.year, day.month
    if day.month == 12:
        return day.year + 1, 1
    return day.year, day.month + 1


def bsn_valid(bsn: str) -> bool:
    """The elfproef for a BSN (9 digits)."""
    if len(bsn) != 9 or not bsn.isdigit():
        return False
    total = sum(int(d) * w for d, w in zip(bsn[:8], range(9, 1, -1))) - int(bsn[8])
    return total % 11 == 0 and bsn != "000000000"

"""The overview as stored (migration 0014, store/overviews.py): for which days one computation holds,
which code made it, and its body without the date.

An overview of this year depends on the date in three ways only: the month it shows, the payment runs
that have passed (a month is paid, a nabetaling paid out, the next payment) and the date itself, the
`today` it names. So one computation holds from one of those dates to the next: the 1st of a month or
a payment run (rules.payment_date, the nabetalingen go with the payment runs: ledger.nabetaling_date),
whichever comes first. The date itself is left empty in what is stored and put in when it is served.
tests/api/test_overview_stored.py works the overview out for every day of a year and checks that it
only changes where `window` says it may."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import zlib
from pathlib import Path
from typing import Any

from .. import rules

_ROOT = Path(__file__).resolve().parents[2]


def boundaries(year: int) -> list[dt.date]:
    """The days on which an overview of `year` may change: the 1st of each month and 1 January after
    it, and the payment runs (January's is in December of the year before: harmless, it is passed)."""
    days = {dt.date(year, m, 1) for m in range(1, 13)} | {dt.date(year + 1, 1, 1)}
    days |= {rules.payment_day(year, m) for m in range(1, 13)} | {rules.payment_day(year + 1, 1)}
    return sorted(days)


def window(today: dt.date) -> tuple[dt.date, dt.date]:
    """[first day, first day after) of the days an overview of today's year worked out on `today` holds for."""
    days = boundaries(today.year)
    start = max(d for d in days if d <= today)
    end = min(d for d in days if d > today)
    return start, end


@functools.cache
def code() -> str:
    """A digest of the code that works an overview out (api and shared_rules, parameters included): a
    release that changes any of it works every stored overview out again."""
    digest = hashlib.sha256()
    for package in ("api", "shared_rules"):
        for path in sorted((_ROOT / package).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".json", ".sql"):
                digest.update(path.relative_to(_ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:20]


def _today_field(today: dt.date | None) -> bytes:
    return b'"today":"' + (today.isoformat().encode() if today else b"") + b'",'


def pack(body: bytes, today: dt.date) -> bytes:
    """The encoded Overview of `today` with its date left empty, compressed (about a fifth of the size).
    The Overview's own `today` comes first of its kind (after the year and the month: numbers)."""
    field = _today_field(today)
    if field not in body:
        raise ValueError("not an encoded Overview of this day")
    return zlib.compress(body.replace(field, _today_field(None), 1), 6)


def unpack(stored: bytes, today: dt.date) -> bytes:
    """The stored Overview as served on `today`: byte for byte what a computation that day encodes."""
    return zlib.decompress(stored).replace(_today_field(None), _today_field(today), 1)


def holds(found: dict[str, Any], today: dt.date) -> bool:
    """Does the stored overview of `found` (store.overviews.current_query's row) serve `today`?"""
    return (found["version"] is not None and found["version"] == found["data_version"] and found["code"] == code()
            and found["valid_from"] <= today.isoformat() < found["valid_until"])

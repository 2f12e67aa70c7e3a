"""The stored overviews (migration 0014): one row per household, a cache of what the overview of this
year worked out to (api/household/snapshot.py says when a row still holds)."""

from __future__ import annotations

from .db import Handle, rows

_COLUMNS = "h.version AS data_version, o.version, o.code, o.valid_from, o.valid_until, o.body"

# The same columns read with the session (store/auth.session_query): GET /api/overview in one statement.
WITH_SESSION = (_COLUMNS, "LEFT JOIN households h ON h.id = s.household_id"
                          " LEFT JOIN overviews o ON o.household_id = s.household_id")


def current_query(household_id: str) -> tuple[str, tuple[object, ...]]:
    """The household's data version beside its stored overview (NULLs when none): one read decides
    whether the stored one still holds. No row: no such household."""
    return (f"SELECT {_COLUMNS} FROM households h LEFT JOIN overviews o ON o.household_id = h.id WHERE h.id = ?",
            (household_id,))


# A row is only replaced by one worked out from the same data version or a newer one: a node that read
# the household before another node's change must not put its older overview back over the newer one.
_PUT = ("INSERT INTO overviews (household_id, year, version, code, valid_from, valid_until, body, computed_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (household_id) DO UPDATE SET year = excluded.year, version = excluded.version,"
        " code = excluded.code, valid_from = excluded.valid_from, valid_until = excluded.valid_until,"
        " body = excluded.body, computed_at = excluded.computed_at"
        " WHERE overviews.version <= excluded.version")


def put_many(db: Handle, stored: list[tuple[str, int, int, str, str, str, bytes, str]]) -> None:
    """(household_id, year, version, code, valid_from, valid_until, body, computed_at) per household."""
    if stored:
        db.conn.executemany(_PUT, stored)


def stale(db: Handle, today: str, code: str, after: str, limit: int) -> list[str]:
    """Households (ids after `after`, in order, at most `limit`) whose stored overview no longer holds:
    its window ran out, another release made it, or their data changed since."""
    return [r["household_id"] for r in rows(
        db, "SELECT o.household_id FROM overviews o JOIN households h ON h.id = o.household_id"
            " WHERE o.household_id > ? AND (o.valid_until <= ? OR o.valid_from > ? OR o.code <> ?"
            " OR o.version <> h.version) ORDER BY o.household_id LIMIT ?", (after, today, today, code, limit))]

"""The household domain's typed state: what the store's rows become once they leave api/store (which
imports nothing of the domains, so the mapping sits here, right above it), and what the layers pass
to each other instead of dicts.

- `Decision` (with its `DecisionMonth`s): a voorschot decision as recorded (`decisions` and
  `decision_months`), or as just planned (`voorschot.message` of a decision about to be answered).

Values: frozen. The rooms that still read store rows (api/ledger, the income scan's batch read,
api/years) get rows at their boundary (`decision_rows`); shared_rules never sees these types: it
takes plain dicts (shared_rules/CONTRACT.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Literal

import msgspec

Row = dict[str, Any]
DecisionReason = Literal["initial", "change", "application"]


class DecisionMonth(msgspec.Struct, frozen=True, kw_only=True):
    """One month of a decision: the entitlement, the voorschot it schedules and its payment date."""
    month: int           # 1..12
    entitlement: int     # cents
    voorschot: int       # cents: the entitlement, lower under a voorzichtig voorschot
    payment_date: str    # ISO date


class Decision(msgspec.Struct, frozen=True, kw_only=True):
    """A voorschot decision for one toeslag and year (Awir art. 16): the new schedule from
    `effective_month` on, and the settlement of the months already paid (`past_months`)."""
    id: str
    toeslag: str
    year: int
    decided_at: str                  # ISO timestamp ("" for a decision not recorded yet)
    reason: DecisionReason
    effective_month: int             # the first month not paid yet (12 when all were paid)
    entitled: bool
    per_year: int                    # cents
    new_monthly: int                 # cents; 0 when every month was already paid
    past_months: int                 # cents: >0 paid out now, <0 to be repaid
    all_paid: bool = False           # every voorschot of the year was already paid
    event_id: int | None = None      # the event (change) it follows from
    rules_version: str | None = None
    months: tuple[DecisionMonth, ...] = ()   # empty when read without its months (decisions.recent)

    @classmethod
    def from_row(cls, row: Row) -> Decision:
        """A `decisions` row (with its `months` rows when read with them)."""
        return cls(
            id=row["id"], toeslag=row["toeslag"], year=row["year"], decided_at=row["decided_at"],
            reason=row["reason"], effective_month=row["effective_month"], entitled=bool(row["entitled"]),
            per_year=row["per_year"], new_monthly=row["new_monthly"], past_months=row["past_months"],
            all_paid=bool(row["all_paid"]), event_id=row.get("event_id"), rules_version=row.get("rules_version"),
            months=tuple(DecisionMonth(month=m["month"], entitlement=m["entitlement"], voorschot=m["voorschot"],
                                       payment_date=m["payment_date"]) for m in row.get("months") or ()))

    def voorschot_of(self, month: int) -> int | None:
        """The voorschot this decision schedules for `month`, None when read without months."""
        for m in self.months:
            if m.month == month:
                return m.voorschot
        return None


def decisions_from_rows(rows: Iterable[Row]) -> list[Decision]:
    return [Decision.from_row(r) for r in rows]


def decision_rows(decisions: Iterable[Decision]) -> list[Row]:
    """The decisions as store rows, for the rooms that read rows (api/ledger): `entitled` and
    `all_paid` as 0/1 and `months` as a list of dicts, as decisions_store.for_year gives them."""
    out = []
    for d in decisions:
        r = msgspec.structs.asdict(d)
        r["entitled"] = int(d.entitled)
        r["all_paid"] = int(d.all_paid)
        r["months"] = [msgspec.structs.asdict(m) for m in d.months]
        out.append(r)
    return out


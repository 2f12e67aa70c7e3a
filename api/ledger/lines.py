"""Typed ledger lines (msgspec Structs; the API returns them as they are). Money in integer cents."""

from __future__ import annotations

from typing import Literal

import msgspec


class MonthLine(msgspec.Struct, kw_only=True):
    month: int                  # 1..12
    payment_date: str           # the date the voorschot of this month is (or was) paid
    entitlement: int            # what the month is worth under the decision in force
    due: int                    # the voorschot the decision in force schedules (months not paid yet)
    paid: int | None            # the voorschot that was paid for it; None: not paid yet
    paid_on: str | None         # the date it was paid


class CorrectionLine(msgspec.Struct, kw_only=True):
    id: str
    kind: Literal["nabetaling", "terugvordering", "definitive_settlement"]
    amount: int                 # > 0 paid out to the household, < 0 to be repaid
    decided_on: str
    due_on: str | None          # nabetaling: the date it is paid out
    status: Literal["open", "settled", "betalingsregeling"]
    settled_on: str | None
    arrangement_monthly: int | None   # betalingsregeling: the monthly term (asked or standard)
    arrangement_kind: Literal["standaard", "persoonlijk"] | None = None
    arrangement_requested_on: str | None = None  # the day the household asked for the betalingsregeling
    standard_monthly: int | None = None  # an open terugvordering: the standard regeling's monthly term
    standard_months: int | None = None   # a terugvordering: the standard regeling's number of terms (24)
    months: list[int]           # the months it corrects (empty for a definitive settlement)


class ToeslagLedger(msgspec.Struct, kw_only=True):
    toeslag: str
    year: int
    months: list[MonthLine]
    corrections: list[CorrectionLine]
    paid_so_far: int            # "Al betaald": see paid_so_far()
    open_repayment: int         # open terugvorderingen (betalingsregeling included), as a positive amount
    open_payout: int            # nabetalingen not paid out yet
    all_paid: bool              # every month's voorschot of the year has been paid
    closed: bool                # the definitive settlement is in: the year is closed


def paid_so_far(months: list[MonthLine], corrections: list[CorrectionLine]) -> int:
    """"Al betaald": the sum of the payment lines — voorschotten paid, plus corrections settled
    (a nabetaling paid out adds, a terugvordering repaid subtracts). The one place this is summed."""
    return (sum(m.paid for m in months if m.paid is not None)
            + sum(c.amount for c in corrections if c.status == "settled"))

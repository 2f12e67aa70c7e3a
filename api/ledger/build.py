"""Builds the ledger of a year from what the store holds: the decisions (each with its 12 months),
the `payments` rows and the `ledger_corrections` rows. Pure: no reads, no writes."""

from __future__ import annotations

import datetime as dt

from .. import rules
from ..util import TOESLAGEN
from . import arrangement
from .lines import CorrectionLine, MonthLine, ToeslagLedger, paid_so_far


def in_force_on(decisions: list[dict], toeslag: str, day: str) -> dict | None:
    """The decision of `toeslag` in force on `day` (ISO date): the newest one decided before that day.
    A payment made on `day` follows it (a decision of the same day came too late for that payment)."""
    found = None
    for d in decisions:  # oldest first
        if d["toeslag"] == toeslag and d["decided_at"][:10] < day:
            found = d
    return found


def nabetaling_date(year: int, decided_on: str) -> str:
    """A nabetaling is paid out with the first voorschot payment after the decision (the agency's
    monthly payment run, Awir art. 22/24). After the year's last payment run it goes with the next one."""
    for y in (year, year + 1):
        for m in range(1, 13):
            d = rules.payment_date(y, m)
            if d > decided_on:
                return d
    raise ValueError("no payment run within a year of the decision")  # pragma: no cover - dates are ISO


def _latest(decisions: list[dict], toeslag: str) -> dict | None:
    found = None
    for d in decisions:
        if d["toeslag"] == toeslag:
            found = d
    return found


def build(toeslag: str, year: int, today: dt.date, decisions: list[dict], payments: list[dict],
          corrections: list[dict]) -> ToeslagLedger:
    """The ledger of one toeslag. `decisions` oldest first (decisions_store.for_year), `payments` and
    `corrections` of the year (any toeslag; the others are skipped)."""
    today_s = today.isoformat()
    latest = _latest(decisions, toeslag)
    decided = {m["month"]: m for m in latest["months"]} if latest else {}
    recorded: dict[int, tuple[int, str]] = {}
    split: dict[str, list[int]] = {}
    for p in payments:
        if p["toeslag"] != toeslag or p["year"] != year:
            continue
        if p["kind"] == "voorschot":
            amount, _ = recorded.get(p["month"], (0, p["payment_date"]))
            recorded[p["month"]] = (amount + p["amount"], p["payment_date"])
        elif p.get("decision_id"):
            split.setdefault(p["decision_id"], []).append(p["month"])
    months = []
    for m in range(1, 13):
        date = rules.payment_date(year, m)
        dm = decided.get(m)
        entitlement = dm["entitlement"] if dm else 0
        due = dm["voorschot"] if dm else 0
        if m in recorded:
            paid, paid_on = recorded[m]
        elif date <= today_s:
            # paid, though the payment run was not written down: with the decision in force that day
            then = in_force_on(decisions, toeslag, date)
            paid = next((x["voorschot"] for x in then["months"] if x["month"] == m), 0) if then else 0
            paid_on = date
        else:
            paid, paid_on = None, None
        months.append(MonthLine(month=m, payment_date=date, entitlement=entitlement, due=due, paid=paid,
                                paid_on=paid_on))
    lines = []
    for c in corrections:
        if c["toeslag"] != toeslag or c["year"] != year:
            continue
        status, settled_on, due_on = c["status"], c["settled_on"], c["due_on"]
        if c["kind"] == "nabetaling" and due_on is None:
            due_on = nabetaling_date(year, c["decided_on"])  # a line from before the ledger (migration 0008)
        if c["kind"] == "nabetaling" and status == "open" and due_on <= today_s:
            status, settled_on = "settled", due_on  # paid out with that payment run
        lines.append(CorrectionLine(
            id=c["id"], kind=c["kind"], amount=c["amount"], decided_on=c["decided_on"], due_on=due_on,
            status=status, settled_on=settled_on, arrangement_monthly=c["arrangement_monthly"],
            arrangement_kind=c.get("arrangement_kind"), arrangement_requested_on=c.get("arrangement_requested_on"),
            standard_monthly=(arrangement.standard_monthly(-c["amount"])
                              if c["kind"] == "terugvordering" and status == "open" and c["amount"] < 0 else None),
            standard_months=arrangement.STANDARD_MONTHS if c["kind"] == "terugvordering" else None,
            months=sorted(set(split.get(c["decision_id"] or "", [])))))
    open_lines = [c for c in lines if c.status != "settled" and c.kind != "definitive_settlement"]
    return ToeslagLedger(
        toeslag=toeslag, year=year, months=months, corrections=lines,
        paid_so_far=paid_so_far(months, lines),
        open_repayment=-sum(c.amount for c in open_lines if c.amount < 0),
        open_payout=sum(c.amount for c in open_lines if c.amount > 0),
        all_paid=all(m.paid is not None for m in months),
        closed=any(c.kind == "definitive_settlement" for c in lines))


def build_all(year: int, today: dt.date, decisions: list[dict], payments: list[dict],
              corrections: list[dict]) -> dict[str, ToeslagLedger]:
    return {t: build(t, year, today, decisions, payments, corrections) for t in TOESLAGEN}

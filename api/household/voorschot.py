"""Voorschot decisions: what shared_rules computes for the stored timeline becomes the new schedule;
months already paid keep their payment and the difference is settled now (a correction)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlite_utils import Database

from .. import ledger, rules
from ..store import decisions as decisions_store
from ..store import ledger as ledger_store
from ..util import TOESLAG_NAMES, TOESLAGEN, euro, month_name, new_id
from . import situation
from .models import Decision, Plan, Row
from .situation import HouseholdState, PaidLists


def plan(*, state: HouseholdState, year: int, today: dt.date, paid: PaidLists,
         cautious: dict[str, Row] | None = None) -> dict[str, Plan]:
    """What shared_rules computes for the stored timeline with the voorschot paid so far: per toeslag the
    new entitlement, the new schedule and the settlement of the months already paid. No writes.

    The voorzichtig voorschot choices in force (`state["cautious"]`) apply, so a recalculation keeps
    them; `cautious` replaces them (a new choice, or {} when the household stops)."""
    inp = {"today": today.isoformat(), "timeline": situation.timeline(state, year), "paid": paid}
    chosen = situation.cautious_in_force(state, year) if cautious is None else cautious
    if chosen:
        inp["cautious"] = chosen
    try:
        pv = rules.preview(inp)
    except rules.InputError as e:
        if str(getattr(e, "field", "")).split(".")[-1] == "year":
            return {}  # a year without any parameter file (next year, early): nothing to decide yet
        raise
    out: dict[str, Plan] = {}
    for t, r in pv["toeslagen"].items():
        if r.get("computed") is False:
            continue
        res = r.get("after") or r["before"]
        paid_l = tuple(r["paid"])
        unpaid = [i for i, v in enumerate(paid_l) if v is None]
        voorschot = tuple(r["voorschot"])
        out[t] = Plan(
            toeslag=t, result=r, entitled=bool(res["entitled"]), per_year=res["per_year"],
            months=tuple(res["months"]), paid=paid_l, voorschot=voorschot, due=tuple(r["due"]),
            effective_month=unpaid[0] + 1 if unpaid else 12, all_paid=not unpaid,
            new_monthly=voorschot[unpaid[0]] if unpaid else 0,
            past_months=r["past_months"], rules_version=pv["rules_version"])
    return out


def save(db: Database, *, household_id: str, year: int, today: dt.date, planned: dict[str, Plan], toeslagen: set[str],
         reason: str, event_id: int | None, decided_at: str) -> dict[str, str]:
    """Records one decision per toeslag in `toeslagen` (and the corrections for months already paid).
    Returns the decision id per toeslag."""
    ids: dict[str, str] = {}
    decisions: list[tuple[Row, list[Row]]] = []
    payments: list[tuple[Any, ...]] = []
    corrections: list[Row] = []
    for t in sorted(toeslagen):
        p = planned.get(t)
        if p is None:
            continue
        dec_id = new_id("dec")
        decisions.append(({
            "id": dec_id, "household_id": household_id, "toeslag": t, "year": year, "decided_at": decided_at,
            "reason": reason, "effective_month": p.effective_month, "entitled": int(p.entitled),
            "per_year": p.per_year, "new_monthly": p.new_monthly, "past_months": p.past_months,
            "all_paid": int(p.all_paid), "event_id": event_id, "rules_version": p.rules_version,
        }, [{"month": m + 1, "entitlement": p.months[m], "voorschot": p.voorschot[m],
             "payment_date": rules.payment_date(year, m + 1)} for m in range(12)]))
        corrected = 0
        for i in range(12):
            paid_i = p.paid[i]
            if paid_i is not None and p.due[i] != paid_i:
                payments.append((household_id, t, year, i + 1, "correction", p.due[i] - paid_i, today.isoformat(),
                                 dec_id))
                corrected += p.due[i] - paid_i
        if corrected:
            # the ledger's correction line: the months' differences as one dated nabetaling/terugvordering
            decided_on = today.isoformat()
            corrections.append({
                "id": "cor_" + dec_id, "household_id": household_id, "toeslag": t, "year": year,
                "kind": "nabetaling" if corrected > 0 else "terugvordering", "amount": corrected,
                "decided_on": decided_on,
                "due_on": ledger.nabetaling_date(year, decided_on) if corrected > 0 else None,
                "decision_id": dec_id, "created_at": decided_at})
        ids[t] = dec_id
    # each kind of row in one go (a few round trips on PostgreSQL however many toeslagen and months),
    # in the order of the loop: decisions first (the other rows refer to them)
    decisions_store.add_many(db, decisions)
    decisions_store.add_payments(db, payments)
    ledger_store.add_corrections(db, corrections)
    return ids


def record_due_payments(db: Database, household_id: str, year: int, today: dt.date) -> int:
    """Materialises the voorschot payments whose payment date has come (the payment run), each with
    the decision in force on its payment date (ledger.in_force_on): a later decision does not change
    what was paid, it adds a correction."""
    decs = decisions_store.for_year(db, household_id, year)
    done = {(p["toeslag"], p["month"]) for p in decisions_store.payments(db, household_id, year)
            if p["kind"] == "voorschot"}
    n = 0
    for t in situation.latest_decisions(decs):
        for month in range(1, 13):
            date = rules.payment_date(year, month)
            if (t, month) in done or date > today.isoformat():
                continue
            d = ledger.in_force_on(decs, t, date)
            if d is None:
                continue
            m = next(x for x in d["months"] if x["month"] == month)
            decisions_store.add_payment(db, household_id, t, year, month, "voorschot", m["voorschot"], date, d["id"])
            n += 1
    return n


def message(decision: Decision, previous: Decision | None) -> tuple[str, str]:
    """(title, body) of a decision in plain Dutch (B1)."""
    name = TOESLAG_NAMES[decision.toeslag]
    year = decision.year
    monthly = decision.new_monthly
    past = decision.past_months
    eff = month_name(decision.effective_month)
    all_paid = decision.all_paid
    if decision.reason == "initial":
        title = f"{name} {year}"
        if decision.entitled and monthly:
            body = f"Je krijgt in {year} {name.lower()}. Het voorschot is {euro(monthly, whole=True)} per maand."
        else:
            body = f"Je krijgt in {year} geen {name.lower()}."
        return title, body
    if decision.reason == "application":
        title = f"Aanvraag {name.lower()}"
        body = (f"Je hebt {name.lower()} aangevraagd. "
                + (f"Vanaf {eff} krijg je {euro(monthly, whole=True)} per maand. " if monthly and not all_paid else "")
                + (f"Over de maanden die al voorbij zijn, krijg je {euro(past, whole=True)}." if past > 0 else ""))
        if not decision.entitled:
            body = f"Je hebt {name.lower()} aangevraagd. Met je gegevens krijg je geen {name.lower()}."
        return title, body.strip()
    title = f"Nieuwe berekening {name.lower()}"
    parts = [f"Je {name.lower()} is opnieuw berekend."]
    if all_paid:
        parts.append(f"De voorschotten voor {year} zijn al allemaal betaald.")
    elif previous is not None and not previous.all_paid and previous.new_monthly != monthly:
        parts.append(f"Vanaf {eff} krijg je {euro(monthly, whole=True)} per maand. "
                     f"Dat was {euro(previous.new_monthly, whole=True)}.")
    else:
        parts.append(f"Vanaf {eff} krijg je {euro(monthly, whole=True)} per maand.")
    if past < 0:
        parts.append(f"Over de maanden die al betaald zijn, heb je {euro(-past, whole=True)} te veel gekregen. "
                     "Dat betaal je terug.")
    elif past > 0:
        when = ""
        if decision.decided_at:
            when = " op " + _nl_date(ledger.nabetaling_date(year, decision.decided_at[:10]))
        parts.append(f"Over de maanden die al betaald zijn, krijg je nog {euro(past, whole=True)}. "
                     f"Dat betalen we{when} aan je uit.")
    return title, " ".join(parts)


def _nl_date(iso_date: str) -> str:
    y, m, d = (int(x) for x in iso_date.split("-"))
    return f"{d} {month_name(m)} {y}"


def _names(toeslagen: list[str]) -> str:
    """["zorgtoeslag", "huurtoeslag"] -> "zorgtoeslag en huurtoeslag" (in the order given)."""
    names = [TOESLAG_NAMES[t].lower() for t in toeslagen]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " en " + names[-1]


def touched(decision: Decision, previous: Decision | None) -> bool:
    """Whether a recalculation changed anything a parent sees: the monthly amount, the year, or a
    settlement of months already paid."""
    return (previous is None or previous.new_monthly != decision.new_monthly
            or previous.per_year != decision.per_year or decision.past_months != 0)


def change_message(decisions: list[Decision], previous: dict[str, Decision]) -> tuple[list[str], str, str]:
    """One message for one change, however many toeslagen it recalculated: (toeslagen it touched,
    title, body). `previous` maps a toeslag to its decision before this change. A toeslag the change
    did not touch gets one closing sentence, not a message of its own; "all paid" is said once."""
    year = decisions[0].year
    decisions = sorted(decisions, key=lambda d: TOESLAGEN.index(d.toeslag))   # the order of the app
    hit = [d for d in decisions if touched(d, previous.get(d.toeslag))]
    same = [d.toeslag for d in decisions if d not in hit]
    all_paid = any(d.all_paid for d in decisions)
    named = [d.toeslag for d in hit] or [d.toeslag for d in decisions]
    parts = []
    if not hit:
        parts.append(f"We hebben je {_names(named)} opnieuw berekend. Er verandert niets.")
        return named, f"Nieuwe berekening {_names(named)}", " ".join(parts)
    parts.append(f"We hebben je {_names(named)} opnieuw berekend.")
    if all_paid:
        parts.append(f"De voorschotten voor {year} zijn al allemaal betaald.")
    for d in hit:
        name = TOESLAG_NAMES[d.toeslag]
        prev = previous.get(d.toeslag)
        monthly = d.new_monthly
        past = d.past_months
        line = []
        if not d.all_paid:
            eff = month_name(d.effective_month)
            if prev is not None and prev.new_monthly != monthly:
                line.append(f"vanaf {eff} {euro(monthly, whole=True)} per maand in plaats van "
                            f"{euro(prev.new_monthly, whole=True)}")
            else:
                line.append(f"vanaf {eff} {euro(monthly, whole=True)} per maand")
        if past < 0:
            line.append(f"over de maanden die al betaald zijn betaal je {euro(-past, whole=True)} terug")
        elif past > 0:
            line.append(f"over de maanden die al betaald zijn krijg je nog {euro(past, whole=True)}")
        if not line:
            line.append(f"over heel {year} {euro(d.per_year, whole=True)}")
        parts.append(f"{name}: " + "; ".join(line) + ".")
    if same:
        parts.append(f"Voor je {_names(same)} verandert er niets.")
    return named, f"Nieuwe berekening {_names(named)}", " ".join(parts)

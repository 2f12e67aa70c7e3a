"""Voorschot decisions: what shared_rules computes for the stored timeline becomes the new schedule;
months already paid keep their payment and the difference is settled now (a correction)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from .. import rules
from ..store import decisions as decisions_store
from ..util import TOESLAG_NAMES, euro, month_name, new_id
from . import situation


def plan(*, state: dict, year: int, today: dt.date, paid: dict, cautious: dict | None = None) -> dict:
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
    out: dict[str, dict] = {}
    for t, r in pv["toeslagen"].items():
        if r.get("computed") is False:
            continue
        res = r.get("after") or r["before"]
        months = list(res["months"])
        paid_l = list(r["paid"])
        unpaid = [i for i, v in enumerate(paid_l) if v is None]
        voorschot = list(r["voorschot"])
        out[t] = {
            "result": r, "res": res, "months": months, "paid": paid_l, "voorschot": voorschot,
            # what each month should pay: the entitlement, lowered under a voorzichtig voorschot
            "due": list(r["due"]),
            "effective_month": unpaid[0] + 1 if unpaid else 12, "all_paid": not unpaid,
            "new_monthly": voorschot[unpaid[0]] if unpaid else 0,
            "past_months": r["past_months"],
            "rules_version": pv["rules_version"],
        }
    return out


def save(db: Database, *, household_id: str, year: int, today: dt.date, planned: dict, toeslagen: set[str],
         reason: str, event_id: int | None, decided_at: str) -> dict[str, str]:
    """Records one decision per toeslag in `toeslagen` (and the corrections for months already paid).
    Returns the decision id per toeslag."""
    ids: dict[str, str] = {}
    for t in sorted(toeslagen):
        p = planned.get(t)
        if p is None:
            continue
        dec_id = new_id("dec")
        decisions_store.add(db, {
            "id": dec_id, "household_id": household_id, "toeslag": t, "year": year, "decided_at": decided_at,
            "reason": reason, "effective_month": p["effective_month"], "entitled": int(bool(p["res"]["entitled"])),
            "per_year": p["res"]["per_year"], "new_monthly": p["new_monthly"], "past_months": p["past_months"],
            "all_paid": int(p["all_paid"]), "event_id": event_id, "rules_version": p["rules_version"],
        }, [{"month": m + 1, "entitlement": p["months"][m], "voorschot": p["voorschot"][m],
             "payment_date": rules.payment_date(year, m + 1)} for m in range(12)])
        for i in range(12):
            if p["paid"][i] is not None and p["due"][i] != p["paid"][i]:
                decisions_store.add_payment(db, household_id, t, year, i + 1, "correction",
                                            p["due"][i] - p["paid"][i], today.isoformat(), dec_id)
        ids[t] = dec_id
    return ids


def record_due_payments(db: Database, household_id: str, year: int, today: dt.date) -> int:
    """Materialises the voorschot payments whose payment date has come (the payment run)."""
    decs = decisions_store.for_year(db, household_id, year)
    latest = situation.latest_decisions(decs)
    done = {(p["toeslag"], p["month"]) for p in decisions_store.payments(db, household_id, year)
            if p["kind"] == "voorschot"}
    n = 0
    for t, d in latest.items():
        for m in d["months"]:
            if (t, m["month"]) in done or m["payment_date"] > today.isoformat():
                continue
            decisions_store.add_payment(db, household_id, t, year, m["month"], "voorschot", m["voorschot"],
                                        m["payment_date"], d["id"])
            n += 1
    return n


def message(decision: dict, previous: dict | None) -> tuple[str, str]:
    """(title, body) of a decision in plain Dutch (B1)."""
    name = TOESLAG_NAMES[decision["toeslag"]]
    year = decision["year"]
    monthly = decision["new_monthly"]
    past = decision["past_months"]
    eff = month_name(decision["effective_month"])
    all_paid = bool(decision.get("all_paid"))
    if decision["reason"] == "initial":
        title = f"{name} {year}"
        if decision["entitled"] and monthly:
            body = f"Je krijgt in {year} {name.lower()}. Het voorschot is {euro(monthly, whole=True)} per maand."
        else:
            body = f"Je krijgt in {year} geen {name.lower()}."
        return title, body
    if decision["reason"] == "application":
        title = f"Aanvraag {name.lower()}"
        body = (f"Je hebt {name.lower()} aangevraagd. "
                + (f"Vanaf {eff} krijg je {euro(monthly, whole=True)} per maand. " if monthly and not all_paid else "")
                + (f"Over de maanden die al voorbij zijn, krijg je {euro(past, whole=True)}." if past > 0 else ""))
        if not decision["entitled"]:
            body = f"Je hebt {name.lower()} aangevraagd. Met je gegevens krijg je geen {name.lower()}."
        return title, body.strip()
    title = f"Nieuwe berekening {name.lower()}"
    parts = [f"Je {name.lower()} is opnieuw berekend."]
    if all_paid:
        parts.append(f"De voorschotten voor {year} zijn al allemaal betaald.")
    elif previous is not None and previous["new_monthly"] != monthly:
        parts.append(f"Vanaf {eff} krijg je {euro(monthly, whole=True)} per maand. "
                     f"Dat was {euro(previous['new_monthly'], whole=True)}.")
    else:
        parts.append(f"Vanaf {eff} krijg je {euro(monthly, whole=True)} per maand.")
    if past < 0:
        parts.append(f"Over de maanden die al betaald zijn, heb je {euro(-past, whole=True)} te veel gekregen. "
                     "Dat betaal je terug.")
    elif past > 0:
        parts.append(f"Over de maanden die al betaald zijn, krijg je nog {euro(past, whole=True)}. "
                     "Dat betalen we aan je uit.")
    return title, " ".join(parts)

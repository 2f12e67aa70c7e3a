"""Asking for a betalingsregeling: recorded on the terugvordering's own ledger line (status
'betalingsregeling', its kind, monthly term and the day it was asked), with an append-only event.
The agency's rule (24 monthly terms; a persoonlijke regeling when that term cannot be paid) lives in
api/ledger/arrangement.py."""

from __future__ import annotations

from sqlite_utils import Database

from ..ledger import arrangement
from ..settings import Settings
from ..store import Store
from ..store import events as events_store
from ..store import households as households_store
from ..store import ledger as ledger_store
from ..util import TOESLAG_NAMES, euro, iso, long_date
from ..web.problems import conflict, invalid, not_found
from . import schemas as s


def message(kind: str, monthly: int, requested_on: str) -> str:
    """What the app says once a betalingsregeling was asked (the PWA says the same)."""
    if kind == "persoonlijk":
        return (f"Je hebt een persoonlijke betalingsregeling aangevraagd op {long_date(requested_on)}. Je wilt "
                f"{euro(monthly, whole=True)} per maand betalen. Dienst Toeslagen kijkt of dat kan en stuurt je een brief.")
    return (f"Je hebt een betalingsregeling aangevraagd op {long_date(requested_on)}. Je betaalt "
            f"{euro(monthly, whole=True)} per maand, {arrangement.STANDARD_MONTHS} maanden lang. "
            "Dienst Toeslagen stuurt je een brief met de gegevens.")


class RepaymentService:
    def __init__(self, store: Store, settings: Settings):
        self.store = store
        self.settings = settings

    def request_arrangement(self, db: Database, household_id: str,
                            req: s.ArrangementRequest) -> tuple[int, s.ArrangementOut]:
        line = ledger_store.correction(db, household_id, req.correction_id)
        if line is None:  # another household's line is "not found" too: nothing to learn from the answer
            raise not_found("Deze terugvordering hebben we niet gevonden.", field="correction_id")
        if line["kind"] != "terugvordering" or line["amount"] >= 0:
            raise invalid("correction_id", "Dit is geen terugvordering. Een betalingsregeling is alleen voor geld "
                                           "dat je moet terugbetalen.")
        if line["status"] == "settled":
            raise conflict("repayment-settled", "Deze terugvordering is al terugbetaald.", field="correction_id")
        if line["status"] == "betalingsregeling":
            raise conflict("arrangement-exists", "Voor deze terugvordering heb je al een betalingsregeling aangevraagd"
                           f" op {long_date(line['arrangement_requested_on'] or line['decided_on'])}.",
                           field="correction_id")
        repayment = -line["amount"]
        standard = arrangement.standard_monthly(repayment)
        if req.kind == "standaard":
            if req.monthly is not None:
                raise invalid("monthly", "Bij de gewone betalingsregeling kies je zelf geen bedrag per maand.")
            monthly = standard
        else:
            if req.monthly is None:
                raise invalid("monthly", "Vul in hoeveel je per maand kunt betalen.")
            if req.monthly >= standard:
                raise invalid("monthly", f"Vul een bedrag in dat lager is dan {euro(standard, whole=True)} per "
                                         "maand. Kun je dat wel betalen? Kies dan de gewone betalingsregeling.")
            monthly = req.monthly
        today = self.settings.today_date().isoformat()
        if not ledger_store.set_status(db, household_id, req.correction_id, "betalingsregeling",
                                       arrangement_monthly=monthly, arrangement_kind=req.kind,
                                       arrangement_requested_on=today, only_from="open"):
            # another request for this line won in the meantime
            raise conflict("arrangement-exists", "Voor deze terugvordering is al een betalingsregeling aangevraagd.",
                           field="correction_id")
        name = TOESLAG_NAMES.get(line["toeslag"], line["toeslag"])
        events_store.append(
            db, household_id=household_id, occurred_at=iso(self.settings.now()), actor="parent", source="parent",
            kind="repayment.arrangement", effective_date=today,
            what={"correction_id": line["id"], "toeslag": line["toeslag"], "year": line["year"],
                  "arrangement": req.kind},
            amounts={"repayment": repayment, "monthly": monthly},
            summary=f"Betalingsregeling aangevraagd: {name.lower()} {line['year']}, {euro(repayment, whole=True)} "
                    f"terugbetalen, {euro(monthly, whole=True)} per maand.")
        households_store.bump_version(db, household_id)
        return 201, s.ArrangementOut(
            correction_id=line["id"], toeslag=line["toeslag"], year=line["year"], repayment=repayment,
            status="betalingsregeling", arrangement_kind=req.kind, arrangement_monthly=monthly,
            standard_monthly=standard, requested_on=today, message=message(req.kind, monthly, today))

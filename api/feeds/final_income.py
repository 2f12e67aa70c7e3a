"""The income feed's final mark: a person's final toetsingsinkomen of a past year, which the expected
definitieve berekening of that year then uses."""

from __future__ import annotations

from sqlite_utils import Database

from ..household.years import latest_finals, record_final_income
from ..settings import Settings
from ..store import feeds as feeds_store
from ..store import years as years_store
from ..util import bsn_valid, iso
from ..web.problems import invalid, not_found
from . import schemas as fs


def receive_final(db: Database, settings: Settings, org_id: str, reports: list) -> fs.FeedResult:
    today = settings.today_date()
    now = iso(settings.now())
    results = []
    for i, r in enumerate(reports):
        f = f"reports[{i}]"
        if r.year >= today.year:
            raise invalid(f"{f}.year", "Een definitief inkomen is er pas na afloop van het jaar.")
        if r.year < today.year - settings.past_years_open:
            raise invalid(f"{f}.year", f"Dit jaar is te oud. Geef jaren vanaf {today.year - settings.past_years_open} door.")
        if (r.person_ref is None) == (r.bsn is None):
            raise invalid(f"{f}.person_ref", "Geef person_ref of bsn op (één van de twee).")
        if r.bsn is not None:
            if not bsn_valid(r.bsn):
                raise invalid(f"{f}.bsn", "Dit burgerservicenummer klopt niet.")
            person, field = feeds_store.linked_person_by_bsn(db, org_id, "income", r.bsn), f"{f}.bsn"
        else:
            person, field = feeds_store.linked_person_by_ref(db, org_id, "income", r.person_ref), f"{f}.person_ref"
        if person is None:
            raise not_found("Deze persoon is bij ons niet bekend voor uw organisatie.", field=field)
        current = latest_finals(years_store.final_incomes(db, person["household_id"]), r.year).get(person["id"])
        status: fs.ReportStatus
        if current is not None and current["income"] == r.income:
            status = "unchanged"
        else:
            record_final_income(db, household_id=person["household_id"], person=person, year=r.year,
                                income=r.income, source="income_data", organisation_id=org_id, now=now)
            status = "replaced" if current else "created"
        results.append(fs.ReportResult(index=i, month=f"{r.year}-12", ref=r.person_ref, status=status))
    return fs.FeedResult(organisation_id=org_id, data_type="income", results=results)

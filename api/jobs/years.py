"""The scan of the year cycle, beside the income-drift scan of the current year: for every open past
year (until its definitieve berekening) the expected settlement, and a prompt when it is a hoge
terugvordering ("Je betaalt over 2025 naar verwachting € … terug"), so the household can still act
(correct that year, ask for a betalingsregeling). Idempotent through `raise_prompt`; a settlement
that is no longer high (or a year that was decided) closes its prompt."""

from __future__ import annotations

import datetime as dt
import logging

from sqlite_utils import Database

from ..prompts.service import PromptDraft, raise_prompt
from ..settings import Settings
from ..store import Store
from ..store import households as households_store
from ..store import prompts as prompts_store
from ..store import years as years_store
from ..util import euro, iso
from ..years import cycle
from ..years.service import YearService
from .schedule import Job

log = logging.getLogger("api.jobs.years")
KIND = "settlement_risk"


def scan_household(db: Database, service: YearService, household_id: str) -> int:
    """Raises or closes the settlement prompts of one household; returns how many are open."""
    now = iso(service.settings.now())
    years = service._years_in(db, household_id, None)  # reads through `db` (the scan's transaction) only
    open_past = {y.year: y for y in years.years if y.kind == cycle.PAST}
    n = 0
    for p in prompts_store.open_for(db, household_id):
        if p["kind"] == KIND and int(p["subject"]) not in open_past:
            prompts_store.resolve_open(db, household_id, KIND, "", p["subject"], now)
    for year, y in sorted(open_past.items()):
        st = y.settlement
        if st is None or not st.hoge_terugvordering or st.total >= 0:
            prompts_store.resolve_open(db, household_id, KIND, "", str(year), now)
            continue
        raise_prompt(db, household_id, PromptDraft(
            kind=KIND, toeslag="", subject=str(year), fingerprint=f"{year}:{st.total}", amount=-st.total,
            title=f"Je betaalt over {year} naar verwachting {euro(-st.total)} terug",
            body=(f"Dat volgt uit je inkomen over {year}. Klopt er iets niet? Je kunt {year} nog aanpassen tot de "
                  "definitieve berekening er is. Of vraag een betalingsregeling."),
            action=f"#/jaar/{year}", data={"year": year}), now, materiality=10000)
        n += 1
    return n


def run(store: Store, settings: Settings) -> dict:
    counts = {"households": 0, "open": 0}
    service = YearService(store, settings)
    year = settings.today_date().year
    with store.read() as db:
        ids = years_store.households_with_past_years(db, year - settings.past_years_open, year - 1)
    for hid in ids:
        with store.write() as db:
            if households_store.get(db, hid) is None:
                continue
            counts["open"] += scan_household(db, service, hid)
            counts["households"] += 1
    log.info("year scan: %(households)d households, %(open)d settlement prompts open", counts)
    return counts


JOB = Job(name="year_settlement_scan", interval=dt.timedelta(hours=6), run=run)

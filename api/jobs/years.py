"""The settlement-risk part of the scan on its own: every household with an open past year
(api/years/scan.py). The income-drift scan (api/jobs/drift.py, `python -m api scan`, the scheduler)
runs it per household in its batches, shards and claims; this walk is for a one-off run over the past
years only (tests, an operator after loading final incomes). Idempotent through `raise_prompt`."""

from __future__ import annotations

import logging

from ..settings import Settings
from ..store import Store
from ..store import households as households_store
from ..store import years as years_store
from ..util import iso
from ..years import scan as year_scan

log = logging.getLogger("api.jobs.years")
KIND = year_scan.KIND


def run(store: Store, settings: Settings) -> dict:
    counts = {"households": 0, "open": 0}
    with store.read() as db:
        ids = years_store.households_with_past_years(db, *year_scan.past_window(settings, settings.today_date()))
    for hid in ids:
        with store.write() as db:
            if households_store.get(db, hid) is None:
                continue
            counts["open"] += year_scan.scan_household(db, settings, hid, iso(settings.now()))
            counts["households"] += 1
    log.info("year scan: %(households)d households, %(open)d settlement prompts open", counts)
    return counts

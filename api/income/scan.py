"""The income drift scan of one household: `scan_in` (inside the caller's transaction: the income
feed, a change, the CLI), `scan_hook` (the same, but a failure never undoes the caller's work) and
`scan_after_feed` (each household an income feed batch reached). The nightly job (jobs/drift.py)
reuses `snapshot` .. `apply` for its batches.
"""

from __future__ import annotations

import datetime as dt
import logging

from sqlite_utils import Database

from ..prompts.service import PromptDraft, raise_prompt, resolve
from ..settings import Settings
from ..store import decisions as decisions_store
from ..store import feeds as feeds_store
from ..store import households as households_store
from ..store import income as income_store
from ..util import iso
from ..years import scan as year_scan
from . import engines
from . import evaluate as ev

log = logging.getLogger("api.income")


def snapshot(db: Database, household_id: str, today: dt.date) -> dict | None:
    """One household in the shape `store.income.load_batch` gives per household."""
    snap = households_store.load(db, household_id)
    if snap is None:
        return None
    year = today.year
    snap["decisions"] = decisions_store.for_year(db, household_id, year)
    snap["payments"] = decisions_store.payments(db, household_id, year)
    snap["wages"] = income_store.wages(db, household_id, year, today.month)
    snap["prompts"] = income_store.prompts_of(db, household_id, ev.KINDS)
    snap["cautious"] = [c for c in snap["cautious"] if c["year"] == year]   # households.load read every year
    snap["scan_key"] = income_store.scan_key(db, household_id)
    return snap


def new_counts() -> dict:
    return {"households": 0, "skipped": 0, "computed": 0, "exact": 0, "raised": 0, "refreshed": 0,
            "kept_dismissed": 0, "resolved": 0, "past_years": 0, "settlement_open": 0}


def conclude(snap: dict, today: dt.date, *, force: bool, counts: dict,
             hh: engines.Household | None = None) -> tuple[str, list[PromptDraft] | None]:
    """(scan key, drafts): drafts None when the household was skipped (its key did not change: the
    prompts it has are still right), else every prompt it should have now. No database access.
    `hh`: the Household of `snap` when the caller made it already."""
    counts["households"] += 1
    key = ev.scan_key(snap["household"]["version"], today)
    if not force and snap.get("scan_key") == key:
        counts["skipped"] += 1
        return key, None
    hh = hh or engines.Household(snap, today)
    found = ev.drafts(hh)
    counts["computed"] += 1
    if hh.path == "exact":
        counts["exact"] += 1
    return key, found


def needs_writing(snap: dict, drafts: list[PromptDraft] | None) -> bool:
    return drafts is not None and (bool(drafts) or any(p["status"] == "open" for p in snap["prompts"]))


def apply(db: Database, household_id: str, drafts: list[PromptDraft], prompt_rows: list[dict], now: str,
          counts: dict, current: dict[tuple, dict] | None = None, pending: list[tuple] | None = None) -> None:
    """Raise or refresh every draft; close the open prompts of the scan's kinds that have no draft now.
    `current`: the newest prompts of this transaction (prompts_store.latest_of, keyed by household,
    kind, toeslag, subject) when the caller read them for a whole batch; `pending`: the new prompts are
    collected there for the batch's one insert (prompts_store.insert_many)."""
    latest: dict[tuple, dict] = {}
    for p in prompt_rows:  # ordered by id: the last one per key wins
        latest[(p["kind"], p["toeslag"], p["subject"])] = p
    seen = set()
    for d in drafts:
        key = (d.kind, d.toeslag, d.subject)
        seen.add(key)
        last = latest.get(key)
        if current is None:
            pid = raise_prompt(db, household_id, d, now, materiality=ev.materiality(last, d))
        else:
            pid = raise_prompt(db, household_id, d, now, materiality=ev.materiality(last, d),
                               last=current.get((household_id, *key)), pending=pending)
        if pid is None:
            counts["kept_dismissed"] += 1
        elif last is not None and last["status"] == "open" and last["id"] == pid:
            counts["refreshed"] += 1
        else:
            counts["raised"] += 1
    for key, p in latest.items():
        if p["status"] == "open" and key not in seen and resolve(db, household_id, *key, now):
            counts["resolved"] += 1


def scan_in(db: Database, settings: Settings, household_id: str, *, force: bool = True) -> dict:
    """Scan one household inside the caller's transaction (the income feed, a change, the CLI)."""
    today = settings.today_date()
    now = iso(settings.now())
    counts = new_counts()
    snap = snapshot(db, household_id, today)
    if snap is None:
        return counts
    key, drafts = conclude(snap, today, force=force, counts=counts)
    if drafts is not None and needs_writing(snap, drafts):
        apply(db, household_id, drafts, snap["prompts"], now, counts)
    if drafts is not None:  # computed (not skipped): the open past years too (api/years/scan.py)
        year_scan.scan_in(db, settings, snap, now, counts)
    if snap.get("scan_key") != key:
        income_store.put_scan_keys(db, [(household_id, key)], now)
    return counts


def scan_hook(db: Database, settings: Settings, household_id: str, *, force: bool = True) -> dict | None:
    """`scan_in` for the hooks that run inside someone else's transaction (a change, an application,
    an income feed batch): a failing scan must not undo their work. Logs the error type only."""
    try:
        with income_store.savepoint(db, "income_scan"):
            return scan_in(db, settings, household_id, force=force)
    except Exception as e:
        log.warning("income drift scan of one household failed: %s", type(e).__name__)
        return None


def scan_after_feed(db: Database, settings: Settings, org_id: str, reports: list) -> dict:
    """After an income feed batch (same transaction): scan each household it reached. A household
    whose data did not change (every report `unchanged`) keeps its scan key and is skipped."""
    households = set()
    for r in reports:
        if r.bsn is not None:
            person = feeds_store.linked_person_by_bsn(db, org_id, "income", r.bsn)
        else:
            person = feeds_store.linked_person_by_ref(db, org_id, "income", r.person_ref)
        if person is not None:
            households.add(person["household_id"])
    counts = new_counts()
    for household_id in sorted(households):
        for k, v in (scan_hook(db, settings, household_id, force=False) or {}).items():
            counts[k] += v
    return counts

"""The scan of every open year as a job (api/years/scan.py: this year's income drift, each open past
year's settlement risk, and why not next year's), named after its main part, the income-drift scan:
one household (`scan_household`, also run by the income feed and by changes inside their own
transaction) or all of them (`scan_all`: `python -m api scan` and the scheduler of `python -m api
serve`).

- **Idempotent**: prompts go through `raise_prompt` (one open prompt per kind/toeslag/subject, a
  dismissed one stays dismissed until the amount grows materially), so a second run only refreshes.
- **Skips what did not change**: a household whose scan key (data version, month, months paid,
  rules version, scan version) equals the last one stored is not computed again (`force` recomputes).
- **Restartable**: households are walked in id order; after each batch the last id is stored per
  shard and day (`income_scan_runs`), and a run that was killed resumes there.
- **Shardable**: `shard=(i, n)` takes the households whose crc32(id) % n == i; `workers` splits a
  shard over processes (each its own connection, the same rule one level down).
- **Spreads without shards** (`claims`, `python -m api scan --claim`): any number of workers on any
  number of machines share today's run by claiming batches in the database (income_scan_batches); a
  batch whose worker died is claimed again after CLAIM_STALE.
- **Batched**: per batch one read transaction loads every table for all its households at once
  (the month rows of a decision only for the households that need them: `Household.needs_months`),
  the rules run outside any transaction, then one write transaction stores prompts, keys and progress.
- Logs carry counts only, and per phase the milliseconds spent (`read_ms`, `compute_ms`, `write_ms`,
  summed over workers): what limits a run.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import multiprocessing
import time
import zlib
from collections.abc import Callable
from multiprocessing.queues import Queue
from pathlib import Path

from ..income import engines
from ..income import evaluate as ev
from ..income.scan import apply, conclude, needs_writing, new_counts, scan_in
from ..settings import Settings
from ..store import Store
from ..store import income as income_store
from ..store import prompts as prompts_store
from ..store.db import Handle
from ..util import iso
from ..years import scan as year_scan
from .schedule import Job

log = logging.getLogger("api.jobs.drift")

BATCH = 500


def scan_household(store: Store, settings: Settings, household_id: str) -> dict:
    with store.write(household=household_id) as db:
        return scan_in(db, settings, household_id)


def in_shard(household_id: str, part: int, parts: int) -> bool:
    return parts == 1 or zlib.crc32(household_id.encode()) % parts == part


def _scan_part(store: Store, settings: Settings, part: int, parts: int, *, batch: int, force: bool,
               resume: bool) -> dict:
    today = settings.today_date()
    counts = new_counts()
    counts["failed"] = 0
    spent = {"read": 0.0, "compute": 0.0, "write": 0.0}
    label, day = f"{part}/{parts}", today.isoformat()
    with store.write() as db:
        state = income_store.run_state(db, label, day)
        if resume and state is not None and state["finished_at"] is None:
            after = state["last_household_id"]
        else:
            income_store.run_start(db, label, day, iso(settings.now()))
            after = None
    page = batch * parts
    while True:
        found: list = []

        def load(db, after=after, found=found):
            found.extend(income_store.households_after(db, after, page))
            if not found:
                return None
            return [(h, v, k) for h, v, k in found if in_shard(h, part, parts)]

        def progress(db, found=found):
            mine = sum(1 for h, _, _ in found if in_shard(h, part, parts))
            income_store.run_progress(db, label, day, found[-1][0], mine, iso(settings.now()))

        if not _scan_batch(store, settings, today, load, force, counts, spent, progress):
            break
        after = found[-1][0]
    with store.write() as db:
        income_store.run_finish(db, label, day, iso(settings.now()))
    for phase, seconds in spent.items():
        counts[f"{phase}_ms"] = round(seconds * 1000)
    return counts


def _scan_batch(store: Store, settings: Settings, today: dt.date, load: Callable[[Handle], list | None], force: bool,
                counts: dict, spent: dict, progress: Callable[[Handle], None]) -> bool:
    """Scan one batch: one read transaction (`load(db)` names the households, (id, version, last scan
    key), and they are read), the rules outside any transaction, one write transaction for prompts,
    scan keys and `progress(db)`. False when `load` found no batch (None)."""
    t0 = time.perf_counter()
    with store.read() as db:
        mine = load(db)
        if mine is None:
            return False
        # unchanged households (same scan key) are not even loaded
        todo = [h for h, v, k in mine if force or k != ev.scan_key(v, today)]
        households = read_batch(db, todo, today, {h: (v, k) for h, v, k in mine}) if todo else {}
        # each open past year of the households computed: its expected settlement (api/years/scan.py),
        # read here, written with the drift prompts below
        past: list[tuple[str, set[str], list]] = []
        for hid in todo:
            hh = households.get(hid)
            if hh is None or not year_scan.candidate(hh.snap, settings, today):
                continue
            try:
                past.append((hid, *year_scan.drafts(db, settings, hid)))
            except Exception:  # as below: one household's bad data must not stop the scan
                counts["failed"] += 1
    counts["households"] += len(mine) - len(todo)
    counts["skipped"] += len(mine) - len(todo)
    t1 = time.perf_counter()
    work, keys = [], []
    for hid in todo:
        hh = households.get(hid)
        if hh is None:
            continue
        snap = hh.snap
        try:
            key, drafts = conclude(snap, today, force=True, counts=counts, hh=hh)
        except Exception:  # one household's bad data must not stop the scan; it is retried next run
            counts["failed"] += 1
            continue
        if drafts is not None and needs_writing(snap, drafts):  # (never None: force=True)
            work.append((hid, drafts, snap["prompts"]))
        if snap["scan_key"] != key:
            keys.append((hid, key))
    now = iso(settings.now())
    t2 = time.perf_counter()
    # the households this batch writes (prompts, scan keys): on PostgreSQL their locks only, so the
    # workers' writes, and the parents' changes of other households, go on beside it (store.write);
    # the batch's progress row is the worker's own
    written = sorted({hid for hid, _, _ in work} | {hid for hid, _ in keys} | {hid for hid, _, _ in past})
    with store.write(household=written) as db:
        current = prompts_store.latest_of(db, [hid for hid, _, _ in work]) if work else {}
        pending: list[tuple] = []  # the batch's new prompts, written at once below
        for hid, drafts, prompt_rows in work:
            apply(db, hid, drafts, prompt_rows, now, counts, current, pending)
        prompts_store.insert_many(db, pending)
        for hid, subjects, found in past:
            counts["past_years"] += bool(subjects)
            counts["settlement_open"] += year_scan.apply(db, hid, subjects, found, now)
        if keys:
            income_store.put_scan_keys(db, keys, now)
        progress(db)
    spent["read"] += t1 - t0
    spent["compute"] += t2 - t1
    spent["write"] += time.perf_counter() - t2
    return True


# A claimed batch not finished within this time belongs to a worker that died: another takes it over.
CLAIM_STALE = dt.timedelta(minutes=10)


def scan_claimed(store: Store, settings: Settings, *, holder: str | None = None, batch: int = BATCH,
                 force: bool = False) -> dict:
    """Scan today's run together with any number of other workers (on any machine): claim a batch in
    the database (store.income.claim_batch), scan it, mark it done, until none is left. A batch whose
    worker died is taken over once it is CLAIM_STALE old."""
    import os
    import secrets
    import socket

    holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
    today = settings.today_date()
    day = today.isoformat()
    counts = new_counts()
    counts["failed"] = 0
    counts["batches"] = 0
    spent = {"read": 0.0, "compute": 0.0, "write": 0.0}
    while True:
        now = settings.now()
        with store.write() as db:
            claim = income_store.claim_batch(db, day, holder, iso(now), iso(now - CLAIM_STALE), batch)
        if claim is None:
            break
        counts["batches"] += 1
        mine: list = []

        def load(db, claim=claim, mine=mine):
            mine.extend(income_store.households_through(db, *claim))
            return mine

        def progress(db, claim=claim, mine=mine):
            income_store.finish_batch(db, day, claim[1], len(mine), iso(settings.now()))

        _scan_batch(store, settings, today, load, force, counts, spent, progress)
    for phase, seconds in spent.items():
        counts[f"{phase}_ms"] = round(seconds * 1000)
    return counts


def read_batch(db: Handle, ids: list[str], today: dt.date, known: dict | None = None) -> dict[str, engines.Household]:
    """The households `ids` as the scan reads them, inside the caller's read transaction: the batch
    read (store.income.load_batch), then the decisions' month rows for those that need them."""
    snaps = income_store.load_batch(db, ids, today.year, today.month, ev.KINDS, known)
    households = {hid: engines.Household(snap, today) for hid, snap in snaps.items()}
    income_store.load_months(db, [hh.snap for hh in households.values() if _needs_months(hh)])
    return households


def _needs_months(hh: engines.Household) -> bool:
    try:
        return hh.needs_months()
    except Exception:  # bad data: load everything; conclude() then fails and counts it
        return True


# The collector's thresholds in a scan worker (gc.set_threshold): a young collection per 100,000
# allocations instead of 700, and the older generations rarely. A batch holds a few hundred thousand
# live objects (its households' rows) that are freed by reference counting when the batch ends; with
# the default thresholds the collector walked them again and again while they were in use, for no
# garbage found. bench: one worker on 50,000 of a million households, alternating runs, 4,567-4,845
# households/s with the defaults and 5,437-5,724 with these.
WORKER_GC_THRESHOLDS = (100_000, 50, 1_000)


def _worker_collector() -> None:
    """The collector of a process that lives for one scan. What it inherited from the parent (modules,
    settings) is never garbage, so the collector need not walk it again at every full collection
    (gc.freeze: about 7 % more households per second), and the thresholds are WORKER_GC_THRESHOLDS.
    Only here: a long-running process must neither freeze nor collect this rarely."""
    gc.freeze()
    gc.set_threshold(*WORKER_GC_THRESHOLDS)


def _child(db_path: Path | str, settings: Settings, part: int, parts: int, batch: int, force: bool, resume: bool,
           queue: Queue[dict]) -> None:
    _worker_collector()
    store = Store(db_path)
    try:
        queue.put(_scan_part(store, settings, part, parts, batch=batch, force=force, resume=resume))
    except BaseException as e:  # pragma: no cover - reported to the parent, which raises
        queue.put({"error": type(e).__name__})
        raise
    finally:
        store.close()


def _claim_child(db_path: Path | str, settings: Settings, batch: int, force: bool, queue: Queue[dict]) -> None:
    _worker_collector()
    store = Store(db_path)
    try:
        queue.put(scan_claimed(store, settings, batch=batch, force=force))
    except BaseException as e:  # pragma: no cover - reported to the parent, which raises
        queue.put({"error": type(e).__name__})
        raise
    finally:
        store.close()


def scan_all(store: Store, settings: Settings, *, shard: tuple[int, int] = (0, 1), workers: int = 1,
             batch: int = BATCH, force: bool = False, resume: bool = True, claims: bool = False) -> dict:
    """Scan every household of `shard` (i, n). With `workers` > 1 the shard is split over that many
    processes: worker w takes part i + n·w of n·workers. `claims`: instead of shards, the workers
    (these and any others started elsewhere with claims) share today's run by claiming batches in the
    database (scan_claimed)."""
    i, n = shard
    if not 0 <= i < n:
        raise ValueError("shard i/n needs 0 <= i < n")
    if workers <= 1:
        if claims:
            total = scan_claimed(store, settings, batch=batch, force=force)
        else:
            total = _scan_part(store, settings, i, n, batch=batch, force=force, resume=resume)
    else:
        ctx = multiprocessing.get_context("fork")
        queue = ctx.Queue()
        if claims:
            procs = [ctx.Process(target=_claim_child, args=(store.path, settings, batch, force, queue), daemon=True)
                     for _ in range(workers)]
        else:
            procs = [ctx.Process(target=_child, args=(store.path, settings, i + n * w, n * workers, batch, force,
                                                      resume, queue), daemon=True) for w in range(workers)]
        for p in procs:
            p.start()
        results = [queue.get() for _ in procs]
        for p in procs:
            p.join()
        failed = [r for r in results if "error" in r]
        if failed:
            raise RuntimeError(f"{len(failed)} scan worker(s) failed")
        total = {}
        for r in results:
            for k, v in r.items():
                total[k] = total.get(k, 0) + v
    log.info("income drift scan: %s", ", ".join(f"{k} {v}" for k, v in total.items()))
    return total


def run(store: Store, settings: Settings) -> dict:
    """The scheduled job: every household, skipping the unchanged ones."""
    return scan_all(store, settings)


JOB = Job(name="income_drift_scan", interval=dt.timedelta(hours=1), run=run)

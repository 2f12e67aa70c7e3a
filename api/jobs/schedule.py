"""The scheduler of `python -m api serve` and `python -m api worker`: one thread that runs each
registered job at its interval, once across all nodes. Every few seconds each node asks the store for
the lease of each due job (store/jobs.py: a conditional UPDATE only one node wins); the winner runs
it and gives the lease back. So N API nodes and any workers against one database run a job once per
interval, and when its node dies the lease expires and another takes over. A job must still be safe
to run twice or to be killed halfway (restartable, idempotent). Logs carry counts only."""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from ..settings import Settings
from ..store import Store
from ..store import jobs as jobs_store
from ..util import iso

log = logging.getLogger("api.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    interval: dt.timedelta
    run: Callable[[Store, Settings], dict]
    # how long a node may hold the job before others take it as dead (longer than a run takes)
    lease: dt.timedelta = dt.timedelta(hours=1)


def run_once(store: Store, settings: Settings, job: Job, holder: str) -> dict | None:
    """Runs `job` here when it is due and no other node runs it; None when it did not run."""
    now = settings.now()
    with store.write() as db:
        if not jobs_store.take(db, job.name, holder, iso(now), iso(now - job.interval), iso(now + job.lease)):
            return None
    try:
        return job.run(store, settings)
    finally:
        with store.write() as db:
            jobs_store.release(db, job.name, holder, iso(settings.now()))


class Scheduler:
    def __init__(self, store: Store, settings: Settings, jobs: list[Job], *, first_delay: float = 5.0,
                 poll: float = 5.0):
        self.store = store
        self.settings = settings
        self.jobs = jobs
        self.first_delay = first_delay
        self.poll = poll
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None and self.jobs:
            self._thread = threading.Thread(target=self._loop, name="jobs", daemon=True)
            self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        if self._stop.wait(self.first_delay):
            return
        while not self._stop.is_set():
            for job in self.jobs:
                if self._stop.is_set():
                    break
                started = time.monotonic()
                try:
                    summary = run_once(self.store, self.settings, job, self.holder)
                    if summary is not None:
                        log.info("job %s done in %.1f s: %s", job.name, time.monotonic() - started, summary)
                except Exception:  # a failing job must not stop the others; it runs again next time
                    log.exception("job %s failed", job.name)
            self._stop.wait(self.poll)

    def run_forever(self) -> None:
        """`python -m api worker`: the loop in this thread until stopped (SIGTERM/SIGINT)."""
        self._loop()

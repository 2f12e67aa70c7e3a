"""The scheduler inside `python -m api serve`: one daemon thread that runs each registered job at its
interval. It adds no guarantees of its own: a job must be safe to run twice or to be killed halfway
(restartable, idempotent), because a restart of the server runs it again. Logs carry counts only."""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..settings import Settings
from ..store import Store

log = logging.getLogger("api.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    interval: dt.timedelta
    run: Callable[[Store, Settings], dict]


class Scheduler:
    def __init__(self, store: Store, settings: Settings, jobs: list[Job], *, first_delay: float = 5.0):
        self.store = store
        self.settings = settings
        self.jobs = jobs
        self.first_delay = first_delay
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
        due = {job.name: time.monotonic() + self.first_delay for job in self.jobs}
        while not self._stop.is_set():
            now = time.monotonic()
            for job in self.jobs:
                if self._stop.is_set() or now < due[job.name]:
                    continue
                started = time.monotonic()
                try:
                    summary = job.run(self.store, self.settings)
                    log.info("job %s done in %.1f s: %s", job.name, time.monotonic() - started, summary)
                except Exception:  # a failing job must not stop the others; it runs again next time
                    log.exception("job %s failed", job.name)
                due[job.name] = time.monotonic() + job.interval.total_seconds()
            self._stop.wait(1.0)

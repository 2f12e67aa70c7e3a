"""The jobs `python -m api serve` schedules. Each domain adds its job here (one line)."""

from __future__ import annotations

from . import drift, reminders
from .schedule import Job


def jobs() -> list[Job]:
    found: list[Job] = []
    found.append(reminders.job())
    found.append(drift.JOB)
    return found

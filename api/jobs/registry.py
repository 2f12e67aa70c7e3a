"""The jobs `python -m api serve` and `python -m api worker` schedule. Each domain adds its job here (one line)."""

from __future__ import annotations

from . import drift, housekeeping, reminders, years
from .schedule import Job


def jobs() -> list[Job]:
    found: list[Job] = []
    found.append(reminders.job())
    found.append(drift.JOB)
    found.append(years.JOB)  # the year cycle: settlement risk of each open past year
    found.append(housekeeping.JOB)
    return found

"""The jobs `python -m api serve` and `python -m api worker` schedule. Each domain adds its job here (one line)."""

from __future__ import annotations

from . import drift, housekeeping, overviews, reminders
from .schedule import Job


def jobs() -> list[Job]:
    found: list[Job] = []
    found.append(reminders.job())
    found.append(drift.JOB)  # per open year: this year's drift and each past year's settlement risk
    found.append(housekeeping.JOB)
    found.append(overviews.JOB)
    return found

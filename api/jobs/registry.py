"""The jobs `python -m api serve` schedules. Each domain adds its job here (one line)."""

from __future__ import annotations

from .schedule import Job


def jobs() -> list[Job]:
    found: list[Job] = []
    return found

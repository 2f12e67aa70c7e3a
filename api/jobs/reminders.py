"""The reminder job: every quarter of an hour, the reminders due today are delivered
(`api.reminders.delivery.run`: what is due, the texts, push or card, at most once)."""

from __future__ import annotations

import datetime as dt

from ..reminders.delivery import run
from .schedule import Job

INTERVAL = dt.timedelta(minutes=15)


def job() -> Job:
    return Job("reminders", INTERVAL, run)

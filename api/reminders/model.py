"""A reminder (what, for which subject and occasion, in which window, with which text) and the
context the collectors of `due.py` read for one household."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..household.models import Household, Row
from ..push import windows as w
from ..settings import Settings
from ..store import Store
from .texts import Effects


@dataclass
class Reminder:
    kind: str
    subject: str
    occasion: str
    window: w.Window
    title: str = ""
    body: str = ""
    url: str = "/#/overzicht"
    toeslag: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    card: bool = True            # falls back to an overview card when it cannot be pushed
    urgency: str = "normal"
    ttl: int | None = None       # None: settings.push_ttl

    @property
    def key(self) -> tuple[str, str, str]:
        return self.kind, self.subject, self.occasion

    @property
    def tag(self) -> str:
        digest = hashlib.sha256(f"{self.subject}|{self.occasion}".encode()).hexdigest()[:12]
        return f"toeslagen:{self.kind}:{digest}"


@dataclass
class Context:
    store: Store
    db: Database
    settings: Settings
    today: dt.date
    household_id: str
    household: Household
    rows: Row                 # household.state(), once: the rows shared_rules reads (api/household/situation.py)
    applied: set[str]
    effects: Effects
    rent_reports: list[Row]
    partner_events: list[Row]
    prompts: list[Row]
    done: set[tuple[str, str, str]] = field(default_factory=set)

    def wanted(self, kind: str, subject: str, occasion: str, window: w.Window) -> bool:
        """In its window today and not claimed before: only then is the text (and effect) worked out."""
        return window.contains(self.today) and (kind, subject, occasion) not in self.done

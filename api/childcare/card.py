"""The childcare card ("Je kinderopvang gaf andere uren door"): raised, refreshed or resolved per contract
from the comparison in `compare.py` (when a difference matters is explained there).

`refresh` runs inside the caller's transaction: the feed's after new reports, or a change's."""

from __future__ import annotations

import datetime as dt
import logging

from sqlite_utils import Database

from .. import rules
from ..prompts.service import PromptDraft, raise_prompt
from ..prompts.service import resolve as resolve_prompt
from ..store import childcare as store
from ..store import households as households_store
from ..web.problems import Problem
from . import schemas as s
from .compare import PROMPT_KIND, TOESLAG, compare

log = logging.getLogger("api.childcare")

REPROMPT_GROWTH = 10_000     # a dismissed card comes back when the year-end total grew by more than € 100
PROMPT_TITLE = "Je kinderopvang gaf andere uren door"
PROMPT_ACTION = "#/kinderopvang"


def _prompt_draft(c: s.ContractComparison) -> PromptDraft:
    hours = sum(m.difference_hours or 0 for m in c.months if m.basis == "reported")
    rates = [m.reported.hourly_rate - m.estimated.hourly_rate for m in c.months
             if m.basis == "reported" and m.reported and m.estimated]
    if hours > 0:
        what = "meer uren"
    elif hours < 0:
        what = "minder uren"
    elif sum(rates) > 0:
        what = "een hogere uurprijs"
    elif sum(rates) < 0:
        what = "een lagere uurprijs"
    else:
        what = "andere uren"
    who = c.organisation or "Je kinderopvang"
    body = (f"{who} gaf voor {c.child_name} {what} door dan je hebt opgegeven. {c.year_end.text} "
            "Neem de uren over, of geef aan wat er niet klopt.")
    total = c.year_end.total
    return PromptDraft(
        kind=PROMPT_KIND, toeslag=TOESLAG, subject=c.contract_id, fingerprint=f"{c.contract_id}:{total}",
        amount=total, title=PROMPT_TITLE, body=body, action=PROMPT_ACTION,
        data={"contract_id": c.contract_id, "year_end": total, "direction": c.year_end.direction,
              "reported_months": [m.month for m in c.months if m.basis == "reported"]})


def refresh(db: Database, household_id: str, today: dt.date, now: str) -> dict[str, int | None]:
    """Recompute the comparison of one household and raise, refresh or resolve its childcare prompts
    (one per contract). Runs inside the caller's transaction (the feed's, or a change's). Returns the
    open prompt id per contract (None: no card)."""
    state = households_store.load(db, household_id)
    if state is None:
        return {}
    year = today.year
    try:
        _, contracts, _ = compare(state, store.reports(db, household_id, year), store.disputes(db, household_id),
                                  year, today, with_options=False)
    except (Problem, rules.InputError) as e:
        # no rules for the year yet, or data the rules refuse: never block the feed for it (and log no
        # personal data, only the kind of error)
        log.warning("childcare comparison skipped: %s", type(e).__name__)
        return {}
    out: dict[str, int | None] = {}
    for c in contracts:
        if c.year_end.matters:
            out[c.contract_id] = raise_prompt(db, household_id, _prompt_draft(c), now, materiality=REPROMPT_GROWTH)
        else:
            resolve_prompt(db, household_id, PROMPT_KIND, TOESLAG, c.contract_id, now)
            out[c.contract_id] = None
    return out

"""The year cycle's part of the scan (issue #15): the scan runs per open year of a household.

- **This year (N)**: the income-drift scan (api/income, api/jobs/drift.py): wages against the estimate,
  assets, the January check, non-use.
- **Each open past year (N−1, … up to five back, until its definitieve berekening)**: the expected
  settlement with the final income where known; a prompt when it is a hoge terugvordering ("Je
  betaalt over 2025 naar verwachting € … terug"), so the household can still correct that year or ask
  for a betalingsregeling. A settlement that is no longer high, or a year that was decided, closes its
  prompt.
- **Next year (N+1, from December)**: not scanned on its own. There are no wages of N+1 to compare
  with; its voorschot is worked out from the estimate carried forward from N, which N's drift scan
  already checks against the wages (a drift prompt in December corrects N+1 too, unless the household
  gave N+1 an estimate of its own, which is then its own recent word); and the "je voorschot voor 2027
  staat klaar" reminder (api/reminders) asks the household to check it. A scan of N+1 would only
  repeat N's prompt.

Both parts share the drift scan's key (api/income/evaluate.scan_key: data version, month, rules), its
batches, shards and `--claim` claims: the settlement depends on nothing else (a final income or a
definitieve berekening bumps the data version; the open years change only on a month boundary).
Idempotent through `raise_prompt`: a second run only refreshes. Split into a read (`drafts`, inside the
batch's read transaction) and a write (`apply`, inside its write transaction)."""

from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from ..prompts.service import PromptDraft, raise_prompt
from ..settings import Settings
from ..store import prompts as prompts_store
from ..util import euro
from . import cycle
from .service import YearService

KIND = "settlement_risk"


def past_window(settings: Settings, today: dt.date) -> tuple[int, int]:
    """The years (first, last) a past year may be open in (api/household/years.open_years)."""
    return today.year - settings.past_years_open, today.year - 1


def candidate(snap: dict, settings: Settings, today: dt.date) -> bool:
    """Whether a household (the scan's snapshot: its applications of every year) may have an open past
    year: it had a toeslag in one of the years that can still be open."""
    first, last = past_window(settings, today)
    return any(first <= a["year"] <= last for a in snap["applications"])


_PAST = frozenset({cycle.PAST})


def drafts(db: Database, settings: Settings, household_id: str) -> tuple[set[str], list[PromptDraft]]:
    """Read only: (the subjects of the household's open past years, a prompt per open past year whose
    expected settlement is a hoge terugvordering)."""
    years = YearService(None, settings).years_in(db, household_id, kinds=_PAST)
    open_past = {y.year: y for y in years.years if y.kind == cycle.PAST}
    out = []
    for year, y in sorted(open_past.items()):
        st = y.settlement
        if st is None or not st.hoge_terugvordering or st.total >= 0:
            continue
        out.append(PromptDraft(
            kind=KIND, toeslag="", subject=str(year), fingerprint=f"{year}:{st.total}", amount=-st.total,
            title=f"Je betaalt over {year} naar verwachting {euro(-st.total, whole=True)} terug",
            body=(f"Dat volgt uit je inkomen over {year}. Klopt er iets niet? Je kunt {year} nog aanpassen tot de "
                  "definitieve berekening er is. Of vraag een betalingsregeling."),
            action=f"#/jaar/{year}", data={"year": year}))
    return {str(y) for y in open_past}, out


def apply(db: Database, household_id: str, open_subjects: set[str], found: list[PromptDraft], now: str) -> int:
    """Raises or refreshes each prompt of `found`; closes the settlement prompts of years that are no
    longer open or no longer high. Returns how many are open."""
    high = {d.subject for d in found}
    for p in prompts_store.open_for(db, household_id):
        if p["kind"] == KIND and (p["subject"] not in open_subjects or p["subject"] not in high):
            prompts_store.resolve_open(db, household_id, KIND, "", p["subject"], now)
    for d in found:
        raise_prompt(db, household_id, d, now, materiality=10000)
    return len(found)


def scan_household(db: Database, settings: Settings, household_id: str, now: str) -> int:
    """Both steps in one transaction (one household: a change, a feed, the CLI's --household)."""
    subjects, found = drafts(db, settings, household_id)
    return apply(db, household_id, subjects, found, now)


def scan_in(db: Database, settings: Settings, snap: dict, now: str, counts: dict) -> None:
    """The past years of one household the drift scan computed (`snap`: its snapshot), in the same
    transaction; counts `past_years` (households with an open past year) and `settlement_open`."""
    if not candidate(snap, settings, settings.today_date()):
        return
    subjects, found = drafts(db, settings, snap["household"]["id"])
    counts["past_years"] += bool(subjects)
    counts["settlement_open"] += apply(db, snap["household"]["id"], subjects, found, now)

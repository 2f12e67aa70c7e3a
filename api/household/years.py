"""The toeslag year cycle as the household domain needs it (issue #15), below api/years (which builds the
year views on it) so that the overview, the recalculation and the changes use it without an import
cycle: which years are open at a date, the final income of a past year over its estimate, the
toeslagen a year has, and shared_rules.preview for a year that may have no parameters ("nog niet
bekend", never a made-up amount).

- year N (the calendar year of `today`) is always open: its voorschot is being paid;
- year N+1 is open from `next_year_from` (default 1 December): next year's voorschot exists;
- a past year is open until its definitieve berekening, at most `past_years` back (Awir art. 19 lid 1:
  the agency sets the definitive amount within five years after the year), and only when the
  household had a toeslag in it (there is nothing to settle otherwise).

Interface of shared_rules relied on (issue #12): every toeslag of a result may carry
`"provisional": true`; a toeslag without parameters for the year has `computed: false`,
`reasons: ["no_parameters"]` and zero amounts — that zero is never an amount to show. A year without
any parameter file is treated the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlite_utils import Database

from .. import rules
from ..settings import Settings
from ..store import events as events_store
from ..store import households as households_store
from ..store import years as years_store
from ..util import new_id
from ..web.problems import conflict, invalid
from . import situation
from .models import Decision

NEXT = "next"
CURRENT = "current"
PAST = "past"


def next_year_open(today: dt.date, next_year_from: tuple[int, int] = (12, 1)) -> bool:
    return (today.month, today.day) >= tuple(next_year_from)


def open_years(today: dt.date, *, closed: set[int], with_toeslag: set[int],
               next_year_from: tuple[int, int] = (12, 1), past_years: int = 5) -> list[dict]:
    """[{year, kind}] newest first: next (when open), current, then the open past years."""
    n = today.year
    out = []
    if next_year_open(today, next_year_from):
        out.append({"year": n + 1, "kind": NEXT})
    out.append({"year": n, "kind": CURRENT})
    for y in range(n - 1, n - 1 - past_years, -1):
        if y in with_toeslag and y not in closed:
            out.append({"year": y, "kind": PAST})
    return out


def later_years(year: int, today: dt.date, next_year_from: tuple[int, int] = (12, 1)) -> list[int]:
    """The open years after `year` that a change to `year` may still hold in, oldest first: this year
    (for a change to a past year) and next year (from December: its voorschot is already there).
    A change carried into them is recorded as `change.carried_forward` (api/changes) and previewed
    by shared_rules.changes.carried_forward."""
    out = [today.year] if year < today.year else []
    if next_year_open(today, next_year_from) and year <= today.year:
        out.append(today.year + 1)
    return out


def kind_of(year: int, years: list[dict]) -> str | None:
    """The kind of `year` when it is open, else None."""
    return next((y["kind"] for y in years if y["year"] == year), None)


# Not law: the agency's own line for a hoge terugvordering (the same figures shared_rules uses).
HIGH_REPAYMENT = {"zorgtoeslag": 50000, "huurtoeslag": 50000, "kindgebonden_budget": 50000,
                  "kinderopvangtoeslag": 100000}


def with_final_incomes(state: dict, finals: list[dict], year: int) -> dict:
    """The state with each person's final income for `year` as the last (so winning) estimate of that
    year: the definitieve berekening uses the final toetsingsinkomen (Awir art. 19), not the estimate
    (shared_rules.changes.with_finals, which the phone's preview of a past year runs too)."""
    mine = latest_finals(finals, year)
    return rules.changes.with_finals(state, {pid: f["income"] for pid, f in mine.items()}, year)


def latest_finals(finals: list[dict], year: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in finals:  # oldest first
        if f["year"] == year:
            out[f["person_id"]] = f
    return out


def applied_in(state: dict, year: int, kind: str) -> set[str]:
    """The toeslagen the household has in `year`. Next year: the ones it has now continue (the agency
    sets next year's voorschot for every toeslag that runs on) unless it already has its own."""
    own = situation.applied(state, year)
    if own or kind != "next":
        return own
    return situation.applied(state, year - 1)


def preview(inp: dict, year: int) -> dict:
    """shared_rules.preview, or — for a year without any parameter file — the same shape with every
    toeslag `computed: false` (never a made-up amount; shared_rules.changes.no_parameters)."""
    if year not in rules.params.available_years():
        return rules.changes.no_parameters(inp, year)
    return rules.preview(inp)


def known(r: dict) -> bool:
    """Whether a toeslag result has an amount to show (not `no_parameters`)."""
    res = r.get("after") or r.get("before") or r
    return r.get("computed") is not False and "no_parameters" not in (res.get("reasons") or [])


def provisional(r: dict) -> bool:
    return bool(r.get("provisional") or (r.get("after") or {}).get("provisional")
                or (r.get("before") or {}).get("provisional"))


def provisional_source(r: dict, year: int, toeslag: str) -> str | None:
    """Where the provisional parameters come from: the result's own source when shared_rules gives one,
    else shared_rules' plain statement that the year's amounts are provisional. (`toeslag`: the parameter
    modules carry sources per value, not per toeslag, so a result's own source is the only finer one.)"""
    if not provisional(r):
        return None
    for holder in (r, r.get("after") or {}, r.get("before") or {}):
        if holder.get("source"):
            return str(holder["source"])
    return str(rules.changes.provisional_note(year))


def year_input(state: dict, decs: list[dict], pays: list[dict], year: int, today: dt.date) -> dict:
    """The preview payload of `year` as it stands (the rules_input of that year)."""
    return situation.rules_input(state, decs, pays, year, today)


def voorschot(state: dict, decs: list[dict], pays: list[dict], year: int, today: dt.date) -> dict:
    return preview(year_input(state, decs, pays, year, today), year)


def open_years_of(settings: Settings, state: dict, closed: set[int], today: dt.date) -> list[dict]:
    """The open years of one household at `today` (settings: next_year_from, past_years_open)."""
    return open_years(today, closed=closed, with_toeslag={a["year"] for a in state["applications"]},
                            next_year_from=settings.next_year_from, past_years=settings.past_years_open)


def check_open(settings: Settings, db: Database, household_id: str, state: dict, year: int, field: str) -> str:
    """The kind of `year` when the household may still change it; otherwise a problem naming `field`."""
    today = settings.today_date()
    closed = years_store.closed_years(db, household_id)
    years = open_years_of(settings, state, closed, today)
    kind = kind_of(year, years)
    if kind is not None:
        return kind
    if year in closed:
        raise conflict("year-closed", f"De definitieve berekening over {year} is al gemaakt. Wijzigingen voor "
                                      f"{year} kunnen daarom niet meer. Ben je het er niet mee eens? Maak dan "
                                      "bezwaar.", field=field, status=422)
    choices = " of ".join(str(y["year"]) for y in sorted(years, key=lambda y: y["year"]))
    raise invalid(field, f"Voor {year} kun je hier niets doorgeven. Kies een datum in {choices}.")


def people_in(state: dict, year: int) -> list[dict]:
    return [p for p in state["persons"] if p["role"] in ("applicant", "partner")
            and p["member_from"] <= f"{year}-12-31" and (p["member_until"] is None or p["member_until"] > f"{year}-01-01")]


def record_final_income(db: Database, *, household_id: str, person: dict, year: int, income: int, source: str,
                        organisation_id: str | None, now: str) -> None:
    years_store.add_final_income(db, id=new_id("fin"), household_id=household_id, person_id=person["id"],
                                 year=year, income=income, source=source, organisation_id=organisation_id, now=now)
    who = "je" if person["role"] == "applicant" else f"het van {person['given_name']}"
    by = "De Belastingdienst gaf" if source == "income_data" else "Je gaf"
    events_store.append(
        db, household_id=household_id, occurred_at=now, actor="parent" if source == "parent" else f"org:{organisation_id}",
        source=source, kind="income.final", effective_date=f"{year}-12-31",
        what={"person_id": person["id"], "year": year, "income": income}, amounts={},
        summary=f"{by} {who} definitieve inkomen over {year} door.")
    households_store.bump_version(db, household_id)




def phone_input(state: dict, finals: list[dict], decs: Sequence[Decision] | Sequence[dict], pays: list[dict], year: int,
                today: dt.date) -> dict:
    """What a preview of a change in `year` needs beside the household's facts (GET /api/household):
    {today, year, paid, cautious?, finals?}. GET /api/years gives it per open year, so the phone
    previews a change to next year or a past year offline with the very call the server makes."""
    inp = situation.rules_input(state, decs, pays, year, today)
    out: dict = {"today": inp["today"], "year": year, "paid": inp["paid"]}
    if inp.get("cautious"):
        out["cautious"] = inp["cautious"]
    mine = latest_finals(finals, year)
    if mine:
        out["finals"] = {pid: f["income"] for pid, f in sorted(mine.items())}
    return out


def later_input(state: dict, decs: Sequence[Decision] | Sequence[dict], pays: list[dict], year: int,
                today: dt.date) -> dict:
    """One entry of shared_rules.changes' `later`: {year, paid, cautious?} of a later open year (its
    `rules_input` without `today`)."""
    out = phone_input(state, [], decs, pays, year, today)
    del out["today"]
    return out


def change_input(state: dict, finals: list[dict], decs: Sequence[Decision] | Sequence[dict], pays: list[dict], year: int,
                 today: dt.date) -> dict:
    """The input of shared_rules.changes.preview_change for a change in `year` (without the change)."""
    out = phone_input(state, finals, decs, pays, year, today)
    out["household"] = situation.facts(state)
    return out

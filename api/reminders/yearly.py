"""Reminders of the year: the January check, the year cycle (next year's voorschot in December, last
year's definitieve berekening in the spring), payment days, and a push for the open prompts of other
features."""

from __future__ import annotations

import datetime as dt

from .. import rules
from ..household import read, situation
from ..push import windows as w
from ..settings import AMSTERDAM
from ..util import euro
from .model import Context, Reminder
from .texts import nl_date, nl_month


def january_reminders(ctx: Context) -> list[Reminder]:
    year = ctx.today.year
    window = w.january_check(year)
    if not ctx.wanted("january_check", "", str(year), window) or not ({a.toeslag for a in ctx.household.applications
                                               if a.year in (year, year - 1)}):
        return []
    return [Reminder("january_check", "", str(year), window,
                     title=f"Nieuw jaar: klopt je inkomen voor {year}?",
                     body=(f"Kijk of je geschatte inkomen voor {year} nog klopt. Dan krijg je niet te veel of te "
                           "weinig toeslag. Een wijziging geef je snel door."),
                     url="/#/wijzigen/inkomen", data={"year": year}, card=False)]


def year_cycle_reminders(ctx: Context) -> list[Reminder]:
    """The toeslag year cycle (issue #15), under the household's January-check setting: next year's
    voorschot is ready (from `next_year_from`, in December), and the definitieve berekening of last
    year is coming (in the spring while that year is open): check the income."""
    from ..store import years as years_store
    out = []
    year = ctx.today.year
    nm, nd = ctx.settings.next_year_from
    ready = w.Window(dt.date(year, nm, nd), dt.date(year, 12, 31))
    if ctx.wanted("january_check", "next_year", str(year + 1), ready) and ctx.applied:
        out.append(Reminder("january_check", "next_year", str(year + 1), ready,
                            title=f"Je voorschot voor {year + 1} staat klaar",
                            body=f"Bekijk je voorschot voor {year + 1} en kijk of je inkomen voor {year + 1} klopt.",
                            url=f"/#/jaar/{year + 1}", data={"year": year + 1}, card=False))
    last = year - 1
    spring = w.Window(dt.date(year, 4, 1), dt.date(year, 5, 31))
    if (ctx.wanted("january_check", "settlement", str(last), spring)
            and any(a.year == last for a in ctx.household.applications)
            and last not in years_store.closed_years(ctx.db, ctx.household_id)):
        out.append(Reminder("january_check", "settlement", str(last), spring,
                            title=f"Je definitieve berekening {last} komt eraan: klopt je inkomen?",
                            body=f"Kijk wat je naar verwachting terugkrijgt of terugbetaalt over {last}. Klopt er iets "
                                 "niet? Je kunt het nog doorgeven.",
                            url=f"/#/jaar/{last}", data={"year": last}, card=False))
    return out


def payment_reminders(ctx: Context) -> list[Reminder]:
    out = []
    today = ctx.today
    for year, month in [(today.year, m) for m in range(1, 13)] + [(today.year + 1, 1)]:
        pay = rules.payment_day(year, month)
        window = w.payment_day(pay)
        if not ctx.wanted("payment_day", "", f"{year}-{month:02d}", window):
            continue
        decs = situation.latest_decisions(read.decisions_for_year(ctx.db, ctx.household_id, year))
        total = sum(m.voorschot for d in decs.values() for m in d.months if m.month == month)
        if total <= 0:
            continue
        when = "Morgen" if pay > today else "Vandaag"
        end_of_day = dt.datetime.combine(pay + w.DAY, dt.time(0, 0), tzinfo=AMSTERDAM)
        ttl = max(60, int((end_of_day - ctx.settings.now()).total_seconds()))
        out.append(Reminder(
            "payment_day", "", f"{year}-{month:02d}", window,
            title=f"{when} krijg je je voorschot",
            body=f"Op {nl_date(pay, today)} betalen we je voorschot voor {nl_month((year, month), today)}: "
                 f"{euro(total, whole=True)}.",
            url="/#/overzicht", data={"payment_date": pay.isoformat(), "amount": total},
            card=False, urgency="low", ttl=ttl))
    return out


# Push texts for the prompts of other features: never their card text, which may hold income figures.
PROMPT_TEXTS = {
    "income_drift": ("Klopt je inkomen nog?",
                     "Je inkomen lijkt anders te zijn dan je schatting. Kijk in de app wat dit betekent voor je "
                     "toeslagen."),
    "childcare_hours": ("Je kinderopvang gaf andere uren door",
                        "Kijk in de app of je de uren overneemt, of geef aan wat er niet klopt."),
    "possible_non_use": ("Je hebt misschien recht op een toeslag",
                         "Kijk in de app om welke toeslag het gaat en hoeveel je ongeveer krijgt."),
    "assets_near_limit": ("Je vermogen ligt dicht bij een grens",
                          "Kijk in de app of het bedrag van je vermogen klopt."),
}
NOT_PUSHED_PROMPTS = ("january_check",)  # pushed as the january_check reminder instead


def prompt_reminders(ctx: Context) -> list[Reminder]:
    out = []
    for p in ctx.prompts:
        if p["kind"] in NOT_PUSHED_PROMPTS:
            continue
        created = dt.datetime.fromisoformat(p["created_at"]).astimezone(AMSTERDAM).date()
        window = w.prompt(created)
        if not ctx.wanted("prompts", f"prompt:{p['id']}", "open", window):
            continue
        texts = PROMPT_TEXTS.get(p["kind"])
        if texts is not None:
            title, body = texts
        else:
            # the card's own text only when it carries no figures (a push shows on a lock screen)
            safe = not any(ch.isdigit() or ch == "€" for ch in p["title"] + p["body"])
            title = p["title"] if safe and len(p["title"]) <= 80 else "Er staat iets voor je klaar"
            body = p["body"] if safe and len(p["body"]) <= 200 else "Kijk in de app wat je kunt controleren."
        action = p["action"] or ""
        url = "/" + action if action.startswith("#/") else "/#/overzicht"
        out.append(Reminder("prompts", f"prompt:{p['id']}", "open", window, title=title, body=body, url=url,
                            toeslag=p["toeslag"] or "", data={"prompt_id": p["id"]}, card=False))
    return out

"""The life-event reminder job: which reminders are due today (windows in `api.push.windows`), their
plain Dutch text with the effect the rules compute, and delivery by Web Push — or, for a household
without a push subscription, a card on the overview (a prompt of kind `life_event`).

Delivery is AT MOST ONCE per (household, kind, subject, occasion):
  1. claim: the reminder row is inserted with status 'claimed' in its own transaction, committed
     before anything is sent (a second run, or a second process, finds the row and skips it);
  2. send to every subscription of the household;
  3. finish: 'sent' when one push service accepted it; otherwise the reminder falls back to a card
     ('card') or, for kinds without a card, 'failed'.
A crash between 1 and 3 leaves 'claimed': the push may or may not have gone out, so it is never
sent again; a later run turns such a stale claim into a card instead, so the household still sees
it (a card may then double a push that did arrive — harmless, and better than a second push).
For a household without push, claim and card are one transaction (exactly once).
Quiet hours postpone a push (nothing is claimed, a later run within the window sends it).

Restartable: every run recomputes what is due from the store; nothing is kept in memory. Shardable:
`shard=(i, n)` handles the households whose id hashes to i modulo n. Logs carry counts only."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from .. import rules
from ..household import situation
from ..prompts.service import PromptDraft, raise_prompt, resolve
from ..push import windows as w
from ..push.sender import Outcome, Sender, payload
from ..push.service import PushService, household_settings
from ..settings import AMSTERDAM, Settings
from ..store import Store, decisions as decisions_store, households as households_store, push as push_store
from ..util import euro, iso, month_name
from .schedule import Job

log = logging.getLogger("api.jobs.reminders")

CARD_KIND = "life_event"
STALE_CLAIM = dt.timedelta(minutes=15)
INTERVAL = dt.timedelta(minutes=15)
CARE = {"dagopvang": "dagopvang", "bso": "bso", "gastouderopvang": "gastouderopvang"}
# Kinds that never fall back to a card: a payment day is no card, prompts are cards already, and the
# January check has its own card (the income feature raises prompt kind 'january_check').
NO_CARD_KINDS = ("payment_day", "prompts", "january_check")


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
    data: dict = field(default_factory=dict)
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


# -- texts ------------------------------------------------------------------------------------------

def nl_date(day: dt.date, today: dt.date) -> str:
    return f"{day.day} {month_name(day.month)}" + ("" if day.year == today.year else f" {day.year}")


def nl_month(ym: tuple[int, int], today: dt.date) -> str:
    return month_name(ym[1]) + ("" if ym[0] == today.year else f" {ym[0]}")


def _more_less(cents: int) -> str:
    return "hoger" if cents > 0 else "lager"


class Effects:
    """Monthly amounts per toeslag under what the store knows now (the timeline: ages move month by
    month, contracts end, homes change), from shared_rules.preview — one call per year, cached. The
    effect of an event is the amount of its first month minus the amount of the month before."""

    def __init__(self, db: Database, state: dict, household_id: str, today: dt.date):
        self.db = db
        self.state = state
        self.household_id = household_id
        self.today = today
        self._years: dict[int, dict | None] = {}

    def _year(self, year: int) -> dict | None:
        if year not in self._years:
            try:
                if year == self.today.year:
                    decs = decisions_store.for_year(self.db, self.household_id, year)
                    pays = decisions_store.payments(self.db, self.household_id, year)
                else:
                    decs, pays = [], []
                pv = rules.preview(situation.rules_input(self.state, decs, pays, year, self.today))
                # A toeslag without figures (no_parameters) or with provisional ones (2027 from the
                # begroting) gives no amount in a reminder: a difference across the year boundary
                # would mix the age effect with figures that may still change.
                self._years[year] = {t: r["before"]["months"] for t, r in pv["toeslagen"].items()
                                     if r.get("computed") is not False and not r.get("provisional")}
            except rules.InputError:
                self._years[year] = None
        return self._years[year]

    def month(self, ym: tuple[int, int]) -> dict[str, int] | None:
        months = self._year(ym[0])
        if not months:
            return None
        return {t: m[ym[1] - 1] for t, m in months.items()}

    def change(self, ym: tuple[int, int], toeslagen: set[str]) -> dict[str, dict]:
        """{toeslag: {"month": "YYYY-MM", "before": cents, "after": cents, "difference": cents}} for the
        toeslagen the household has; {} when the rules cannot compute that month."""
        after = self.month(ym)
        prev = w.add_months(dt.date(ym[0], ym[1], 1), -1)
        before = self.month((prev.year, prev.month))
        if after is None or before is None:
            return {}
        return {t: {"month": f"{ym[0]}-{ym[1]:02d}", "before": before[t], "after": after[t],
                    "difference": after[t] - before[t]}
                for t in sorted(toeslagen) if t in after and t in before}


# -- what is due for one household ----------------------------------------------------------------

@dataclass
class Context:
    store: Store
    db: Database
    settings: Settings
    today: dt.date
    household_id: str
    state: dict
    applied: set[str]
    effects: Effects
    rent_reports: list[dict]
    partner_events: list[dict]
    prompts: list[dict]
    done: set = field(default_factory=set)

    def wanted(self, kind: str, subject: str, occasion: str, window: w.Window) -> bool:
        """In its window today and not claimed before: only then is the text (and effect) worked out."""
        return window.contains(self.today) and (kind, subject, occasion) not in self.done


def child_age_reminders(ctx: Context) -> list[Reminder]:
    out = []
    for p in ctx.state["persons"]:
        if p["role"] != "child":
            continue
        birth = dt.date.fromisoformat(p["birth_date"])
        for age in w.AGES:
            window, bday, eff = w.child_age(birth, age)
            if not ctx.wanted("child_age", p["id"], str(age), window):
                continue
            if p["id"] not in {k["id"] for k in situation.members_on(ctx.state, bday)}:
                continue  # no longer (or not yet) living in the household on the birthday
            r = Reminder("child_age", p["id"], str(age), window)
            if _child_age_text(ctx, r, p["given_name"], p["id"], age, bday, eff):
                out.append(r)
    return out


def _child_age_text(ctx: Context, r: Reminder, name: str, person_id: str, age: int, bday: dt.date,
                    eff: tuple[int, int]) -> bool:
    when = nl_date(bday, ctx.today)
    if age == 4:
        if not any(c["child_id"] == person_id and c["kind"] == "dagopvang"
                   for c in situation.contracts_on(ctx.state, bday)):
            return False  # no dagopvang to turn into bso
        r.title = f"{name} wordt 4"
        r.body = (f"{name} wordt op {when} 4 jaar. Gaat {name} naar school en naar de bso? Geef dan de nieuwe "
                  "opvang en de uren door. Dan klopt je kinderopvangtoeslag.")
        r.url, r.toeslag = "/#/wijzigen/kinderopvang", "kinderopvangtoeslag"
        r.data = {"birthday": bday.isoformat(), "age": age}
        return True
    effect = ctx.effects.change(eff, ctx.applied)
    kgb = effect.get("kindgebonden_budget")
    r.data = {"birthday": bday.isoformat(), "age": age, "effect": effect}
    r.toeslag = "kindgebonden_budget"
    if age in (12, 16):
        if "kindgebonden_budget" not in ctx.applied or (kgb is not None and kgb["difference"] <= 0):
            return False  # no kindgebonden budget, or no more of it: nothing changes for this household
        r.title = f"{name} wordt {age}: meer kindgebonden budget"
        more = f"ongeveer {euro(kgb['difference'], whole=True)} per maand" if kgb else "meestal iets"
        r.body = (f"{name} wordt op {when} {age} jaar. Vanaf {nl_month(eff, ctx.today)} krijg je {more} meer "
                  "kindgebonden budget. Je hoeft daarvoor niets te doen.")
        r.url = "/#/toeslag/kindgebonden_budget"
        return True
    # 18
    r.title = f"{name} wordt 18"
    less = ""
    if kgb is not None and kgb["difference"] < 0:
        less = f": {euro(-kgb['difference'], whole=True)} per maand minder"
    stop = (f" Na {nl_month((bday.year, bday.month), ctx.today)} stopt het kindgebonden budget voor {name}{less}."
            if "kindgebonden_budget" in ctx.applied else "")
    r.body = (f"{name} wordt op {when} 18 jaar.{stop} {name} kan dan zelf zorgtoeslag aanvragen. "
              f"Woont {name} nog bij je? Dan kan het inkomen van {name} meetellen voor je huurtoeslag.")
    if "huurtoeslag" not in ctx.applied:
        r.body = r.body.rsplit(" Woont", 1)[0]
    r.url = "/#/wijzigen/kinderen"
    return True


def contract_end_reminders(ctx: Context) -> list[Reminder]:
    out = []
    if "kinderopvangtoeslag" not in ctx.applied:
        return out
    names = {p["id"]: p["given_name"] for p in ctx.state["persons"]}
    for c in ctx.state["contracts"]:
        if not c["end_date"]:
            continue
        end = dt.date.fromisoformat(c["end_date"])
        window, eff = w.contract_end(end)
        if not ctx.wanted("childcare_contract_end", c["id"], c["end_date"], window):
            continue
        name = names.get(c["child_id"], "je kind")
        kind = CARE.get(c["kind"], "opvang")
        effect = ctx.effects.change(eff, {"kinderopvangtoeslag"})
        kot = effect.get("kinderopvangtoeslag")
        less = f" ({euro(-kot['difference'], whole=True)} per maand minder)" if kot and kot["difference"] < 0 else ""
        out.append(Reminder(
            "childcare_contract_end", c["id"], c["end_date"], window,
            title=f"De {kind} van {name} stopt",
            body=(f"De {kind} van {name} stopt op {nl_date(end, ctx.today)}. Vanaf {nl_month(eff, ctx.today)} krijg "
                  f"je daarvoor geen kinderopvangtoeslag meer{less}. Klopt de datum niet? Geef het dan door."),
            url="/#/wijzigen/kinderopvang", toeslag="kinderopvangtoeslag",
            data={"end_date": c["end_date"], "effect": effect}))
    return out


def home_reminders(ctx: Context) -> list[Reminder]:
    out = []
    homes = ctx.state["homes"]
    for h in homes:
        start = dt.date.fromisoformat(h["valid_from"])
        recorded = dt.datetime.fromisoformat(h["created_at"]).astimezone(AMSTERDAM).date()
        found = w.home_start(start, recorded)
        if found is None or not ctx.wanted("home_change", f"home:{h['id']}", h["valid_from"], found[0]):
            continue
        window, eff = found
        prev = situation.home_on(ctx.state, start - w.DAY)
        moves = prev is None or (prev["street"], prev["house_number"], prev["postcode"]) != \
            (h["street"], h["house_number"], h["postcode"])
        effect = ctx.effects.change(eff, {"huurtoeslag"} & ctx.applied)
        ht = effect.get("huurtoeslag")
        extra = ""
        if ht and ht["difference"]:
            extra = (f" Je huurtoeslag wordt vanaf {nl_month(eff, ctx.today)} "
                     f"{euro(abs(ht['difference']), whole=True)} per maand {_more_less(ht['difference'])}.")
        when = nl_date(start, ctx.today)
        if moves:
            title, body, url = ("Je verhuist binnenkort",
                                f"Je gaf door dat je op {when} verhuist. Kloppen je nieuwe huur en "
                                f"servicekosten nog?{extra}", "/#/wijzigen/verhuizen")
        else:
            title, body, url = ("Je huur verandert binnenkort",
                                f"Vanaf {when} betaal je een andere huur. Klopt het bedrag dat je "
                                f"doorgaf nog?{extra}", "/#/wijzigen/huur")
        out.append(Reminder("home_change", f"home:{h['id']}", h["valid_from"], window, title=title, body=body,
                            url=url, toeslag="huurtoeslag", data={"valid_from": h["valid_from"], "effect": effect}))
    return out


def rent_feed_reminders(ctx: Context) -> list[Reminder]:
    out = []
    for rep in ctx.rent_reports:
        received = dt.datetime.fromisoformat(rep["received_at"]).astimezone(AMSTERDAM).date()
        window = w.rent_report(received)
        amounts = hashlib.sha256(f"{rep['rent']}:{rep['service_costs']}".encode()).hexdigest()[:10]
        if not ctx.wanted("home_change", "rent_feed", f"{rep['month']}:{amounts}", window):
            continue
        first = dt.date.fromisoformat(rep["month"] + "-01")
        nearby = [situation.home_on(ctx.state, first)] + [
            h for h in ctx.state["homes"] if first.isoformat() <= h["valid_from"] < w.add_months(first, 2).isoformat()]
        if any(h is not None and h["renting"] and h["rent"] == rep["rent"]
               and h["service_costs"] == (rep["service_costs"] or 0) for h in nearby):
            continue  # the household already passed this rent on
        if situation.home_on(ctx.state, first) is None:
            continue
        effect: dict = {}
        if "huurtoeslag" in ctx.applied and first.year == ctx.today.year:
            effect = _rent_preview(ctx, first, rep["rent"], rep["service_costs"] or 0)
        ht = effect.get("huurtoeslag")
        eff = (first.year, first.month)
        extra = ""
        if ht and ht["difference"]:
            extra = (f" Je huurtoeslag wordt dan {euro(abs(ht['difference']), whole=True)} per maand "
                     f"{_more_less(ht['difference'])}.")
        out.append(Reminder(
            "home_change", "rent_feed", f"{rep['month']}:{amounts}", window,
            title="Je verhuurder gaf een nieuwe huur door",
            body=(f"Je verhuurder gaf een andere huur door vanaf {nl_month(eff, ctx.today)}. Geef de nieuwe huur "
                  f"ook aan ons door. Dan klopt je huurtoeslag.{extra}"),
            url="/#/wijzigen/huur", toeslag="huurtoeslag", data={"month": rep["month"], "effect": effect}))
    return out


def _rent_preview(ctx: Context, first: dt.date, rent: int, service_costs: int) -> dict:
    """What the rent the report implies does to huurtoeslag (a home change from that month), through
    shared_rules.changes.preview_change, the call the phone and POST /api/changes/preview make."""
    if first.year != ctx.today.year:
        return {}  # a change can only be given for this year
    try:
        pv = rules.changes.preview_change({
            "today": ctx.today.isoformat(), "household": situation.facts(ctx.state),
            "change": {"kind": "home", "date": first.isoformat(), "rent": rent, "service_costs": service_costs}})
    except Exception:  # noqa: BLE001 - no effect rather than no reminder
        log.warning("rent preview failed for a household")
        return {}
    tp = pv["toeslagen"].get("huurtoeslag")
    eff = pv.get("effective_month")
    if tp is None or tp.get("computed") is False or not eff or eff > 12:
        return {}
    i = eff - 1
    before, after = tp["before"]["months"][i], tp["after"]["months"][i]
    return {"huurtoeslag": {"month": f"{pv['year']}-{eff:02d}", "before": before, "after": after,
                            "difference": after - before}}


def partner_reminders(ctx: Context) -> list[Reminder]:
    out = []
    names = {p["id"]: p["given_name"] for p in ctx.state["persons"]}
    for e in ctx.partner_events:
        change = dt.date.fromisoformat(e["effective_date"])
        recorded = dt.datetime.fromisoformat(e["occurred_at"]).astimezone(AMSTERDAM).date()
        window = w.partner_change(change, recorded)
        if window is None or not ctx.wanted("partner_change", f"event:{e['id']}", "after", window):
            continue
        what = e["what"]
        when = nl_date(change, ctx.today)
        r = Reminder("partner_change", f"event:{e['id']}", "after", window, data={"change_date": e["effective_date"],
                                                                                  "action": what.get("action")})
        if what.get("action") == "moves_in":
            name = names.get(what.get("person_id"), "je partner")
            r.title = "Klopt alles nu jullie samenwonen?"
            r.body = (f"Sinds {when} is {name} je toeslagpartner. Kijk of het inkomen van jullie allebei klopt. "
                      "Dan krijg je niet te veel of te weinig toeslag.")
            r.url = "/#/wijzigen/inkomen"
        elif what.get("reason") == "death":
            # gentle: no amounts, no hurry
            r.title = "Je toeslagen na het overlijden van je partner"
            r.body = ("Gecondoleerd met het verlies van je partner. Als je er klaar voor bent, kijk dan of je "
                      "toeslagen nog kloppen. Het hoeft niet meteen. Wil je hulp? Neem gerust contact met ons op.")
            r.url = "/#/overzicht"
        else:
            r.title = "Kijk rustig of alles nog klopt"
            r.body = (f"Je partner woont sinds {when} niet meer bij je. Dat verandert veel. Neem de tijd en kijk "
                      "of je inkomen en je toeslagen nog kloppen. Wil je hulp? Neem gerust contact met ons op.")
            r.url = "/#/overzicht"
        r.data["effect"] = {t: {"before": a.get("before"), "after": a.get("after")}
                            for t, a in (e.get("amounts") or {}).items()}
        out.append(r)
    return out


def january_reminders(ctx: Context) -> list[Reminder]:
    year = ctx.today.year
    window = w.january_check(year)
    if not ctx.wanted("january_check", "", str(year), window) or not ({a["toeslag"] for a in ctx.state["applications"]
                                               if a["year"] in (year, year - 1)}):
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
            and any(a["year"] == last for a in ctx.state["applications"])
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
        decs = situation.latest_decisions(decisions_store.for_year(ctx.db, ctx.household_id, year))
        total = sum(m["voorschot"] for d in decs.values() for m in d["months"] if m["month"] == month)
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
        title, body = PROMPT_TEXTS.get(p["kind"], (None, None))
        if title is None:
            # the card's own text only when it carries no figures (a push shows on a lock screen)
            safe = not any(ch.isdigit() or ch == "€" for ch in p["title"] + p["body"])
            title = p["title"] if safe and len(p["title"]) <= 80 else "Er staat iets voor je klaar"
            body = p["body"] if safe and len(p["body"]) <= 200 else "Kijk in de app wat je kunt controleren."
        action = p["action"] or ""
        url = "/" + action if action.startswith("#/") else "/#/overzicht"
        out.append(Reminder("prompts", f"prompt:{p['id']}", "open", window, title=title, body=body, url=url,
                            toeslag=p["toeslag"] or "", data={"prompt_id": p["id"]}, card=False))
    return out


COLLECTORS = {
    "child_age": (child_age_reminders,),
    "childcare_contract_end": (contract_end_reminders,),
    "home_change": (home_reminders, rent_feed_reminders),
    "partner_change": (partner_reminders,),
    "january_check": (january_reminders, year_cycle_reminders),
    "payment_day": (payment_reminders,),
    "prompts": (prompt_reminders,),
}


# -- the run ----------------------------------------------------------------------------------------

def _in_shard(household_id: str, shard: tuple[int, int] | None) -> bool:
    if shard is None:
        return True
    i, n = shard
    return int(hashlib.sha256(household_id.encode()).hexdigest()[:8], 16) % n == i


def _candidates(db: Database, today: dt.date, now: dt.datetime) -> tuple[dict[str, set[str]], list, list, list]:
    """household -> the kinds that may be due (a cheap superset from the store)."""
    out: dict[str, set[str]] = {}

    def add(ids, kind):
        for hid in ids:
            out.setdefault(hid, set()).add(kind)

    add(push_store.children_born_in(db, [(a.isoformat(), b.isoformat()) for a, b in w.birth_ranges(today)]),
        "child_age")
    add(push_store.contracts_ending_between(db, today.isoformat(), (today + w.LEAD_DAYS * w.DAY).isoformat()),
        "childcare_contract_end")
    add(push_store.homes_starting_between(db, (today + w.DAY).isoformat(), (today + w.LEAD_DAYS * w.DAY).isoformat()),
        "home_change")
    rent = push_store.rent_reports_since(db, w.add_months(today, -3).strftime("%Y-%m"))
    add({r["household_id"] for r in rent}, "home_change")
    partner = push_store.partner_events_between(db, w.add_months(today, -2).isoformat(), today.isoformat())
    add({e["household_id"] for e in partner}, "partner_change")
    if (w.january_check(today.year).contains(today) or today.month == 12
            or dt.date(today.year, 4, 1) <= today <= dt.date(today.year, 5, 31)):
        # January check, next year's voorschot (December), last year's settlement (spring): year_cycle_reminders
        add(push_store.households_applied(db, (today.year, today.year - 1)), "january_check")
    if any(w.payment_day(rules.payment_day(y, m)).contains(today)
           for y, m in [(today.year, m) for m in range(1, 13)] + [(today.year + 1, 1)]):
        add(push_store.households_with_payment_day(db), "payment_day")
    since = iso(now - dt.timedelta(days=8))
    prompts = push_store.open_prompts_since(db, since, CARD_KIND)
    add({p["household_id"] for p in prompts}, "prompts")
    return out, rent, partner, prompts


def run(store: Store, settings: Settings, *, shard: tuple[int, int] | None = None,
        sender: Sender | None = None) -> dict:
    today = settings.today_date()
    now = settings.now()
    now_s = iso(now)
    push = PushService(store, settings)
    counts = {"households": 0, "due": 0, "sent": 0, "cards": 0, "postponed": 0, "failed": 0,
              "gone_subscriptions": 0, "stale_claims": 0, "cards_closed": 0, "errors": 0}
    own_sender = sender is None
    sender = sender or Sender(push.keys(), settings.vapid_subject, timeout=settings.push_timeout)
    try:
        _recover_stale(store, now, shard, counts)
        _close_expired_cards(store, today, now_s, shard, counts)
        db = store.db()
        cands, rent, partner, prompts = _candidates(db, today, now)
        ids = sorted(h for h in cands if _in_shard(h, shard))
        prefs = push_store.settings_for(db, ids)
        for hid in ids:
            hs = household_settings(prefs.get(hid))
            kinds = [k for k in sorted(cands[hid]) if hs["kinds"].get(k)]
            if kinds and not push_store.count_subscriptions(db, hid):
                # no push: only kinds with a card can do anything
                kinds = [k for k in kinds if k not in NO_CARD_KINDS]
            if not kinds:
                continue
            counts["households"] += 1
            try:
                due = _due_for(store, db, settings, today, hid, kinds, rent, partner, prompts)
                counts["due"] += len(due)
                if due:
                    _deliver(store, settings, sender, hid, hs, due, now, counts)
            except Exception as e:  # noqa: BLE001 - one household must not stop the others
                # type only: a message could carry personal data
                log.error("reminders: a household failed (%s); the next run tries again", type(e).__name__)
                counts["errors"] += 1
    finally:
        if own_sender:
            sender.close()
    log.info("reminders: %s", counts)
    return counts


def _due_for(store: Store, db: Database, settings: Settings, today: dt.date, hid: str, kinds: list[str], rent: list[dict],
             partner: list[dict], prompts: list[dict]) -> list[Reminder]:
    state = households_store.load(db, hid)
    if state is None:
        return []
    ctx = Context(store=store, db=db, settings=settings, today=today, household_id=hid, state=state,
                  applied=_applied(state, today.year), effects=Effects(db, state, hid, today),
                  rent_reports=[r for r in rent if r["household_id"] == hid],
                  partner_events=[e for e in partner if e["household_id"] == hid],
                  prompts=[p for p in prompts if p["household_id"] == hid], done=push_store.recorded_keys(db, hid))
    out = []
    for kind in kinds:
        for collect in COLLECTORS[kind]:
            for r in collect(ctx):
                if ctx.wanted(r.kind, r.subject, r.occasion, r.window):
                    out.append(r)
                    ctx.done.add(r.key)
    return out


def _applied(state: dict, year: int) -> set[str]:
    """The toeslagen of `year`; before the new year's applications are recorded, those of the latest
    earlier year (a toeslag continues from year to year until it is stopped)."""
    years = [a["year"] for a in state["applications"] if a["year"] <= year]
    return situation.applied(state, max(years)) if years else set()


def _row(hid: str, r: Reminder) -> dict[str, Any]:
    return {"household_id": hid, "kind": r.kind, "subject": r.subject, "occasion": r.occasion,
            "due_on": r.window.due.isoformat(), "until_on": r.window.until.isoformat(), "toeslag": r.toeslag,
            "title": r.title, "body": r.body, "url": r.url, "tag": r.tag, "data": r.data}


def _card(db: Database, hid: str, rem: dict, now: str) -> int | None:
    """The overview card a reminder falls back to (raise_prompt is idempotent per subject)."""
    effect = (rem.get("data") or {}).get("effect") or {}
    diffs = [v.get("difference") for v in effect.values() if isinstance(v, dict) and v.get("difference")]
    key = f"{rem['kind']}:{rem['subject']}:{rem['occasion']}"
    return raise_prompt(db, hid, PromptDraft(
        kind=CARD_KIND, toeslag=rem.get("toeslag") or "", subject=key, fingerprint=key,
        amount=sum(diffs) if diffs else None, title=rem["title"], body=rem["body"],
        action=rem["url"][1:] if rem["url"].startswith("/#") else rem["url"],
        data={"reminder": rem["kind"], "due_on": rem["due_on"], "until_on": rem["until_on"], **(rem.get("data") or {})},
    ), now)


def _deliver(store: Store, settings: Settings, sender: Sender, hid: str, hs: dict, due: list[Reminder],
             now: dt.datetime, counts: dict) -> None:
    now_s = iso(now)
    subs = push_store.subscriptions(store.db(), hid)
    quiet = hs["quiet"] is not None and w.in_quiet_hours(now.astimezone(AMSTERDAM).time(), *hs["quiet"])
    for r in due:
        rem = _row(hid, r)
        if not subs:
            if not r.card:
                continue
            with store.write() as db:
                if push_store.claim(db, rem, "card", now_s):
                    pid = _card(db, hid, rem, now_s)
                    push_store.finish(db, hid, r.kind, r.subject, r.occasion, "card", now_s, prompt_id=pid)
                    counts["cards"] += 1
            continue
        if quiet:
            counts["postponed"] += 1
            continue
        data = payload(r.title, r.body, r.url, r.tag)
        with store.write() as db:
            claimed = push_store.claim(db, rem, "claimed", now_s)
        if not claimed:
            continue  # another run got it first
        ttl = settings.push_ttl if r.ttl is None else r.ttl
        outcomes: list[tuple[dict, Outcome]] = [(s, sender.send(s, data, ttl=ttl, urgency=r.urgency)) for s in subs]
        with store.write() as db:
            for s, o in outcomes:
                if o.status == "sent":
                    push_store.mark_sent(db, s["id"], now_s)
                elif o.status == "gone":
                    push_store.delete_subscription_by_id(db, s["id"])
                    counts["gone_subscriptions"] += 1
                else:
                    push_store.mark_failed(db, s["id"])
            if any(o.status == "sent" for _, o in outcomes):
                push_store.finish(db, hid, r.kind, r.subject, r.occasion, "sent", now_s)
                counts["sent"] += 1
            elif r.card:
                pid = _card(db, hid, rem, now_s)
                push_store.finish(db, hid, r.kind, r.subject, r.occasion, "card", now_s, prompt_id=pid)
                counts["cards"] += 1
            else:
                push_store.finish(db, hid, r.kind, r.subject, r.occasion, "failed", now_s)
                counts["failed"] += 1
        subs = [s for s, o in outcomes if o.status != "gone"]


def _recover_stale(store: Store, now: dt.datetime, shard, counts: dict) -> None:
    """Claims never finished (the process died between claim and send, or during the send): never
    pushed again; shown as a card where the kind has one."""
    now_s = iso(now)
    for rem in push_store.stale_claims(store.db(), iso(now - STALE_CLAIM)):
        hid = rem["household_id"]
        if not _in_shard(hid, shard):
            continue
        with store.write() as db:
            current = push_store.reminder(db, hid, rem["kind"], rem["subject"], rem["occasion"])
            if current is None or current["status"] != "claimed":
                continue
            if rem["kind"] in NO_CARD_KINDS:
                push_store.finish(db, hid, rem["kind"], rem["subject"], rem["occasion"], "failed", now_s)
            else:
                pid = _card(db, hid, rem, now_s)
                push_store.finish(db, hid, rem["kind"], rem["subject"], rem["occasion"], "card", now_s, prompt_id=pid)
        counts["stale_claims"] += 1


def _close_expired_cards(store: Store, today: dt.date, now_s: str, shard, counts: dict) -> None:
    """A reminder card leaves the overview once its window has passed (unless dismissed before)."""
    for rem in push_store.expired_cards(store.db(), today.isoformat()):
        hid = rem["household_id"]
        if not _in_shard(hid, shard):
            continue
        key = f"{rem['kind']}:{rem['subject']}:{rem['occasion']}"
        with store.write() as db:
            resolve(db, hid, CARD_KIND, rem["toeslag"] or "", key, now_s)
            push_store.close_card(db, hid, rem["kind"], rem["subject"], rem["occasion"])
        counts["cards_closed"] += 1


def job() -> Job:
    return Job("reminders", INTERVAL, run)

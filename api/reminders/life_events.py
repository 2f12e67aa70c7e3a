"""Reminders of life events: a child's birthday that changes a toeslag (4, 12, 16, 18), the end of a
childcare contract, a move or new rent (given by the household or reported by the landlord), and a
toeslagpartner who moved in or out. Each collector gives the reminders in their window today, with
their text."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from .. import rules
from ..household import situation
from ..push import windows as w
from ..settings import AMSTERDAM
from ..util import euro
from .model import Context, Reminder
from .texts import MonthEffect, more_less, nl_date, nl_month

log = logging.getLogger("api.reminders")

CARE = {"dagopvang": "dagopvang", "bso": "bso", "gastouderopvang": "gastouderopvang"}


def child_age_reminders(ctx: Context) -> list[Reminder]:
    out = []
    for p in ctx.household.persons:
        if p.role != "child":
            continue
        birth = dt.date.fromisoformat(p.birth_date)
        for age in w.AGES:
            window, bday, eff = w.child_age(birth, age)
            if not ctx.wanted("child_age", p.id, str(age), window):
                continue
            if p.id not in {k["id"] for k in situation.members_on(ctx.rows, bday)}:
                continue  # no longer (or not yet) living in the household on the birthday
            r = Reminder("child_age", p.id, str(age), window)
            if _child_age_text(ctx, r, p.given_name, p.id, age, bday, eff):
                out.append(r)
    return out


def _child_age_text(ctx: Context, r: Reminder, name: str, person_id: str, age: int, bday: dt.date,
                    eff: tuple[int, int]) -> bool:
    when = nl_date(bday, ctx.today)
    if age == 4:
        if not any(c["child_id"] == person_id and c["kind"] == "dagopvang"
                   for c in situation.contracts_on(ctx.rows, bday)):
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
    out: list[Reminder] = []
    if "kinderopvangtoeslag" not in ctx.applied:
        return out
    names = {p.id: p.given_name for p in ctx.household.persons}
    for c in ctx.household.contracts:
        if not c.end_date:
            continue
        end = dt.date.fromisoformat(c.end_date)
        window, eff = w.contract_end(end)
        if not ctx.wanted("childcare_contract_end", c.id, c.end_date, window):
            continue
        name = names.get(c.child_id, "je kind")
        kind = CARE.get(c.kind, "opvang")
        effect = ctx.effects.change(eff, {"kinderopvangtoeslag"})
        kot = effect.get("kinderopvangtoeslag")
        less = f" ({euro(-kot['difference'], whole=True)} per maand minder)" if kot and kot["difference"] < 0 else ""
        out.append(Reminder(
            "childcare_contract_end", c.id, c.end_date, window,
            title=f"De {kind} van {name} stopt",
            body=(f"De {kind} van {name} stopt op {nl_date(end, ctx.today)}. Vanaf {nl_month(eff, ctx.today)} krijg "
                  f"je daarvoor geen kinderopvangtoeslag meer{less}. Klopt de datum niet? Geef het dan door."),
            url="/#/wijzigen/kinderopvang", toeslag="kinderopvangtoeslag",
            data={"end_date": c.end_date, "effect": effect}))
    return out


def home_reminders(ctx: Context) -> list[Reminder]:
    out = []
    for h in ctx.household.homes:
        start = dt.date.fromisoformat(h.valid_from)
        recorded = dt.datetime.fromisoformat(h.created_at).astimezone(AMSTERDAM).date()
        found = w.home_start(start, recorded)
        if found is None or not ctx.wanted("home_change", f"home:{h.id}", h.valid_from, found[0]):
            continue
        window, eff = found
        prev = situation.home_on(ctx.rows, start - w.DAY)
        moves = prev is None or (prev["street"], prev["house_number"], prev["postcode"]) != \
            (h.street, h.house_number, h.postcode)
        effect = ctx.effects.change(eff, {"huurtoeslag"} & ctx.applied)
        ht = effect.get("huurtoeslag")
        extra = ""
        if ht and ht["difference"]:
            extra = (f" Je huurtoeslag wordt vanaf {nl_month(eff, ctx.today)} "
                     f"{euro(abs(ht['difference']), whole=True)} per maand {more_less(ht['difference'])}.")
        when = nl_date(start, ctx.today)
        if moves:
            title, body, url = ("Je verhuist binnenkort",
                                f"Je gaf door dat je op {when} verhuist. Kloppen je nieuwe huur en "
                                f"servicekosten nog?{extra}", "/#/wijzigen/verhuizen")
        else:
            title, body, url = ("Je huur verandert binnenkort",
                                f"Vanaf {when} betaal je een andere huur. Klopt het bedrag dat je "
                                f"doorgaf nog?{extra}", "/#/wijzigen/huur")
        out.append(Reminder("home_change", f"home:{h.id}", h.valid_from, window, title=title, body=body,
                            url=url, toeslag="huurtoeslag", data={"valid_from": h.valid_from, "effect": effect}))
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
        nearby = [situation.home_on(ctx.rows, first)] + [
            h for h in ctx.rows["homes"] if first.isoformat() <= h["valid_from"] < w.add_months(first, 2).isoformat()]
        if any(h is not None and h["renting"] and h["rent"] == rep["rent"]
               and h["service_costs"] == (rep["service_costs"] or 0) for h in nearby):
            continue  # the household already passed this rent on
        if situation.home_on(ctx.rows, first) is None:
            continue
        effect: dict[str, MonthEffect] = {}
        if "huurtoeslag" in ctx.applied and first.year == ctx.today.year:
            effect = _rent_preview(ctx, first, rep["rent"], rep["service_costs"] or 0)
        ht = effect.get("huurtoeslag")
        eff = (first.year, first.month)
        extra = ""
        if ht and ht["difference"]:
            extra = (f" Je huurtoeslag wordt dan {euro(abs(ht['difference']), whole=True)} per maand "
                     f"{more_less(ht['difference'])}.")
        out.append(Reminder(
            "home_change", "rent_feed", f"{rep['month']}:{amounts}", window,
            title="Je verhuurder gaf een nieuwe huur door",
            body=(f"Je verhuurder gaf een andere huur door vanaf {nl_month(eff, ctx.today)}. Geef de nieuwe huur "
                  f"ook aan ons door. Dan klopt je huurtoeslag.{extra}"),
            url="/#/wijzigen/huur", toeslag="huurtoeslag", data={"month": rep["month"], "effect": effect}))
    return out


def _rent_preview(ctx: Context, first: dt.date, rent: int, service_costs: int) -> dict[str, MonthEffect]:
    """What the rent the report implies does to huurtoeslag (a home change from that month), through
    shared_rules.changes.preview_change, the call the phone and POST /api/changes/preview make."""
    if first.year != ctx.today.year:
        return {}  # a change can only be given for this year
    try:
        pv = rules.changes.preview_change({
            "today": ctx.today.isoformat(), "household": situation.facts(ctx.rows),
            "change": {"kind": "home", "date": first.isoformat(), "rent": rent, "service_costs": service_costs}})
    except Exception:  # no effect rather than no reminder
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
    names = {p.id: p.given_name for p in ctx.household.persons}
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

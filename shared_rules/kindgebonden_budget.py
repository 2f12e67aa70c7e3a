"""Kindgebonden budget (Wet op het kindgebonden budget, BWBR0022751): a yearly amount, per month
one twelfth of the yearly formula for the children of that month (Awir art. 5)."""

from .explain import euro, euro_whole, percent, step
from .money import PCT_SCALE, round_half_up_to_cent
from .months import days_in_month
from .params import cite

NAME = "kindgebonden_budget"
SECTION = "KINDGEBONDEN_BUDGET"
KIND = "yearly"
DEN = PCT_SCALE


def nothing(s):
    """The reason this situation gives no kindgebonden budget in any month, whatever else: no children
    at all (compute's first test), or None."""
    return "no_children" if not s.children else None


def month_key(s, first_day, p):
    """Children by age group (under 12, 12-15, 16-17) for the month. Wkb art. 2 lid 1 and 3 set
    their own dates, stricter than Awir art. 5: a child counts from the month after the month of
    birth up to and including the month it turns 18, and a supplement starts the month after the
    birthday month, also for a birthday on the 1st. So: age on the last day of the month before."""
    y, m, _ = first_day
    day = (y - 1, 12, 31) if m == 1 else (y, m - 1, days_in_month(y, m - 1))
    young = 0
    mid = 0
    old = 0
    for c in s.children:
        if not c.born_by(day):
            continue
        age = c.age_at(day)
        if age < 12:
            young += 1
        elif age < 16:
            mid += 1
        elif age < 18:
            old += 1
    return (young, mid, old)


def compute(s, p, key, steps):
    """-> (amount in cents x DEN for a whole year, reasons)."""
    young, mid, old = key
    n = young + mid + old
    if n == 0:
        if steps is not None:
            step(steps, "Er woont geen kind jonger dan 18 jaar bij je. Dan is er geen kindgebonden "
                 "budget.", 0, "Wkb art. 2 lid 1")
        return 0, ["no_children"]
    partner = s.partner
    maximum = n * p["per_child"] * 100
    if steps is not None:
        step(steps, "Voor %d %s krijg je %s per kind per jaar: %s." % (
            n, "kind" if n == 1 else "kinderen", euro_whole(p["per_child"] * 100), euro_whole(maximum)),
            maximum, "Wkb art. 2 lid 2", cite(s.year, SECTION, "per_child"))
    if partner is None:
        maximum += p["alo_kop"] * 100
        if steps is not None:
            step(steps, "Je bent alleenstaande ouder. Daarom komt er %s per jaar bij." %
                 euro_whole(p["alo_kop"] * 100), p["alo_kop"] * 100, "Wkb art. 2 (alleenstaande-ouderkop)",
                 cite(s.year, SECTION, "alo_kop"))
    if mid:
        extra = mid * p["supplement_12_15"] * 100
        maximum += extra
        if steps is not None:
            step(steps, "Voor elk kind van 12 tot en met 15 jaar komt er %s bij: %s." % (
                euro_whole(p["supplement_12_15"] * 100), euro_whole(extra)), extra, "Wkb art. 2 lid 3 en 4",
                cite(s.year, SECTION, "supplement_12_15"))
    if old:
        extra = old * p["supplement_16_17"] * 100
        maximum += extra
        if steps is not None:
            step(steps, "Voor elk kind van 16 of 17 jaar komt er %s bij: %s." % (
                euro_whole(p["supplement_16_17"] * 100), euro_whole(extra)), extra, "Wkb art. 2 lid 3 en 5",
                cite(s.year, SECTION, "supplement_16_17"))
    if steps is not None:
        step(steps, "Het hoogste bedrag voor jullie is %s per jaar." % euro_whole(maximum), maximum,
             "Wkb art. 2")

    income = s.applicant.income + (partner.income if partner is not None else 0)
    drempel_key = "drempel_partner" if partner is not None else "drempel_single"
    drempel = p[drempel_key] * 100
    above = income - drempel
    if above < 0:
        above = 0
    # From 2027 a second bracket: above the knikpunt the higher percentage applies (Wkb art. 2
    # lid 6 as amended; SZW-begroting 2027). Years without a knikpunt have one bracket.
    knik = p.get("knikpunt")
    above_knik = 0
    if knik is not None and above:
        above_knik = income - knik * 100
        if above_knik < 0:
            above_knik = 0
        if above_knik > above:
            above_knik = above
    first = above - above_knik
    taper = p["afbouw"] * first + (p["afbouw_above_knikpunt"] * above_knik if above_knik else 0)   # cents x PCT_SCALE
    amount = maximum * PCT_SCALE - taper
    if steps is not None:
        source = cite(s.year, SECTION, drempel_key, "afbouw")
        if above_knik:
            part1 = p["afbouw"] * first
            part2 = p["afbouw_above_knikpunt"] * above_knik
            step(steps, "Het inkomen is %s hoger dan %s. Over het deel tot %s gaat er %s af: %s." % (
                euro(above), euro_whole(drempel), euro_whole(knik * 100), percent(p["afbouw"], PCT_SCALE),
                euro(round_half_up_to_cent(part1, PCT_SCALE))),
                -round_half_up_to_cent(part1, PCT_SCALE), "Wkb art. 2 lid 6", source)
            step(steps, "Over het inkomen boven %s (%s) gaat er %s af: %s." % (
                euro_whole(knik * 100), euro(above_knik), percent(p["afbouw_above_knikpunt"], PCT_SCALE),
                euro(round_half_up_to_cent(part2, PCT_SCALE))),
                -round_half_up_to_cent(part2, PCT_SCALE), "Wkb art. 2 lid 6",
                cite(s.year, SECTION, "knikpunt", "afbouw_above_knikpunt"))
        elif above:
            step(steps, "Het inkomen is %s hoger dan %s. Daarom gaat er %s van af: %s." % (
                euro(above), euro_whole(drempel), percent(p["afbouw"], PCT_SCALE),
                euro(round_half_up_to_cent(taper, PCT_SCALE))),
                -round_half_up_to_cent(taper, PCT_SCALE), "Wkb art. 2 lid 6", source)
        else:
            step(steps, "Het inkomen is niet hoger dan %s. Er gaat niets af." % euro_whole(drempel), 0,
                 "Wkb art. 2 lid 6", source)
    if amount <= 0:
        if steps is not None:
            step(steps, "Met dit inkomen is er geen kindgebonden budget.", 0, "Wkb art. 2 lid 6")
        return 0, ["income_above_limit"]
    assets = s.applicant.assets + (partner.assets if partner is not None else 0)
    limit = (p["asset_limit_partner"] if partner is not None else p["asset_limit_single"]) * 100
    if assets > limit:
        if steps is not None:
            step(steps, "Het vermogen op 1 januari (%s) is hoger dan %s. Dan is er het hele jaar geen "
                 "kindgebonden budget." % (euro(assets), euro_whole(limit)), 0, "Wkb art. 1 lid 4",
                 cite(s.year, SECTION, "asset_limit_partner" if partner is not None else "asset_limit_single"))
        return 0, ["assets_above_limit"]
    if steps is not None:
        step(steps, "Kindgebonden budget: %s per jaar." % euro(round_half_up_to_cent(amount, DEN)),
             round_half_up_to_cent(amount, DEN), "Wkb art. 2")
    return amount, []

"""Huurtoeslag 2026 (Wet op de huurtoeslag, BWBR0008659, as of 1 January 2026): worked out per
calendar month. The 2026 system: a fixed basishuur and a linear income correction (art. 21)."""

from .explain import euro, percent, step
from .money import PCT_SCALE, round_half_up_to_cent

NAME = "huurtoeslag"
SECTION = "HUURTOESLAG"
KIND = "monthly"
DEN = PCT_SCALE * 12     # the income correction is a yearly percentage divided by 12
MONTH_LAW = "Wht art. 21 (per maand, naar beneden afgerond zoals de Dienst Toeslagen rekent)"


def _age(person, first_day):
    age = person.age_at(first_day)
    return 99 if age is None else age      # no birth date or age given: an adult


def nothing(s):
    """The reason this situation gives no huurtoeslag in any month, whatever else: no rent (compute's
    first test), or None."""
    return "no_rent" if s.home is None or s.home.rent == 0 else None


def month_key(s, first_day, p):
    """(applicant 18+, young household, per co-resident: income exempt as a child under 23)."""
    if s.home is None:
        return None
    adult = _age(s.applicant, first_day) >= 18
    young_age = p["young_age"]
    young = _age(s.applicant, first_day) < young_age
    if s.partner is not None and _age(s.partner, first_day) >= young_age:
        young = False
    exempt = []
    for c in s.home.co_residents:
        age = _age(c, first_day)
        if age >= young_age:
            young = False
        exempt.append(c.child and age < p["exempt_age"])
    for c in s.children:
        if c.born_by(first_day):
            young = False                      # a child in the home: the normal cap (art. 13)
    return (adult, young, tuple(exempt))


def compute(s, p, key, steps):
    """-> (amount for the month in cents x DEN, reasons)."""
    home = s.home
    if home is None or home.rent == 0:
        if steps is not None:
            step(steps, "Je huurt geen woning. Dan is er geen huurtoeslag.", 0, "Wht art. 1 en 7")
        return 0, ["no_rent"]
    adult, young, exempt = key
    if not adult:
        if steps is not None:
            step(steps, "Je bent jonger dan 18 jaar. Dan krijg je meestal geen huurtoeslag.", 0,
                 "Wht art. 9 lid 1")
        return 0, ["under_18"]
    partner = s.partner
    assets = s.applicant.assets + (partner.assets if partner is not None else 0)
    limit = (p["asset_limit_partner"] if partner is not None else p["asset_limit_person"]) * 100
    over = assets > limit
    for c in home.co_residents:
        if c.assets > p["asset_limit_person"] * 100:
            over = True
    if over:
        if steps is not None:
            step(steps, "Het vermogen op 1 januari is hoger dan de grens (%s per persoon). Dan is er "
                 "het hele jaar geen huurtoeslag." % euro(p["asset_limit_person"] * 100), 0,
                 "Awir art. 7 lid 3")
        return 0, ["assets_above_limit"]

    single = home.persons == 1
    cap = p["max_rent_young"] if young else p["max_rent"]
    rekenhuur = home.rent if home.rent < cap else cap
    if home.rent > cap:
        if steps is not None:
            step(steps, "Je kale huur is %s. Er telt hoogstens %s mee." % (euro(home.rent), euro(cap)),
                 rekenhuur, "Wht art. 13 lid 1 en art. 21 lid 1 onder d")
    else:
        if steps is not None:
            step(steps, "Je kale huur is %s per maand." % euro(home.rent), rekenhuur, "Wht art. 5")
    basishuur = (p["normhuur_minimum"] - (p["verlaging_single"] if single else p["verlaging_multi"])
                 - p["verlaging_basishuur"])
    if steps is not None:
        step(steps, "Het deel dat je altijd zelf betaalt (basishuur) is %s." % euro(basishuur),
             basishuur, "Wht art. 16 en 17; Wet verlaging eigen bijdrage huurtoeslag art. 1")

    kwal = p["kwaliteitskortingsgrens"]
    aftop = p["aftoppingsgrens_small"] if home.persons <= 2 else p["aftoppingsgrens_large"]
    part_a = (rekenhuur if rekenhuur < kwal else kwal) - basishuur
    if part_a < 0:
        part_a = 0
    part_b = (rekenhuur if rekenhuur < aftop else aftop) - kwal
    if part_b < 0:
        part_b = 0
    part_c = rekenhuur - aftop
    if part_c < 0:
        part_c = 0
    if steps is not None:
        step(steps, "Je krijgt de huur tussen de basishuur en %s helemaal vergoed: %s." % (
            euro(kwal), euro(part_a)), part_a, "Wht art. 21 lid 1 onder a")
    if part_b:
        if steps is not None:
            step(steps, "Van de huur tussen %s en %s krijg je %s: %s." % (
                euro(kwal), euro(aftop), percent(p["share_b"], PCT_SCALE),
                euro(round_half_up_to_cent(part_b * p["share_b"], PCT_SCALE))),
                round_half_up_to_cent(part_b * p["share_b"], PCT_SCALE), "Besluit op de huurtoeslag art. 7 lid 1")
    if part_c:
        if steps is not None:
            step(steps, "Van de huur boven %s krijg je %s: %s." % (
                euro(aftop), percent(p["share_c"], PCT_SCALE),
                euro(round_half_up_to_cent(part_c * p["share_c"], PCT_SCALE))),
                round_half_up_to_cent(part_c * p["share_c"], PCT_SCALE), "Besluit op de huurtoeslag art. 7 lid 2")

    income = s.applicant.income + (partner.income if partner is not None else 0)
    for i in range(len(home.co_residents)):
        c = home.co_residents[i]
        counted = c.income
        if exempt[i]:
            counted -= p["exempt_income_child"]
            if counted < 0:
                counted = 0
        income += counted
    ijkpunt = p["ijkpunt_single"] if single else p["ijkpunt_multi"]
    afbouw = p["afbouw_single"] if single else p["afbouw_multi"]
    above = income - ijkpunt
    if above < 0:
        above = 0
    correction = above * afbouw                               # cents x DEN
    if above:
        if steps is not None:
            step(steps, "Het inkomen van iedereen in huis samen is %s hoger dan %s. Daarom gaat er "
                 "per maand %s van dat verschil af, gedeeld door 12: %s." % (
                     euro(above), euro(ijkpunt), percent(afbouw, PCT_SCALE),
                     euro(round_half_up_to_cent(correction, DEN))),
                 -round_half_up_to_cent(correction, DEN), "Wht art. 21 lid 2")
    else:
        if steps is not None:
            step(steps, "Het inkomen van iedereen in huis samen is niet hoger dan %s. Er gaat niets "
                 "af." % euro(ijkpunt), 0, "Wht art. 17 lid 1 en art. 21 lid 2")
    amount = (part_a * PCT_SCALE + part_b * p["share_b"] + part_c * p["share_c"]) * 12 - correction
    if amount <= 0:
        if steps is not None:
            step(steps, "Met dit inkomen is er geen huurtoeslag.", 0, "Wht art. 21 lid 2")
        return 0, ["income_above_limit"]
    return amount, []

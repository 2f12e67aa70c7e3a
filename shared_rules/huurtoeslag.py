"""Huurtoeslag (Wet op de huurtoeslag, BWBR0008659): worked out per calendar month.

Two systems, told apart by the year's parameters:
- from 2026: a fixed basishuur and a linear income correction (art. 17, 21 lid 2); the maximale
  huurgrens only caps the rekenhuur (art. 13);
- 2025 and before (parameters with `normhuur_a_*`): a normhuur that rises with income as
  a*Y^2 + b*Y (art. 17-19), the basishuur is that normhuur minus the verlaging of the Wet
  verlaging eigen bijdrage huurtoeslag, and a rekenhuur above the maximale huurgrens gives no
  huurtoeslag at all (art. 13 lid 1; the exceptions of lid 2 are not modelled)."""

from .explain import euro, percent, step
from .money import PCT_SCALE, round_half_up_to_cent
from .params import cite

NAME = "huurtoeslag"
SECTION = "HUURTOESLAG"
KIND = "monthly"
DEN = PCT_SCALE * 12     # the income correction is a yearly percentage divided by 12
MONTH_LAW = "Wht art. 21 (per maand, naar beneden afgerond zoals de Dienst Toeslagen rekent)"
NORMHUUR_SCALE = 10 ** 12  # factors a and b of the normhuur (2025) per 10**12


def _age(person, first_day):
    age = person.age_at(first_day)
    return 99 if age is None else age      # no birth date or age given: an adult


def nothing(s):
    """The reason this situation gives no huurtoeslag in any month, whatever else: no rent (compute's
    first test), or None."""
    return "no_rent" if s.home is None or s.home.rent == 0 else None


def month_key(s, first_day, p):
    """(applicant 18+, young household, persons in the home, per co-resident: income exempt).

    - persons: derived from the household (applicant, partner, the children born by the first day
      of the month, co-residents), never taken on trust (Wht art. 1: the huishouden);
    - exempt: a co-resident child who is younger than 23 on 1 JANUARY of the year keeps the
      exemption of Awir art. 7 lid 6 for the whole year, as the agency applies it ("kinderen die op
      1 januari jonger zijn dan 23 jaar"): turning 23 during the year changes nothing."""
    home = s.home
    if home is None:
        return None
    age = _age(s.applicant, first_day)
    partner = s.partner
    born = 0
    for c in s.children:
        if c.born_by(first_day):
            born += 1
    persons = 1 + (1 if partner is not None else 0) + len(home.co_residents) + born
    young_age = p["young_age"]
    # young household (art. 13): everyone under young_age and no child in the home; only worked out
    # when the applicant is that young (this runs for every run of months in bulk jobs)
    young = False
    if age < young_age and born == 0 and (partner is None or _age(partner, first_day) < young_age):
        young = True
        for c in home.co_residents:
            if _age(c, first_day) >= young_age:
                young = False
    exempt = ()
    if home.co_residents:
        january = (first_day[0], 1, 1)
        exempt = tuple([c.child and _age(c, january) < p["exempt_age"] for c in home.co_residents])
    return (age >= 18, young, persons, exempt)


def normhuur(p, single, income):
    """Wht art. 17-19 (2025): normhuur in cents per month for a rekeninkomen of `income` cents a
    year: a*Y^2 + b*Y with Y in euros, at least the normhuur at the minimum-inkomensijkpunt
    (art. 17), rounded UP to whole cents (art. 19 lid 3)."""
    a = p["normhuur_a_single"] if single else p["normhuur_a_multi"]
    b = p["normhuur_b_single"] if single else p["normhuur_b_multi"]
    ijkpunt = p["ijkpunt_single"] if single else p["ijkpunt_multi"]
    y = income if income > ijkpunt else ijkpunt
    # a*(y/100)^2 + b*(y/100) euros = (a*y^2 + 100*b*y) / 10**14 cents (a, b per 10**12)
    num = a * y * y + 100 * b * y
    return -((-num) // (NORMHUUR_SCALE * 100))


def _income(s, p, exempt):
    """The rekeninkomen: the toetsingsinkomens of everyone in the home, a co-resident child's
    income only above the exempt amount (Awir art. 7 lid 6)."""
    partner = s.partner
    income = s.applicant.income + (partner.income if partner is not None else 0)
    for i in range(len(s.home.co_residents)):
        c = s.home.co_residents[i]
        counted = c.income
        if exempt[i]:
            counted -= p["exempt_income_child"]
            if counted < 0:
                counted = 0
        income += counted
    return income


def compute(s, p, key, steps):
    """-> (amount for the month in cents x DEN, reasons)."""
    home = s.home
    if home is None or home.rent == 0:
        if steps is not None:
            step(steps, "Je huurt geen woning. Dan is er geen huurtoeslag.", 0, "Wht art. 1 en 7")
        return 0, ["no_rent"]
    adult, young, persons, exempt = key
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
                 "Awir art. 7 lid 3", cite(s.year, SECTION, "asset_limit_person", "asset_limit_partner"))
        return 0, ["assets_above_limit"]

    single = persons == 1
    quadratic = "normhuur_a_single" in p
    if quadratic:
        # 2025: rekenhuur = kale huur + subsidiabele servicekosten (art. 5 lid 3: at most 4 items
        # of EUR 12; the situation gives one total, capped at their sum); above the maximale
        # huurgrens no huurtoeslag (art. 13 lid 1).
        service = home.service_costs if home.service_costs < p["max_service_costs"] else p["max_service_costs"]
        rekenhuur = home.rent + service
        limit_key = "rent_limit_young" if young else "rent_limit"
        if steps is not None:
            step(steps, "Je kale huur is %s per maand%s. Samen: %s (de rekenhuur)." % (
                euro(home.rent), " en er telt %s servicekosten mee" % euro(service) if service else "",
                euro(rekenhuur)), rekenhuur, "Wht art. 5", cite(s.year, SECTION, "max_service_costs"))
        if rekenhuur > p[limit_key]:
            if steps is not None:
                step(steps, "Je rekenhuur is hoger dan %s. Dan is er geen huurtoeslag." % euro(p[limit_key]),
                     0, "Wht art. 13 lid 1", cite(s.year, SECTION, limit_key))
            return 0, ["rent_above_limit"]
    else:
        cap_key = "max_rent_young" if young else "max_rent"
        cap = p[cap_key]
        rekenhuur = home.rent if home.rent < cap else cap
        if steps is not None:
            if home.rent > cap:
                step(steps, "Je kale huur is %s. Er telt hoogstens %s mee." % (euro(home.rent), euro(cap)),
                     rekenhuur, "Wht art. 13 lid 1 en art. 21 lid 1 onder d", cite(s.year, SECTION, cap_key))
            else:
                step(steps, "Je kale huur is %s per maand." % euro(home.rent), rekenhuur, "Wht art. 5")

    income = _income(s, p, exempt)
    if quadratic:
        norm = normhuur(p, single, income)
        basishuur = norm - p["verlaging_basishuur"]
        lowest = normhuur(p, single, 0) - p["verlaging_basishuur"]
        if steps is not None:
            step(steps, "Het deel dat je altijd zelf betaalt (basishuur) hangt af van het inkomen van "
                 "iedereen in huis samen (%s). De normhuur is %s; min %s is de basishuur %s." % (
                     euro(income), euro(norm), euro(p["verlaging_basishuur"]), euro(basishuur)),
                 basishuur, "Wht art. 17, 18 en 19; Wet verlaging eigen bijdrage huurtoeslag art. 1",
                 cite(s.year, SECTION, "normhuur_a_single" if single else "normhuur_a_multi",
                      "ijkpunt_single" if single else "ijkpunt_multi", "verlaging_basishuur"))
    else:
        basishuur = (p["normhuur_minimum"] - (p["verlaging_single"] if single else p["verlaging_multi"])
                     - p["verlaging_basishuur"])
        lowest = basishuur
        if steps is not None:
            step(steps, "Het deel dat je altijd zelf betaalt (basishuur) is %s." % euro(basishuur),
                 basishuur, "Wht art. 16 en 17; Wet verlaging eigen bijdrage huurtoeslag art. 1",
                 cite(s.year, SECTION, "normhuur_minimum", "verlaging_single" if single else "verlaging_multi",
                      "verlaging_basishuur"))
    if rekenhuur <= basishuur:
        if rekenhuur <= lowest:
            if steps is not None:
                step(steps, "Je huur is niet hoger dan de basishuur (%s). Dat deel betaal je altijd "
                     "zelf. Daarom is er geen huurtoeslag." % euro(basishuur), 0, "Wht art. 21 lid 1",
                     cite(s.year, SECTION, "verlaging_basishuur"))
            return 0, ["rent_below_basishuur"]
        if steps is not None:
            step(steps, "Met dit inkomen is de basishuur (%s) hoger dan je huur. Daarom is er geen "
                 "huurtoeslag." % euro(basishuur), 0, "Wht art. 19 en 21 lid 1")
        return 0, ["income_above_limit"]

    kwal = p["kwaliteitskortingsgrens"]
    aftop_key = "aftoppingsgrens_small" if persons <= 2 else "aftoppingsgrens_large"
    aftop = p[aftop_key]
    # The rent between the basishuur and the rekenhuur, split at the two grenzen; when the
    # basishuur itself is above a grens, the lower share counts from the basishuur up (art. 21 lid 2).
    part_a = (rekenhuur if rekenhuur < kwal else kwal) - basishuur
    if part_a < 0:
        part_a = 0
    part_b = (rekenhuur if rekenhuur < aftop else aftop) - (kwal if kwal > basishuur else basishuur)
    if part_b < 0:
        part_b = 0
    part_c = rekenhuur - (aftop if aftop > basishuur else basishuur)
    if part_c < 0:
        part_c = 0
    if steps is not None:
        step(steps, "Je krijgt de huur tussen de basishuur en %s helemaal vergoed: %s." % (
            euro(kwal), euro(part_a)), part_a, "Wht art. 21 lid 1 onder a",
            cite(s.year, SECTION, "kwaliteitskortingsgrens"))
    if part_b and steps is not None:
        step(steps, "Van de huur tussen %s en %s krijg je %s: %s." % (
            euro(kwal), euro(aftop), percent(p["share_b"], PCT_SCALE),
            euro(round_half_up_to_cent(part_b * p["share_b"], PCT_SCALE))),
            round_half_up_to_cent(part_b * p["share_b"], PCT_SCALE), "Besluit op de huurtoeslag art. 7 lid 1",
            cite(s.year, SECTION, aftop_key, "share_b"))
    if part_c and steps is not None:
        step(steps, "Van de huur boven %s krijg je %s: %s." % (
            euro(aftop), percent(p["share_c"], PCT_SCALE),
            euro(round_half_up_to_cent(part_c * p["share_c"], PCT_SCALE))),
            round_half_up_to_cent(part_c * p["share_c"], PCT_SCALE), "Besluit op de huurtoeslag art. 7 lid 2",
            cite(s.year, SECTION, "share_c"))

    correction = 0
    if not quadratic:
        ijkpunt = p["ijkpunt_single"] if single else p["ijkpunt_multi"]
        afbouw = p["afbouw_single"] if single else p["afbouw_multi"]
        above = income - ijkpunt
        if above < 0:
            above = 0
        correction = above * afbouw                               # cents x DEN
        if steps is not None:
            source = cite(s.year, SECTION, "ijkpunt_single" if single else "ijkpunt_multi",
                          "afbouw_single" if single else "afbouw_multi")
            if above:
                step(steps, "Het inkomen van iedereen in huis samen is %s hoger dan %s. Daarom gaat er "
                     "per maand %s van dat verschil af, gedeeld door 12: %s." % (
                         euro(above), euro(ijkpunt), percent(afbouw, PCT_SCALE),
                         euro(round_half_up_to_cent(correction, DEN))),
                     -round_half_up_to_cent(correction, DEN), "Wht art. 21 lid 2", source)
            else:
                step(steps, "Het inkomen van iedereen in huis samen is niet hoger dan %s. Er gaat niets "
                     "af." % euro(ijkpunt), 0, "Wht art. 17 lid 1 en art. 21 lid 2", source)
    amount = (part_a * PCT_SCALE + part_b * p["share_b"] + part_c * p["share_c"]) * 12 - correction
    if amount <= 0:
        if steps is not None:
            step(steps, "Met dit inkomen is er geen huurtoeslag.", 0, "Wht art. 21 lid 2")
        return 0, ["income_above_limit"]
    return amount, []

"""Zorgtoeslag (Wet op de zorgtoeslag, BWBR0018451): a yearly amount, per month one twelfth of
the yearly formula in that month's situation (Awir art. 5)."""

from .errors import InputError
from .explain import euro, euro_whole, percent, step
from .money import FACTOR_SCALE, PCT_SCALE, round_half_up_to_cent
from .months import is_leap
from .params import cite

NAME = "zorgtoeslag"
SECTION = "ZORGTOESLAG"
KIND = "yearly"
# Exact amounts in cents x DEN: a percentage (per PCT_SCALE) times a woonlandfactor (per
# FACTOR_SCALE) times the partner share (per PCT_SCALE) stays a whole number.
DEN = PCT_SCALE * FACTOR_SCALE * PCT_SCALE


def nothing(s):
    """Zorgtoeslag has no test that holds for every month before the applicant's age: never."""
    return None


def month_key(s, first_day, p):
    """What can change from month to month: only whether the applicant counts as 18 yet. The Wzt's
    verzekerde (art. 1 lid 1 onder c) is someone of 18 or older, counted from the first day of the
    month AFTER the month of the 18th birthday (as the Zvw premium, Zvw art. 16) - also for a
    birthday on the 1st, where Awir art. 5 alone would count that month already. So: the age on the
    last day of the month before."""
    a = s.applicant
    age = a.age_at(first_day)
    if age is None:
        return True
    if age == 18 and a.birth is not None:
        b = a.birth
        if b[1] == first_day[1] and b[2] == 1:
            return False               # 18 today, the 1st: the birthday month itself does not count
        if b[1] == 2 and b[2] == 29 and first_day[1] == 3 and not is_leap(first_day[0]):
            return False               # born 29 February: in a common year 18 on 1 March
    return age >= 18


def _factor(p, person, field):
    country = person.treaty_country
    table = p["woonlandfactor"]
    if country not in table:
        raise InputError(field + ".treaty_country",
                         "no woonlandfactor for %s in this year" % country)
    return table[country]


def compute(s, p, adult, steps):
    """-> (amount in cents x DEN for a whole year, reasons)."""
    a = s.applicant
    partner = s.partner
    if not adult:
        if steps is not None:
            step(steps, "Je bent deze maand nog geen 18 jaar, of je bent deze maand 18 geworden. "
                 "Zorgtoeslag krijg je vanaf de maand na je 18e verjaardag.", 0,
                 "Wzt art. 1 lid 1 onder c; Zvw art. 16")
        return 0, ["under_18"]
    if a.treaty_country is not None:
        factor_a = _factor(p, a, "applicant")
    elif a.insured:
        factor_a = FACTOR_SCALE
    else:
        if steps is not None:
            step(steps, "Je hebt geen Nederlandse zorgverzekering. Dan krijg je geen zorgtoeslag.", 0,
                 "Wzt art. 1 lid 1 onder a en art. 2 lid 1")
        return 0, ["not_insured"]

    premium = p["standaardpremie"] * 100
    share = PCT_SCALE
    sp = premium * factor_a
    if a.treaty_country is not None and steps is not None:
        step(steps, "Je woont in %s. De standaardpremie telt mee voor %s (woonlandfactor): %s."
             % (a.treaty_country, percent(factor_a, FACTOR_SCALE),
                euro(round_half_up_to_cent(sp, FACTOR_SCALE))), 0, "Wzt art. 4a",
             cite(s.year, SECTION, "woonlandfactor"))
    if partner is not None:
        if partner.treaty_country is not None:
            factor_p = _factor(p, partner, "partner")
        elif partner.insured:
            factor_p = FACTOR_SCALE
        else:
            # The Dienst applies the applicant's woonlandfactor to the premium of a partner who is
            # neither insured nor verdragsgerechtigd (official example 2026 rv3); the text of
            # art. 4a lid 4 would not. We follow the Dienst and say so in the step.
            factor_p = factor_a
            share = p["partner_not_insured_share"]
        sp += premium * factor_p
    sp_cents = round_half_up_to_cent(sp, FACTOR_SCALE)
    if steps is not None:
        step(steps, "De standaardpremie is %s per jaar%s." % (
            euro(sp_cents) if sp_cents % 100 else euro_whole(sp_cents),
            " voor jou en je toeslagpartner samen" if partner is not None else ""),
            sp_cents, "Wzt art. 2 lid 1; Regeling standaardpremie", cite(s.year, SECTION, "standaardpremie"))

    income = a.income + (partner.income if partner is not None else 0)
    drempel = p["drempelinkomen"] * 100
    pct = p["pct_partner"] if partner is not None else p["pct_single"]
    above = income - drempel
    if above < 0:
        above = 0
    norm = pct * drempel + p["pct_above"] * above          # cents x PCT_SCALE
    norm_cents = round_half_up_to_cent(norm, PCT_SCALE)
    if steps is not None:
        if above:
            text = ("Je eigen deel (normpremie) is %s van %s plus %s van het inkomen boven dat "
                    "bedrag (%s): %s." % (percent(pct, PCT_SCALE), euro_whole(drempel),
                                          percent(p["pct_above"], PCT_SCALE), euro(above), euro(norm_cents)))
        else:
            text = "Je eigen deel (normpremie) is %s van %s: %s." % (
                percent(pct, PCT_SCALE), euro_whole(drempel), euro(norm_cents))
        step(steps, text, norm_cents, "Wzt art. 2 lid 2 en 3",
             cite(s.year, SECTION, "drempelinkomen", "pct_partner" if partner is not None else "pct_single",
                  "pct_above"))

    raw = sp * PCT_SCALE - norm * FACTOR_SCALE              # cents x FACTOR_SCALE x PCT_SCALE
    if raw <= 0:
        if steps is not None:
            step(steps, "De normpremie is hoger dan de standaardpremie. Met dit inkomen krijg je "
                 "geen zorgtoeslag.", 0, "Wzt art. 2 lid 1")
        return 0, ["income_above_limit"]
    amount = raw * share
    if steps is not None:
        step(steps, "Zorgtoeslag is de standaardpremie min de normpremie: %s per jaar."
             % euro(round_half_up_to_cent(raw, FACTOR_SCALE * PCT_SCALE)),
             round_half_up_to_cent(raw, FACTOR_SCALE * PCT_SCALE), "Wzt art. 2 lid 1")
    if share != PCT_SCALE and steps is not None:
        step(steps, "Je toeslagpartner is niet verzekerd. Je krijgt daarom %s: %s per jaar."
             % (percent(share, PCT_SCALE), euro(round_half_up_to_cent(amount, DEN))),
             round_half_up_to_cent(amount, DEN), "Wzt art. 2 lid 4")

    assets = a.assets + (partner.assets if partner is not None else 0)
    limit = (p["asset_limit_partner"] if partner is not None else p["asset_limit_single"]) * 100
    if assets > limit:
        if steps is not None:
            step(steps, "Het vermogen op 1 januari (%s) is hoger dan %s. Dan krijg je het hele jaar "
                 "geen zorgtoeslag." % (euro(assets), euro_whole(limit)), 0, "Wzt art. 3 lid 1",
                 cite(s.year, SECTION, "asset_limit_partner" if partner is not None else "asset_limit_single"))
        return 0, ["assets_above_limit"]
    return amount, []

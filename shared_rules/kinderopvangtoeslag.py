"""Kinderopvangtoeslag (Wet kinderopvang, BWBR0017017; Besluit kinderopvangtoeslag, BWBR0017321):
worked out for every calendar month on its own (Besluit art. 2)."""

from .explain import euro, percent, step
from .money import KOT_PCT_SCALE, round_half_up_to_cent

NAME = "kinderopvangtoeslag"
SECTION = "KINDEROPVANGTOESLAG"
KIND = "monthly"
DEN = KOT_PCT_SCALE
MONTH_LAW = "Besluit kinderopvangtoeslag art. 2 (voor iedere kalendermaand afzonderlijk)"

_KIND_TEXT = {"dagopvang": "dagopvang", "bso": "buitenschoolse opvang",
              "gastouderopvang": "gastouderopvang"}


def nothing(s):
    """The reason this situation gives no kinderopvangtoeslag in any month, whatever else: no
    childcare (compute's first test), or None."""
    return "no_childcare" if not s.childcare else None


def month_key(s, first_day, p):
    """Which children are born on the first day of the month (opvang counts from then on)."""
    born = []
    for c in s.children:
        born.append(c.born_by(first_day))
    return tuple(born)


def percentages(p, income):
    """Bijlage I: (% first child, % next children) per KOT_PCT_SCALE for a joint toetsingsinkomen
    in cents; the bands are whole euros, both ends inclusive."""
    whole = income // 100
    for low, high, first, rest in p["table"]:
        if whole >= low and (high is None or whole <= high):
            return first, rest
    return p["table"][0][2], p["table"][0][3]


def compute(s, p, born, steps):
    """-> (amount for the month in cents x DEN, reasons)."""
    if not s.childcare:
        if steps is not None:
            step(steps, "Je hebt geen kinderopvang opgegeven. Dan is er geen kinderopvangtoeslag.", 0,
                 "Wko art. 1.5")
        return 0, ["no_childcare"]
    partner = s.partner
    if not s.applicant.works or (partner is not None and not partner.works):
        if steps is not None:
            step(steps, "%s werken, studeren of een traject of inburgering volgen. Anders is "
                 "er geen kinderopvangtoeslag." % ("Jij en je toeslagpartner moeten" if partner is not None
                                                   else "Je moet"),
                 0, "Wko art. 1.6")
        return 0, ["no_qualifying_activity"]
    max_hours = p["max_hours"]
    hours = {}
    costs = {}
    for cc in s.childcare:
        if not born[cc.child]:
            continue
        left = max_hours - hours.get(cc.child, 0)
        h = cc.hours if cc.hours < left else left
        cap = p["max_rate"][cc.kind]
        rate = cc.hourly_rate if cc.hourly_rate < cap else cap
        hours[cc.child] = hours.get(cc.child, 0) + h
        costs[cc.child] = costs.get(cc.child, 0) + h * rate
        if steps is not None:
            text = "Kind %d, %s: %d uur" % (cc.child + 1, _KIND_TEXT[cc.kind], h)
            if h < cc.hours:
                text += " (van de %d uur tellen er hoogstens %d per kind per maand mee)" % (
                    cc.hours, max_hours)
            text += " x %s" % euro(rate)
            if rate < cc.hourly_rate:
                text += " (je betaalt %s per uur; er telt hoogstens %s mee)" % (
                    euro(cc.hourly_rate), euro(cap))
            step(steps, text + " = %s." % euro(h * rate), h * rate,
                 "Besluit kinderopvangtoeslag art. 4; Wko art. 1.7")
    children = []
    for child in hours:
        if hours[child] > 0:
            children.append(child)
    if not children:
        if steps is not None:
            step(steps, "Er zijn deze maand geen uren opvang. Dan is er geen kinderopvangtoeslag.", 0,
                 "Besluit kinderopvangtoeslag art. 2")
        return 0, ["no_childcare"]
    # Art. 3: the first child is the one with the most hours; with equal hours the one with the
    # highest costs. The child index breaks a last tie (MicroPython's sort is not stable).
    children.sort(key=lambda c: (-hours[c], -costs[c], c))
    income = s.applicant.income + (partner.income if partner is not None else 0)
    first_pct, next_pct = percentages(p, income)
    amount = 0
    for i in range(len(children)):
        child = children[i]
        pct = first_pct if i == 0 else next_pct
        amount += costs[child] * pct
        if steps is not None:
            step(steps, "Bij een inkomen van %s krijg je voor het %s kind %s van %s." % (
                euro(income), "eerste" if i == 0 else "volgende", percent(pct, KOT_PCT_SCALE),
                euro(costs[child])), round_half_up_to_cent(costs[child] * pct, KOT_PCT_SCALE),
                "Besluit kinderopvangtoeslag art. 3 en bijlage I")
    return amount, []

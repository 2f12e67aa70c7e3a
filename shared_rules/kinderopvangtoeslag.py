"""Kinderopvangtoeslag (Wet kinderopvang, BWBR0017017; Besluit kinderopvangtoeslag, BWBR0017321):
worked out for every calendar month on its own (Besluit art. 2)."""

from .errors import NoParameters
from .explain import euro, euro_whole, percent, step
from .money import KOT_PCT_SCALE, floor_to_euro, round_half_up_to_cent
from .params import cite

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


NOT_BORN = 0
IN_CARE = 1
SECONDARY_SCHOOL = 2

# What a no_parameters step names when a value of the year is missing (voorschot._missing_text).
MISSING_TEXT = {"table": "de tabel met percentages (Besluit kinderopvangtoeslag, bijlage I)"}


def month_key(s, first_day, p):
    """Per child: not born yet on the first day of the month, in care age, or in secondary school
    (Wko art. 1.1 lid 1: kinderopvang is for a child up to the first day of the month in which it
    goes to voortgezet onderwijs; Situation.secondary_school_month)."""
    out = [NOT_BORN] * len(s.children)
    school = s.school_months()
    for cc in s.childcare:            # only a child with childcare matters
        if not s.children[cc.child].born_by(first_day):
            continue
        if first_day[1] >= school[cc.child]:
            out[cc.child] = SECONDARY_SCHOOL
        else:
            out[cc.child] = IN_CARE
    return tuple(out)


def percentages(p, income):
    """Bijlage I: (% first child, % next children) per KOT_PCT_SCALE for a joint toetsingsinkomen
    in cents; the bands are whole euros, both ends inclusive."""
    whole = income // 100
    for low, high, first, rest in p["table"]:
        if whole >= low and (high is None or whole <= high):
            return first, rest
    return p["table"][0][2], p["table"][0][3]


def compute(s, p, born, steps, exact=None):
    """-> (amount for the month in cents x DEN, reasons). `exact`, when a list, gets the amount of
    each entry of s.childcare that counts, as (index into s.childcare, cents x DEN), in the law's
    order (first child first; within a child, the hours in the order they count): what split()
    divides the month's rounded amount by."""
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
    # Contracts per child. When one child's contracts together exceed the 230 hours, neither the Wko
    # (art. 1.7 lid 2), the Besluit kinderopvangtoeslag nor the agency's pages we could find say
    # which hours count. Our choice, so that the result never depends on the order of the list:
    # the hours with the highest hourly price that counts (after the maximum of art. 4) count
    # first - the most the 230 hours can give; ties broken by kind, hours and rate.
    per_child = {}
    school = []
    for k in range(len(s.childcare)):
        cc = s.childcare[k]
        status = born[cc.child]
        if status == SECONDARY_SCHOOL:
            if cc.child not in school:
                school.append(cc.child)
            continue
        if status != IN_CARE:
            continue
        cap = p["max_rate"][cc.kind]
        rate = cc.hourly_rate if cc.hourly_rate < cap else cap
        per_child.setdefault(cc.child, []).append((-rate, cc.kind, cc.hours, cc.hourly_rate, cc, k))
    if school and steps is not None:
        school.sort()
        for child in school:
            step(steps, "Kind %d gaat naar de middelbare school. Voor opvang vanaf de maand waarin dat "
                 "begint, is er geen kinderopvangtoeslag." % (child + 1), 0, "Wko art. 1.1 lid 1 (kinderopvang)")
    hours = {}
    costs = {}
    counted = {}     # child -> [(entry index, counted hours x rate)], in the order the hours count
    order = sorted(per_child)
    for child in order:
        contracts = per_child[child]
        if len(contracts) > 1:
            contracts.sort(key=lambda t: (t[0], t[1], t[2], t[3], t[5]))
        for item in contracts:
            rate = -item[0]
            cc = item[4]
            left = max_hours - hours.get(child, 0)
            h = cc.hours if cc.hours < left else left
            cap = p["max_rate"][cc.kind]
            hours[child] = hours.get(child, 0) + h
            costs[child] = costs.get(child, 0) + h * rate
            counted.setdefault(child, []).append((item[5], h * rate))
            if steps is not None:
                text = "Kind %d, %s: %d uur" % (child + 1, _KIND_TEXT[cc.kind], h)
                if h < cc.hours:
                    text += " (van de %d uur tellen er hoogstens %d per kind per maand mee)" % (
                        cc.hours, max_hours)
                text += " x %s" % euro(rate)
                if rate < cc.hourly_rate:
                    text += " (je betaalt %s per uur; er telt hoogstens %s mee)" % (
                        euro(cc.hourly_rate), euro(cap))
                step(steps, text + " = %s." % euro(h * rate), h * rate,
                     "Besluit kinderopvangtoeslag art. 4; Wko art. 1.7", cite(s.year, SECTION, "max_rate", "max_hours"))
    children = []
    for child in hours:
        if hours[child] > 0:
            children.append(child)
    if not children:
        if school:
            if steps is not None:
                step(steps, "Er is deze maand geen opvang van een kind dat nog niet naar de middelbare "
                     "school gaat. Dan is er geen kinderopvangtoeslag.", 0, "Wko art. 1.1 lid 1 (kinderopvang)")
            return 0, ["child_in_secondary_school"]
        if steps is not None:
            step(steps, "Er zijn deze maand geen uren opvang. Dan is er geen kinderopvangtoeslag.", 0,
                 "Besluit kinderopvangtoeslag art. 2")
        return 0, ["no_childcare"]
    # Art. 3: the first child is the one with the most hours; with equal hours the one with the
    # highest costs. The child index breaks a last tie (MicroPython's sort is not stable).
    children.sort(key=lambda c: (-hours[c], -costs[c], c))
    income = s.applicant.income + (partner.income if partner is not None else 0)
    first_pct, next_pct = percentages(p, income)
    if next_pct is None and len(children) > 1:
        raise NoParameters("Voor %d is alleen het percentage voor het eerste kind bekend. Het percentage "
                           "voor een tweede kind is nog niet bekend. Daarom kunnen we de "
                           "kinderopvangtoeslag voor %d nog niet uitrekenen." % (s.year, s.year))
    amount = 0
    for i in range(len(children)):
        child = children[i]
        pct = first_pct if i == 0 else next_pct
        amount += costs[child] * pct
        if exact is not None:
            for k, cost in counted[child]:
                exact.append((k, cost * pct))
        if steps is not None:
            step(steps, "Bij een inkomen van %s krijg je voor het %s kind %s van %s." % (
                euro(income), "eerste" if i == 0 else "volgende", percent(pct, KOT_PCT_SCALE),
                euro(costs[child])), round_half_up_to_cent(costs[child] * pct, KOT_PCT_SCALE),
                "Besluit kinderopvangtoeslag art. 3 en bijlage I", cite(s.year, SECTION, "table"))
    return amount, []


def split(exact, entries, total):
    """The month's kinderopvangtoeslag `total` (cents, already rounded down to whole euros, as the
    month is paid) divided over the `entries` of the situation's childcare list (one per contract):
    what each child's (contract's) part of the month is. The parts always add up to `total`.

    The toeslag is worked out per child (Wko art. 1.7; Besluit kinderopvangtoeslag art. 3: the
    first child - the one with the most hours, then the highest costs - gets the first-child
    percentage, the others the next-child percentage), but only the month's sum is rounded
    (down, to whole euros: the agency's worked examples round the sum, e.g. 592,07 + 570,21 =
    1.162,28 -> 1.162). So the exact parts are known and the rounding is one, of the total.

    Rule (`exact`: what compute() puts in its list, in the law's order): every entry gets its
    exact amount rounded down to whole euros, except the LAST entry in the law's order (the last
    child counted, its last hours), which gets the rest: total - the others. That rest is its own
    amount rounded down plus what rounding the sum gained (0 to len - 1 euros). Why this rule:
    a part must not move when only another child's hours or price change; with one rounding of
    the total that cannot hold for every child, so it fails for one child only, the same one
    every month, named by the law's order: every child but the last keeps its part while another
    child's figures change, unless the law itself moves it (another child becomes the first child,
    or the income and so the percentage changes). Largest remainder would give every part within
    1 euro of its exact amount, but a child's part would then move by 1 euro when another child's
    remainder crosses its own (the El Amrani defect of issue 14, Noor 560 -> 561 after a change to
    Adam). An entry that does not count this month (secondary school, not born, no hours) gets 0;
    a month without toeslag (total 0, also under the yearly minimum) gives every entry 0."""
    parts = [0] * entries
    if total <= 0 or not exact:
        return parts
    given = 0
    last = len(exact) - 1
    for i in range(last):
        k, amount = exact[i]
        part = floor_to_euro(amount, DEN)
        parts[k] += part
        given += part
    parts[exact[last][0]] += total - given
    return parts


def parts_step(steps, s, parts, total):
    """The explanation's line with the month's amount per child, as split() divides it (the same
    parts every screen shows); only with more than one child in care."""
    per_child = {}
    for k in range(len(parts)):
        if parts[k]:
            child = s.childcare[k].child
            per_child[child] = per_child.get(child, 0) + parts[k]
    if len(per_child) < 2:
        return
    children = sorted(per_child)
    texts = []
    for child in children:
        texts.append("kind %d %s" % (child + 1, euro_whole(per_child[child])))
    step(steps, "Per kind is dat: %s (samen %s). Wat het afronden van de maand scheelt, telt bij het kind "
         "dat als laatste meetelt." % (", ".join(texts), euro_whole(total)), total,
         "Wko art. 1.7; Besluit kinderopvangtoeslag art. 3")

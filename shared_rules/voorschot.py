"""The month model: a year of 12 monthly situations -> per toeslag the entitlement per month, the
year and the monthly payment; and the preview of a change against what was already paid."""

from . import huurtoeslag, kinderopvangtoeslag, kindgebonden_budget, zorgtoeslag
from . import warnings as _warnings
from .errors import InputError, NoParameters
from .explain import euro, step
from .money import (
    apply_minimum,
    floor_to_euro,
    lowered_voorschot,
    monthly_from_exact_year,
    monthly_from_rounded_year,
    round_half_up_to_cent,
    round_half_up_to_euro,
)
from .months import effective_month, format_date, parse_date, payment_date
from .params import for_year, is_provisional, missing, provisional_sources, section
from .situation import _check_keys, parse, with_year_figures

# Fixed order: results are dicts, but steps and tests walk the toeslagen in this order.
TOESLAGEN = (zorgtoeslag, huurtoeslag, kindgebonden_budget, kinderopvangtoeslag)
NAMES = ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag")

# Not law: the agency's own line for a "hoge terugvordering" (Stand van de uitvoering 2023).
HIGH_REPAYMENT = {"zorgtoeslag": 50000, "huurtoeslag": 50000, "kindgebonden_budget": 50000,
                  "kinderopvangtoeslag": 100000}

# Zorgtoeslag: floor(round(yearly) / 12) reproduces the published tables; kindgebonden budget:
# floor(yearly / 12) reproduces the official 2026 examples; the others: the month rounded down.
_MONTHLY = {"zorgtoeslag": monthly_from_rounded_year,
            "kindgebonden_budget": monthly_from_exact_year}


def _not_computed(year, text=None):
    """A toeslag whose parameters for the year are not (all) known: a result that says so instead
    of failing the whole call or guessing from another year. Always with its one step."""
    steps = []
    step(steps, text or ("De bedragen voor %d zijn nog niet bekend. Daarom kunnen we deze toeslag "
                         "nog niet uitrekenen." % year), 0, "Awir art. 14")
    return {"computed": False, "entitled": False, "per_year": 0, "per_month": 0,
            "months": [0] * 12, "reasons": ["no_parameters"], "provisional": False, "steps": steps}


def _missing_text(year, module, keys):
    names = getattr(module, "MISSING_TEXT", {})
    what = []
    for key in keys:
        what.append(names.get(key, key))
    return ("De bedragen voor %d zijn nog niet allemaal bekend: %s ontbreekt nog. Daarom kunnen we "
            "deze toeslag nog niet uitrekenen." % (year, " en ".join(what)))


def _provisional_step(steps, year, sources):
    step(steps, "Dit bedrag is voorlopig. De bedragen voor %d zijn nog niet definitief. We rekenen met "
         "de bedragen die nu bekend zijn. Bron: %s." % (year, "; ".join(sources)), 0,
         "Awir art. 14", "; ".join(sources))


def runs(situations):
    """The months (index 0-11) where an amount can change: the first month, a month whose situation
    differs from the one before, and a month where that situation has a birthday or birth
    (Situation.turning_months). Between two of them every month is the same, so each toeslag is
    worked out once per run instead of 12 times. Shared by the four toeslagen of one year."""
    starts = []
    previous = None
    turns: list = []        # the flags of `previous`; set in month 0, where s is not previous
    for m in range(12):
        s = situations[m]
        if s is not previous:
            turns = s.turning_months()
            starts.append(m)
            previous = s
        elif turns[m]:
            starts.append(m)
    return starts


_SETUP = {}


def _setup(module, year):
    """(parameters or None, DEN, monthly rounding, provisional, sources of the provisional values,
    text when some values are missing) of a toeslag in a year; looked up once (toeslag_year runs
    thousands of times in a bulk job)."""
    key = (module.NAME, year)
    found = _SETUP.get(key)
    if found is None:
        year_params = for_year(year)
        values = section(year_params, module.SECTION)
        gaps = missing(year_params, module.SECTION)
        if values is None:
            # the year has no figures for this toeslag: its own text, or "not yet known"
            values, gap = None, getattr(year_params, "MISSING_TEXT", "")
        else:
            gap = _missing_text(year, module, gaps) if gaps else None
        found = (values, module.DEN, _MONTHLY.get(module.NAME, floor_to_euro),
                 is_provisional(year_params, module.SECTION), provisional_sources(year_params, module.SECTION), gap)
        _SETUP[key] = found
    return found


def toeslag_year(module, situations, year, report_month, explain=True, starts=None):
    """One toeslag over 12 monthly situations (a list of Situation, objects may repeat).
    `starts`: runs(situations) when the caller already has it."""
    p, den, monthly, provisional, sources, gap = _setup(module, year)
    if gap is not None:
        return _with_parts(module, _not_computed(year, gap), situations)
    try:
        result = _toeslag_year(module, situations, year, report_month, explain, starts, p, den, monthly)
    except NoParameters as e:
        # a value this household needs is not published (e.g. kinderopvangtoeslag 2027, second child)
        return _with_parts(module, _not_computed(year, e.text), situations)
    result["provisional"] = provisional
    if provisional and explain:
        _provisional_step(result["steps"], year, sources)
    return result


def _with_parts(module, result, situations):
    """A toeslag split per contract (kinderopvangtoeslag: `parts`, see its split()) without an
    amount: every part 0."""
    if hasattr(module, "split"):
        result["parts"] = [[0] * len(situations[m].childcare) for m in range(12)]
    return result


def _toeslag_year(module, situations, year, report_month, explain, starts, p, den, monthly):
    # Zorgtoeslag / kindgebonden budget: a yearly formula, paid per month; huurtoeslag /
    # kinderopvangtoeslag: worked out per month.
    yearly = module.KIND == "yearly"
    if starts is None:
        starts = runs(situations)
    if not explain:
        # A situation that can never give this toeslag (no children, no childcare, no rent) gives the
        # same nil year as working it out month by month; bulk jobs skip the months.
        reasons = []
        for m in starts:
            code = module.nothing(situations[m])
            if code is None:
                break
            if code not in reasons:
                reasons.append(code)
        else:
            reasons.sort()
            return _with_parts(module, {"computed": True, "entitled": False, "per_year": 0, "per_month": 0,
                                        "months": [0] * 12, "reasons": reasons}, situations)
    cache = {}
    total = 0          # yearly: the sum of the 12 monthly amounts (cents x DEN)
    months = []
    reasons = []
    amounts: list = []      # per month, for the steps only (filled when explain)
    keys: list = []
    # The explanation is the steps of the report month. Its run is usually the first one, so that
    # run is worked out with its steps at once instead of a second time at the end.
    first_steps: list = []
    first_ck = None
    # kinderopvangtoeslag: the exact amount per contract of each month, for split() (one list per run)
    split = module.split if hasattr(module, "split") else None
    exacts = [] if split is not None else None
    n = len(starts)
    for j in range(n):
        m = starts[j]
        length = (starts[j + 1] if j + 1 < n else 12) - m
        s = situations[m]
        key = module.month_key(s, (year, m + 1, 1), p)
        ck = (id(s), key)
        r = cache.get(ck)
        if r is None:
            ex = [] if split is not None else None
            if explain and j == 0:
                r = module.compute(s, p, key, first_steps, ex) if ex is not None else \
                    module.compute(s, p, key, first_steps)
                first_ck = ck
            else:
                r = module.compute(s, p, key, None, ex) if ex is not None else module.compute(s, p, key, None)
            r = (r[0], r[1], monthly(r[0], den), ex)
            cache[ck] = r
            for code in r[1]:
                if code not in reasons:
                    reasons.append(code)
        total += r[0] * length
        if length == 1:
            months.append(r[2])
        else:
            months.extend([r[2]] * length)
        if explain:
            keys.extend([key] * length)
            amounts.extend([r[0]] * length)
        if exacts is not None:
            exacts.extend([r[3]] * length)

    if yearly:
        rounded = round_half_up_to_euro(total, 12 * den)
    else:
        rounded = sum(months)
    per_year = apply_minimum(rounded)
    if not per_year:
        months = [0] * 12
    if per_year:
        reasons = []
    elif not reasons:
        reasons = ["below_minimum"]
    reasons.sort()

    if report_month < 1:
        report_month = 1
        for m in range(12):
            if months[m]:
                report_month = m + 1
                break
    result = {"computed": True, "entitled": per_year > 0, "per_year": per_year,
              "per_month": months[report_month - 1], "months": months, "reasons": reasons}
    if split is not None and exacts is not None:
        # the month's amount as paid, divided per contract; the parts add up to months[m]
        result["parts"] = [split(exacts[m], len(situations[m].childcare), months[m]) for m in range(12)]
    if explain:
        i = report_month - 1
        if (id(situations[i]), keys[i]) == first_ck:
            steps = first_steps       # the same situation and month key: the same steps
        else:
            steps = []
            module.compute(situations[i], p, keys[i], steps)
        _closing_steps(steps, module, amounts, i, den, rounded, per_year, months,
                       result["parts"][i] if split is not None else None, situations[i])
        result["steps"] = steps
    return result


def _closing_steps(steps, module, amounts, i, den, rounded, per_year, months, parts=None, s=None):
    if not per_year and not amounts[i]:
        return                       # the steps above already say why there is nothing
    if module.KIND == "yearly":
        exact = 0
        for a in amounts:
            exact += a
        _months_step(steps, amounts, i, den)
        step(steps, "Over het hele jaar is dat %s, afgerond op hele euro's: %s." % (
            euro(round_half_up_to_cent(exact, 12 * den)), euro(rounded)), rounded,
            "Awir art. 14 lid 4")
    else:
        step(steps, "Deze maand is dat %s, naar beneden afgerond op hele euro's: %s." % (
            euro(round_half_up_to_cent(amounts[i], den)), euro(months[i] if per_year else
                                                                 floor_to_euro(amounts[i], den))),
            months[i], module.MONTH_LAW)
        if parts is not None and months[i]:
            module.parts_step(steps, s, parts, months[i])
    if 0 < rounded < 2400:
        step(steps, "Dat is minder dan € 24 per jaar. Dan krijg je niets.", 0, "Awir art. 14 lid 5")
    if per_year and module.KIND == "yearly":
        step(steps, "Je krijgt het elke maand als voorschot: %s per maand (het jaarbedrag gedeeld "
             "door 12, naar beneden afgerond)." % euro(months[i]), months[i], "Awir art. 16 en 22")
    elif per_year:
        step(steps, "Over het hele jaar is dat %s." % euro(per_year), per_year, "Awir art. 16")


_MONTH_NAMES = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
                "oktober", "november", "december")


def _months_step(steps, amounts, i, den):
    """When the yearly amount differs per month (a child turns 12, a partner moves in), the step between
    the amount of the explained month and the year's total: which months count for which yearly
    amount, each for a twelfth (issue #14: no jump from one amount to another without a step)."""
    same = True
    for a in amounts:
        if a != amounts[i]:
            same = False
    if same:
        return
    parts = []
    m = 0
    while m < 12:
        e = m
        while e + 1 < 12 and amounts[e + 1] == amounts[m]:
            e += 1
        if e == m:
            when = _MONTH_NAMES[m]
        elif e == m + 1:
            when = "%s en %s" % (_MONTH_NAMES[m], _MONTH_NAMES[e])
        else:
            when = "%s tot en met %s" % (_MONTH_NAMES[m], _MONTH_NAMES[e])
        parts.append("%s %s per jaar" % (when, euro(round_half_up_to_cent(amounts[m], den))))
        m = e + 1
    step(steps, "Niet elke maand is het jaarbedrag hetzelfde. Elke maand telt voor een twaalfde van het "
         "jaarbedrag van die maand: " + "; ".join(parts) + ".", None, "Awir art. 5")


def calculate_year(situations, year, report_month=0, explain=True, only=None):
    """Every toeslag over the year, or the ones named in `only`."""
    result = {}
    starts = runs(situations)
    for i in range(len(TOESLAGEN)):
        if only is None or NAMES[i] in only:
            result[NAMES[i]] = toeslag_year(TOESLAGEN[i], situations, year, report_month, explain, starts)
    return result


def calculate(data, explain=True):
    """CONTRACT.md: one situation for the whole year -> result. `explain=False` leaves out the
    steps (for bulk jobs such as the income-drift scan, which never shows them)."""
    return calculate_parsed(parse(data), explain)


def calculate_parsed(s, explain=True, only=None):
    """calculate() of a Situation already parsed (situation.parse, situation.with_incomes); `only`:
    just the toeslagen named there (a bulk job that needs no more)."""
    for_year(s.year)
    return {"year": s.year, "toeslagen": calculate_year([s] * 12, s.year, s.month, explain, only)}


# --- preview -----------------------------------------------------------------------------------

_PREVIEW_KEYS = ("today", "timeline", "paid", "change", "cautious")
MAX_CAUTIOUS_PCT = 50


def _timeline(data):
    """(year, the 12 month situations) of the preview input's `timeline`."""
    return _months_of(data.get("timeline"))


def _months_of(items, field="timeline", year=None):
    """(year, the 12 month situations) of a timeline (PREVIEW.md); `year`: the year it must be of."""
    if type(items) is not list or not items:
        raise InputError(field, "must be a list with at least one situation")
    if len(items) > 24:
        raise InputError(field, "more than 24 entries")
    segments = []
    last = None
    for i in range(len(items)):
        f = field + "[%d]" % i
        item = items[i]
        _check_keys(item, ("from", "situation"), f)
        if "situation" not in item:
            raise InputError(f + ".situation", "missing")
        if "from" not in item:
            raise InputError(f + ".from", "missing")
        start = parse_date(item["from"], f + ".from")
        if year is not None and start[0] > year:
            raise InputError(f + ".from", "after the end of %d" % year)
        if last is not None and start < last:
            raise InputError(f + ".from", "before the entry above it")
        last = start
        s = parse(item["situation"], f + ".situation", year)
        if year is None:
            year = s.year
            for_year(year)
            if start[0] > year:
                raise InputError(f + ".from", "after the end of %d" % year)
        segments.append((effective_month(start, year) if i else 1, s))
    months = []
    for m in range(1, 13):
        current = segments[0][1]
        for eff, s in segments:
            if eff <= m:
                current = s
        months.append(current)
    return year, months


def _paid(data, year, today, before, cautious):
    given = data.get("paid")
    if given is not None and type(given) is not dict:
        raise InputError("paid", "must be an object")
    paid = {}
    for name in NAMES:
        paid[name] = None
    if given:
        for name in given:
            if name not in NAMES:
                raise InputError("paid." + name, "unknown toeslag")
            row = given[name]
            f = "paid." + name
            if type(row) is not list or len(row) != 12:
                raise InputError(f, "must be a list of 12 months")
            for m in range(12):
                v = row[m]
                if v is not None and (type(v) is not int or v < 0 or v > 10 ** 9):
                    raise InputError(f + "[%d]" % m, "must be null or a whole number of cents 0 or more")
            paid[name] = list(row)
    paid_months = [payment_date(year, m) <= today for m in range(1, 13)]
    for name in NAMES:
        if paid[name] is None:
            months = _due(before[name]["months"], cautious.get(name))
            paid[name] = [months[m] if paid_months[m] else None for m in range(12)]
    return paid


def _cautious(data):
    """{name: (percentage, from_month)} of the voorzichtig voorschot choices in force (PREVIEW.md)."""
    given = data.get("cautious")
    out = {}
    if given is None:
        return out
    if type(given) is not dict:
        raise InputError("cautious", "must be an object")
    for name in given:
        if name not in NAMES:
            raise InputError("cautious." + name, "unknown toeslag")
        f = "cautious." + name
        c = given[name]
        _check_keys(c, ("percentage", "from_month"), f)
        pct = c.get("percentage")
        if type(pct) is not int or pct < 1 or pct > MAX_CAUTIOUS_PCT:
            raise InputError(f + ".percentage", "must be a whole number from 1 to %d" % MAX_CAUTIOUS_PCT)
        first = c.get("from_month")
        if type(first) is not int or first < 1 or first > 12:
            raise InputError(f + ".from_month", "must be a month from 1 to 12")
        out[name] = (pct, first)
    return out


def _due(months, choice):
    """What each month should pay: the entitlement, or from the choice's first month the lowered
    voorschot the household chose."""
    if choice is None:
        return months
    pct, first = choice
    return [lowered_voorschot(months[m], pct) if m + 1 >= first else months[m] for m in range(12)]


def preview(data):
    """PREVIEW.md: what a change does to each toeslag, against what was already paid."""
    if type(data) is not dict:
        raise InputError("preview", "must be an object")
    for k in data:
        if k not in _PREVIEW_KEYS:
            raise InputError(k, "unknown key")
    if "today" not in data:
        raise InputError("today", "missing")
    today = format_date(parse_date(data["today"], "today"))
    year, before_months = _timeline(data)
    after_months = before_months
    eff = 1
    change = data.get("change")
    if change is not None:
        _check_keys(change, ("date", "situation", "timeline"), "change")
        if "date" not in change:
            raise InputError("change.date", "missing")
        if "situation" not in change and "timeline" not in change:
            raise InputError("change.situation", "missing")
        if "situation" in change and "timeline" in change:
            raise InputError("change.timeline", "give a situation or a timeline, not both")
        date = parse_date(change["date"], "change.date")
        if date[0] > year:
            raise InputError("change.date", "after the end of %d" % year)
        # A change in December after the 1st counts from next year (eff 13); its yearly figures
        # still count for this whole year.
        eff = effective_month(date, year)
        if "timeline" in change:
            # the whole year after the change (shared_rules.changes): later segments keep what
            # the facts say for them, as the decision will
            after_months = _months_of(change["timeline"], "change.timeline", year)[1]
        else:
            new = parse(change["situation"], "change.situation", year)
            copies = {}
            after_months = []
            for m in range(12):
                if m + 1 >= eff:
                    after_months.append(new)
                else:
                    old = before_months[m]
                    if id(old) not in copies:
                        copies[id(old)] = with_year_figures(old, new)
                    after_months.append(copies[id(old)])

    cautious = _cautious(data)
    before = {}
    before_starts = runs(before_months)
    for i in range(len(TOESLAGEN)):
        before[NAMES[i]] = toeslag_year(TOESLAGEN[i], before_months, year, 0, False, before_starts)
    paid = _paid(data, year, today, before, cautious)
    first_unpaid = 13
    for m in range(12):
        if paid["zorgtoeslag"][m] is None and first_unpaid == 13:
            first_unpaid = m + 1
    report = first_unpaid if first_unpaid > eff else eff
    if report > 12:
        report = 12

    out = {}
    after_starts = runs(after_months)
    for i in range(len(TOESLAGEN)):
        name = NAMES[i]
        b = before[name]
        a = toeslag_year(TOESLAGEN[i], after_months, year, report, True, after_starts)
        b["per_month"] = b["months"][report - 1]
        row = paid[name]
        choice = cautious.get(name)
        due = _due(a["months"], choice)
        due_before = _due(b["months"], choice)
        voorschot = []
        past = 0
        unchanged = 0
        total_after = 0
        for m in range(12):
            total_after += due[m]
            if row[m] is None:
                voorschot.append(due[m])
                unchanged += due_before[m]
            else:
                voorschot.append(row[m])
                past += due[m] - row[m]
                unchanged += row[m]
        repayment = -past if past < 0 else 0
        threshold = HIGH_REPAYMENT[name]
        settlement_unchanged = a["per_year"] - unchanged
        difference = [a["months"][m] - b["months"][m] for m in range(12)]
        if not a["computed"] or not b["computed"]:
            # No amounts for the year (no_parameters): nothing to reconcile. What was paid stays as
            # paid; no repayment, settlement or hoge terugvordering is claimed on unknown amounts.
            voorschot = [v if v is not None else 0 for v in row]
            past = repayment = settlement_unchanged = 0
            total_after = a["per_year"]
            difference = [0] * 12
        out[name] = {
            "computed": a["computed"] and b["computed"],
            "provisional": a["provisional"] or b["provisional"],
            "before": b,
            "after": a,
            "paid": row,
            "voorschot": voorschot,
            "new_monthly": due[report - 1],
            "due": due,
            "difference_per_month": difference,
            "past_months": past,
            "repayment": repayment,
            "settlement": a["per_year"] - total_after,
            "settlement_unchanged": settlement_unchanged,
            "hoge_terugvordering": repayment >= threshold,
            "hoge_terugvordering_unchanged": -settlement_unchanged >= threshold,
            "threshold": threshold,
        }
    return {"year": year, "today": today, "effective_month": eff, "toeslagen": out,
            "warnings": _preview_warnings(before_months, after_months, before, out, eff, report, year,
                                          change is None)}


def _preview_warnings(before_months, after_months, before, out, eff, report, year, as_is=False):
    """warnings.py over the year with the change: vermogen (also without a change: the overview asks
    a preview without one), and a toeslagpartner who moves in or out in the month the change starts.
    `as_is` (no change: the year as it stands, the overview): the partner warnings of every month in
    which the toeslagpartner changes in the year's own timeline (issue #14: the overview warns too)."""
    after = {}
    for name in NAMES:
        after[name] = out[name]["after"]

    def recompute(name, months):
        return toeslag_year(TOESLAGEN[NAMES.index(name)], months, year, report, False)

    found = _warnings.assets(after_months, after, year, recompute)
    if as_is:
        found.extend(_partner_changes_in_year(after_months, after, year, recompute))
    elif eff <= 12:
        found.extend(_warnings.partner(before_months[eff - 1], after_months[eff - 1], before,
                                       after, eff, year, recompute))
    return found


def _partner_changes_in_year(months, results, year, recompute):
    """The partner warnings of each month (2-12) whose situation has a toeslagpartner where the month
    before had none, or the other way round. "Before" is the year as if the toeslagpartner had stayed
    as in the month before (that month's situation continued), so each toeslag's amount of that
    month is told with and without the change, as the preview of the change told it."""
    found = []
    for i in range(1, 12):
        prev = months[i - 1]
        cur = months[i]
        if (prev.partner is None) == (cur.partner is None):
            continue
        unchanged = []
        for m in range(12):
            unchanged.append(months[m] if m < i else prev)
        before = {}
        for name in NAMES:
            if name in results:
                before[name] = recompute(name, unchanged)
        found.extend(_warnings.partner(prev, cur, before, results, i + 1, year, recompute, "was"))
    return found

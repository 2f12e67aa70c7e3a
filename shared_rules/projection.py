"""Projecting a person's yearly income from the monthly wages reported so far (the loonaangifte
data of the income feed), with a low-high band. Used to warn about income drift before it turns
into a repayment. Integer cents only; the same code runs on the phone.

Method (this docstring is its documentation; the API and the app cite it):
- year to date: everything reported for the months up to the last reported one (regular wage,
  holiday allowance, one-off payments); a month without a report before that counts as no wage;
- the months still to come carry the recent regular wage forward: the last month's wage when the
  last two months agree within 5 % (a stable level, also right after a raise or a job loss), else
  the average of the last three months (irregular income);
- holiday allowance: when none was reported yet and the last reported month is before June, 8 % of
  the projected regular wage for the year is expected in May/June (Wml art. 15: at least 8 %);
- a one-off payment counts once, it is never carried forward;
- band: low carries the lowest of the last three regular wages forward and expects no holiday
  allowance; high carries the highest forward and expects it."""

from .errors import InputError

HOLIDAY_ALLOWANCE = 8000       # 8 % per PCT 100000 (Wet minimumloon art. 15)
PCT = 100000
STABLE = 5000                  # 5 %: two months this close count as one stable level
_KEYS = ("regular", "holiday_allowance", "one_off")


def _month(entry, i):
    """Month `i` (0-11) as [regular, holiday allowance, one-off], or None (no report). The field
    name is only formatted for an error: this runs 12 times per person in the drift scan."""
    if entry is None:
        return None
    if type(entry) is not dict:
        raise InputError("months[%d]" % i, "must be an object or null")
    for k in entry:
        if k not in _KEYS:
            raise InputError("months[%d].%s" % (i, k), "unknown key")
    values = [entry.get("regular", 0), entry.get("holiday_allowance", 0), entry.get("one_off", 0)]
    for j in range(3):
        v = values[j]
        if type(v) is not int or v < 0 or v > 10 ** 10:
            raise InputError("months[%d].%s" % (i, _KEYS[j]), "must be a whole number of cents 0 or more")
    return values


def project_income(months):
    """`months`: 12 entries, each null (no report) or {"regular", "holiday_allowance", "one_off"}
    in cents. -> {"reported_months", "year_to_date", "projected", "low", "high",
    "monthly_rate", "holiday_allowance_expected"} or None when nothing was reported."""
    if type(months) is not list or len(months) != 12:
        raise InputError("months", "must be a list of 12 months")
    return project([_month(months[i], i) for i in range(12)])


def project(rows):
    """project_income() of months already checked: 12 entries, each None or [regular, holiday
    allowance, one-off] in whole cents 0 or more (what _month gives). For server code that builds
    the months from its own rows; anything from outside goes through project_income."""
    last = 0
    for i in range(12):
        if rows[i] is not None:
            last = i + 1
    if last == 0:
        return None
    regular = []
    ytd = 0
    holiday_seen = False
    for i in range(last):
        r = rows[i] if rows[i] is not None else [0, 0, 0]
        regular.append(r[0])
        ytd += r[0] + r[1] + r[2]
        if r[1]:
            holiday_seen = True
    recent = regular[-3:]
    lowest = recent[0]
    highest = recent[0]
    total = 0
    for v in recent:
        total += v
        if v < lowest:
            lowest = v
        if v > highest:
            highest = v
    rate = total // len(recent)
    if len(regular) >= 2:
        a = regular[-1]
        b = regular[-2]
        diff = a - b if a > b else b - a
        if diff * PCT <= STABLE * (a if a > b else b):
            rate = a
    remaining = 12 - last
    holiday = 0
    holiday_high = 0
    if not holiday_seen and last < 6:
        yearly_regular = 0
        for v in regular:
            yearly_regular += v
        holiday = (yearly_regular + rate * remaining) * HOLIDAY_ALLOWANCE // PCT
        holiday_high = (yearly_regular + highest * remaining) * HOLIDAY_ALLOWANCE // PCT
    return {
        "reported_months": last,
        "year_to_date": ytd,
        "monthly_rate": rate,
        "holiday_allowance_expected": holiday,
        "projected": ytd + rate * remaining + holiday,
        "low": ytd + lowest * remaining,
        "high": ytd + highest * remaining + holiday_high,
    }

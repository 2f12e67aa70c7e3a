"""Calendar facts of the month model: dates, ages on the first day of a month, effective months
and payment days. Dates are (year, month, day) tuples of ints; text is ISO 8601 (YYYY-MM-DD).
Own integer arithmetic, so CPython and MicroPython agree to the day."""

from .errors import InputError

_DIGITS = "0123456789"


def is_leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year, month):
    if month == 2:
        return 29 if is_leap(year) else 28
    if month in (4, 6, 9, 11):
        return 30
    return 31


def parse_date(value, field):
    """'YYYY-MM-DD' -> (y, m, d), or InputError naming the field."""
    if type(value) is not str or len(value) != 10 or value[4] != "-" or value[7] != "-":
        raise InputError(field, "not a date (YYYY-MM-DD)")
    for i in (0, 1, 2, 3, 5, 6, 8, 9):
        if value[i] not in _DIGITS:
            raise InputError(field, "not a date (YYYY-MM-DD)")
    y = int(value[0:4])
    m = int(value[5:7])
    d = int(value[8:10])
    if y < 1900 or y > 2200:
        raise InputError(field, "year out of range (1900-2200)")
    if m < 1 or m > 12 or d < 1 or d > days_in_month(y, m):
        raise InputError(field, "no such date")
    return (y, m, d)


def format_date(date):
    return "%04d-%02d-%02d" % date


def age_on(birth, date):
    """Whole years of age on `date` (both (y, m, d))."""
    age = date[0] - birth[0]
    if (date[1], date[2]) < (birth[1], birth[2]):
        age -= 1
    return age


def effective_month(date, year):
    """Awir art. 5: a change counts from the first day of the month after it happens, or from that
    day itself when it happens on the 1st. Returns 1..13 for `year` (13 = not this year)."""
    if date[0] < year:
        return 1
    if date[0] > year:
        return 13
    if date[2] == 1:
        return date[1]
    return date[1] + 1


def weekday(date):
    """0 = Monday .. 6 = Sunday (Sakamoto's method)."""
    y, m, d = date
    t = (0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4)
    if m < 3:
        y -= 1
    return (y + y // 4 - y // 100 + y // 400 + t[m - 1] + d + 6) % 7


def easter(year):
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b = year // 100
    c = year % 100
    d = b // 4
    e = b % 4
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i = c // 4
    k = c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l_) // 451
    month = (h + l_ - 7 * m + 114) // 31
    day = (h + l_ - 7 * m + 114) % 31 + 1
    return (year, month, day)


def ordinal(date):
    """Days since 0001-01-01 (proleptic Gregorian), for adding days."""
    y, m, d = date
    y1 = y - 1
    n = y1 * 365 + y1 // 4 - y1 // 100 + y1 // 400
    for mm in range(1, m):
        n += days_in_month(y, mm)
    return n + d - 1


def from_ordinal(n):
    y = (n * 400) // 146097 + 1
    while ordinal((y, 1, 1)) > n:
        y -= 1
    while ordinal((y + 1, 1, 1)) <= n:
        y += 1
    rest = n - ordinal((y, 1, 1))
    m = 1
    while rest >= days_in_month(y, m):
        rest -= days_in_month(y, m)
        m += 1
    return (y, m, rest + 1)


def add_days(date, days):
    return from_ordinal(ordinal(date) + days)


_holidays = {}
_payment_dates = {}


def bank_holidays(year):
    """Days on which no payment is made: Dutch public holidays plus Good Friday and 1 May,
    when the euro payment system (TARGET2) is closed. Computed once per year."""
    if year in _holidays:
        return _holidays[year]
    e = ordinal(easter(year))
    days = [(year, 1, 1), from_ordinal(e - 2), from_ordinal(e + 1), (year, 5, 1),
            from_ordinal(e + 39), from_ordinal(e + 50), (year, 12, 25), (year, 12, 26)]
    kingsday = (year, 4, 27)
    if weekday(kingsday) == 6:
        kingsday = (year, 4, 26)
    days.append(kingsday)
    if year % 5 == 0:
        days.append((year, 5, 5))
    _holidays[year] = days
    return days


def is_working_day(date):
    return weekday(date) < 5 and date not in bank_holidays(date[0])


def payment_date(year, month):
    """The voorschot for `month` is paid on the 20th of the month before, or the first working day
    after it (Awir art. 22/24: paid in monthly terms; the 20th is the Dienst's schedule).
    The January voorschot is paid in December of the year before."""
    key = year * 100 + month
    if key in _payment_dates:
        return _payment_dates[key]
    if month == 1:
        date = (year - 1, 12, 20)
    else:
        date = (year, month - 1, 20)
    while not is_working_day(date):
        date = add_days(date, 1)
    _payment_dates[key] = format_date(date)
    return _payment_dates[key]

"""Reads a situation (CONTRACT.md plus the optional keys of PREVIEW.md) into plain objects and
checks it. Every error names its field; unknown keys are errors, never ignored."""

from .errors import InputError
from .months import parse_date

MAX_CENTS = 10 ** 12          # EUR 10 billion: beyond this an amount is a typing error
MAX_RENT = 10 ** 7            # EUR 100,000 a month
MAX_HOURS = 744               # 31 days x 24 hours
MAX_HOURLY_RATE = 100000      # EUR 1,000 an hour
KINDS = ("dagopvang", "bso", "gastouderopvang")

_SITUATION_KEYS = ("year", "applicant", "partner", "children", "home", "childcare", "month")
_PERSON_KEYS = ("birth_date", "age", "income", "assets", "insured", "treaty_country", "works")
_CHILD_KEYS = ("birth_date", "age", "secondary_school_from")
_HOME_KEYS = ("rent", "service_costs", "persons", "co_residents")
_CO_RESIDENT_KEYS = ("birth_date", "age", "income", "assets", "child")
_CHILDCARE_KEYS = ("child", "kind", "hours", "hourly_rate")
_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


# Kinderopvangtoeslag ends when the child starts secondary school (Wko art. 1.1 lid 1, "kinderopvang":
# up to the first day of the month in which the child goes to voortgezet onderwijs). Without the
# date (children[].secondary_school_from) we assume the usual school path: the child starts in the
# school year that begins in August of the first year in which it is 12 on 1 October (the school
# entry cut-off), and August is the first month without kinderopvangtoeslag (the school year starts
# in August in most regions; a later start is paid out at the definitive settlement rather than
# reclaimed). This is an assumption about school, not law: the app asks for the date.
SCHOOL_CUTOFF = (10, 1)
SCHOOL_START_MONTH = 8


class Person:
    __slots__ = (
        "age",
        "assets",
        "birth",
        "child",
        "income",
        "insured",
        "school",
        "treaty_country",
        "works",
    )
    # The slots' types, for mypy (string annotations: neither runtime evaluates them). Dates are
    # (year, month, day) tuples; money is euro cents.
    birth: "tuple[int, int, int] | None"
    age: "int | None"
    income: "int"
    assets: "int"
    insured: "bool"
    treaty_country: "str | None"
    works: "bool"
    child: "bool"
    school: "tuple[int, int, int] | None"

    def age_at(self, date):
        """Age on `date`; None when neither birth_date nor age was given (an adult)."""
        if self.birth is not None:
            y, m, d = date
            b = self.birth
            age = y - b[0]
            if (m, d) < (b[1], b[2]):
                age -= 1
            return age
        return self.age

    def born_by(self, date):
        return self.birth is None or self.birth <= date

    def secondary_school_month(self, year):
        """The first month (1-12) of `year` in which this child goes to secondary school, 1 when it
        already does in January, 13 when not this year (see SCHOOL_CUTOFF)."""
        if self.school is not None:
            y, m, _ = self.school
        elif self.birth is not None:
            b = self.birth
            y = b[0] + (12 if (b[1], b[2]) <= SCHOOL_CUTOFF else 13)
            m = SCHOOL_START_MONTH
        elif self.age is not None:
            if self.age >= 13:
                return 1
            return SCHOOL_START_MONTH if self.age == 12 else 13
        else:
            return 13
        if y < year:
            return 1
        if y > year:
            return 13
        return m


class Home:
    __slots__ = ("co_residents", "persons", "rent", "service_costs")
    rent: "int"
    service_costs: "int"
    persons: "int"
    co_residents: "list[Person]"


class Childcare:
    __slots__ = ("child", "hourly_rate", "hours", "kind")
    child: "int"
    kind: "str"
    hours: "int"
    hourly_rate: "int"


class Situation:
    __slots__ = (
        "_school",
        "_turns",
        "applicant",
        "childcare",
        "children",
        "home",
        "month",
        "partner",
        "year",
    )
    year: "int"
    applicant: "Person"
    partner: "Person | None"
    children: "list[Person]"
    home: "Home | None"
    childcare: "list[Childcare]"
    month: "int | None"
    _turns: "list[bool] | None"
    _school: "list[int] | None"

    def school_months(self):
        """Per child, Person.secondary_school_month of the situation's year; worked out once."""
        months = getattr(self, "_school", None)
        if months is None:
            months = [c.secondary_school_month(self.year) for c in self.children]
            self._school = months
        return months

    def turning_months(self):
        """12 flags: True for a month (index 0-11) whose first day may see a different age or a
        newly born child than the month before; only there can an amount change within one
        situation. A birthday on the 1st counts from that month under Awir art. 5 and from the
        next under Wkb art. 2, so both months are flagged."""
        turns = getattr(self, "_turns", None)
        if turns is None:
            turns = [False] * 12
            turns[0] = True
            people = [self.applicant] + self.children
            if self.partner is not None:
                people.append(self.partner)
            if self.home is not None:
                people = people + self.home.co_residents
            if self.childcare:             # (school months matter only to kinderopvangtoeslag)
                school = self.school_months()
                for cc in self.childcare:
                    m = school[cc.child]
                    if 1 < m <= 12:
                        turns[m - 1] = True    # kinderopvangtoeslag stops for this child
            for p in people:
                if p.birth is not None:
                    if p.birth[2] == 1:
                        turns[p.birth[1] - 1] = True
                    if p.birth[1] < 12:
                        turns[p.birth[1]] = True
                    if p.birth[1] == 2 and p.birth[2] == 29:
                        turns[3] = True        # in a common year the birthday falls on 1 March
            self._turns = turns
        return turns


def _check_keys(obj, allowed, field):
    if type(obj) is not dict:
        raise InputError(field or "situation", "must be an object")
    for key in obj:
        if key not in allowed:
            raise InputError(_join(field, key), "unknown key")


def _join(field, key):
    return field + "." + key if field else key


def _int(obj, key, field, default, low, high):
    if key not in obj:
        if default is None:
            raise InputError(_join(field, key), "missing")
        return default
    value = obj[key]
    if type(value) is not int:
        raise InputError(_join(field, key), "must be a whole number")
    if value < low or value > high:
        raise InputError(_join(field, key), "must be between %d and %d" % (low, high))
    return value


def _bool(obj, key, field, default):
    if key not in obj:
        return default
    value = obj[key]
    if value is not True and value is not False:
        raise InputError(_join(field, key), "must be true or false")
    return value


def _birth_or_age(obj, field, person):
    person.birth = None
    person.age = None
    if "birth_date" in obj and "age" in obj:
        raise InputError(_join(field, "age"), "give birth_date or age, not both")
    if "birth_date" in obj:
        person.birth = parse_date(obj["birth_date"], _join(field, "birth_date"))
    elif "age" in obj:
        person.age = _int(obj, "age", field, None, 0, 130)


def _person(obj, field):
    _check_keys(obj, _PERSON_KEYS, field)
    p = Person()
    _birth_or_age(obj, field, p)
    p.income = _int(obj, "income", field, 0, 0, MAX_CENTS)
    p.assets = _int(obj, "assets", field, 0, 0, MAX_CENTS)
    p.insured = _bool(obj, "insured", field, True)
    p.works = _bool(obj, "works", field, True)
    p.child = False
    p.school = None
    tc = obj.get("treaty_country")
    if tc is not None and (type(tc) is not str or len(tc) != 2 or tc[0] not in _UPPER or tc[1] not in _UPPER):
        raise InputError(_join(field, "treaty_country"),
                         "must be a country code of two capital letters (ISO 3166) or null")
    p.treaty_country = tc
    return p


def _list(obj, key, field):
    value = obj.get(key)
    if value is None:
        return []
    if type(value) is not list:
        raise InputError(_join(field, key), "must be a list")
    if len(value) > 50:
        raise InputError(_join(field, key), "more than 50 entries")
    return value


def parse(obj, field="", year=None):
    """Situation dict -> Situation. `field` prefixes error names (used by preview)."""
    _check_keys(obj, _SITUATION_KEYS, field)
    s = Situation()
    s.year = _int(obj, "year", field, None, 1900, 2200)
    if year is not None and s.year != year:
        raise InputError(_join(field, "year"), "must be %d like the rest of the timeline" % year)
    if "applicant" not in obj or obj["applicant"] is None:
        raise InputError(_join(field, "applicant"), "missing")
    s.applicant = _person(obj["applicant"], _join(field, "applicant"))
    s.partner = None
    if obj.get("partner") is not None:
        s.partner = _person(obj["partner"], _join(field, "partner"))
    s.children = []
    items = _list(obj, "children", field)
    for i in range(len(items)):
        cf = _join(field, "children") + "[%d]" % i
        _check_keys(items[i], _CHILD_KEYS, cf)
        c = Person()
        _birth_or_age(items[i], cf, c)
        if c.birth is None and c.age is None:
            raise InputError(cf + ".birth_date", "missing (give birth_date or age)")
        if c.birth is not None and c.birth[0] > s.year:
            raise InputError(cf + ".birth_date", "after the end of %d" % s.year)
        c.school = None
        if items[i].get("secondary_school_from") is not None:
            c.school = parse_date(items[i]["secondary_school_from"], cf + ".secondary_school_from")
            if c.birth is not None and c.school <= c.birth:
                raise InputError(cf + ".secondary_school_from", "before the birth_date")
        c.income = 0
        c.assets = 0
        c.insured = True
        c.treaty_country = None
        c.works = False
        c.child = True
        s.children.append(c)
    s.home = None
    if obj.get("home") is not None:
        s.home = _home(obj["home"], _join(field, "home"), s)
    s.childcare = []
    items = _list(obj, "childcare", field)
    for i in range(len(items)):
        cf = _join(field, "childcare") + "[%d]" % i
        _check_keys(items[i], _CHILDCARE_KEYS, cf)
        cc = Childcare()
        if len(s.children) == 0:
            raise InputError(cf + ".child", "there are no children")
        cc.child = _int(items[i], "child", cf, None, 0, len(s.children) - 1)
        kind = items[i].get("kind")
        if kind not in KINDS:
            raise InputError(cf + ".kind", "must be dagopvang, bso or gastouderopvang")
        cc.kind = kind
        cc.hours = _int(items[i], "hours", cf, None, 0, MAX_HOURS)
        cc.hourly_rate = _int(items[i], "hourly_rate", cf, None, 0, MAX_HOURLY_RATE)
        s.childcare.append(cc)
    s.month = _int(obj, "month", field, 0, 1, 12)
    return s


def _home(obj, field, s):
    _check_keys(obj, _HOME_KEYS, field)
    h = Home()
    h.rent = _int(obj, "rent", field, None, 0, MAX_RENT)
    h.service_costs = _int(obj, "service_costs", field, 0, 0, MAX_RENT)
    h.co_residents = []
    items = _list(obj, "co_residents", field)
    for i in range(len(items)):
        cf = _join(field, "co_residents") + "[%d]" % i
        _check_keys(items[i], _CO_RESIDENT_KEYS, cf)
        c = Person()
        _birth_or_age(items[i], cf, c)
        c.income = _int(items[i], "income", cf, 0, 0, MAX_CENTS)
        c.assets = _int(items[i], "assets", cf, 0, 0, MAX_CENTS)
        c.child = _bool(items[i], "child", cf, True)
        c.insured = True
        c.treaty_country = None
        c.works = True
        c.school = None
        h.co_residents.append(c)
    # The persons in the home follow from the household: the applicant, the partner, the children
    # and the co-residents. A `persons` that says otherwise is refused, never trusted: it would
    # give a couple single-person limits or an empty home a larger aftoppingsgrens.
    derived = 1 + (1 if s.partner is not None else 0) + len(s.children) + len(h.co_residents)
    if "persons" in obj:
        given = _int(obj, "persons", field, None, 1, 99)
        if given != derived:
            raise InputError(_join(field, "persons"),
                             "must be %d: the applicant, the partner, the children and the co_residents "
                             "together (or leave it out)" % derived)
    h.persons = derived
    return h


def _copy_person(person):
    c = Person()
    for name in Person.__slots__:
        setattr(c, name, getattr(person, name))
    return c


def with_year_figures(old, new):
    """`old` with the yearly figures of `new`: the toetsingsinkomen and vermogen of applicant and
    partner count for the whole year (Awir art. 7, 8), also in months before a change."""
    s = Situation()
    for name in Situation.__slots__:
        if name[0] != "_":
            setattr(s, name, getattr(old, name))
    s.applicant = _copy_person(old.applicant)
    s.applicant.income = new.applicant.income
    s.applicant.assets = new.applicant.assets
    if old.partner is not None and new.partner is not None:
        s.partner = _copy_person(old.partner)
        s.partner.income = new.partner.income
        s.partner.assets = new.partner.assets
    return s


def with_incomes(s, incomes):
    """`s` with other yearly incomes for some of its adults ({"applicant": cents, "partner": cents}):
    what-if questions over one parsed situation (the income-drift scan asks several per household)
    without parsing it again. A role the situation does not have is left out, as an income change
    for a partner who is not there changes nothing."""
    out = Situation()
    for name in Situation.__slots__:
        if name[0] != "_" or getattr(s, name, None) is not None:
            setattr(out, name, getattr(s, name, None))
    for role in incomes:
        # the same check and message as an income in a situation dict (field "<role>.income")
        income = _int({"income": incomes[role]}, "income", role, None, 0, MAX_CENTS)
        if role == "applicant":
            out.applicant = _copy_person(s.applicant)
            out.applicant.income = income
        elif role == "partner":
            if s.partner is not None:
                out.partner = _copy_person(s.partner)
                out.partner.income = income
        else:
            raise InputError(role, "unknown role")
    return out

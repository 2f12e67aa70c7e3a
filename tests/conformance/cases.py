"""Inputs for the conformance suite: the official worked examples as situations, and generators.

Every case is a dict ``{"id": str, "kind": "calculate"|"preview", "payload": ..., "expect_ok":
True|False|None}``. ``expect_ok`` is what CPython must answer (``None``: either is acceptable,
e.g. a treaty country without a published woonlandfactor for that year). The conformance test
itself only demands that CPython and MicroPython answer the same.

The official examples follow ``tests/rules/official/data/worked_examples.csv``; ``expected`` holds the
amount the leaflet gives (euro cents), for reference; the official tests live in tests/rules.
The generators are deterministic (``random.Random(seed)``): the same seed gives the same cases.
"""

import os
import random

TOESLAGEN = ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag")

def _param_years():
    """The years shared_rules has a parameter file for (params/y<year>.py): a new year file is
    picked up by the generators without editing this module."""
    folder = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared_rules", "params")
    try:
        names = os.listdir(folder)
    except OSError:
        names = []
    years = sorted(int(n[1:5]) for n in names if len(n) == 8 and n[0] == "y" and n[1:5].isdigit()
                   and n.endswith(".py"))
    return tuple(years) or (2024, 2025, 2026)


YEARS = _param_years()
KINDS = ("dagopvang", "bso", "gastouderopvang")
# Countries with a 2026 woonlandfactor (tests/rules/official/data/zorgtoeslag_woonlandfactoren_2026.csv).
TREATY_COUNTRIES = ("BE", "DE", "FR", "ES", "PL", "TR", "GB", "CH", "MA", "RO")


def person(income, birth_date="1985-06-15", **extra):
    p = {"birth_date": birth_date, "income": income, "assets": 0, "insured": True, "treaty_country": None}
    p.update(extra)
    return p


def situation(year, applicant, partner=None, children=(), home=None, childcare=()):
    return {
        "year": year,
        "applicant": applicant,
        "partner": partner,
        "children": list(children),
        "home": home,
        "childcare": list(childcare),
    }


def _official(id_, sit, toeslag, **expected):
    return {"id": id_, "kind": "calculate", "payload": sit, "expect_ok": True,
            "expected": dict(toeslag=toeslag, **expected)}


def official_examples():
    """The 19 official worked examples (two of them at two incomes) as situations."""
    zt = "zorgtoeslag"
    kgb = "kindgebonden_budget"
    ht = "huurtoeslag"
    kot = "kinderopvangtoeslag"
    return [
        _official("zt-2024-1", situation(2024, person(1900000)), zt, per_month=12300),
        _official("zt-2025-1", situation(2025, person(2840600)), zt, per_month=13100),
        _official("zt-2025-2", situation(2025, person(700000), partner=person(2620000, "1984-02-01", insured=False)),
                  zt, per_month=9800),
        _official("zt-2025-3", situation(2025, person(2000000, insured=False, treaty_country="BE"),
                                         partner=person(0, "1986-09-30", insured=False)), zt, per_month=8900),
        _official("zt-2026-1", situation(2026, person(2973600)), zt, per_month=12900),
        _official("zt-2026-2", situation(2026, person(700000), partner=person(2620000, "1984-02-01", insured=False)),
                  zt, per_month=10300),
        _official("zt-2026-3", situation(2026, person(2000000, insured=False, treaty_country="BE"),
                                         partner=person(0, "1986-09-30", insured=False)), zt, per_month=9100),
        _official("zt-2026-4a", situation(2026, person(4085700)), zt, per_year=2400),
        _official("zt-2026-4b", situation(2026, person(4085800)), zt, per_year=0),
        _official("zt-2026-5a", situation(2026, person(3000000), partner=person(2114200, "1987-01-20")), zt,
                  per_year=2400),
        _official("zt-2026-5b", situation(2026, person(3000000), partner=person(2114300, "1987-01-20")), zt,
                  per_year=0),
        _official("kgb-2026-1", situation(2026, person(3000000), partner=person(1500000, "1987-01-20"),
                                          children=[{"age": 4}, {"age": 8}]), kgb, per_month=39200),
        _official("kgb-2026-2", situation(2026, person(3000000), partner=person(1500000, "1987-01-20"),
                                          children=[{"age": 13}, {"age": 16}]), kgb, per_month=53300),
        _official("kgb-2026-3", situation(2026, person(3000000), children=[{"age": 8}]), kgb, per_month=49700),
        _official("ht-2026-1", situation(2026, person(2200000, "2005-12-15"),
                                         home={"rent": 60000, "service_costs": 0, "persons": 1, "co_residents": []}),
                  ht, per_month=29500),
        _official("ht-2026-2", situation(2026, person(3400000), partner=person(0, "1987-01-20"),
                                         children=[{"age": 5}],
                                         home={"rent": 120000, "service_costs": 0, "persons": 3, "co_residents": []}),
                  ht, per_month=49200),
        _official("ht-2026-3", situation(2026, person(2900000, "1955-01-01"),
                                         home={"rent": 71000, "service_costs": 0, "persons": 1, "co_residents": []}),
                  ht, per_month=30700),
        _official("kot-2026-1", situation(2026, person(3000000), partner=person(3000000, "1987-01-20"),
                                          children=[{"age": 2}],
                                          childcare=[{"child": 0, "kind": "dagopvang", "hours": 122,
                                                      "hourly_rate": 1050}]), kot, per_month=120200),
        _official("kot-2026-2", situation(2026, person(6000000), partner=person(6000000, "1987-01-20"),
                                          children=[{"age": 2}, {"age": 6}],
                                          childcare=[{"child": 0, "kind": "dagopvang", "hours": 87, "hourly_rate": 1245},
                                                     {"child": 1, "kind": "bso", "hours": 65, "hourly_rate": 1010}]),
                  kot, per_month=116200),
        _official("kot-2026-3", situation(2026, person(4000000), children=[{"age": 3}],
                                          childcare=[{"child": 0, "kind": "gastouderopvang", "hours": 240,
                                                      "hourly_rate": 825}]), kot, per_month=182100),
        _official("kot-2026-4", situation(2026, person(2500000), partner=person(2500000, "1987-01-20"),
                                          children=[{"age": 1}],
                                          childcare=[{"child": 0, "kind": "gastouderopvang", "hours": 108,
                                                      "hourly_rate": 952}]), kot, per_month=88000),
    ]


# --------------------------------------------------------------------------------------------
# Generated households


def _date(year, month, day):
    return "%04d-%02d-%02d" % (year, month, day)


_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year, month):
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month - 1]


def _rand_date(rng, year):
    m = rng.randint(1, 12)
    return _date(year, m, rng.randint(1, _days_in(year, m)))


def _income(rng):
    r = rng.random()
    if r < 0.12:
        return 0
    if r < 0.6:
        return rng.randint(1, 4000000)
    if r < 0.9:
        return rng.randint(4000000, 10000000)
    return rng.randint(10000000, 25000000)


def _assets(rng):
    r = rng.random()
    if r < 0.7:
        return 0
    if r < 0.9:
        return rng.randint(1, 4000000)
    return rng.randint(4000000, 30000000)  # often above the limits


def _person(rng, year, min_age=18, max_age=90):
    p = {"birth_date": _rand_date(rng, year - rng.randint(min_age, max_age)), "income": _income(rng),
         "assets": _assets(rng), "treaty_country": None}
    # optional keys (documented defaults): sometimes left out
    r = rng.random()
    if r < 0.85:
        if rng.random() < 0.5:
            p["insured"] = True
    elif r < 0.93:
        p["insured"] = False
    else:
        p["insured"] = False
        p["treaty_country"] = "BE" if year < 2026 or rng.random() < 0.5 else rng.choice(TREATY_COUNTRIES)
    if rng.random() < 0.2:
        p["works"] = rng.random() < 0.7
    return p


def _child(rng, year):
    if rng.random() < 0.35:
        return {"age": rng.randint(0, 17)}
    # age 0-17 on 1 January; sometimes born during the year itself
    if rng.random() < 0.1:
        return {"birth_date": _rand_date(rng, year)}
    return {"birth_date": _rand_date(rng, year - 1 - rng.randint(0, 17))}


def _home(rng, year, n_household):
    co = []
    for _ in range(rng.choice((0, 0, 0, 1, 1, 2))):
        c = {"birth_date": _rand_date(rng, year - rng.randint(18, 80)), "income": _income(rng)}
        if rng.random() < 0.4:
            c["assets"] = _assets(rng)
        if rng.random() < 0.5:
            c["child"] = rng.random() < 0.6
        co.append(c)
    home = {
        "rent": rng.randint(20000, 160000),
        "service_costs": rng.choice((0, 0, rng.randint(0, 8000))) if year < 2026 else 0,
        "co_residents": co,
    }
    # `persons` follows from the household: sometimes given (then it must be right), sometimes left out
    if rng.random() < 0.7:
        home["persons"] = n_household + len(co)
    return home


def _childcare(rng, n_children):
    out = []
    if not n_children:
        return out
    for _ in range(rng.choice((0, 1, 1, 2, 3))):
        out.append({
            "child": rng.randrange(n_children),
            "kind": rng.choice(KINDS),
            "hours": rng.choice((rng.randint(0, 260), rng.randint(20, 140))),
            "hourly_rate": rng.randint(500, 1500),
        })
    return out


def _year(rng):
    # 2026 has parameters for all four toeslagen: weigh it double
    return rng.choice(YEARS + ((2026,) if 2026 in YEARS else YEARS[-1:]))


def gen_situation(rng, year=None):
    """A random valid situation (as far as CONTRACT.md and PREVIEW.md go)."""
    year = year or _year(rng)
    applicant = _person(rng, year, 17 if rng.random() < 0.03 else 18)
    partner = _person(rng, year) if rng.random() < 0.5 else None
    children = [_child(rng, year) for _ in range(rng.choice((0, 0, 1, 2, 2, 3, 4)))]
    home = _home(rng, year, 1 + (partner is not None) + len(children)) if rng.random() < 0.6 else None
    sit = situation(year, applicant, partner, children, home, _childcare(rng, len(children)))
    if rng.random() < 0.25:
        sit["month"] = rng.randint(1, 12)
    return sit


def _uncertain(sit):
    """True when a valid-looking situation may be refused: a treaty country without a factor."""
    for key in ("applicant", "partner"):
        p = sit.get(key)
        if p and p.get("treaty_country") not in (None, "BE"):
            return True
        if p and p.get("treaty_country") == "BE" and sit["year"] != 2026:
            return True  # only the 2025 Belgian factor is published; 2024 none
    return False


def _copy(obj):
    if isinstance(obj, dict):
        return {k: _copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_copy(v) for v in obj]
    return obj


# Each mutation returns (description, broken situation). They must make any situation invalid.
def _bad_date_value(rng):
    return rng.choice(("2026-13-01", "2026-02-30", "01-03-2026", "2026-3-1", "20260301",
                       "2026-03-01T00:00", "\u0662\u0660\u0662\u0666-\u0660\u0663-\u0660\u0661", "",
                       "2026-00-10", " 2026-03-01", 20260301))


def _invalid_mutations():
    def m_unknown_top(rng, s):
        s["bsn"] = "123456782"
        return "unknown top-level key"

    def m_unknown_person(rng, s):
        s["applicant"]["salary"] = 100
        return "unknown applicant key"

    def m_bad_birth(rng, s):
        s["applicant"]["birth_date"] = _bad_date_value(rng)
        return "bad applicant birth_date"

    def m_bad_child_date(rng, s):
        s["children"] = [{"age": 3}, {"birth_date": _bad_date_value(rng)}]
        s["childcare"] = []
        return "bad children[1].birth_date"

    def m_bad_year(rng, s):
        s["year"] = rng.choice((2023, 2030, 1999, "2026", 2026.0, True, None))
        return "bad year"

    def m_bad_income(rng, s):
        s["applicant"]["income"] = rng.choice((-1, -250000, 12.5, "30000", True, [1]))
        return "bad income"

    def m_bad_assets(rng, s):
        s["applicant"]["assets"] = rng.choice((-5, 0.5, "0", False))
        return "bad assets"

    def m_bad_insured(rng, s):
        s["applicant"]["insured"] = rng.choice((1, 0, "yes"))
        return "bad insured"

    def m_children_not_list(rng, s):
        s["children"] = rng.choice(({"age": 3}, 2, "none"))
        s["childcare"] = []
        return "children not a list"

    def m_child_both(rng, s):
        s["children"] = [rng.choice(({}, {"age": -1}, {"age": 3.5}, {"age": "3"}, {"age": 3, "name": "x"}))]
        s["childcare"] = []
        return "bad child"

    def m_childcare_index(rng, s):
        s["children"] = [{"age": 2}]
        s["childcare"] = [{"child": rng.choice((1, -1, 5, "0")), "kind": "dagopvang", "hours": 80,
                           "hourly_rate": 1000}]
        return "childcare child index out of range"

    def m_childcare_kind(rng, s):
        s["children"] = [{"age": 2}]
        s["childcare"] = [{"child": 0, "kind": rng.choice(("creche", "Dagopvang", "", None)), "hours": 80,
                           "hourly_rate": 1000}]
        return "bad childcare kind"

    def m_childcare_hours(rng, s):
        s["children"] = [{"age": 2}]
        s["childcare"] = [{"child": 0, "kind": "bso", "hours": rng.choice((-3, 12.5, "80")),
                           "hourly_rate": rng.choice((1000, -1))}]
        return "bad childcare hours"

    def m_home(rng, s):
        s["home"] = rng.choice(({"rent": -100, "service_costs": 0, "persons": 1, "co_residents": []},
                                {"rent": 50000, "service_costs": 0, "persons": 0, "co_residents": []},
                                {"rent": 50000, "service_costs": 0, "persons": 2,
                                 "co_residents": [{"birth_date": "2000-01-01", "income": -5}]},
                                {"rent": 50000, "persons": 1, "co_residents": [], "garden": True},
                                "rent"))
        return "bad home"

    def m_persons(rng, s):
        n = 1 + (s.get("partner") is not None) + len(s.get("children") or [])
        s["home"] = {"rent": 50000, "persons": n + rng.choice((1, 2)), "co_residents": []}
        return "home.persons not the household"

    def m_partner(rng, s):
        s["partner"] = rng.choice((5, "none", [], {"income": 100, "birth_date": "1980-01-01", "spouse": 1}))
        return "bad partner"

    def m_missing_applicant(rng, s):
        del s["applicant"]
        return "missing applicant"

    def m_month(rng, s):
        s["month"] = rng.choice((0, 13, "3", 2.0))
        return "bad month"

    def m_treaty(rng, s):
        s["applicant"]["treaty_country"] = rng.choice(("be", "Belgie", 32, "BEL"))
        return "bad treaty_country"

    return [m_unknown_top, m_unknown_person, m_bad_birth, m_bad_child_date, m_bad_year, m_bad_income,
            m_bad_assets, m_bad_insured, m_children_not_list, m_child_both, m_childcare_index,
            m_childcare_kind, m_childcare_hours, m_home, m_persons, m_partner, m_missing_applicant, m_month,
            m_treaty]


def generated_households(n=1100, seed=20260101, invalid_share=0.1):
    """n calculate cases; about invalid_share of them deliberately invalid."""
    rng = random.Random(seed)
    mutations = _invalid_mutations()
    cases = []
    for i in range(n):
        sit = gen_situation(rng)
        if rng.random() < 0.01:
            # amounts above 2**31 cents: must not wrap anywhere
            sit["applicant"]["income"] = rng.choice((2 ** 31, 2 ** 31 + 7, 2 ** 32 + 1, 2 ** 39))
        if rng.random() < invalid_share:
            mutate = mutations[i % len(mutations)]
            what = mutate(rng, sit)
            cases.append({"id": "hh-%04d-invalid(%s)" % (i, what), "kind": "calculate", "payload": sit,
                          "expect_ok": False})
        else:
            cases.append({"id": "hh-%04d" % i, "kind": "calculate", "payload": sit,
                          "expect_ok": None if _uncertain(sit) else True})
    # payloads that are not a situation at all
    for j, payload in enumerate(([], 2026, "situation", None, {})):
        cases.append({"id": "hh-nonobject-%d" % j, "kind": "calculate", "payload": payload, "expect_ok": False})
    return cases


# --------------------------------------------------------------------------------------------
# Generated previews (shared_rules/PREVIEW.md)


def _variant(rng, base):
    """The same household a little later: what a change or a new timeline entry looks like."""
    s = _copy(base)
    year = s["year"]
    what = rng.choice(("income", "income", "child", "rent", "partner", "childcare", "assets", "move"))
    if what == "income":
        s["applicant"]["income"] = max(0, s["applicant"]["income"] + rng.randint(-2000000, 3000000))
    elif what == "child":
        s["children"].append({"birth_date": _rand_date(rng, year)})
        if s["home"] and "persons" in s["home"]:
            s["home"]["persons"] += 1
    elif what == "rent":
        if s.get("home"):
            s["home"]["rent"] = rng.randint(20000, 160000)
        else:
            s["home"] = {"rent": rng.randint(40000, 120000), "service_costs": 0,
                         "persons": 1 + (s["partner"] is not None) + len(s["children"]),
                         "co_residents": []}
    elif what == "partner":
        if s["partner"] is None:
            s["partner"] = _person(rng, year)
            if s["home"] and "persons" in s["home"]:
                s["home"]["persons"] += 1
        else:
            s["partner"] = None
            if s["home"] and "persons" in s["home"]:
                s["home"]["persons"] -= 1
    elif what == "childcare":
        s["childcare"] = _childcare(rng, len(s["children"]))
    elif what == "assets":
        s["applicant"]["assets"] = _assets(rng)
    else:
        s["home"] = None
    return s


def _paid(rng, today, year):
    """A 'paid' object: for some toeslagen, the first k months paid (k from today), then null."""
    m_today = int(today[5:7]) if today[:4] == str(year) else 12
    k = min(12, m_today + rng.choice((0, 0, 1)))
    paid = {}
    for name in TOESLAGEN:
        if rng.random() < 0.5:
            amount = rng.choice((0, rng.randint(1, 60000) * 100))
            paid[name] = [amount if i < k else None for i in range(12)]
    return paid


def gen_preview(rng):
    year = _year(rng)
    base = gen_situation(rng, year)
    timeline = [{"from": _date(year, 1, 1), "situation": base}]
    last = base
    n_seg = rng.choice((1, 1, 2, 3))
    # later entries take effect in distinct months (Awir art. 5: the 1st, else the next month)
    months = sorted(rng.sample(range(2, 13), n_seg - 1))
    froms = []
    for m in months:
        if rng.random() < 0.3:
            froms.append(_date(year, m, 1))
        else:
            froms.append(_date(year, m - 1, rng.randint(2, _days_in(year, m - 1))))
    for f in froms:
        last = _variant(rng, last)
        timeline.append({"from": f, "situation": last})
    inp = {"today": _rand_date(rng, year), "timeline": timeline}
    if rng.random() < 0.5:
        inp["paid"] = _paid(rng, inp["today"], year)
    if rng.random() < 0.85:
        inp["change"] = {"date": _rand_date(rng, year), "situation": _variant(rng, last)}
    if rng.random() < 0.3:  # a voorzichtig voorschot in force for some toeslagen
        inp["cautious"] = {name: {"percentage": rng.randint(1, 50), "from_month": rng.randint(1, 12)}
                           for name in TOESLAGEN if rng.random() < 0.5}
    return inp


def _invalid_preview(rng, i):
    inp = gen_preview(rng)
    year = inp["timeline"][0]["situation"]["year"]
    which = i % 10
    if which == 0:
        inp["timeline"] = []
        what = "empty timeline"
    elif which == 1:
        other = _copy(inp["timeline"][0]["situation"])
        other["year"] = year - 1 if year > 2024 else year + 1
        inp["timeline"].append({"from": _date(year, 6, 1), "situation": other})
        what = "timeline years differ"
    elif which == 2:
        inp["today"] = rng.choice(("2026-02-30", "today", 20260510, None))
        what = "bad today"
    elif which == 3:
        inp["paid"] = {"zorgtoeslag": [100] * 11}
        what = "paid not 12 months"
    elif which == 4:
        inp["paid"] = {"huursubsidie": [None] * 12}
        what = "paid unknown toeslag"
    elif which == 5:
        inp["change"] = {"date": _date(year + 1, 2, 1), "situation": _copy(inp["timeline"][-1]["situation"])}
        what = "change outside the year"
    elif which == 6:
        inp["timeline"][-1]["situation"]["children"] = [{"birth_date": "2020-02-31"}]
        inp["timeline"][-1]["situation"]["childcare"] = []
        what = "bad nested birth_date"
    elif which == 7:
        inp["extra"] = 1
        what = "unknown key"
    elif which == 8:
        inp["paid"] = {"zorgtoeslag": ["100"] + [None] * 11}
        what = "paid amount not an integer"
    else:
        inp["timeline"][-1]["from"] = rng.choice(("2026/01/01", "2026-1-1", 1, None))
        what = "bad timeline from"
    return what, inp


def generated_previews(n=150, seed=20260510, invalid_share=0.15):
    rng = random.Random(seed)
    cases = []
    for i in range(n):
        if rng.random() < invalid_share:
            what, inp = _invalid_preview(rng, i)
            cases.append({"id": "pv-%03d-invalid(%s)" % (i, what), "kind": "preview", "payload": inp,
                          "expect_ok": False})
        else:
            inp = gen_preview(rng)
            sits = [e["situation"] for e in inp["timeline"]] + ([inp["change"]["situation"]] if "change" in inp else [])
            uncertain = any(_uncertain(s) for s in sits)
            # a change after 1 December takes effect after the year (Awir art. 5): refused or not
            if "change" in inp and inp["change"]["date"][5:7] == "12" and inp["change"]["date"][8:] != "01":
                uncertain = True
            cases.append({"id": "pv-%03d" % i, "kind": "preview", "payload": inp,
                          "expect_ok": None if uncertain else True})
    cases.append({"id": "pv-nonobject", "kind": "preview", "payload": [1, 2], "expect_ok": False})
    return cases


def warning_previews():
    """Previews that raise every warning of shared_rules/warnings.py: vermogen near and above the
    limit (a couple renting, as Jansen), a co-resident above the per-person limit, and a
    toeslagpartner moving in and out."""
    home = {"rent": 75000, "service_costs": 0}
    kids = [{"age": 5}, {"age": 8}, {"age": 12}]

    def couple(assets, with_partner=True):
        return situation(2026, person(3000000, "1985-01-01", assets=assets),
                         person(1500000, "1986-01-01") if with_partner else None, kids, dict(home))

    def single(today, sit):
        return {"today": today, "timeline": [{"from": "2026-01-01", "situation": sit}]}

    lodger = couple(0)
    lodger["home"]["co_residents"] = [{"birth_date": "1990-01-01", "income": 100000, "assets": 5000000,
                                       "child": False}]
    cases = []
    for today in ("2026-01-02", "2026-06-15", "2026-12-07"):
        for assets in (7000000, 7500000, 7695800, 7695900, 9000000, 20000000):
            cases.append({"id": "warn-assets-%d-%s" % (assets // 100, today), "kind": "preview",
                          "payload": single(today, couple(assets)), "expect_ok": True})
        cases.append({"id": "warn-partner-in-" + today, "kind": "preview", "expect_ok": True,
                      "payload": dict(single(today, couple(0, False)),
                                      change={"date": "2026-07-01", "situation": couple(0)})})
        cases.append({"id": "warn-partner-out-" + today, "kind": "preview", "expect_ok": True,
                      "payload": dict(single(today, couple(0)),
                                      change={"date": "2026-07-10", "situation": couple(0, False)})})
        cases.append({"id": "warn-co-resident-" + today, "kind": "preview", "expect_ok": True,
                      "payload": single(today, lodger)})
        # the overview (no change): a toeslagpartner who moved in or out in the year's own timeline
        for tag, first, then in (("in", couple(0, False), couple(0)), ("out", couple(0), couple(0, False))):
            cases.append({"id": "warn-overview-partner-%s-%s" % (tag, today), "kind": "preview", "expect_ok": True,
                          "payload": {"today": today, "timeline": [{"from": "2026-01-01", "situation": first},
                                                                   {"from": "2026-07-01", "situation": then}]}})
    return cases


def law_points():
    """Issue 12 over 2025-2027: the law points and the new parameter years, fixed inputs."""
    out = []

    def add(id_, sit, ok=True):
        out.append({"id": id_, "kind": "calculate", "payload": sit, "expect_ok": ok})

    for birth in ("2008-07-01", "2008-07-02", "2008-01-01", "2007-12-01"):
        add("lp-zt-18-" + birth, situation(2026, person(0, birth)))
    for birth in ("2003-06-15", "2002-12-31", "2004-01-01"):
        add("lp-ht-co-resident-" + birth, situation(2026, person(2000000, "1975-03-01"), home={
            "rent": 70000, "co_residents": [{"birth_date": birth, "income": 1000000}]}))
    care = [{"child": 0, "kind": "dagopvang", "hours": 150, "hourly_rate": 1200},
            {"child": 0, "kind": "bso", "hours": 120, "hourly_rate": 900},
            {"child": 0, "kind": "gastouderopvang", "hours": 30, "hourly_rate": 800},
            {"child": 1, "kind": "bso", "hours": 230, "hourly_rate": 900}]
    for i, order in enumerate(((0, 1, 2, 3), (3, 2, 1, 0), (1, 3, 0, 2))):
        add("lp-kot-order-%d" % i, situation(2026, person(3000000), children=[{"age": 3}, {"age": 7}],
                                             childcare=[care[j] for j in order]))
    for child in ({"birth_date": "2014-03-10"}, {"birth_date": "2014-10-02"}, {"age": 12}, {"age": 15},
                  {"birth_date": "2014-03-10", "secondary_school_from": "2026-09-01"},
                  {"birth_date": "2015-05-05", "secondary_school_from": "2025-08-20"}):
        add("lp-kot-school-%s" % "-".join("%s=%s" % kv for kv in sorted(child.items())),
            situation(2026, person(3000000), children=[child],
                      childcare=[{"child": 0, "kind": "bso", "hours": 60, "hourly_rate": 900}]))
    for year, rent in ((2025, 19905), (2025, 19906), (2026, 20252), (2026, 20253)):
        add("lp-ht-basishuur-%d-%d" % (year, rent), situation(year, person(1500000), home={"rent": rent}))
    for income in (0, 2270000, 2750000, 3262500, 4000000):
        for partner in (None, person(500000, "1984-02-01")):
            add("lp-ht-2025-%d-%s" % (income, "couple" if partner else "single"),
                situation(2025, person(income, "1980-01-01"), partner=partner,
                          children=[{"age": 6}] if partner else [],
                          home={"rent": 72000, "service_costs": 6000, "co_residents": []}))
    add("lp-ht-2025-young", situation(2025, person(1200000, "2004-05-01"), home={"rent": 47000}))
    add("lp-ht-2025-above-limit", situation(2025, person(1200000), home={"rent": 90008}))
    for income in (3000000, 6000000, 7000000, 12000000):
        add("lp-kgb-2027-%d" % income, situation(2027, person(income), partner=person(0, "1987-01-20"),
                                                 children=[{"age": 8}, {"birth_date": "2011-02-01"}]))
    add("lp-kot-2027-one", situation(2027, person(8000000), children=[{"age": 2}],
                                     childcare=[{"child": 0, "kind": "dagopvang", "hours": 100, "hourly_rate": 1200}]))
    add("lp-kot-2027-two", situation(2027, person(8000000), children=[{"age": 2}, {"age": 6}],
                                     childcare=[{"child": 0, "kind": "dagopvang", "hours": 100, "hourly_rate": 1200},
                                                {"child": 1, "kind": "bso", "hours": 40, "hourly_rate": 1000}]))
    add("lp-2027-all", situation(2027, person(3200000, "1990-05-01"), children=[{"birth_date": "2024-03-01"}],
                                 home={"rent": 75000, "persons": 2, "co_residents": []},
                                 childcare=[{"child": 0, "kind": "dagopvang", "hours": 120, "hourly_rate": 1150}]))
    add("lp-kot-2025-none", situation(2025, person(3000000), children=[{"age": 2}],
                                      childcare=[{"child": 0, "kind": "dagopvang", "hours": 100, "hourly_rate": 1000}]))
    add("lp-persons-wrong", situation(2026, person(2000000), partner=person(0, "1987-01-20"),
                                      home={"rent": 80000, "persons": 1}), ok=False)
    later = situation(2027, person(4000000), children=[{"age": 4}], home={"rent": 75000})
    out.append({"id": "lp-preview-2027", "kind": "preview", "expect_ok": True, "payload": {
        "today": "2027-03-10",
        "timeline": [{"from": "2027-01-01", "situation": situation(2027, person(3200000), children=[{"age": 4}],
                                                                   home={"rent": 75000})}],
        "paid": {"zorgtoeslag": [12000] * 3 + [None] * 9},
        "change": {"date": "2027-04-01", "situation": later}}})
    return out


# -- the change model (shared_rules.changes, bridge kind "change") ---------------------------------

def _facts(rng, year):
    """A household's facts as GET /api/household gives them (`facts`): persons, homes, contracts,
    terms, estimates, with boundaries all through the year."""
    def day(m=None):
        m = m or rng.randint(1, 12)
        return f"{year}-{m:02d}-{rng.choice([1, 1, 2, 14, 28]):02d}"
    persons = [{"id": "prs_a", "role": "applicant", "birth_date": f"{rng.randint(1960, 2002)}-05-01",
                "insured": True, "works": rng.random() < 0.8, "treaty_country": None,
                "co_resident_is_child": False, "member_from": "2000-01-01", "member_until": None}]
    estimates = [{"person_id": "prs_a", "year": year - 1, "income": rng.randint(0, 6_000_000), "assets": 0},
                 {"person_id": "prs_a", "year": year, "income": rng.randint(0, 6_000_000),
                  "assets": rng.choice([0, 0, 5_000_000, 12_000_000])}]
    if rng.random() < 0.5:
        persons.append({"id": "prs_p", "role": "partner", "birth_date": "1985-02-03", "insured": True,
                        "works": True, "treaty_country": None, "co_resident_is_child": False,
                        "member_from": rng.choice(["2010-01-01", day()]),
                        "member_until": rng.choice([None, None, day()])})
        estimates.append({"person_id": "prs_p", "year": year, "income": rng.randint(0, 4_000_000), "assets": 0})
    kids = []
    for i in range(rng.randint(0, 3)):
        kid = {"id": f"prs_k{i}", "role": "child", "birth_date": rng.choice([f"{year - rng.randint(0, 17)}-03-15",
                                                                               "2020-06-01"]),
               "insured": True, "works": True, "treaty_country": None, "co_resident_is_child": False,
               "member_from": "2015-01-01", "member_until": rng.choice([None, None, day()])}
        kids.append(kid)
        persons.append(kid)
    if rng.random() < 0.3:
        persons.append({"id": "prs_c", "role": "co_resident", "birth_date": "2004-01-01", "insured": True,
                        "works": True, "treaty_country": None, "co_resident_is_child": True,
                        "member_from": "2020-01-01", "member_until": None})
        estimates.append({"person_id": "prs_c", "year": year, "income": rng.randint(0, 2_000_000), "assets": 0})
    homes = []
    if rng.random() < 0.8:
        homes.append({"valid_from": "2019-01-01", "renting": True, "rent": rng.randint(30_000, 110_000),
                      "service_costs": rng.choice([0, 3_000])})
        if rng.random() < 0.4:
            homes.append({"valid_from": day(), "renting": rng.random() < 0.8, "rent": rng.randint(30_000, 110_000),
                          "service_costs": 0})
    contracts, terms = [], []
    for i, kid in enumerate(kids):
        if rng.random() < 0.7:
            cid = f"ctr_{i}"
            contracts.append({"id": cid, "child_id": kid["id"], "kind": rng.choice(KINDS),
                              "start_date": rng.choice(["2024-01-01", day()]),
                              "end_date": rng.choice([None, None,
                                                      f"{year}-{rng.randint(1, 12):02d}-{rng.choice([1, 15, 28]):02d}"])})
            terms.append({"contract_id": cid, "valid_from": "2024-01-01", "hours_per_month": rng.randint(20, 200),
                          "hourly_rate": rng.randint(800, 1200)})
            for _ in range(rng.randint(0, 2)):
                terms.append({"contract_id": cid, "valid_from": day(), "hours_per_month": rng.randint(20, 200),
                              "hourly_rate": rng.randint(800, 1200)})
    terms.sort(key=lambda t: (t["contract_id"], t["valid_from"]))
    persons.sort(key=lambda p: (p["member_from"], p["birth_date"], p["id"]))
    homes.sort(key=lambda h: h["valid_from"])
    return {"persons": persons, "homes": homes, "contracts": contracts, "terms": terms, "estimates": estimates}


def _a_change(rng, facts, year):
    day = f"{year}-{rng.randint(1, 12):02d}-{rng.choice([1, 1, 10, 20, 28]):02d}"
    kind = rng.choice(("income", "home", "address", "childcare", "partner", "child"))
    if kind == "income":
        c = {"kind": "income", "date": day, "person": rng.choice(["applicant", "applicant", "partner"]),
             "income": rng.randint(0, 7_000_000)}
        if rng.random() < 0.3:
            c["assets"] = rng.choice([0, 6_000_000, 20_000_000])
        return c
    if kind == "home":
        return {"kind": "home", "date": day, "rent": rng.randint(0, 120_000), "service_costs": rng.choice([0, 4_000])}
    if kind == "address":
        renting = rng.random() < 0.7
        c = {"kind": "address", "date": day, "address": {"street": "Straat", "house_number": "1",
             "postcode": "1234ab", "city": "Ergens"}, "renting": renting}
        if renting or rng.random() < 0.2:
            c["rent"] = rng.randint(30_000, 110_000)
        return c
    if kind == "childcare":
        ids = [c["id"] for c in facts["contracts"]] + ["ctr_nope"]
        c = {"kind": "childcare", "date": day, "contract_id": rng.choice(ids), "ends": rng.random() < 0.25}
        if rng.random() < 0.8:
            c["hours_per_month"] = rng.randint(0, 230)
        if rng.random() < 0.4:
            c["hourly_rate"] = rng.randint(700, 1300)
        return c
    if kind == "partner":
        if rng.random() < 0.5:
            return {"kind": "partner", "date": day, "action": "moves_out"}
        return {"kind": "partner", "date": day, "action": "moves_in", "partner": {
            "given_name": "P", "birth_date": "1990-09-09", "income": rng.randint(0, 5_000_000),
            "assets": 0, "insured": rng.random() < 0.9, "works": rng.random() < 0.8}}
    action = rng.choice(("born", "moves_in", "moves_out"))
    if action == "moves_out":
        ids = [p["id"] for p in facts["persons"] if p["role"] == "child"] + ["prs_nope"]
        return {"kind": "child", "date": day, "action": "moves_out", "child_id": rng.choice(ids)}
    birth = day if action == "born" else rng.choice(["2012-02-29", "2019-07-01", "2000-01-01"])
    return {"kind": "child", "date": day, "action": action, "child": {"given_name": "K", "birth_date": birth}}


def change_cases(n=160, seed=13):
    """Every kind of change (and refusals: no partner, no such contract or child, 18 or older) on
    generated facts, through the bridge's "change" kind, with paid months and a cautious choice."""
    rng = random.Random(seed)
    year = 2026
    out = []
    for i in range(n):
        facts = _facts(rng, year)
        payload = {"today": f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "household": facts,
                   "change": _a_change(rng, facts, year)}
        if rng.random() < 0.3:
            payload["cautious"] = {"zorgtoeslag": {"percentage": 10, "from_month": rng.randint(1, 12)}}
        out.append({"id": f"change-{i}", "kind": "change", "payload": payload, "expect_ok": None})
    out.append({"id": "change-none", "kind": "change", "payload": {"today": "2026-06-01",
                "household": _facts(random.Random(1), year)}, "expect_ok": True})
    out.append({"id": "change-bad-facts", "kind": "change", "payload": {"today": "2026-06-01",
                "household": {"persons": []}}, "expect_ok": False})
    return out


def year_change_cases(n=60, seed=29):
    """Changes previewed for another open year than today's (issue #15, the phone offline): next
    year's in December (a change dated in December or in that year; nothing paid; 2027 provisional or
    no parameters per toeslag; 2028 without any parameter file), and a past year with every month paid
    and sometimes the final incomes of that year (`finals`), which stay the figure of the year."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year = rng.choice((2025, 2026, 2027, 2028))
        facts = _facts(rng, year)
        if year >= 2027 and rng.random() < 0.5:   # next year's, seen in December
            today = "%d-12-%02d" % (year - 1, rng.randint(1, 31))
            change = _a_change(rng, facts, year)
            if rng.random() < 0.4:
                change["date"] = today
            payload = {"today": today, "year": year, "household": facts, "change": change}
        else:                                      # a past year, seen in the spring after it
            payload = {"today": "%d-04-15" % (year + 1), "year": year, "household": facts,
                       "change": _a_change(rng, facts, year),
                       "paid": {t: [rng.choice((0, 2_500, 11_000))] * 12 for t in TOESLAGEN}}
            if rng.random() < 0.6:
                payload["finals"] = {"prs_a": rng.randint(0, 6_000_000)}
        out.append({"id": "year-change-%d" % i, "kind": "change", "payload": payload, "expect_ok": None})
    out.append({"id": "year-change-bad-year", "kind": "change", "expect_ok": False, "payload": {
        "today": "2026-12-07", "year": "2027", "household": _facts(random.Random(2), 2027)}})
    out.append({"id": "year-change-bad-finals", "kind": "change", "expect_ok": False, "payload": {
        "today": "2026-04-15", "year": 2025, "household": _facts(random.Random(3), 2025), "finals": {"prs_a": -1}}})
    return out


def carried_cases(n=30, seed=31):
    """A change that still holds in a later open year (issue #15): a change to this year in December
    with next year's `later` input (2027 provisional or without parameters per toeslag, 2028 without
    any parameter file), and a past-year change with this year's paid months and next year's;
    `carried_forward` must be the same in both runtimes."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        year = rng.choice((2025, 2026, 2027))
        facts = _facts(rng, year)
        change = _a_change(rng, facts, year)
        if rng.random() < 0.6:                    # this year, in December: next year's voorschot is there
            today = "%d-12-%02d" % (year, rng.randint(1, 28))
            payload = {"today": today, "household": facts, "change": change,
                       "paid": {t: [rng.choice((0, 2_500, 11_000))] * 12 for t in TOESLAGEN},
                       "later": [{"year": year + 1, "paid": {t: [None] * 12 for t in TOESLAGEN}}]}
        else:                                      # a past year, this year half paid, next year open
            today = "%d-12-%02d" % (year + 1, rng.randint(1, 28))
            half = [rng.choice((0, 9_000))] * 11 + [None]
            payload = {"today": today, "year": year, "household": facts, "change": change,
                       "paid": {t: [rng.choice((0, 2_500, 11_000))] * 12 for t in TOESLAGEN},
                       "later": [{"year": year + 1, "paid": {t: list(half) for t in TOESLAGEN}},
                                 {"year": year + 2, "paid": {t: [None] * 12 for t in TOESLAGEN}}]}
        out.append({"id": "carried-%d" % i, "kind": "change", "payload": payload, "expect_ok": None})
    out.append({"id": "carried-bad-later", "kind": "change", "expect_ok": False, "payload": {
        "today": "2026-12-07", "household": _facts(random.Random(4), 2026), "later": [{"year": 2026}]}})
    return out


def year_cycle_cases():
    """The previews the year cycle (issue #15) makes, for every year 2025-2027: next year's voorschot
    in December (nothing paid, a change dated in December counting from 1 January), this year, and a
    past year with every month paid (its expected settlement). A year without a parameter file must be
    refused the same way by both runtimes."""
    out = []

    def tenant(y, inc):
        return situation(y, person(inc, "1996-04-12"),
                         children=[{"birth_date": "%d-01-15" % (y - 18)}, {"birth_date": "%d-01-01" % (y - 6)}],
                         home={"rent": 68500, "service_costs": 0, "persons": 3, "co_residents": []})

    for y in (2025, 2026, 2027):
        sit = tenant(y, 2750000)
        after = tenant(y, 3100000)
        out.append({"id": "year-next-%d" % y, "kind": "preview", "expect_ok": None, "payload": {
            "today": "%d-12-07" % (y - 1), "timeline": [{"from": "%d-01-01" % y, "situation": sit}],
            "change": {"date": "%d-12-07" % (y - 1), "situation": after}}})
        paid = {t: [1000] * 12 for t in TOESLAGEN}
        out.append({"id": "year-past-%d" % y, "kind": "preview", "expect_ok": None, "payload": {
            "today": "%d-04-15" % (y + 1), "timeline": [{"from": "%d-01-01" % y, "situation": sit}], "paid": paid,
            "change": {"date": "%d-07-01" % y, "situation": after}}})
    return out


def all_cases():
    cases = [dict(c) for c in official_examples()]
    cases += warning_previews()
    cases += law_points()
    cases += generated_households()
    cases += generated_previews()
    cases += year_cycle_cases()
    cases += year_change_cases()
    cases += carried_cases()
    cases += change_cases()
    cases.append({"id": "bad-kind", "kind": "simulate", "payload": {}, "expect_ok": False})
    return cases


# Representative households for bench/bench_rules.py
def bench_households():
    single_tenant = situation(2026, person(2400000, "1992-04-12"),
                              home={"rent": 65000, "service_costs": 0, "persons": 1, "co_residents": []})
    single_parent = situation(2026, person(3100000, "1988-11-02"), children=[{"birth_date": "2021-05-20"},
                                                                             {"birth_date": "2017-09-03"}],
                              home=None,
                              childcare=[{"child": 0, "kind": "dagopvang", "hours": 96, "hourly_rate": 1095},
                                         {"child": 1, "kind": "bso", "hours": 54, "hourly_rate": 980}])
    couple = situation(2026, person(3800000, "1986-01-30"), partner=person(1600000, "1987-07-14"),
                       children=[{"birth_date": "2012-03-10"}, {"birth_date": "2016-12-01"}, {"age": 4}],
                       home={"rent": 98000, "service_costs": 0, "persons": 5, "co_residents": []},
                       childcare=[{"child": 2, "kind": "dagopvang", "hours": 70, "hourly_rate": 1150}])
    return [("single tenant", single_tenant), ("single parent, 2 children in childcare", single_parent),
            ("couple, 3 children, renting", couple)]


def bench_preview(sit):
    """A preview for one of the bench households: income up by 6,000 euros from mid-May."""
    after = _copy(sit)
    after["applicant"]["income"] += 600000
    return {"today": "2026-05-10", "timeline": [{"from": "2026-01-01", "situation": sit}],
            "change": {"date": "2026-05-14", "situation": after}}

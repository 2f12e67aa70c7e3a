"""Kinderopvangtoeslag per child (kinderopvangtoeslag.split, issue #14): the month's amount is rounded
once (the sum, down to whole euros, as the agency's worked example does) and divided per contract;
the parts add up to the month exactly, and a child's part does not move when only another child's
hours or price change (except the last child in the law's order, which takes the rounding)."""

import shared_rules
from shared_rules.explain import euro_whole


def kot(situation):
    return shared_rules.calculate(situation)["toeslagen"]["kinderopvangtoeslag"]


# The agency's worked example kot-2026-2 (tests/rules/official/data/worked_examples.csv): joint income
# EUR 120.000; youngest child dagopvang 87 h at 12.45 (counted 11.23), oldest BSO 65 h at 10.10
# (counted 9.98). First child = the youngest (most hours): 977.01 x 60.6 % + 648.70 x 87.9 % = 1162.28,
# month 1162.
WORKED_2 = {"year": 2026, "applicant": {"income": 12000000}, "partner": {"income": 0},
            "children": [{"age": 7}, {"age": 2}],
            "childcare": [{"child": 1, "kind": "dagopvang", "hours": 87, "hourly_rate": 1245},
                          {"child": 0, "kind": "bso", "hours": 65, "hourly_rate": 1010}]}

# Demo household El Amrani (api/demo.py): Fatima alone, EUR 34.000; Noor (child 0) 120 h dagopvang at
# 10.25, Adam (child 1) 64 h BSO at 9.40.
EL_AMRANI = {"year": 2026, "applicant": {"birth_date": "1989-09-03", "income": 3400000}, "partner": None,
             "children": [{"birth_date": "2022-06-15"}, {"birth_date": "2017-02-08"}], "home": None,
             "childcare": [{"child": 0, "kind": "dagopvang", "hours": 120, "hourly_rate": 1025},
                           {"child": 1, "kind": "bso", "hours": 64, "hourly_rate": 940}]}


def with_hours(situation, child, hours, rate=None):
    care = []
    for c in situation["childcare"]:
        c = dict(c)
        if c["child"] == child:
            c["hours"] = hours
            if rate is not None:
                c["hourly_rate"] = rate
        care.append(c)
    return dict(situation, childcare=care)


def test_worked_example_parts_add_up_to_the_agencys_month():
    r = kot(WORKED_2)
    assert r["months"][0] == 116200
    # the childcare list is [youngest's dagopvang, oldest's BSO] once parsed in this order
    parts = r["parts"][0]
    assert sorted(parts) == sorted([59200, 57000])   # 977.01 x 60.6 % = 592.07 -> 592; the rest 570
    assert sum(parts) == 116200
    for m in range(12):
        assert sum(r["parts"][m]) == r["months"][m]


def test_el_amrani_parts_add_up_to_the_total_every_month_and_year():
    r = kot(EL_AMRANI)
    for m in range(12):
        assert sum(r["parts"][m]) == r["months"][m]
    assert sum(sum(p) for p in r["parts"]) == r["per_year"]


def test_el_amrani_noors_part_stays_when_only_adams_hours_or_price_change():
    """What the parent saw: Noor's amount moved from EUR 560 to 561 after a change to Adam only."""
    noor = kot(EL_AMRANI)["parts"][0][0]
    seen = set()
    for hours in range(0, 120):          # Noor keeps the most hours: she stays the first child
        for rate in (800, 940, 955, 1013):
            r = kot(with_hours(EL_AMRANI, 1, hours, rate))
            assert r["parts"][0][0] == noor, (hours, rate)
            assert sum(r["parts"][0]) == r["months"][0]
            seen.add(r["months"][0] - noor)
    assert len(seen) > 50     # Adam's part did move with his own hours


def test_the_first_child_changes_when_the_law_says_so():
    """Adam with more hours than Noor becomes the first child (Besluit kinderopvangtoeslag art. 3):
    then both parts may move, and still add up."""
    before = kot(EL_AMRANI)["parts"][0]
    r = kot(with_hours(EL_AMRANI, 1, 150))
    assert sum(r["parts"][0]) == r["months"][0]
    assert r["parts"][0][1] > before[1]


def test_no_toeslag_no_parts():
    r = kot(dict(EL_AMRANI, applicant={"birth_date": "1989-09-03", "income": 3400000, "works": False}))
    assert r["parts"] == [[0, 0]] * 12
    r = kot(dict(EL_AMRANI, childcare=[]))
    assert r["parts"] == [[]] * 12


def test_the_explanation_says_the_same_parts():
    r = kot(EL_AMRANI)
    text = next(s["text"] for s in r["steps"] if s["text"].startswith("Per kind is dat"))
    a, b = r["parts"][0]
    assert "kind 1 %s, kind 2 %s" % (euro_whole(a), euro_whole(b)) in text


def _generated_situations(n):
    """Situations from the conformance generator (tests/conformance/cases.py), seeded."""
    import importlib.util
    import os
    import random

    here = os.path.join(os.path.dirname(__file__), "..", "..", "conformance", "cases.py")
    spec = importlib.util.spec_from_file_location("conformance_cases_parts", here)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    rng = random.Random(1407)
    out = []
    while len(out) < n:
        s = mod.gen_situation(rng, 2026)
        if s["childcare"]:
            out.append(s)
    return out


def test_parts_add_up_to_every_month_of_generated_households():
    for s in _generated_situations(400):
        try:
            r = kot(s)
        except shared_rules.InputError:
            continue
        for m in range(12):
            assert len(r["parts"][m]) == len(s["childcare"])
            assert min(r["parts"][m]) >= 0 and sum(r["parts"][m]) == r["months"][m], (s, m)
            assert all(p % 100 == 0 for p in r["parts"][m])


def test_the_first_childs_part_stays_while_the_other_child_changes_below_its_hours():
    """Two children, one contract each: the child with more hours is the first child (Besluit KOT art. 3);
    while the other child's hours stay below, the first child's part does not move."""
    checked = 0
    for s in _generated_situations(400):
        care = s["childcare"]
        if len(care) != 2 or care[0]["child"] == care[1]["child"] or max(c["hours"] for c in care) > 230:
            continue
        first = 0 if care[0]["hours"] > care[1]["hours"] else 1 if care[1]["hours"] > care[0]["hours"] else None
        if first is None:
            continue
        try:
            base = kot(s)["parts"]
        except shared_rules.InputError:
            continue
        other = care[1 - first]
        for hours in (0, other["hours"] // 2, care[first]["hours"] - 1):
            changed = dict(s, childcare=[dict(c, hours=hours) if c is other else c for c in care])
            parts = kot(changed)["parts"]
            for m in range(12):
                if base[m][first] and parts[m][first]:     # both months with toeslag (not a minimum edge)
                    assert parts[m][first] == base[m][first], (s, hours, m)
        checked += 1
    assert checked > 10

"""Properties that must hold for every household (hypothesis), derived by us, not official."""

from hypothesis import given, settings
from hypothesis import strategies as st

import shared_rules

NAMES = ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag")

income = st.integers(min_value=0, max_value=25_000_000)
date_2026 = st.builds(lambda y, m, d: "%04d-%02d-%02d" % (y, m, d),
                      st.integers(1950, 2026), st.integers(1, 12), st.integers(1, 28))
child = st.one_of(st.builds(lambda a: {"age": a}, st.integers(0, 20)),
                  st.builds(lambda d: {"birth_date": d}, st.builds(
                      lambda y, m, d: "%04d-%02d-%02d" % (y, m, d),
                      st.integers(2006, 2026), st.integers(1, 12), st.integers(1, 28))))


@st.composite
def situations(draw):
    year = draw(st.sampled_from([2024, 2025, 2026, 2027]))
    s = {"year": year, "applicant": {"income": draw(income), "birth_date": draw(date_2026),
                                     "assets": draw(st.integers(0, 30_000_000))}}
    if draw(st.booleans()):
        s["partner"] = {"income": draw(income), "insured": draw(st.booleans())}
    kids = draw(st.lists(child, max_size=4))
    kids = [k for k in kids if "birth_date" not in k or int(k["birth_date"][:4]) <= year]
    s["children"] = kids
    if draw(st.booleans()):
        s["home"] = {"rent": draw(st.integers(0, 200_000))}
    if kids and draw(st.booleans()):
        s["childcare"] = [{"child": draw(st.integers(0, len(kids) - 1)),
                           "kind": draw(st.sampled_from(["dagopvang", "bso", "gastouderopvang"])),
                           "hours": draw(st.integers(0, 300)),
                           "hourly_rate": draw(st.integers(0, 2000))}]
    return s


@settings(max_examples=300, deadline=None)
@given(situations())
def test_never_negative_and_always_twelve_months(s):
    result = shared_rules.calculate(s)
    year = s["year"]
    assert set(result["toeslagen"]) == set(NAMES)
    for name in NAMES:
        t = result["toeslagen"][name]
        assert len(t["months"]) == 12
        assert all(m >= 0 and m % 100 == 0 for m in t["months"])
        assert t["per_year"] >= 0 and t["per_year"] % 100 == 0
        assert t["entitled"] is (t["per_year"] > 0)
        assert t["entitled"] or t["reasons"]
        assert t["per_year"] == 0 or t["per_year"] >= 2400
        for step in t["steps"]:
            assert {"text", "amount", "law"} <= set(step) <= {"text", "amount", "law", "source"}
            assert step["law"] and step["text"] and step.get("source", "x")
        assert t["provisional"] is (year == 2027 and t["reasons"] != ["no_parameters"])


@settings(max_examples=300, deadline=None)
@given(situations(), st.integers(min_value=1, max_value=5_000_000))
def test_never_more_with_a_higher_income(s, extra):
    low = shared_rules.calculate(s)["toeslagen"]
    s["applicant"]["income"] += extra
    high = shared_rules.calculate(s)["toeslagen"]
    for name in NAMES:
        assert high[name]["per_year"] <= low[name]["per_year"], name
        for m in range(12):
            assert high[name]["months"][m] <= low[name]["months"][m], (name, m)


@settings(max_examples=200, deadline=None)
@given(situations())
def test_nil_above_the_asset_limit(s):
    s["applicant"]["assets"] = 18_463_400 + 1     # above every 2026 limit, with partner too
    toeslagen = shared_rules.calculate(s)["toeslagen"]
    for name in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget"):
        t = toeslagen[name]
        assert t["per_year"] == 0 and t["months"] == [0] * 12 and t["reasons"]


@settings(max_examples=300, deadline=None)
@given(situations())
def test_skipping_months_without_a_birthday_changes_nothing(s):
    """The engine recomputes only in months where an age can change (Situation.turning_months);
    recomputing every month must give the very same result."""
    from shared_rules.situation import Situation
    fast = shared_rules.calculate(s)
    original = Situation.turning_months
    Situation.turning_months = lambda self: [True] * 12
    try:
        slow = shared_rules.calculate(s)
    finally:
        Situation.turning_months = original
    assert fast == slow

"""The month model: ages on the first day of the month (Awir art. 5), payment days, edge dates."""

import pytest

import shared_rules
from shared_rules.months import effective_month, payment_date


def kgb_months(children, year=2026, income=0, partner=True):
    s = {"year": year, "applicant": {"income": income}, "children": children}
    if partner:
        s["partner"] = {"income": 0}
    return shared_rules.calculate(s)["toeslagen"]["kindgebonden_budget"]["months"]


def test_age_supplement_starts_the_month_after_the_birthday():
    # 2026: 2 x 2580 = 5160 a year -> 430 a month; child turns 12 on 14 March: +724 from April
    months = kgb_months([{"birth_date": "2014-03-14"}, {"age": 5}])
    assert months[:3] == [43000] * 3
    assert months[3:] == [(516000 + 72400) // 1200 * 100] * 9


def test_kgb_supplement_starts_the_month_after_the_birthday_month_even_on_the_1st():
    # Wkb art. 2 lid 3: "met ingang van de kalendermaand na de maand waarin dat kind de leeftijd
    # van 12 jaar heeft bereikt" -- stricter than Awir art. 5's first-of-the-month rule
    months = kgb_months([{"birth_date": "2014-03-01"}, {"age": 5}])
    assert months[:3] == [43000] * 3
    assert months[3] == (516000 + 72400) // 1200 * 100


def test_kgb_counts_up_to_and_including_the_month_of_turning_18():
    # Wkb art. 2 lid 1: "tot en met de kalendermaand waarin het kind de leeftijd van 18 jaar bereikt"
    months = kgb_months([{"birth_date": "2008-07-01"}, {"age": 5}])
    with_two = (2 * 258000 + 96400) // 1200 * 100
    assert months[:7] == [with_two] * 7
    assert months[7:] == [258000 // 1200 * 100] * 5


def test_zorgtoeslag_turning_18_on_the_first_counts_from_the_next_month():
    """Wzt art. 1 lid 1 onder c: a verzekerde of 18 counts from the first day of the month AFTER the
    month of the 18th birthday, also for a birthday on the 1st (Awir art. 5 alone would count July)."""
    s = {"year": 2026, "applicant": {"income": 0, "birth_date": "2008-07-01"}}
    t = shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]
    assert t["months"][:7] == [0] * 7 and t["months"][7] > 0
    s["applicant"]["birth_date"] = "2008-07-02"
    assert shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]["months"] == t["months"]
    s["applicant"]["birth_date"] = "2008-06-30"
    months = shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]["months"]
    assert months[:6] == [0] * 6 and months[6] > 0
    # 18 on 1 January: January is the birthday month, so February is the first month
    s["applicant"]["birth_date"] = "2008-01-01"
    months = shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]["months"]
    assert months[0] == 0 and months[1] > 0
    # born 29 February 2008: in 2026 (a common year) 18 on 1 March, so April is the first month
    s["applicant"]["birth_date"] = "2008-02-29"
    months = shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]["months"]
    assert months[:3] == [0] * 3 and months[3] > 0


def test_child_turning_18_stops_counting_the_month_after():
    months = kgb_months([{"birth_date": "2008-05-15"}, {"age": 5}])
    months = kgb_months([{"birth_date": "2008-06-15"}, {"age": 5}])
    with_two = (2 * 258000 + 96400) // 1200 * 100
    assert months[:6] == [with_two] * 6
    assert months[6:] == [258000 // 1200 * 100] * 6


def test_child_born_in_the_year_counts_from_the_next_month():
    months = kgb_months([{"birth_date": "2026-09-30"}])
    assert months[:9] == [0] * 9
    assert months[9:] == [258000 // 1200 * 100] * 3


def test_leap_day_birthday_in_a_common_year_turns_on_1_march():
    # born 29 February 2008: 18 on 1 March 2026 (no 29 February in 2026): March is the month of
    # turning 18, so it still counts; from April it does not
    months = kgb_months([{"birth_date": "2008-02-29"}, {"age": 5}])
    assert months[2] > months[3]
    assert months[3:] == [258000 // 1200 * 100] * 9


def test_yearly_amount_is_the_sum_of_the_monthly_twelfths():
    s = {"year": 2026, "applicant": {"income": 0}, "partner": {"income": 0},
         "children": [{"birth_date": "2026-09-30"}]}
    t = shared_rules.calculate(s)["toeslagen"]["kindgebonden_budget"]
    assert t["per_year"] == 64500          # 3 months of 2580/12 = 645.00


def test_zorgtoeslag_from_the_month_after_turning_18():
    s = {"year": 2026, "applicant": {"income": 0, "birth_date": "2008-07-10"}}
    t = shared_rules.calculate(s)["toeslagen"]["zorgtoeslag"]
    assert t["months"][:7] == [0] * 7
    assert t["months"][7:] == [12900] * 5
    assert t["per_year"] == 64600          # 5/12 of 1,550.45 = 646.02 -> 646


def test_under_18_all_year_is_not_entitled():
    s = {"year": 2026, "applicant": {"income": 0, "age": 17}, "home": {"rent": 50000}}
    t = shared_rules.calculate(s)["toeslagen"]
    assert t["zorgtoeslag"]["reasons"] == ["under_18"]
    assert t["huurtoeslag"]["reasons"] == ["under_18"]


@pytest.mark.parametrize("date,month", [
    ("2026-03-01", 3), ("2026-03-02", 4), ("2026-12-01", 12), ("2026-12-02", 13),
    ("2025-07-09", 1), ("2027-01-01", 13)])
def test_effective_month_awir_art_5(date, month):
    y, m, d = (int(x) for x in date.split("-"))
    assert effective_month((y, m, d), 2026) == month


@pytest.mark.parametrize("year,month,expected", [
    (2026, 2, "2026-01-20"),       # Tuesday
    (2026, 7, "2026-06-22"),       # 20 June 2026 is a Saturday
    (2026, 10, "2026-09-21"),      # 20 September 2026 is a Sunday
    (2026, 1, "2025-12-22"),       # January is paid in December; 20 Dec 2025 is a Saturday
    (2025, 5, "2025-04-22"),       # 20 April 2025 Easter Sunday, 21 April Easter Monday
    (2029, 4, "2029-03-20"),
    (2030, 6, "2030-05-20"),       # Whit Monday 2030 is 10 June: 20 May is a normal Monday
    (2027, 6, "2027-05-20"),       # Thursday 20 May 2027
    (2028, 6, "2028-05-22"),       # 20 May 2028 is a Saturday
])
def test_payment_date_is_the_20th_or_the_next_working_day(year, month, expected):
    assert payment_date(year, month) == expected


def test_ascension_day_on_the_20th_moves_the_payment():
    # Ascension 2032 is Thursday 6 May; 2021: 13 May. Use a year where it falls on 20 May: 2004.
    assert payment_date(2004, 6) == "2004-05-21"


def test_a_year_that_can_never_give_a_toeslag_is_the_same_nil_year_without_its_months(monkeypatch):
    """toeslag_year without steps skips the months when every situation of the year can never give the
    toeslag (module.nothing: no children, no childcare, no rent). Over 1,500 generated households and
    their preview timelines, the answer is the one working out every month gives."""
    import random

    from shared_rules import voorschot
    from shared_rules.situation import parse
    from tests.conformance.cases import gen_preview, gen_situation

    rng = random.Random(2026)
    years = []
    for _ in range(1000):
        try:
            s = parse(gen_situation(rng))
        except shared_rules.InputError:
            continue
        years.append((s.year, [s] * 12))
    for _ in range(500):
        inp = gen_preview(rng)
        try:
            year, months = voorschot._timeline(inp)
        except shared_rules.InputError:
            continue
        years.append((year, months))
    skipped = 0
    for year, months in years:
        for module in voorschot.TOESLAGEN:
            fast = _year_or_error(voorschot, module, months, year)
            with monkeypatch.context() as mp:
                mp.setattr(module, "nothing", lambda s: None)
                full = _year_or_error(voorschot, module, months, year)
            assert fast == full, (module.NAME, year)
            skipped += all(module.nothing(s) for s in months)
    assert len(years) > 1200 and skipped > 1000


def _year_or_error(voorschot, module, months, year):
    try:
        return voorschot.toeslag_year(module, months, year, 0, False)
    except shared_rules.InputError as e:   # e.g. a treaty country without a woonlandfactor that year
        return ("error", e.field)

"""Income projection on hand-made wage series (issue: income drift)."""

import pytest

from shared_rules import InputError
from shared_rules.projection import project_income

W = 300000  # EUR 3,000 a month


def series(values, holiday=None, one_off=None):
    months = [None] * 12
    for i, v in enumerate(values):
        months[i] = {"regular": v}
    for i, v in (holiday or {}).items():
        months[i]["holiday_allowance"] = v
    for i, v in (one_off or {}).items():
        months[i]["one_off"] = v
    return months


def test_steady_wage_with_holiday_allowance_still_to_come():
    p = project_income(series([W] * 3))
    assert p["reported_months"] == 3
    assert p["monthly_rate"] == W
    assert p["holiday_allowance_expected"] == 12 * W * 8 // 100
    assert p["projected"] == 12 * W + 12 * W * 8 // 100
    assert p["low"] == 12 * W                    # low: no holiday allowance expected
    assert p["high"] == p["projected"]


def test_steady_wage_after_holiday_allowance_was_paid():
    p = project_income(series([W] * 7, holiday={4: 288000}))
    assert p["holiday_allowance_expected"] == 0
    assert p["projected"] == 12 * W + 288000
    assert p["low"] == p["projected"] == p["high"]


def test_raise_in_march_is_carried_forward_once_stable():
    raised = 330000
    early = project_income(series([W, W, raised]))
    assert early["monthly_rate"] == (W + W + raised) // 3     # not yet a stable level
    assert early["low"] < early["projected"] < early["high"]
    later = project_income(series([W, W, raised, raised]))
    assert later["monthly_rate"] == raised
    assert later["projected"] == 2 * W + 10 * raised + (2 * W + 10 * raised) * 8 // 100


def test_job_loss_in_june():
    p = project_income(series([W] * 5 + [0, 0], holiday={4: 288000}))
    assert p["monthly_rate"] == 0
    assert p["projected"] == 5 * W + 288000
    assert p["low"] == p["projected"]


def test_irregular_income_gives_a_wide_band():
    p = project_income(series([100000, 450000, 200000, 380000]))
    assert p["monthly_rate"] == (450000 + 200000 + 380000) // 3
    assert p["low"] == 1130000 + 8 * 200000
    assert p["high"] > p["projected"] > p["low"]


def test_one_off_payment_is_not_carried_forward():
    with_bonus = project_income(series([W] * 8, holiday={4: 288000}, one_off={7: 500000}))
    without = project_income(series([W] * 8, holiday={4: 288000}))
    assert with_bonus["projected"] - without["projected"] == 500000


def test_missing_month_before_the_last_report_counts_as_no_wage():
    months = series([W] * 4)
    months[1] = None
    p = project_income(months)
    assert p["year_to_date"] == 3 * W


def test_nothing_reported_gives_no_projection():
    assert project_income([None] * 12) is None


@pytest.mark.parametrize("months,field", [
    ([None] * 11, "months"),
    ([{"regular": -1}] + [None] * 11, "months[0].regular"),
    ([{"bonus": 1}] + [None] * 11, "months[0].bonus"),
    ([{"regular": 1.5}] + [None] * 11, "months[0].regular"),
])
def test_bad_series_names_the_field(months, field):
    with pytest.raises(InputError) as e:
        project_income(months)
    assert e.value.field == field

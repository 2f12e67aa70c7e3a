"""preview(): a change against what was already paid (PREVIEW.md)."""

import pytest

import shared_rules
from shared_rules import InputError

BASE = {"year": 2026, "applicant": {"income": 2500000}, "home": {"rent": 65000}}


def situation(**changes):
    s = {"year": 2026, "applicant": dict(BASE["applicant"]), "home": dict(BASE["home"])}
    for key, value in changes.items():
        if key == "income":
            s["applicant"]["income"] = value
        else:
            s[key] = value
    return s


def preview(**kw):
    data = {"today": "2026-05-10", "timeline": [{"from": "2026-01-01", "situation": situation()}]}
    data.update(kw)
    return shared_rules.preview(data)


def test_no_change_changes_nothing():
    out = preview()
    for t in out["toeslagen"].values():
        assert t["before"]["months"] == t["after"]["months"]
        assert t["past_months"] == 0 and t["repayment"] == 0
        assert t["difference_per_month"] == [0] * 12


def test_months_paid_by_today_follow_the_payment_dates():
    # today 10 May: paid on 22 Dec, 20 Jan, 20 Feb, 20 Mar, 20 Apr -> January..May are paid
    out = preview()
    paid = out["toeslagen"]["zorgtoeslag"]["paid"]
    assert [p is not None for p in paid] == [True] * 5 + [False] * 7


def test_income_rise_repays_the_months_already_paid_and_lowers_the_rest():
    out = preview(change={"date": "2026-05-14", "situation": situation(income=3500000)})
    assert out["effective_month"] == 6
    zt = out["toeslagen"]["zorgtoeslag"]
    before, after = zt["before"], zt["after"]
    # the income is a yearly figure: it lowers every month, also the months already paid
    assert all(a < b for a, b in zip(after["months"], before["months"], strict=True))
    assert zt["past_months"] == 5 * (after["months"][0] - before["months"][0])
    assert zt["repayment"] == -zt["past_months"] > 0
    assert zt["voorschot"][:5] == before["months"][:5]
    assert zt["voorschot"][5:] == after["months"][5:]
    assert zt["new_monthly"] == after["months"][5]
    assert zt["settlement"] == after["per_year"] - sum(after["months"])
    assert zt["settlement_unchanged"] == after["per_year"] - sum(before["months"])
    assert zt["hoge_terugvordering_unchanged"] is (-zt["settlement_unchanged"] >= 50000)


def test_rent_change_counts_from_the_month_after():
    out = preview(change={"date": "2026-05-14", "situation": situation(home={"rent": 75000})})
    ht = out["toeslagen"]["huurtoeslag"]
    assert ht["difference_per_month"][:5] == [0] * 5
    assert all(d > 0 for d in ht["difference_per_month"][5:])
    assert ht["past_months"] == 0


def test_a_change_on_the_first_counts_from_that_month():
    out = preview(change={"date": "2026-06-01", "situation": situation(home={"rent": 75000})})
    assert out["effective_month"] == 6


def test_high_repayment_flag_for_huurtoeslag_at_500():
    out = preview(today="2026-11-25",
                  change={"date": "2026-11-25", "situation": situation(income=3200000)})
    ht = out["toeslagen"]["huurtoeslag"]
    assert ht["repayment"] >= 50000 and ht["hoge_terugvordering"] is True
    assert ht["threshold"] == 50000
    assert out["toeslagen"]["kinderopvangtoeslag"]["threshold"] == 100000


def test_paid_given_explicitly_is_used():
    paid = [10000] * 3 + [None] * 9
    out = preview(paid={"zorgtoeslag": paid})
    zt = out["toeslagen"]["zorgtoeslag"]
    assert zt["paid"] == paid
    assert zt["past_months"] == 3 * (zt["after"]["months"][0] - 10000)


def test_timeline_segments_hold_from_the_month_after():
    timeline = [{"from": "2026-01-01", "situation": situation()},
                {"from": "2026-03-14", "situation": situation(home={"rent": 80000})}]
    out = shared_rules.preview({"today": "2026-02-01", "timeline": timeline})
    months = out["toeslagen"]["huurtoeslag"]["before"]["months"]
    assert months[0] == months[2] < months[3] == months[11]


def test_income_change_late_in_december_still_counts_for_the_year():
    out = shared_rules.preview({
        "today": "2026-12-10",
        "timeline": [{"from": "2026-01-01", "situation": situation()}],
        "change": {"date": "2026-12-10", "situation": situation(income=3500000)}})
    assert out["effective_month"] == 13
    zt = out["toeslagen"]["zorgtoeslag"]
    assert zt["after"]["per_year"] < zt["before"]["per_year"]
    assert zt["repayment"] > 0


@pytest.mark.parametrize("data,field", [
    ({"timeline": [{"from": "2027-01-01", "situation": BASE}]}, "timeline[0].from"),
    ({"today": "2026-13-01"}, "today"),
    ({"timeline": []}, "timeline"),
    ({"timeline": [{"from": "2025-01-01", "situation": dict(BASE, year=2025)},
                   {"from": "2025-02-01", "situation": BASE}]}, "timeline[1].situation.year"),
    ({"change": {"date": "2027-01-05", "situation": BASE}}, "change.date"),
    ({"change": {"date": "2026-04-05", "situation": dict(BASE, pets=1)}}, "change.situation.pets"),
    ({"paid": {"zorgtoeslag": [1] * 11}}, "paid.zorgtoeslag"),
    ({"paid": {"bijstand": [1] * 12}}, "paid.bijstand"),
    ({"extra": 1}, "extra"),
    ({"cautious": []}, "cautious"),
    ({"cautious": {"bijstand": {"percentage": 10, "from_month": 6}}}, "cautious.bijstand"),
    ({"cautious": {"zorgtoeslag": {"percentage": 0, "from_month": 6}}}, "cautious.zorgtoeslag.percentage"),
    ({"cautious": {"zorgtoeslag": {"percentage": 51, "from_month": 6}}}, "cautious.zorgtoeslag.percentage"),
    ({"cautious": {"zorgtoeslag": {"percentage": "10", "from_month": 6}}}, "cautious.zorgtoeslag.percentage"),
    ({"cautious": {"zorgtoeslag": {"percentage": 10, "from_month": 13}}}, "cautious.zorgtoeslag.from_month"),
    ({"cautious": {"zorgtoeslag": {"percentage": 10}}}, "cautious.zorgtoeslag.from_month"),
    ({"cautious": {"zorgtoeslag": {"percentage": 10, "from_month": 6, "until": 9}}}, "cautious.zorgtoeslag.until"),
])
def test_bad_preview_input_names_the_field(data, field):
    full = {"today": "2026-05-10", "timeline": [{"from": "2026-01-01", "situation": BASE}]}
    full.update(data)
    with pytest.raises(InputError) as e:
        shared_rules.preview(full)
    assert e.value.field == field


# -- voorzichtig voorschot (cautious) -------------------------------------------------------------

def _lowered(cents, pct):
    """Independent of the code under test: whole euros, rounded down."""
    return cents * (100 - pct) // 100 // 100 * 100


def test_cautious_choice_lowers_the_months_from_its_first_month():
    plain = preview()["toeslagen"]["huurtoeslag"]
    out = preview(cautious={"huurtoeslag": {"percentage": 10, "from_month": 6}})["toeslagen"]["huurtoeslag"]
    months = plain["before"]["months"]
    assert months[0] > 0
    # paid months (January-May, before the choice) keep the entitlement: nothing to settle now
    assert out["past_months"] == 0
    assert out["due"] == months[:5] + [_lowered(m, 10) for m in months[5:]]
    assert out["voorschot"][5:] == out["due"][5:]
    assert out["new_monthly"] == _lowered(months[5], 10)
    # what is held back comes at the definitive settlement
    held_back = sum(months[5:]) - sum(out["due"][5:])
    assert held_back > 0
    assert out["settlement"] == plain["settlement"] + held_back
    assert out["settlement_unchanged"] == plain["settlement_unchanged"] + held_back
    # the other toeslagen are untouched
    assert preview(cautious={"huurtoeslag": {"percentage": 10, "from_month": 6}})["toeslagen"]["zorgtoeslag"] == \
        preview()["toeslagen"]["zorgtoeslag"]


def test_cautious_choice_survives_a_change_and_settles_paid_months_to_the_lowered_amount():
    """Chosen in March (from April); in May the income rises. The new schedule is still lowered, and
    the months paid under the choice are settled to the lowered new entitlement, not to the full one."""
    months = preview()["toeslagen"]["huurtoeslag"]["before"]["months"]
    paid = months[:3] + [_lowered(m, 20) for m in months[3:5]] + [None] * 7
    change = {"date": "2026-05-14", "situation": situation(income=2800000)}
    out = preview(paid={"huurtoeslag": paid}, change=change,
                  cautious={"huurtoeslag": {"percentage": 20, "from_month": 4}})["toeslagen"]["huurtoeslag"]
    after = out["after"]["months"]
    assert after[0] < months[0]
    due = after[:3] + [_lowered(m, 20) for m in after[3:]]
    assert out["due"] == due
    assert out["voorschot"] == paid[:5] + due[5:]
    assert out["past_months"] == sum(due[m] - paid[m] for m in range(5))
    assert out["new_monthly"] == _lowered(after[5], 20)
    # without the choice the same change pays the full new entitlement from June
    plain = preview(paid={"huurtoeslag": paid}, change=change)["toeslagen"]["huurtoeslag"]
    assert plain["new_monthly"] == after[5] > out["new_monthly"]


def test_cautious_choice_sets_the_default_paid_months():
    out = preview(today="2026-09-01", cautious={"huurtoeslag": {"percentage": 10, "from_month": 4}})
    ht = out["toeslagen"]["huurtoeslag"]
    months = ht["before"]["months"]
    assert ht["paid"][:9] == months[:3] + [_lowered(m, 10) for m in months[3:9]]
    assert ht["past_months"] == 0

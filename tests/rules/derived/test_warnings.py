"""Warnings where the risk is (issue 14): vermogen above or near a limit, and a toeslagpartner who
moves in or out. The limits are the published 2026 figures (Awir art. 7 lid 3: huurtoeslag
€ 38.479 per person, € 76.958 with a toeslagpartner; Wzt art. 3 / Wkb: € 146.011 and € 184.633),
typed here from the Belastingdienst's 2026 table, not read from our own params."""

import shared_rules

KIDS = [{"age": 5}, {"age": 8}, {"age": 12}]


def couple(assets, with_partner=True, partner_income=1500000):
    return {"year": 2026, "applicant": {"birth_date": "1985-01-01", "income": 3000000, "assets": assets},
            "partner": {"birth_date": "1986-01-01", "income": partner_income, "assets": 0} if with_partner else None,
            "children": KIDS, "home": {"rent": 75000, "service_costs": 0}}


def preview(sit, today="2026-12-07", change=None):
    data = {"today": today, "timeline": [{"from": "2026-01-01", "situation": sit}]}
    if change is not None:
        data["change"] = change
    return shared_rules.preview(data)


def codes(out, toeslag=None):
    return [w["code"] for w in out["warnings"] if toeslag is None or w["toeslag"] == toeslag]


def test_jansen_with_75000_vermogen_hears_that_huurtoeslag_is_near_its_limit():
    out = preview(couple(7500000))
    [w] = [w for w in out["warnings"] if w["toeslag"] == "huurtoeslag"]
    assert w["code"] == "assets_near_limit"
    assert w["limit"] == 7695800 and w["assets"] == 7500000
    assert w["amount"] == out["toeslagen"]["huurtoeslag"]["after"]["per_year"] > 0
    assert "€ 75.000" in w["text"] and "€ 76.958" in w["text"] and w["law"] == "Awir art. 7 lid 3"
    # far below the zorgtoeslag and kindgebonden budget limits: no warning there
    assert codes(out, "zorgtoeslag") == [] and codes(out, "kindgebonden_budget") == []


def test_jansen_with_90000_vermogen_is_told_why_huurtoeslag_is_paid_back():
    out = preview(couple(9000000))
    [w] = [w for w in out["warnings"] if w["toeslag"] == "huurtoeslag"]
    assert w["code"] == "assets_above_limit" and w["level"] == "warning"
    assert out["toeslagen"]["huurtoeslag"]["after"]["per_year"] == 0
    # the amount at stake is what huurtoeslag would be without the limit: the same as at € 75.000
    assert w["amount"] == preview(couple(7500000))["toeslagen"]["huurtoeslag"]["after"]["per_year"]
    assert w["text"].startswith("Met € 90.000 vermogen op 1 januari heb je het hele jaar geen recht op huurtoeslag")
    assert "€ 76.958" in w["text"]


def test_exactly_at_the_limit_is_still_entitled_and_one_euro_more_is_not():
    at = preview(couple(7695800))
    assert codes(at, "huurtoeslag") == ["assets_near_limit"]
    over = preview(couple(7695900))
    assert codes(over, "huurtoeslag") == ["assets_above_limit"]


def test_low_vermogen_gives_no_warning():
    assert preview(couple(1000000))["warnings"] == []


def test_a_lodger_with_vermogen_above_the_per_person_limit_is_named():
    sit = couple(0)
    sit["home"]["co_residents"] = [{"birth_date": "1990-01-01", "income": 100000, "assets": 3848000,
                                    "child": False}]
    [w] = preview(sit)["warnings"]
    assert w["code"] == "assets_above_limit" and "€ 38.479" in w["text"]


def test_a_partner_moving_in_is_warned_about_income_assets_and_the_same_application():
    out = preview(couple(0, False), "2026-06-15", {"date": "2026-07-01", "situation": couple(0)})
    got = codes(out)
    assert got[:2] == ["partner_moves_in", "partner_same_application"]
    assert "dezelfde aanvraag" in out["warnings"][1]["text"]
    effects = {w["toeslag"]: w for w in out["warnings"] if w["code"] == "partner_effect"}
    # the partner's € 15.000 lowers every income-tested toeslag from July
    for t in ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget"):
        r = out["toeslagen"][t]
        assert effects[t]["amount"] == r["after"]["months"][6] - r["before"]["months"][6] < 0
        assert "vanaf juli 2026" in effects[t]["text"]


def test_a_partner_with_a_high_income_ends_a_toeslag_and_says_why():
    out = preview(couple(0, False), "2026-06-15",
                  {"date": "2026-07-01", "situation": couple(0, partner_income=9000000)})
    texts = [w["text"] for w in out["warnings"] if w["code"] == "partner_effect"]
    assert any("geen recht meer: het inkomen is dan te hoog" in t for t in texts)


def test_a_partner_moving_out_is_warned():
    out = preview(couple(0), "2026-06-15", {"date": "2026-07-10", "situation": couple(0, False)})
    assert codes(out)[0] == "partner_moves_out"
    assert "vanaf augustus 2026" in out["warnings"][0]["text"].lower()


def year_with_partner_from(month_iso, before, after, today="2026-12-07"):
    """The year as it stands (no change): `before` from January, `after` from `month_iso` on."""
    return shared_rules.preview({"today": today, "timeline": [{"from": "2026-01-01", "situation": before},
                                                              {"from": month_iso, "situation": after}]})


def test_the_overview_tells_a_partner_who_moved_in_as_the_preview_told_it():
    """Issue 14: the partner warning on the overview too. The year with the toeslagpartner from July
    (no change: the overview) warns with the same codes and amounts as the preview of that change, the
    amount without it said as "was" (the change is in the year already) instead of "nu"."""
    told = preview(couple(0, False), "2026-06-15", {"date": "2026-07-01", "situation": couple(0)})["warnings"]
    now = year_with_partner_from("2026-07-01", couple(0, False), couple(0))["warnings"]
    partner_told = [w for w in told if w["code"].startswith("partner_")]
    partner_now = [w for w in now if w["code"].startswith("partner_")]
    assert [w["code"] for w in partner_now][:2] == ["partner_moves_in", "partner_same_application"]
    assert [(w["code"], w["toeslag"], w["amount"]) for w in partner_now] == \
        [(w["code"], w["toeslag"], w["amount"]) for w in partner_told]
    assert [w["text"].replace("(was ", "(nu ") for w in partner_now] == [w["text"] for w in partner_told]
    assert any("(was " in w["text"] for w in partner_now if w["code"] == "partner_effect")


def test_the_overview_tells_a_partner_who_moved_out():
    now = year_with_partner_from("2026-08-01", couple(0), couple(0, False))["warnings"]
    assert now[0]["code"] == "partner_moves_out"
    assert "vanaf augustus 2026" in now[0]["text"].lower()


def test_a_year_without_a_partner_change_has_no_partner_warning():
    assert codes(year_with_partner_from("2026-07-01", couple(0), couple(0))) == []
    assert codes(year_with_partner_from("2026-07-01", couple(0, False), couple(0, False))) == []

"""Household reads: the overview equals shared_rules, history, messages, and the household data."""

from __future__ import annotations

import datetime as dt

import pytest

import shared_rules
from api.household import situation
from api.store import households as households_store

from .conftest import enrol, household_id, is_problem

DEMO = ["single_tenant", "single_parent", "couple_three_children"]


@pytest.mark.parametrize("demo_key", DEMO)
def test_overview_equals_shared_rules(client, app, demo_key):
    enrol(client, app, demo_key)
    r = client.get("/api/overview")
    assert r.status_code == 200, r.text
    ov = r.json()
    assert ov["year"] == 2026 and ov["month"] == 11 and ov["today"] == "2026-11-29"
    # the demo households have one situation all year: calculate() on it is the oracle
    state = households_store.load(app.state.store.db(), household_id(app, demo_key))
    assert len(situation.timeline(state, 2026)) == 1
    sit = situation.situation_on(state, dt.date(2026, 11, 1), 2026, month=11)
    expected = shared_rules.calculate(sit)
    assert ov["rules_version"] == expected["rules_version"]
    assert [t["toeslag"] for t in ov["toeslagen"]] == list(situation.TOESLAGEN)
    total = 0
    for item in ov["toeslagen"]:
        exp = expected["toeslagen"][item["toeslag"]]
        assert item["per_year"] == exp["per_year"]
        assert item["months"] == exp["months"]
        assert item["entitlement_this_month"] == exp["per_month"] == exp["months"][10]
        assert item["entitled"] == (exp["entitled"] and exp["per_year"] > 0)
        assert [s["text"] for s in item["steps"]] == [s["text"] for s in exp["steps"]]
        if item["applied"]:
            # the voorschot was decided on the same rules: paid months and this month match the entitlement
            assert item["amount_this_month"] == exp["months"][10]
            assert item["voorschot"] == exp["months"]
            assert item["paid"] == exp["months"]  # every 2026 voorschot is paid by 29 November
            assert item["year_so_far"]["paid"] == sum(exp["months"])
            total += item["amount_this_month"]
            assert item["status"] in ("applied", "not_entitled")
        else:
            assert item["amount_this_month"] == 0
            assert item["status"] in ("not_applied", "not_entitled")
        assert item["next_payment"]["month"] == "2027-01"  # December's voorschot was paid on 20 November
        assert item["next_payment"]["date"].startswith("2026-12-2")
    assert ov["total_this_month"] == total


def test_overview_next_payment_within_the_year(tmp_path, settings):
    from litestar.testing import TestClient

    from .conftest import CSRF, ORIGIN, seeded_app

    june = settings.with_(today=dt.date(2026, 6, 3), db_path=tmp_path / "june.db")
    app2 = seeded_app(june)
    with TestClient(app2, base_url=ORIGIN) as c:
        c.headers.update(CSRF)
        enrol(c, app2, "single_parent")
        ov = c.get("/api/overview").json()
        for item in ov["toeslagen"]:
            assert item["next_payment"]["month"] == "2026-07"
            assert item["next_payment"]["date"] == shared_rules.months.payment_date(2026, 7)
            if item["applied"]:
                assert item["next_payment"]["amount"] == item["voorschot"][6]
                assert item["paid"][6:] == [None] * 6
                assert None not in item["paid"][:6]


def test_household_data_has_no_bsn(client, app):
    enrol(client, app, "couple_three_children")
    r = client.get("/api/household")
    assert r.status_code == 200
    body = r.json()
    for bsn in ("100000009", "100000010", "100000022"):
        assert bsn not in r.text
    assert {p["role"] for p in body["persons"]} == {"applicant", "partner", "child"}
    assert all(p["bsn_masked"].startswith("******") for p in body["persons"])
    assert body["rules_input"]["timeline"][0]["from"] == "2026-01-01"
    assert set(body["applications"]) == {"zorgtoeslag", "huurtoeslag", "kindgebonden_budget"}
    # the phone can run the same preview with this input
    out = shared_rules.preview(body["rules_input"])
    assert out["year"] == 2026


def test_household_shows_feed_reports(client, app):
    enrol(client, app, "single_parent")
    reports = client.get("/api/household").json()["reports"]
    hours = [r for r in reports if r["data_type"] == "childcare_hours"]
    assert {r["month"] for r in hours} == {"2026-09", "2026-10"}
    assert any(r["hours"] == 142 for r in hours)


def test_history_and_messages(client, app):
    enrol(client, app, "single_tenant")
    h = client.get("/api/history?year=2026").json()
    assert {d["toeslag"] for d in h["decisions"]} == {"zorgtoeslag", "huurtoeslag"}
    assert all(d["reason"] == "initial" for d in h["decisions"])
    assert len([p for p in h["payments"] if p["kind"] == "voorschot"]) == 24
    assert any(e["kind"] == "feed.income" for e in h["events"])
    msgs = client.get("/api/messages").json()["messages"]
    # this year's two decisions, and last year's two (the demo's De Vries still has 2025 open)
    assert sorted(m["title"] for m in msgs) == ["Huurtoeslag 2025", "Huurtoeslag 2026", "Zorgtoeslag 2025",
                                                "Zorgtoeslag 2026"]
    assert all(m["body"].startswith("Je krijgt") for m in msgs)
    assert {d["toeslag"] for d in client.get("/api/history?year=2025").json()["decisions"]} == {"zorgtoeslag",
                                                                                              "huurtoeslag"}
    assert client.get("/api/history?year=2024").json()["decisions"] == []


@pytest.mark.parametrize("q", ["year=1999", "year=abc", "year=2026.5", "", "year=99999999999999999999"])
def test_history_bad_year(client, app, q):
    enrol(client, app, "single_tenant")
    body = is_problem(client.get(f"/api/history?{q}"), 400)
    assert body["field"] == "year"


def test_household_persons_carry_what_the_phone_builds_a_situation_from(client, app):
    """The phone builds a co-resident or partner from the persons list when the timeline has no home
    yet: it needs the same facts the server's situation builder reads (treaty country, a co-resident
    who is the applicant's child)."""
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    with app.state.store.write() as db:
        db.execute("INSERT INTO persons (id, household_id, role, given_name, birth_date, co_resident_is_child,"
                   " member_from, created_at) VALUES ('prs_co', ?, 'co_resident', 'Mo', '2006-04-02', 1,"
                   " '2026-01-01', '2026-01-01')", (hid,))
        db.execute("UPDATE households SET version = version + 1 WHERE id = ?", (hid,))
    persons = {p["role"]: p for p in client.get("/api/household").json()["persons"]}
    assert persons["co_resident"]["co_resident_is_child"] is True
    assert persons["applicant"]["co_resident_is_child"] is False
    assert persons["applicant"]["treaty_country"] is None

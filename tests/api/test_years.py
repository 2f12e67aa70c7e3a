"""The toeslag year cycle (issue #15): open years at a date, next year's voorschot carried forward
(ages, children's birthdays, contract ends), changes for next year and for a past year, the expected
settlement of a past year, and a past year closed by its definitieve berekening.

Next year is tested at 7 December 2025 (next year = 2026, whose parameters are published and
final): the carry-forward is then checked against published rules, not against "nog niet bekend"."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.testing import TestClient

from api import demo
from api.app import create_app
from api.household import situation
from api.store import households as households_store
from api.store import years as years_store
from api.util import iso

from .conftest import (
    CSRF,
    ORIGIN,
    FakeClock,
    enrol,
    fingerprint,
    household_id,
    is_problem,
    make_settings,
    refused_without_a_trace,
    seed_template,
    stores_nothing,
)

DEC = dt.date(2025, 12, 7)
SPRING = dt.date(2026, 4, 15)


def _app(tmp_path, template, today):
    import shutil
    path = tmp_path / "t.db"
    shutil.copy(template, path)
    clock = FakeClock(dt.datetime(today.year, today.month, today.day, 9, 0, tzinfo=dt.UTC))
    return create_app(make_settings(path, clock).with_(today=today))


@pytest.fixture(scope="module")
def dec_template(tmp_path_factory):
    return seed_template(tmp_path_factory, "dec2025", DEC)


@pytest.fixture(scope="module")
def spring_template(tmp_path_factory):
    # seeded as on 15 December 2025: the 2025 advances are decided; the app then runs on 15 April 2026
    return seed_template(tmp_path_factory, "spring", dt.date(2025, 12, 15))


def _client(app) -> TestClient:
    c = TestClient(app, base_url=ORIGIN)
    c.headers.update(CSRF)
    return c


def _add(app, key, persons, *, applied, contracts=(), year, today, rent=62_000):
    """A household like the demo's, through the demo's own seeding (decisions and payments of `year`)."""
    spec = {"key": key, "label": f"Huishouden {key}", "description": key, "persons": persons,
            "home": {"street": "Teststraat", "house_number": "1", "postcode": "3511 AA", "city": "Utrecht",
                     "rent": rent, "service_costs": 0},
            "contracts": list(contracts), "applied": applied}
    for k, *_ in persons:
        demo.BSN.setdefault(k, "100000083")
    with app.state.store.write() as db:
        demo._household(db, spec, year, today, iso(app.state.settings.now()), {})


def _year(c, year):
    r = c.get(f"/api/years?year={year}")
    assert r.status_code == 200, r.text
    (y,) = r.json()["years"]
    return y, {t["toeslag"]: t for t in y["toeslagen"]}


def test_open_years_follow_the_date(tmp_path, dec_template):
    app = _app(tmp_path, dec_template, DEC)
    with _client(app) as c:
        enrol(c, app, "single_tenant")
        ys = c.get("/api/years").json()
        # (the demo's De Vries also has last year, 2024, open: its definitieve berekening is not made yet)
        assert [(y["year"], y["kind"]) for y in ys["years"]] == [(2026, "next"), (2025, "current"), (2024, "past")]
        nxt = ys["years"][0]
        assert nxt["prompt"] == "Je voorschot voor 2026 staat klaar. Klopt je inkomen voor 2026?"
        for t in nxt["toeslagen"]:
            # 2026 has published parameters: every toeslag has an amount, none is provisional
            assert t["known"] and not t["provisional"] and t["per_year"] is not None
        # the toeslagen the household has now run on into next year
        assert {t["toeslag"] for t in nxt["toeslagen"] if t["applied"]} == {"zorgtoeslag", "huurtoeslag"}
    # on 30 November next year is not there yet (default: from 1 December)
    app2 = _app(tmp_path / "b", dec_template, dt.date(2025, 11, 30)) if (tmp_path / "b").mkdir() is None else None
    with _client(app2) as c:
        enrol(c, app2, "single_tenant")
        assert [y["kind"] for y in c.get("/api/years").json()["years"]] == ["current", "past"]
        r = c.get("/api/years?year=2026")
        assert is_problem(r, 422)["field"] == "year"


def test_a_birthday_on_1_january_counts_in_january_of_next_year(tmp_path, dec_template):
    # Turns 18 on 1 January 2026: zorgtoeslag from the month after the month of turning 18 (Wzt art. 1
    # sub b with Zvw art. 2: verzekerde van 18 jaar of ouder; shared_rules' law point), so from February
    # 2026 — the year boundary does not move it into January; in 2025 there is none (under 18).
    app = _app(tmp_path, dec_template, DEC)
    _add(app, "jan1", [("jan1", "applicant", "Jan", "2008-01-01", 1_200_000, 0)], applied=["zorgtoeslag"],
         year=2025, today=DEC)
    with _client(app) as c:
        enrol(c, app, "jan1")
        _, now = _year(c, 2025)
        assert now["zorgtoeslag"]["per_year"] == 0 and "under_18" in now["zorgtoeslag"]["reasons"]
        _, nxt = _year(c, 2026)
        months = nxt["zorgtoeslag"]["months"]
        assert months[0] == 0 and months[1] > 0 and months[1:] == [months[1]] * 11
        assert nxt["zorgtoeslag"]["per_month"] == months[0]


def test_a_child_turning_18_in_january_counts_for_january_only(tmp_path, dec_template):
    # Wkb art. 2: a child counts up to and including the month it turns 18 (15 January 2026).
    app = _app(tmp_path, dec_template, DEC)
    _add(app, "kid18", [("kid18_p", "applicant", "Eva", "1980-03-03", 2_000_000, 0),
                        ("kid18_c", "child", "Tim", "2008-01-15", 0, 0)],
         applied=["kindgebonden_budget"], year=2025, today=DEC)
    with _client(app) as c:
        enrol(c, app, "kid18")
        _, nxt = _year(c, 2026)
        m = nxt["kindgebonden_budget"]["months"]
        assert m[0] > 0 and m[1:] == [0] * 11


def test_a_contract_ending_31_december_gives_no_childcare_next_year(tmp_path, dec_template):
    app = _app(tmp_path, dec_template, DEC)
    _add(app, "koend", [("koend_p", "applicant", "Ria", "1990-03-03", 3_000_000, 0),
                        ("koend_c", "child", "Bo", "2022-02-02", 0, 0)],
         contracts=[("koend_c", "dagopvang", "Zonnebloem Dagopvang Oost", demo.LRK_DAGOPVANG, 100, 1000)],
         applied=["kinderopvangtoeslag"], year=2025, today=DEC)
    hh = household_id(app, "koend")
    with _client(app) as c:
        enrol(c, app, "koend")
        _, nxt = _year(c, 2026)
        assert all(m > 0 for m in nxt["kinderopvangtoeslag"]["months"])  # the contract runs on
        with app.state.store.write() as db:
            (ctr,) = households_store.contracts(db, hh)
            households_store.end_contract(db, hh, ctr["id"], "2025-12-31")
            households_store.bump_version(db, hh)
        _, nxt = _year(c, 2026)
        assert nxt["kinderopvangtoeslag"]["months"] == [0] * 12
        assert "no_childcare" in nxt["kinderopvangtoeslag"]["reasons"]


def test_a_change_dated_in_december_for_next_year(tmp_path, dec_template):
    app = _app(tmp_path, dec_template, DEC)
    hh = household_id(app, "single_tenant")
    body = {"year": 2026, "change": {"kind": "income", "date": "2025-12-07", "income": 3_100_000}}
    with _client(app) as c:
        enrol(c, app, "single_tenant")
        pv = stores_nothing(c, app, "/api/changes/preview", body)
        assert pv["year"] == 2026 and pv["effective_month"] == 1
        assert all(p is None for p in pv["toeslagen"]["zorgtoeslag"]["paid"])  # nothing of 2026 paid yet
        _, nxt = _year(c, 2026)
        assert pv["toeslagen"]["zorgtoeslag"]["before"]["months"] == nxt["zorgtoeslag"]["months"]
        r = c.post("/api/changes", json=body, headers={"Idempotency-Key": "dec-next-1"})
        assert r.status_code == 201, r.text
        out = r.json()
        assert out["year"] == 2026
        state = households_store.load(app.state.store.db(), hh)
        me = state["persons"][0]["id"]
        assert situation.estimate(state, me, 2026)[0] == 3_100_000
        assert situation.estimate(state, me, 2025)[0] == 2_750_000  # this year's estimate is untouched
        _, nxt2 = _year(c, 2026)
        assert nxt2["zorgtoeslag"]["months"] == pv["toeslagen"]["zorgtoeslag"]["after"]["months"]
        # without `year`, a date in December is for this year (as before)
        r = c.post("/api/changes/preview", json={"change": body["change"]})
        assert r.json()["year"] == 2025


def test_past_year_settlement_change_and_closing(tmp_path, spring_template):
    app = _app(tmp_path, spring_template, SPRING)
    hh = household_id(app, "single_tenant")
    with _client(app) as c:
        enrol(c, app, "single_tenant")
        kinds = [(y["year"], y["kind"]) for y in c.get("/api/years").json()["years"]]
        assert kinds == [(2026, "current"), (2025, "past"), (2024, "past")]
        y, _ = _year(c, 2025)
        st = y["settlement"]
        assert not st["final_income_known"] and not st["decided"]
        rows = {t["toeslag"]: t for t in st["toeslagen"]}
        assert set(rows) == {"zorgtoeslag", "huurtoeslag"}
        for t in rows.values():
            assert t["known"] and t["amount"] == t["per_year"] - t["paid"]
        # a change to 2025 (the income was higher) with that year's rules: a preview, then passed on
        body = {"change": {"kind": "income", "date": "2025-03-01", "income": 3_000_000}}
        pv = c.post("/api/changes/preview", json=body)
        assert pv.status_code == 200, pv.text
        pv = pv.json()
        assert pv["year"] == 2025 and all(p is not None for p in pv["toeslagen"]["zorgtoeslag"]["paid"])
        assert pv["toeslagen"]["zorgtoeslag"]["past_months"] < 0
        r = c.post("/api/changes", json=body, headers={"Idempotency-Key": "past-1"})
        assert r.status_code == 201, r.text
        assert r.json()["year"] == 2025
        # final income from the tax assessment, € 8.000 above the first estimate: a repayment. First the
        # preview (nothing stored), then passed on: the same answer.
        pvf = stores_nothing(c, app, "/api/years/final-income/preview", {"year": 2025, "final_income": 3_550_000})
        assert years_store.final_incomes(app.state.store.db(), hh)[-1]["year"] == 2024  # only the demo's
        r = c.post("/api/years/final-income", json={"year": 2025, "final_income": 3_550_000},
                   headers={"Idempotency-Key": "fin-1"})
        assert r.status_code == 201, r.text
        st2 = r.json()["years"][0]["settlement"]
        assert pvf["years"][0]["settlement"] == st2
        assert st2["final_income_known"] and st2["final_income_source"] == ["parent"]
        z2 = next(t for t in st2["toeslagen"] if t["toeslag"] == "zorgtoeslag")
        assert z2["per_year"] < rows["zorgtoeslag"]["per_year"] and z2["amount"] == z2["per_year"] - z2["paid"]
        assert z2["paid"] < rows["zorgtoeslag"]["paid"]  # the 2025 change already took some back
        assert st2["total"] == sum(t["amount"] for t in st2["toeslagen"]) < 0
        assert st2["text"].startswith("Je betaalt naar verwachting")
        assert any("betalingsregeling" in x for x in st2["can_do"])
        # the agency makes the definitieve berekening: 2025 is closed
        with app.state.store.write() as db:
            app.state.years.decide(db, hh, 2025)
        assert [y["year"] for y in c.get("/api/years").json()["years"]] == [2026, 2024]
        before = fingerprint(app)
        for path in ("/api/changes/preview", "/api/changes"):
            r = c.post(path, json={"change": {"kind": "income", "date": "2025-11-01", "income": 1}},
                       headers={"Idempotency-Key": "closed-1"})
            p = is_problem(r, 422)
            assert p["field"] == "change.date" and "definitieve berekening" in p["detail"]
            r = c.post(path, json={"year": 2025, "change": {"kind": "income", "date": "2026-01-05", "income": 1}},
                       headers={"Idempotency-Key": "closed-2"})
            assert is_problem(r, 422)["field"] == "change.date"
        r = c.post("/api/years/final-income", json={"year": 2025, "final_income": 1}, headers={"Idempotency-Key": "fin-2"})
        assert is_problem(r, 422)["field"] == "year"
        assert fingerprint(app) == before
        assert years_store.closed_years(app.state.store.db(), hh) == {2025}


def test_push_reminders_follow_the_cycle(tmp_path, dec_template, spring_template):
    """December: "je voorschot voor 2026 staat klaar" opens that year; spring: "je definitieve
    berekening 2025 komt eraan" while 2025 is open, and no longer once it is decided."""
    from api.reminders import due as reminders_due

    def due(app, today):
        hid = household_id(app, "single_tenant")
        store = app.state.store
        with store.read() as db:
            rs = reminders_due.due_for(store, db, app.state.settings, today, hid, ["january_check"], [], [], [])
        return {(r.subject, r.occasion): r for r in rs}

    app = _app(tmp_path, dec_template, DEC)
    r = due(app, DEC)[("next_year", "2026")]
    assert r.title == "Je voorschot voor 2026 staat klaar" and r.url == "/#/jaar/2026"
    assert ("next_year", "2026") not in due(app, dt.date(2025, 11, 30))
    (tmp_path / "s").mkdir()
    app = _app(tmp_path / "s", spring_template, SPRING)
    r = due(app, SPRING)[("settlement", "2025")]
    assert r.title == "Je definitieve berekening 2025 komt eraan: klopt je inkomen?" and r.url == "/#/jaar/2025"
    with app.state.store.write() as db:
        app.state.years.decide(db, household_id(app, "single_tenant"), 2025)
    assert ("settlement", "2025") not in due(app, SPRING)


def test_the_year_scan_flags_a_high_settlement_of_an_open_past_year(tmp_path, spring_template):
    """The demo's De Vries: last year's (2024) final income came in well above the estimate."""
    from api.jobs import years as year_scan
    from api.store import prompts as prompts_store

    app = _app(tmp_path, spring_template, SPRING)
    hh = household_id(app, "single_tenant")
    store, settings = app.state.store, app.state.settings

    def risk():
        return [p for p in prompts_store.open_for(store.db(), hh) if p["kind"] == "settlement_risk"]

    assert year_scan.run(store, settings)["open"] >= 1
    (p,) = risk()
    with _client(app) as c:
        enrol(c, app, "single_tenant")
        st = c.get("/api/years?year=2024").json()["years"][0]["settlement"]
    assert st["hoge_terugvordering"] and p["subject"] == "2024" and p["amount"] == -st["total"] > 0
    assert p["action"] == "#/jaar/2024" and "naar verwachting" in p["title"]
    year_scan.run(store, settings)
    assert [x["id"] for x in risk()] == [p["id"]]  # a second run changes nothing
    with store.write() as db:
        app.state.years.decide(db, hh, 2024)
    year_scan.run(store, settings)
    assert risk() == []  # decided: the year is closed, its prompt too


BAD_FINAL = [
    ({"year": 2066, "final_income": 3_000_000}, 422, "year"),          # not over yet
    ({"year": 2025, "final_income": 927_681_594_546}, 400, "final_income"),   # above € 100 million
    ({"year": 2019, "final_income": 3_000_000}, 422, "year"),          # more than five years back
    ({"year": 2025, "final_income": 3_000_000, "person": "partner"}, 422, "person"),
    ({"year": 2025, "final_income": -1}, 400, "final_income"),
    ({"year": "2025", "final_income": 1}, 400, "year"),
    ({"final_income": 1}, 400, "year"),
]


@pytest.mark.parametrize("body,status,field", BAD_FINAL, ids=[str(i) for i in range(len(BAD_FINAL))])
def test_bad_final_income_is_a_problem_and_changes_nothing(client, app, body, status, field):
    enrol(client, app, "single_tenant")
    refused_without_a_trace(client, app, ("/api/years/final-income/preview", "/api/years/final-income"), body, status,
                            field)


def test_next_year_without_parameters_has_no_amount(tmp_path, tmp_path_factory):
    """7 December 2026: 2027 has no zorgtoeslag and huurtoeslag parameters (issue #12: at most
    provisional KGB and KOT). Those show no amount anywhere: not in /api/years, not in the overview of
    2027, not as a 0 in a preview of a change for 2027."""
    today = dt.date(2026, 12, 7)
    app = _app(tmp_path, seed_template(tmp_path_factory, "dec2026", today), today)
    with _client(app) as c:
        enrol(c, app, "single_tenant")
        kinds = [(y["year"], y["kind"]) for y in c.get("/api/years").json()["years"]]
        assert kinds == [(2027, "next"), (2026, "current"), (2025, "past")]
        _, nxt = _year(c, 2027)
        for t in ("zorgtoeslag", "huurtoeslag"):
            assert nxt[t]["applied"] and nxt[t]["known"] is False
            assert nxt[t]["per_year"] is None and nxt[t]["per_month"] is None and nxt[t]["months"] is None
        ov = c.get("/api/overview?year=2027")
        assert ov.status_code == 200, ov.text
        items = {t["toeslag"]: t for t in ov.json()["toeslagen"]}
        assert ov.json()["year"] == 2027
        assert items["zorgtoeslag"]["status"] == items["huurtoeslag"]["status"] == "unknown"
        pv = c.post("/api/changes/preview", json={"year": 2027, "change": {"kind": "income", "date": "2026-12-07",
                                                                           "income": 3_100_000}}).json()
        assert pv["year"] == 2027
        assert pv["toeslagen"]["zorgtoeslag"]["computed"] is False  # the app says "nog niet bekend"
        assert is_problem(c.get("/api/overview?year=2023"), 422)["field"] == "year"
        assert c.get("/api/overview").json()["year"] == 2026


def _phone(c, year: int, change: dict) -> dict:
    """What the phone computes offline for `change` in `year`: shared_rules.bridge.call("change", ...)
    on the facts of GET /api/household and that year's `rules_input` of GET /api/years (the bridge the
    phone's MicroPython runs; tests/conformance checks that MicroPython answers the same)."""
    import json

    from shared_rules import bridge

    hh = c.get("/api/household").json()
    (y,) = c.get(f"/api/years?year={year}").json()["years"]
    ri = y["rules_input"]
    assert ri["year"] == year and ri["today"] == hh["today"]
    data = {"today": ri["today"], "household": hh["facts"], "paid": ri["paid"], "year": year, "change": change}
    for key in ("cautious", "finals"):
        if ri.get(key):
            data[key] = ri[key]
    out = json.loads(bridge.call("change", json.dumps(data)))
    assert out["ok"], out
    return out["result"]


@pytest.mark.parametrize("when,year,change", [
    ("dec", 2026, {"kind": "income", "date": "2025-12-07", "income": 3_100_000}),
    ("dec", 2026, {"kind": "home", "date": "2026-01-01", "rent": 70_000, "service_costs": 0}),
    ("spring", 2025, {"kind": "home", "date": "2025-04-01", "rent": 76_000, "service_costs": 4_500}),
    ("spring", 2025, {"kind": "partner", "date": "2025-03-10", "action": "moves_in", "partner": {
        "given_name": "Jan", "birth_date": "1994-02-01", "income": 1_900_000, "assets": 0}}),
    ("spring", 2024, {"kind": "income", "date": "2024-02-01", "income": 2_000_000}),  # final income known
], ids=["next-income", "next-rent", "past-rent", "past-partner", "past-with-final"])
def test_the_phone_previews_another_year_as_the_server_does(tmp_path, dec_template, spring_template, when, year,
                                                            change):
    """GET /api/years gives per open year what the phone needs to preview a change in that year offline
    (`rules_input`); with it the phone's one call answers what POST /api/changes/preview answers, and
    a past year's final income stays the figure of the year."""
    app = _app(tmp_path, dec_template if when == "dec" else spring_template, DEC if when == "dec" else SPRING)
    with _client(app) as c:
        enrol(c, app, "single_tenant")
        phone = _phone(c, year, change)
        r = c.post("/api/changes/preview", json={"year": year, "change": change})
        assert r.status_code == 200, r.text
        server = r.json()
        assert phone["year"] == server["year"] == year
        for t, pv in server["toeslagen"].items():
            mine = phone["toeslagen"][t]
            for key in ("computed", "provisional", "voorschot", "new_monthly", "past_months", "repayment",
                        "settlement", "settlement_unchanged", "hoge_terugvordering", "paid"):
                assert mine[key] == pv[key], (t, key, mine[key], pv[key])
            assert mine["after"]["months"] == pv["after"]["months"] and mine["before"]["months"] == pv["before"]["months"]
        if change["kind"] == "income" and year == 2024:
            # the final income of 2024 (€ 34.500, the demo's) wins over the new estimate: nothing changes
            assert all(p["after"]["months"] == p["before"]["months"] for p in phone["toeslagen"].values())


@pytest.fixture(scope="module")
def spring_now_template(tmp_path_factory):
    # seeded on 15 April 2026 itself: 2026 decided and being paid, 2025 open with its final income
    return seed_template(tmp_path_factory, "spring-now", SPRING)


def test_a_past_year_change_that_still_holds_recalculates_this_year_too(tmp_path, spring_now_template):
    """The partner who moved in in March 2025 and still lives here: 2025 is decided with the partner, and
    so is 2026's voorschot (an event of its own), in the same transaction; a change of 2025's estimate
    only (2026 has an estimate of its own) leaves 2026 alone."""
    app = _app(tmp_path, spring_now_template, SPRING)
    hh = household_id(app, "single_tenant")
    db = app.state.store.db

    def carried() -> int:
        return db().execute("SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.carried_forward'",
                            (hh,)).fetchone()[0]

    with _client(app) as c:
        enrol(c, app, "single_tenant")
        r = c.post("/api/changes", headers={"Idempotency-Key": "inc-2025"},
                   json={"year": 2025, "change": {"kind": "income", "date": "2025-03-01", "income": 2_900_000}})
        assert r.status_code == 201, r.text
        assert carried() == 0
        _, before = _year(c, 2026)
        n2026 = len(c.get("/api/history?year=2026").json()["decisions"])
        body = {"year": 2025, "change": {"kind": "partner", "date": "2025-03-10", "action": "moves_in", "partner": {
            "given_name": "Jan", "birth_date": "1994-02-01", "income": 1_900_000, "assets": 0}}}
        r = c.post("/api/changes", json=body, headers={"Idempotency-Key": "partner-2025"})
        assert r.status_code == 201, r.text
        assert r.json()["year"] == 2025
        assert carried() == 1
        # the same request again (the outbox retrying) changes nothing
        assert c.post("/api/changes", json=body, headers={"Idempotency-Key": "partner-2025"}).status_code == 201
        assert carried() == 1
        hist = c.get("/api/history?year=2026").json()["decisions"]
        assert len(hist) > n2026
        newest = {}
        for d in hist:  # newest first
            newest.setdefault(d["toeslag"], d)
        _, after = _year(c, 2026)
        for t in ("zorgtoeslag", "huurtoeslag"):
            # 2026 is now worked out with the partner, and its decision says so
            assert after[t]["per_year"] != before[t]["per_year"]
            assert newest[t]["per_year"] == after[t]["per_year"]

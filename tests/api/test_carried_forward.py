"""A December change to this year that still holds next year (issue #15's first leftover): from
December next year's voorschot is there, so a change to this year whose facts hold on (a new income
estimate while next year's estimate is this year's carried forward, a partner moving in on 1 December)
is worked out for next year too, as its own `change.carried_forward` event, exactly as the preview
(the phone's one call, `carried_forward`) showed it. A toeslag without 2027 parameters stays "nog
niet bekend": no amount, no decision. El Amrani on 7 December 2026 (2027: provisional kindgebonden
budget only)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from shared_rules import bridge

from .conftest import enrolled_on, household_id

DECEMBER = dt.date(2026, 12, 7)


@pytest.fixture
def december(request, tmp_path, settings):
    yield from enrolled_on(request, tmp_path, settings, DECEMBER, "single_parent")


def _phone(c, change: dict, year: int | None = None) -> dict:
    """What the phone computes offline: shared_rules.bridge.call("change", ...) on the facts of GET
    /api/household, the change's year's `rules_input` and, as `later`, the `rules_input` of each later
    open year of GET /api/years (tests/conformance checks that MicroPython answers the same)."""
    hh = c.get("/api/household").json()
    years = c.get("/api/years").json()["years"]
    ri = hh["rules_input"] if year is None else next(y["rules_input"] for y in years if y["year"] == year)
    mine = ri.get("year", int(ri["today"][:4]))
    data = {"today": ri["today"], "household": hh["facts"], "paid": ri["paid"], "change": change}
    if year is not None:
        data["year"] = year
    later = []
    for y in sorted(years, key=lambda y: y["year"]):
        if y["year"] > mine and y["kind"] in ("current", "next"):
            x = {"year": y["year"], "paid": y["rules_input"]["paid"]}
            if y["rules_input"].get("cautious"):
                x["cautious"] = y["rules_input"]["cautious"]
            later.append(x)
    if later:
        data["later"] = later
    out = json.loads(bridge.call("change", json.dumps(data)))
    assert out["ok"], out
    return out["result"]


def _carried(app) -> int:
    hh = household_id(app, "single_parent")
    with app.state.store.read() as db:
        return db.execute("SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.carried_forward'",
                          (hh,)).fetchone()[0]


def _next_year(c) -> dict:
    (y,) = c.get("/api/years?year=2027").json()["years"]
    return {t["toeslag"]: t for t in y["toeslagen"]}


KEYS = ("computed", "provisional", "new_monthly", "voorschot", "past_months", "repayment", "settlement", "paid")


def test_a_december_income_change_is_carried_into_next_years_voorschot(december):
    app, c = december
    change = {"kind": "income", "date": "2026-12-07", "income": 3_000_000}
    before = _next_year(c)["kindgebonden_budget"]
    server = c.post("/api/changes/preview", json={"change": change}).json()
    phone = _phone(c, change)
    assert server["year"] == phone["year"] == 2026
    (nxt,) = server["carried_forward"]
    (mine,) = phone["carried_forward"]
    assert nxt["year"] == mine["year"] == 2027
    for t, pv in nxt["toeslagen"].items():
        assert pv["applied"]  # the toeslagen of 2026 run on into 2027
        for key in KEYS:
            assert mine["toeslagen"][t][key] == pv[key], (t, key)
    kgb = nxt["toeslagen"]["kindgebonden_budget"]
    # a lower income: more kindgebonden budget from January 2027, nothing of 2027 paid yet
    assert kgb["computed"] and kgb["provisional"] and kgb["new_monthly"] > before["per_month"]
    assert kgb["paid"] == [None] * 12
    for t in ("zorgtoeslag", "huurtoeslag", "kinderopvangtoeslag"):  # no 2027 parameters: no amount
        assert nxt["toeslagen"][t]["computed"] is False

    body = {"change": change}
    r = c.post("/api/changes", json=body, headers={"Idempotency-Key": "dec-2026-income"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["year"] == 2026
    (carried,) = out["carried_forward"]
    assert carried["year"] == 2027 and "geldt ook in 2027" in carried["summary"]
    assert [t["toeslag"] for t in carried["toeslagen"]] == ["kindgebonden_budget"]
    assert carried["toeslagen"][0]["new_monthly"] == kgb["new_monthly"]  # preview = decision, to the cent
    assert carried["toeslagen"][0]["before_monthly"] is None  # 2027 had no decision before
    assert sorted(carried["unknown"]) == ["huurtoeslag", "kinderopvangtoeslag", "zorgtoeslag"]
    assert _carried(app) == 1
    after = _next_year(c)
    assert after["kindgebonden_budget"]["per_month"] == kgb["new_monthly"]
    assert after["zorgtoeslag"]["known"] is False and after["zorgtoeslag"]["per_month"] is None
    (dec,) = c.get("/api/history?year=2027").json()["decisions"]
    assert dec["toeslag"] == "kindgebonden_budget" and dec["per_year"] == kgb["after"]["per_year"]
    # the outbox sending it again changes nothing
    assert c.post("/api/changes", json=body, headers={"Idempotency-Key": "dec-2026-income"}).json() == out
    assert _carried(app) == 1


def test_next_years_own_estimate_is_not_overwritten_but_a_partner_is_carried(december):
    """2027 has an estimate of its own: a new 2026 estimate leaves 2027 alone (preview and decision).
    A partner moving in on 1 December 2026 still lives here in 2027: carried."""
    app, c = december
    r = c.post("/api/changes", json={"year": 2027, "change": {"kind": "income", "date": "2026-12-07",
                                                              "income": 3_200_000}},
               headers={"Idempotency-Key": "own-2027"})
    assert r.status_code == 201, r.text
    assert r.json()["carried_forward"] == []
    n2027 = len(c.get("/api/history?year=2027").json()["decisions"])
    change = {"kind": "income", "date": "2026-12-07", "income": 2_000_000}
    assert c.post("/api/changes/preview", json={"change": change}).json()["carried_forward"] == []
    assert _phone(c, change)["carried_forward"] == []
    r = c.post("/api/changes", json={"change": change}, headers={"Idempotency-Key": "inc-2026"})
    assert r.status_code == 201 and r.json()["carried_forward"] == []
    assert _carried(app) == 0
    assert len(c.get("/api/history?year=2027").json()["decisions"]) == n2027

    partner = {"kind": "partner", "date": "2026-12-01", "action": "moves_in", "partner": {
        "given_name": "Youssef", "birth_date": "1987-05-05", "income": 2_500_000, "assets": 0}}
    server = c.post("/api/changes/preview", json={"change": partner}).json()
    (nxt,) = server["carried_forward"]
    mine = _phone(c, partner)["carried_forward"][0]
    kgb = nxt["toeslagen"]["kindgebonden_budget"]
    assert mine["toeslagen"]["kindgebonden_budget"]["new_monthly"] == kgb["new_monthly"]
    r = c.post("/api/changes", json={"change": partner}, headers={"Idempotency-Key": "partner-dec"})
    assert r.status_code == 201, r.text
    (carried,) = r.json()["carried_forward"]
    assert carried["toeslagen"][0]["new_monthly"] == kgb["new_monthly"]
    assert _next_year(c)["kindgebonden_budget"]["per_month"] == kgb["new_monthly"]
    assert _carried(app) == 1


# -- the demo on any date has last year to settle (issue #15's third leftover) -----------------------

JANUARY = dt.date(2027, 1, 5)


@pytest.fixture(params=["single_tenant", "single_parent", "couple_three_children"])
def january(request, tmp_path, settings):
    yield from enrolled_on(request, tmp_path, settings, JANUARY, request.param)


def test_every_demo_household_has_last_year_to_settle(january):
    """Started on 5 January 2027, El Amrani's year switcher showed only 2027: the demo seeded 2026 for De
    Vries alone. Every household now has 2026 applied, decided and paid in full, open to settle."""
    from api import demo

    _app, c = january
    key = next(h for h in demo.HOUSEHOLDS if h["label"] == c.get("/api/household").json()["label"])
    ys = c.get("/api/years").json()["years"]
    assert [(y["year"], y["kind"]) for y in ys][:2] == [(2027, "current"), (2026, "past")]
    st = ys[1]["settlement"]
    assert not st["decided"]
    rows = {t["toeslag"]: t for t in st["toeslagen"]}
    assert set(rows) == set(key["applied"])
    decisions = c.get("/api/history?year=2026").json()["decisions"]
    assert {d["toeslag"] for d in decisions} == set(key["applied"])
    for t in rows.values():
        assert t["known"] and t["amount"] == t["per_year"] - t["paid"]
        assert t["paid"] > 0, t  # every month of 2026 was paid
    # only De Vries has the income data's final figure of 2026 already (its hoge terugvordering)
    assert st["final_income_known"] is ("final_income" in key.get("last_year", {}))

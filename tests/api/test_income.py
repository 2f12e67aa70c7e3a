"""Income drift (issue #6): the scan's prompts (drift with the preview's euro amount, assets near a
limit, the January check, possible non-use), dismissal that sticks until the drift grows materially,
adopting the projection closes the prompt, idempotent/sharded/restartable scans, GET /api/income, the
cautious voorschot, cross-household 404s and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from litestar.testing import TestClient

import shared_rules
from api import demo
from api.app import create_app
from api.income import engines
from api.income import evaluate as ev
from api.income.scan import snapshot
from api.jobs import drift
from api.store import households as households_store
from api.store import income as income_store
from api.util import TOESLAGEN
from shared_rules.projection import project_income

from .conftest import CSRF, ORIGIN, FakeClock, enrol, enrolled_on, fingerprint, household_id, is_problem
from .test_feeds import auth, ref, token

# the demo's wages for Sanne (single tenant), January to October; her estimate is € 27.500
SANNE_WAGES = [229_000, 229_000, 231_500, 229_000, 234_000, 236_000, 268_000, 271_000, 274_500, 276_000]


def scan(app, **kw) -> dict:
    return drift.scan_all(app.state.store, app.state.settings, **kw)


def prompts_of(client, kind: str | None = None) -> list[dict]:
    r = client.get("/api/prompts")
    assert r.status_code == 200, r.text
    return [p for p in r.json()["prompts"] if kind is None or p["kind"] == kind]


def all_prompts(app, hid: str, kind: str) -> list[dict]:
    db = app.state.store.db()
    cur = db.execute("SELECT id, status, amount, subject, toeslag FROM prompts WHERE household_id = ? AND kind = ?"
                     " ORDER BY id", (hid, kind))
    return [dict(zip(("id", "status", "amount", "subject", "toeslag"), r, strict=True)) for r in cur.fetchall()]


def expected_drift(client, income: int) -> tuple[int, dict]:
    """The oracle: shared_rules.preview with the income changed to `income`, from the rules input the
    app hands the phone (GET /api/household), summed over the toeslagen the household gets."""
    hh = client.get("/api/household").json()
    inp = hh["rules_input"]
    sit = dict(inp["timeline"][-1]["situation"])
    sit["applicant"] = {**sit["applicant"], "income": income}
    inp["change"] = {"date": hh["today"], "situation": sit}
    pv = shared_rules.preview(inp)["toeslagen"]
    per = {t: pv[t]["settlement_unchanged"] for t in hh["applications"]}
    return sum(per.values()), per


# -- the demo household whose income rose ---------------------------------------------------------

def test_single_tenant_gets_the_drift_prompt_with_the_previews_euro_amount(client, app):
    enrol(client, app, "single_tenant")
    assert prompts_of(client, "income_drift") == []  # the demo seed itself raises nothing; the scan does
    counts = scan(app)
    assert counts["households"] == 3 and counts["raised"] >= 1 and counts["failed"] == 0

    [p] = prompts_of(client, "income_drift")
    months = [{"regular": w} for w in SANNE_WAGES] + [None, None]
    projection = project_income(months)
    total, per = expected_drift(client, projection["projected"])
    assert total == -83_100 and per == {"huurtoeslag": -75_600, "zorgtoeslag": -7_500}
    assert p["amount"] == total
    assert p["toeslag"] is None and p["action"] == "#/wijzigen/inkomen"
    assert p["title"] == "Je inkomen is hoger dan geschat"
    assert "€ 831 terugbetalen" in p["body"] and "huurtoeslag € 756" in p["body"] and "€ 27.500" in p["body"]
    d = p["data"]
    assert d["person"] == "applicant" and d["estimate"] == 2_750_000 and d["reported_through"] == 10
    assert (d["projected"], d["low"], d["high"]) == (projection["projected"], projection["low"], projection["high"])
    assert d["direction"] == "repayment" and d["settlement"] == total
    assert d["settlement_if_low"] == expected_drift(client, projection["low"])[0]
    assert d["settlement_if_high"] == expected_drift(client, projection["high"])[0]
    huur = next(t for t in d["toeslagen"] if t["toeslag"] == "huurtoeslag")
    assert huur["high_repayment"] is True and huur["threshold"] == 50_000
    assert d["change"] == {"kind": "income", "date": "2026-11-29", "person": "applicant",
                           "income": projection["projected"]}
    # nothing personal in the prompt's action
    assert "30" not in p["action"]


def test_adopting_the_projection_through_changes_closes_the_prompt(client, app):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    scan(app)
    [p] = prompts_of(client, "income_drift")
    change = {"change": p["data"]["change"]}
    preview = client.post("/api/changes/preview", json=change)
    assert preview.status_code == 200, preview.text
    assert preview.json()["toeslagen"]["huurtoeslag"]["repayment"] == 75_600  # every month was paid: settled now
    r = client.post("/api/changes", json=change, headers={"Idempotency-Key": "adopt-1"})
    assert r.status_code == 201, r.text
    assert prompts_of(client, "income_drift") == []
    assert [x["status"] for x in all_prompts(app, hid, "income_drift")] == ["resolved"]
    # and a rescan does not bring it back: the estimate is the projection now
    scan(app, force=True)
    assert prompts_of(client, "income_drift") == []


def test_a_dismissed_prompt_stays_dismissed_until_the_drift_grows_materially(client, app):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    scan(app)
    [p] = prompts_of(client, "income_drift")
    r = client.post(f"/api/prompts/{p['id']}/dismiss", json={"reason": "Klopt, mijn inkomen blijft zo"})
    assert r.status_code == 200, r.text
    scan(app, force=True)
    scan(app)
    assert prompts_of(client, "income_drift") == []

    tok = token(app, demo.EMPLOYER_ID, "income")
    sanne = ref(app, demo.EMPLOYER_ID, "Sanne", "income")
    # November as October: the drift grows a little (less than € 100 / 20 %): still dismissed
    r = client.post("/feeds/income", json={"reports": [{"person_ref": sanne, "month": "2026-11", "wages": 280_000}]},
                    headers=auth(tok))
    assert r.status_code == 200, r.text
    rows = all_prompts(app, hid, "income_drift")
    assert [x["status"] for x in rows] == ["dismissed"]
    assert prompts_of(client, "income_drift") == []
    # a much higher November (the feed scans the household at once): the drift grew materially
    r = client.post("/feeds/income", json={"reports": [{"person_ref": sanne, "month": "2026-11", "wages": 600_000}]},
                    headers=auth(tok))
    assert r.status_code == 200, r.text
    [back] = prompts_of(client, "income_drift")
    assert back["id"] != p["id"] and back["amount"] < p["amount"] - 10_000
    assert -back["amount"] >= -p["amount"] * 120 // 100
    assert [x["status"] for x in all_prompts(app, hid, "income_drift")] == ["dismissed", "open"]


def test_materiality_rule():
    def d(amount):
        return ev.PromptDraft(kind="income_drift", toeslag="", subject="applicant", fingerprint="f",
                              amount=amount, title="t", body="b", action=None, data={})

    last = {"amount": -83_100}
    m = ev.materiality(last, d(-100_000))
    # back only when |new| - |old| >= max(€ 100, 20 %): 20 % of € 831 is € 166,20
    assert m == 16_620 - 1
    assert not abs(-99_719) > 83_100 + m and abs(-99_720) > 83_100 + m
    assert ev.materiality({"amount": -20_000}, d(-30_000)) == 10_000 - 1
    # turned the other way (a repayment became an extra payment): always back
    assert abs(30_000) > 83_100 + ev.materiality(last, d(30_000))


def test_second_scan_creates_no_duplicates_and_skips_unchanged_households(client, app):
    first = scan(app)
    db = app.state.store.db()
    n = db.execute("SELECT count(*) FROM prompts").fetchone()[0]
    again = scan(app)
    assert again["skipped"] == 3 and again["computed"] == 0 and again["raised"] == 0
    forced = scan(app, force=True)
    assert forced["raised"] == 0 and forced["resolved"] == 0 and forced["computed"] == first["computed"]
    assert db.execute("SELECT count(*) FROM prompts").fetchone()[0] == n
    assert db.execute("SELECT count(*) FROM prompts WHERE status = 'open' GROUP BY household_id, kind, toeslag,"
                      " subject HAVING count(*) > 1").fetchall() == []


def test_shards_cover_every_household_once_and_workers_agree(app):
    a = scan(app, shard=(0, 2))
    b = scan(app, shard=(1, 2))
    assert a["households"] + b["households"] == 3
    db = app.state.store.db()
    keys = dict(db.execute("SELECT household_id, scan_key FROM income_scans").fetchall())
    assert len(keys) == 3
    both = scan(app, workers=2, force=True)  # two processes, each its own connection
    assert both["households"] == 3 and both["raised"] == 0 and both.get("failed") == 0


def test_a_killed_run_resumes_where_it_stopped(app):
    db = app.state.store.db()
    ids = [r[0] for r in db.execute("SELECT id FROM households ORDER BY id").fetchall()]
    day = app.state.settings.today_date().isoformat()
    with app.state.store.write() as w:
        income_store.run_start(w, "0/1", day, "2026-11-29T09:00:00+00:00")
        income_store.run_progress(w, "0/1", day, ids[0], 1, "2026-11-29T09:00:01+00:00")
    resumed = scan(app)
    assert resumed["households"] == 2
    assert income_store.run_state(db, "0/1", day)["finished_at"] is not None
    assert scan(app, resume=False)["households"] == 3


# -- January, assets, non-use ------------------------------------------------------------------

def test_january_prompt_for_every_household_with_a_toeslag(app, client):
    enrol(client, app, "couple_three_children")
    january = app.state.settings.with_(today=dt.date(2026, 1, 12))
    drift.scan_all(app.state.store, january)
    [p] = prompts_of(client, "january_check")
    assert p["title"] == "Klopt je inkomen voor 2026?" and p["amount"] is None
    assert "€ 37.500" in p["body"] and "Lisa € 12.000" in p["body"]
    assert p["action"] == "#/wijzigen/inkomen"
    db = app.state.store.db()
    assert db.execute("SELECT count(*) FROM prompts WHERE kind = 'january_check' AND status = 'open'").fetchone()[0] == 3
    # with one month of wages there is no projection to act on yet: no drift prompt in January
    assert db.execute("SELECT count(*) FROM prompts WHERE kind = 'income_drift'").fetchone()[0] == 0
    drift.scan_all(app.state.store, january, force=True)
    assert db.execute("SELECT count(*) FROM prompts WHERE kind = 'january_check'").fetchone()[0] == 3
    # dismissed: stays dismissed for the year
    assert client.post(f"/api/prompts/{p['id']}/dismiss", json={"reason": "klopt"}).status_code == 200
    drift.scan_all(app.state.store, january.with_(today=dt.date(2026, 1, 25)), force=True)
    assert prompts_of(client, "january_check") == []
    # February: the others close
    drift.scan_all(app.state.store, january.with_(today=dt.date(2026, 2, 3)))
    assert db.execute("SELECT count(*) FROM prompts WHERE kind = 'january_check' AND status = 'open'").fetchone()[0] == 0


def test_assets_near_the_huurtoeslag_limit(app, client):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    with app.state.store.write() as db:
        person = next(p for p in households_store.persons(db, hid) if p["role"] == "applicant")
        # € 36.000 on 1 January: 6.4 % under the huurtoeslag limit (€ 38.479)
        households_store.add_estimate(db, hid, person["id"], 2026, 2_750_000, 3_600_000, "parent",
                                      "2026-11-29T09:00:00+00:00")
        households_store.bump_version(db, hid)
    scan(app)
    [p] = prompts_of(client, "assets_near_limit")
    limit = shared_rules.params.for_year(2026).HUURTOESLAG["asset_limit_person"] * 100
    inp = client.get("/api/household").json()["rules_input"]
    at_stake = shared_rules.preview(inp)["toeslagen"]["huurtoeslag"]["before"]["per_year"]
    assert p["toeslag"] == "huurtoeslag" and p["amount"] == -at_stake
    assert p["data"]["limit"] == limit and p["data"]["assets"] == 3_600_000 and p["data"]["at_stake"] == at_stake
    assert "€ 38.479" in p["body"] and "over heel 2026 geen huurtoeslag" in p["body"]
    # zorgtoeslag's limit (€ 146.011) is far away: no prompt for it
    assert [x["toeslag"] for x in prompts_of(client, "assets_near_limit")] == ["huurtoeslag"]
    # assets well under the margin: the prompt closes
    with app.state.store.write() as db:
        households_store.add_estimate(db, hid, person["id"], 2026, 2_750_000, 1_000_000, "parent",
                                      "2026-11-29T09:05:00+00:00")
        households_store.bump_version(db, hid)
    scan(app)
    assert prompts_of(client, "assets_near_limit") == []


def test_possible_non_use_after_a_birth_and_applying_closes_it(app, client):
    enrol(client, app, "single_tenant")
    born = {"change": {"kind": "child", "date": "2026-11-10", "action": "born",
                       "child": {"given_name": "Mila", "birth_date": "2026-11-10"}}}
    r = client.post("/api/changes", json=born)
    assert r.status_code == 201, r.text
    # the change scans the household at once
    [p] = prompts_of(client, "possible_non_use")
    assert p["toeslag"] == "kindgebonden_budget" and p["action"] == "#/aanvragen/kindgebonden_budget"
    assert p["title"] == "Je hebt misschien recht op kindgebonden budget"
    # Sanne's wages give a projection: the amount is the one under the projected income
    assert p["data"]["basis"] == "projection"
    hh = client.get("/api/household").json()
    inp = hh["rules_input"]
    sit = dict(inp["timeline"][-1]["situation"])
    sit["applicant"] = {**sit["applicant"], "income": client.get("/api/income").json()["persons"][0]["projection"]["projected"]}
    inp["change"] = {"date": hh["today"], "situation": sit}
    kgb = shared_rules.preview(inp)["toeslagen"]["kindgebonden_budget"]["after"]
    assert kgb["entitled"] and p["amount"] == kgb["per_year"] == p["data"]["per_year"]
    assert f"{p['data']['per_month'] // 100} per maand" in p["body"]
    r = client.post("/api/applications", json={"toeslag": "kindgebonden_budget"})
    assert r.status_code == 201, r.text
    assert prompts_of(client, "possible_non_use") == []


# -- the two engines agree ---------------------------------------------------------------------

def _scenarios(base: dict, today: dt.date):
    """The household with its applicant's (and partner's) wages set to many levels and shapes."""
    earners = [p for p in base["persons"] if p["role"] in ("applicant", "partner")]
    for pct in range(40, 161, 4):
        for shape in ("steady", "raise", "loss", "bonus"):
            wages = []
            for i, p in enumerate(earners):
                estimate = ev.situation.estimate(base, p["id"], today.year)[0] or 1_500_000
                monthly = estimate * (pct if i == 0 else 100 + (pct - 100) // 2) // 100 // 13
                for m in range(1, 11):
                    w = monthly
                    if shape == "raise" and m >= 6:
                        w = monthly * 115 // 100
                    if shape == "loss" and m >= 8:
                        w = monthly // 3
                    # as store.income.wages() gives them: (household, person, month, wages, holiday, one-off)
                    wages.append((base["household"]["id"], p["id"], f"{today.year}-{m:02d}", w,
                                  monthly * 96 // 100 if m == 5 else None,
                                  monthly if shape == "bonus" and m == 6 else None))
            yield pct, shape, {**base, "prompts": [], "wages": wages}
            if pct % 20 == 0:
                # not applied for the first toeslag it gets (possible non-use), and assets near a limit
                first = sorted(t for t in TOESLAGEN if any(a["toeslag"] == t for a in base["applications"]))[0]
                yield pct, shape + "/non-use", {
                    **base, "prompts": [], "wages": wages,
                    "applications": [a for a in base["applications"] if a["toeslag"] != first],
                    "decisions": [d for d in base["decisions"] if d["toeslag"] != first]}
                yield pct, shape + "/assets", {
                    **base, "prompts": [], "wages": wages,
                    "estimates": [{**e, "assets": 3_600_000 if e["person_id"] == earners[0]["id"] else 0}
                                  for e in base["estimates"]]}


@pytest.mark.parametrize("demo_key", ["single_tenant", "single_parent", "couple_three_children"])
def test_fast_and_exact_engines_give_the_same_prompts(app, demo_key):
    """`Fast` (calculate + the decision's schedule) and `Exact` (preview) over 124 wage scenarios per
    household: the same drafts, amounts and texts — and the scenarios do raise prompts."""
    hid = household_id(app, demo_key)
    today = app.state.settings.today_date()
    base = snapshot(app.state.store.db(), hid, today)
    assert engines.Fast.eligible(engines.Household(base, today))
    raised = set()
    for pct, shape, snap in _scenarios(base, today):
        hf = engines.Household(snap, today)
        fast = ev.drafts(hf)
        hh = engines.Household(snap, today)
        exact = ev.drafts(hh, engines.Exact(hh))
        assert (hf.path, hh.path) == ("fast", "exact")
        assert fast == exact, (pct, shape)
        raised |= {(d.kind, d.data.get("direction")) for d in fast}
    assert {("income_drift", "repayment"), ("income_drift", "extra_payment"), ("possible_non_use", None)} <= raised
    if demo_key == "single_tenant":
        assert ("assets_near_limit", None) in raised


def test_the_engines_agree_on_the_demo_after_a_change_with_payments(client, app):
    """After a submitted change the decisions carry corrections (payments rows): still the same."""
    enrol(client, app, "single_tenant")
    r = client.post("/api/changes", json={"change": {"kind": "income", "date": "2026-11-15", "person": "applicant",
                                                     "income": 2_600_000}})
    assert r.status_code == 201, r.text
    hid = household_id(app, "single_tenant")
    today = app.state.settings.today_date()
    snap = snapshot(app.state.store.db(), hid, today)
    assert snap["payments"]
    hh = engines.Household(snap, today)
    assert engines.Fast.eligible(hh)
    fast = ev.drafts(engines.Household(snap, today))
    assert fast == ev.drafts(hh, engines.Exact(hh))
    assert [d.kind for d in fast] == ["income_drift"]


def test_a_year_with_two_situations_takes_the_exact_engine(client, app):
    enrol(client, app, "single_tenant")
    born = {"change": {"kind": "child", "date": "2026-11-10", "action": "born",
                       "child": {"given_name": "Mila", "birth_date": "2026-11-10"}}}
    assert client.post("/api/changes", json=born).status_code == 201
    today = app.state.settings.today_date()
    hh = engines.Household(snapshot(app.state.store.db(), household_id(app, "single_tenant"), today), today)
    assert not engines.Fast.eligible(hh)
    ev.drafts(hh)
    assert hh.path == "exact"


# -- GET /api/income and the income feed's split ---------------------------------------------

def test_get_income_shows_the_months_and_the_projection(app, client):
    enrol(client, app, "single_tenant")
    r = client.get("/api/income")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["year"] == 2026 and body["min_reported_months"] == 3 and body["cautious"] == []
    [me] = body["persons"]
    assert me["person"] == "applicant" and me["given_name"] == "Sanne" and me["estimate"] == 2_750_000
    assert [m["wages"] if m else None for m in me["months"]] == [*SANNE_WAGES, None, None]
    assert me["months"][0] == {"month": "2026-01", "wages": 229_000, "holiday_allowance": 0, "one_off": 0}
    assert me["projection"] == project_income([{"regular": w} for w in SANNE_WAGES] + [None, None])
    assert me["usable"] is True

    # the loonaangifte's split: a one-off payment counts once, it is not carried forward
    tok = token(app, demo.EMPLOYER_ID, "income")
    sanne = ref(app, demo.EMPLOYER_ID, "Sanne", "income")
    r = client.post("/feeds/income", json={"reports": [{"person_ref": sanne, "month": "2026-11", "wages": 276_000,
                                                        "one_off": 150_000}]}, headers=auth(tok))
    assert r.status_code == 200, r.text
    me = client.get("/api/income").json()["persons"][0]
    assert me["months"][10] == {"month": "2026-11", "wages": 276_000, "holiday_allowance": 0, "one_off": 150_000}
    months = [{"regular": w} for w in SANNE_WAGES] + [{"regular": 276_000, "one_off": 150_000}, None]
    assert me["projection"] == project_income(months)
    # couples: the partner appears, and nothing of another household
    other = TestClient(app, base_url=ORIGIN)
    other.headers.update(CSRF)
    enrol(other, app, "couple_three_children")
    persons = other.get("/api/income").json()["persons"]
    assert [(p["person"], p["given_name"], p["projection"]) for p in persons] == [
        ("applicant", "Mark", None), ("partner", "Lisa", None)]


def test_income_routes_need_a_session_and_dismiss_is_per_household(app, client, new_client):
    assert is_problem(client.get("/api/income"), 401)
    is_problem(client.post("/api/income/cautious/preview", json={"mode": "band_high"}), 401)
    enrol(client, app, "single_tenant")
    scan(app)
    [p] = prompts_of(client, "income_drift")
    other = new_client()
    enrol(other, app, "couple_three_children")
    assert p["id"] not in [x["id"] for x in prompts_of(other)]
    is_problem(other.post(f"/api/prompts/{p['id']}/dismiss", json={"reason": "klopt"}), 404)
    assert [x["id"] for x in prompts_of(client, "income_drift")] == [p["id"]]


# -- the cautious voorschot (in June, with months still to pay) ------------------------------------

JUNE = dt.date(2026, 6, 10)


@pytest.fixture
def june(request, tmp_path, settings):
    yield from enrolled_on(request, tmp_path, settings, JUNE, "single_tenant")


def test_cautious_preview_shows_both_paths(june):
    _app, client = june
    inc = client.get("/api/income").json()["persons"][0]
    assert inc["projection"]["reported_months"] == 5 and inc["usable"]
    r = client.post("/api/income/cautious/preview", json={"mode": "band_high"})
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["first_unpaid_month"] == 7 and out["basis"] == "projection"
    assert [t["toeslag"] for t in out["toeslagen"]] == ["zorgtoeslag", "huurtoeslag"]
    inp = client.get("/api/household").json()["rules_input"]
    base = shared_rules.preview(inp)["toeslagen"]
    high = inc["projection"]["high"]
    sit = dict(inp["timeline"][-1]["situation"])
    sit["applicant"] = {**sit["applicant"], "income": high}
    at_high = shared_rules.preview({**inp, "change": {"date": "2026-06-10", "situation": sit}})["toeslagen"]
    sit["applicant"] = {**sit["applicant"], "income": inc["projection"]["projected"]}
    at_proj = shared_rules.preview({**inp, "change": {"date": "2026-06-10", "situation": sit}})["toeslagen"]
    for row in out["toeslagen"]:
        t, normal, careful = row["toeslag"], row["normal"], row["cautious"]
        # normal: nothing changes; the settlement is what preview expects when the drift is not passed on
        assert normal["voorschot"] == base[t]["voorschot"] and normal["now"] == 0
        assert normal["settlement"] == at_proj[t]["settlement_unchanged"]
        # cautious: the schedule of the high income, months already paid settled now
        assert careful["voorschot"] == at_high[t]["voorschot"] and careful["now"] == at_high[t]["past_months"]
        assert careful["monthly"] == at_high[t]["after"]["months"][6] <= normal["monthly"]
        assert careful["settlement"] == at_proj[t]["after"]["per_year"] - sum(at_high[t]["after"]["months"])
        assert careful["settlement"] > normal["settlement"]
    assert out["normal"]["settlement"] < 0 < out["cautious"]["settlement"] + 1
    assert "terugbetalen" in out["summary"]

    r = client.post("/api/income/cautious/preview", json={"mode": "percentage", "percentage": 10})
    assert r.status_code == 200, r.text
    out = r.json()
    for row in out["toeslagen"]:
        t, normal, careful = row["toeslag"], row["normal"], row["cautious"]
        assert careful["voorschot"][:6] == normal["voorschot"][:6]
        assert careful["voorschot"][6:] == [m * 90 // 100 // 100 * 100 for m in base[t]["before"]["months"][6:]]
        assert careful["settlement"] - normal["settlement"] == sum(normal["voorschot"]) - sum(careful["voorschot"])


def test_choosing_a_percentage_stores_a_lower_voorschot(june):
    app, client = june
    hid = household_id(app, "single_tenant")
    body = {"mode": "percentage", "percentage": 10}
    r = client.post("/api/income/cautious", json=body, headers={"Idempotency-Key": "careful-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["mode"] == "percentage" and {t["toeslag"] for t in out["toeslagen"]} == {"zorgtoeslag", "huurtoeslag"}
    replay = client.post("/api/income/cautious", json=body, headers={"Idempotency-Key": "careful-1"})
    assert replay.status_code == 201 and replay.headers.get("Idempotent-Replayed") == "true"
    assert replay.json() == out
    db = app.state.store.db()
    assert db.execute("SELECT count(*) FROM income_cautious WHERE household_id = ?", (hid,)).fetchone()[0] == 2
    hist = client.get("/api/history", params={"year": 2026}).json()
    huur = next(d for d in hist["decisions"] if d["toeslag"] == "huurtoeslag")
    months = {m["month"]: m for m in huur["months"]}
    assert months[7]["voorschot"] == months[7]["entitlement"] * 90 // 100 // 100 * 100
    assert months[6]["voorschot"] == months[6]["entitlement"]  # paid already: stays as paid
    assert huur["past_months"] == 0
    # the overview shows the lower voorschot for the months still to pay, and the extra at year end
    ov = next(t for t in client.get("/api/overview").json()["toeslagen"] if t["toeslag"] == "huurtoeslag")
    assert ov["voorschot"][6:] == [months[m]["voorschot"] for m in range(7, 13)]
    assert ov["next_payment"]["amount"] == months[7]["voorschot"]
    assert ov["expected_settlement"] == ov["per_year"] - sum(ov["voorschot"]) > 0
    cautious = client.get("/api/income").json()["cautious"]
    assert {(c["toeslag"], c["percentage"], c["active"]) for c in cautious} == {
        ("zorgtoeslag", 10, True), ("huurtoeslag", 10, True)}


def test_choosing_the_high_end_of_the_band_changes_the_estimate(june):
    app, client = june
    high = client.get("/api/income").json()["persons"][0]["projection"]["high"]
    r = client.post("/api/income/cautious", json={"mode": "band_high"}, headers={"Idempotency-Key": "careful-2"})
    assert r.status_code == 201, r.text
    assert len(r.json()["event_ids"]) == 1
    hh = client.get("/api/household").json()
    assert [e["income"] for e in hh["estimates"] if e["year"] == 2026] == [high]
    inc = client.get("/api/income").json()
    assert inc["persons"][0]["estimate"] == high
    assert [(c["mode"], c["active"]) for c in inc["cautious"]] == [("band_high", True)]
    # the estimate is above the projection on purpose: no "your income is lower" prompt
    drift.scan_all(app.state.store, app.state.settings, force=True)
    assert prompts_of(client, "income_drift") == []


def test_bad_cautious_input_changes_nothing(client, app):
    enrol(client, app, "single_tenant")
    before = fingerprint(app)
    db = app.state.store.db()
    for body, status, field in [
        ({"mode": "percentage"}, 422, "percentage"),
        ({"mode": "band_high", "percentage": 10}, 422, "percentage"),
        ({"mode": "percentage", "percentage": 80}, 400, "percentage"),
        ({"mode": "percentage", "percentage": "10"}, 400, "percentage"),
        ({"mode": "everything"}, 400, "mode"),
        ({"mode": "band_high", "household_id": "x"}, 400, "household_id"),
        # November: every voorschot of 2026 is paid already
        ({"mode": "percentage", "percentage": 10}, 422, "mode"),
    ]:
        for url in ("/api/income/cautious/preview", "/api/income/cautious"):
            body_ = is_problem(client.post(url, json=body), status)
            assert body_.get("field") == field, (body, body_)
    is_problem(client.post("/api/income/cautious", content=b"{not json", headers={"Content-Type": "application/json"}),
               400)
    no_csrf = TestClient(app, base_url=ORIGIN)
    no_csrf.cookies = client.cookies
    is_problem(no_csrf.post("/api/income/cautious", json={"mode": "band_high"}), 403)
    assert fingerprint(app) == before
    assert db.execute("SELECT count(*) FROM income_cautious").fetchone()[0] == 0


def test_the_scan_logs_counts_only(app, caplog):
    caplog.set_level("INFO", logger="api.jobs.drift")
    scan(app)
    text = " ".join(r.getMessage() for r in caplog.records)
    assert "households 3" in text
    assert "hh_" not in text and "prs_" not in text and "Sanne" not in text and "2750000" not in text


# -- robustness: hooks, several income sources, the command line ----------------------------------

def test_a_failing_scan_never_undoes_the_change_that_triggered_it(client, app, monkeypatch, caplog):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    scan(app)
    [p] = prompts_of(client, "income_drift")

    from api.income import scan as income_scan
    real_apply = income_scan.apply

    def apply_then_fail(*a, **kw):
        real_apply(*a, **kw)  # the scan has written (it closed the prompt) ...
        raise RuntimeError("disk full")  # ... and then fails
    monkeypatch.setattr(income_scan, "apply", apply_then_fail)
    r = client.post("/api/changes", json={"change": p["data"]["change"]})
    assert r.status_code == 201, r.text
    db = app.state.store.db()
    assert db.execute("SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.income'",
                      (hid,)).fetchone()[0] == 1
    # the prompt is untouched (the scan was undone to its savepoint) and the failure logged without ids
    assert [x["status"] for x in all_prompts(app, hid, "income_drift")] == ["open"]
    assert any("RuntimeError" in rec.getMessage() and "hh_" not in rec.getMessage() for rec in caplog.records)
    monkeypatch.undo()
    scan(app)  # the next run catches up: the estimate is the projection now
    assert prompts_of(client, "income_drift") == []


def test_wages_of_two_income_sources_add_up(client, app):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    from api.feeds.service import new_ref
    from api.store import feeds as feeds_store
    with app.state.store.write() as db:
        feeds_store.add_organisation(db, "bijbaan", "Bijbaan B.V.", "2026-11-29T09:00:00+00:00")
        sanne = next(p for p in households_store.persons(db, hid) if p["role"] == "applicant")
        feeds_store.add_link(db, "bijbaan", sanne["id"], "income", new_ref(), "2026-11-29T09:00:00+00:00")
    tok = token(app, "bijbaan", "income")
    r = client.post("/feeds/income", json={"reports": [{"person_ref": ref(app, "bijbaan", "Sanne", "income"),
                                                        "month": "2026-10", "wages": 40_000}]}, headers=auth(tok))
    assert r.status_code == 200, r.text
    me = client.get("/api/income").json()["persons"][0]
    assert me["months"][9]["wages"] == SANNE_WAGES[9] + 40_000
    # the feed scanned the household at once: the prompt is there with the higher projection
    [p] = prompts_of(client, "income_drift")
    assert p["data"]["projected"] == me["projection"]["projected"]


def test_the_scan_command(app, monkeypatch, capsys):
    from api import cli

    monkeypatch.setenv("TOESLAGEN_DB", str(app.state.settings.db_path))
    monkeypatch.setenv("TOESLAGEN_TODAY", "2026-11-29")
    assert cli.main(["scan", "--shard", "1/2"]) == 0
    first = dict(kv.split("=") for kv in capsys.readouterr().out.split())
    assert cli.main(["scan", "--shard", "0/2", "--workers", "2"]) == 0
    second = dict(kv.split("=") for kv in capsys.readouterr().out.split())
    assert int(first["households"]) + int(second["households"]) == 3
    assert cli.main(["scan", "--force"]) == 0
    again = dict(kv.split("=") for kv in capsys.readouterr().out.split())
    assert again["raised"] == "0" and again["households"] == "3"
    assert cli.main(["scan", "--shard", "2/2"]) == 2


class _Applied:
    def __init__(self, applied):
        self.applied = applied


def _after(situation: dict) -> dict:
    return shared_rules.calculate({"year": 2026, **situation}, explain=False)["toeslagen"]


COUPLE = {"applicant": {"birth_date": "1985-03-02", "income": 2_400_000, "assets": 0, "insured": True},
          "partner": {"birth_date": "1986-07-09", "income": 1_200_000, "assets": 0, "insured": True}}


def test_non_use_is_out_of_reach_only_for_reasons_no_income_changes():
    """The scan skips working out a couple's joint projection for non-use when every toeslag they did
    not apply for is refused for a reason no income changes (no children, no rent, ...)."""
    no_kids = _after(COUPLE)
    assert ev._out_of_reach(_Applied({"zorgtoeslag"}), no_kids)              # KGB, KOT: no children; huur: no rent
    renting = _after({**COUPLE, "applicant": {**COUPLE["applicant"], "income": 6_000_000},
                      "home": {"rent": 80_000, "service_costs": 0, "persons": 2, "co_residents": []}})
    assert renting["huurtoeslag"]["reasons"] == ["income_above_limit"]      # refused for the income: in reach
    assert not ev._out_of_reach(_Applied({"zorgtoeslag"}), renting)
    assert ev._out_of_reach(_Applied({"zorgtoeslag", "huurtoeslag"}), renting)
    kids = _after({**COUPLE, "children": [{"birth_date": "2019-04-01"}]})
    assert kids["kindgebonden_budget"]["entitled"]
    assert not ev._out_of_reach(_Applied({"zorgtoeslag"}), kids)
    rich = _after({**COUPLE, "applicant": {**COUPLE["applicant"], "assets": 50_000_000},
                   "children": [{"birth_date": "2019-04-01"}]})
    assert rich["kindgebonden_budget"]["reasons"] == ["assets_above_limit"]
    assert ev._out_of_reach(_Applied({"zorgtoeslag"}), rich)


def _lowered(cents: int, pct: int) -> int:
    return cents * (100 - pct) // 100 // 100 * 100


def _decision(client, toeslag: str) -> dict:
    hist = client.get("/api/history", params={"year": 2026}).json()
    return next(d for d in hist["decisions"] if d["toeslag"] == toeslag)   # newest first


def test_a_percentage_stays_in_force_through_a_later_change(june):
    """Chosen in June; the income changes afterwards: the new decision is lowered too, and the
    preview the phone runs (rules_input with `cautious`) gives the same new monthly amount."""
    _app, client = june
    r = client.post("/api/income/cautious", json={"mode": "percentage", "percentage": 10},
                    headers={"Idempotency-Key": "careful-keep"})
    assert r.status_code == 201, r.text
    inp = client.get("/api/household").json()["rules_input"]
    assert inp["cautious"] == {"huurtoeslag": {"percentage": 10, "from_month": 7},
                               "zorgtoeslag": {"percentage": 10, "from_month": 7}}
    sit = dict(inp["timeline"][-1]["situation"])
    sit["applicant"] = {**sit["applicant"], "income": 2_400_000}
    phone = shared_rules.preview({**inp, "change": {"date": "2026-06-10", "situation": sit}})["toeslagen"]
    change = {"change": {"kind": "income", "date": "2026-06-10", "person": "applicant", "income": 2_400_000}}
    r = client.post("/api/changes", json=change, headers={"Idempotency-Key": "careful-keep-2"})
    assert r.status_code == 201, r.text
    submitted = {t["toeslag"]: t for t in r.json()["toeslagen"]}
    for t in ("huurtoeslag", "zorgtoeslag"):
        months = {m["month"]: m for m in _decision(client, t)["months"]}
        assert months[7]["entitlement"] == phone[t]["after"]["months"][6]
        assert [months[m]["voorschot"] for m in range(7, 13)] == [
            _lowered(months[m]["entitlement"], 10) for m in range(7, 13)]
        assert submitted[t]["new_monthly"] == phone[t]["new_monthly"] == months[7]["voorschot"]
    assert {(c["toeslag"], c["active"]) for c in client.get("/api/income").json()["cautious"]} == {
        ("zorgtoeslag", True), ("huurtoeslag", True)}


def test_stopping_pays_out_what_was_held_back(june, tmp_path, settings):
    """Chosen in June (from July); stopped on 25 August, when July to September are paid: the normal
    voorschot again, and the months paid under the choice are settled to the entitlement now."""
    app, client = june
    r = client.post("/api/income/cautious", json={"mode": "percentage", "percentage": 20},
                    headers={"Idempotency-Key": "careful-stop-1"})
    assert r.status_code == 201, r.text
    held = {t: {m["month"]: m["entitlement"] - m["voorschot"] for m in _decision(client, t)["months"]}
            for t in ("zorgtoeslag", "huurtoeslag")}
    path = app.state.settings.db_path
    clock = FakeClock(dt.datetime(2026, 8, 25, 9, 0, tzinfo=dt.UTC))
    later = create_app(settings.with_(db_path=path, today=dt.date(2026, 8, 25), clock=clock))
    with TestClient(later, base_url=ORIGIN) as c:
        c.headers.update(CSRF)
        enrol(c, later, "single_tenant")      # a new session: the June one has expired by now
        pv = c.post("/api/income/cautious/preview", json={"mode": "stop"})
        assert pv.status_code == 200, pv.text
        expected_now = sum(held[t][m] for t in held for m in (7, 8, 9))
        assert expected_now > 0
        assert pv.json()["cautious"]["now"] == expected_now
        r = c.post("/api/income/cautious", json={"mode": "stop"}, headers={"Idempotency-Key": "careful-stop-2"})
        assert r.status_code == 201, r.text
        out = r.json()
        assert sum(t["past_months"] for t in out["toeslagen"]) == expected_now
        assert "uit" in out["summary"]
        for t in held:
            months = {m["month"]: m for m in _decision(c, t)["months"]}
            assert all(months[m]["voorschot"] == months[m]["entitlement"] for m in range(10, 13))
        assert "cautious" not in c.get("/api/household").json()["rules_input"]
        mine = c.get("/api/income").json()["cautious"]
        assert all(not x["active"] and x["ended_at"] for x in mine)
        # nothing left to stop: a clear error that changes nothing
        before = fingerprint(later)
        body = is_problem(c.post("/api/income/cautious", json={"mode": "stop"}), 422)
        assert body["field"] == "mode" and "niets om te stoppen" in body["detail"]
        assert fingerprint(later) == before


def test_the_engines_agree_under_a_cautious_percentage(june):
    """With a voorzichtig voorschot in force the preview (Exact) and the lowered decision (Fast) both
    count what is held back: the same drafts, also when the wages drift."""
    app, client = june
    r = client.post("/api/income/cautious", json={"mode": "percentage", "percentage": 25},
                    headers={"Idempotency-Key": "careful-engines"})
    assert r.status_code == 201, r.text
    hid = household_id(app, "single_tenant")
    base = snapshot(app.state.store.db(), hid, JUNE)
    assert engines.Fast.eligible(engines.Household(base, JUNE))
    seen = set()
    for factor in (60, 90, 100, 115, 140):
        snap = {**base, "wages": [(*w[:3], w[3] * factor // 100, *w[4:]) for w in base["wages"]]}
        hf = engines.Household(snap, JUNE)
        fast = ev.drafts(hf)
        hh = engines.Household(snap, JUNE)
        assert fast == ev.drafts(hh, engines.Exact(hh)), factor
        assert hf.path == "fast"
        seen |= {d.data.get("direction") for d in fast if d.kind == "income_drift"}
    assert "extra_payment" in seen


def _batch_drafts(app, hid: str, today: dt.date) -> tuple[list, str]:
    """Drafts from the scan's batch read (narrow columns, decision months only where needed)."""
    with app.state.store.read() as db:
        hh = drift.read_batch(db, [hid], today)[hid]
    snap, needs = hh.snap, hh.needs_months()
    assert all(d["months"] is None for d in snap["decisions"]) is not needs
    return ev.drafts(hh), hh.path


def _single_drafts(app, hid: str, today: dt.date) -> list:
    return ev.drafts(engines.Household(snapshot(app.state.store.db(), hid, today), today))


@pytest.mark.parametrize("demo_key", ["single_tenant", "single_parent", "couple_three_children"])
def test_the_batch_read_concludes_as_the_single_household_read(client, app, demo_key):
    """The scan's batch read leaves columns and (mostly) the decision months out; what it concludes is
    what the per-household read (the income feed, a change) concludes: before and after a change
    that records payments (then the months are loaded)."""
    hid = household_id(app, demo_key)
    today = app.state.settings.today_date()
    drafts, path = _batch_drafts(app, hid, today)
    assert path == "fast" and drafts == _single_drafts(app, hid, today)
    enrol(client, app, demo_key)
    r = client.post("/api/changes", json={"change": {"kind": "income", "date": "2026-11-15", "person": "applicant",
                                                     "income": 2_900_000}}, headers={"Idempotency-Key": "batch-1"})
    assert r.status_code == 201, r.text
    drafts, path = _batch_drafts(app, hid, today)
    assert drafts == _single_drafts(app, hid, today)


def test_the_batch_read_concludes_as_the_single_household_read_in_june(june):
    app, client = june
    hid = household_id(app, "single_tenant")
    assert _batch_drafts(app, hid, JUNE)[0] == _single_drafts(app, hid, JUNE) != []
    r = client.post("/api/income/cautious", json={"mode": "percentage", "percentage": 30},
                    headers={"Idempotency-Key": "batch-2"})
    assert r.status_code == 201, r.text
    assert _batch_drafts(app, hid, JUNE)[0] == _single_drafts(app, hid, JUNE)


def test_scan_workers_share_a_run_by_claiming_batches_and_take_over_a_dead_ones(app, monkeypatch, capsys):
    """Issue #16: workers claim batches in the database (no shard arithmetic); a batch claimed by a
    worker that died is scanned by another once it is stale; every household is scanned once per run."""
    from api import cli
    from api.jobs import drift
    from api.store import households as households_store
    from api.store import income as income_store
    from api.util import iso

    store, settings = app.state.store, app.state.settings
    day = settings.today_date().isoformat()
    now = settings.now()
    with store.write() as db:   # a worker claims the first batch (one household) and dies
        first = income_store.claim_batch(db, day, "dead-worker", iso(now), iso(now - drift.CLAIM_STALE), 1)
    assert first[0] is None
    live = drift.scan_claimed(store, settings, batch=1, holder="live")
    assert live["households"] == 2 and live["batches"] == 2          # the other two; the dead one's is not stale
    app.state.settings.clock.advance(minutes=11)
    later = drift.scan_claimed(store, settings, batch=1, holder="live")
    assert later["households"] == 1 and later["batches"] == 1        # taken over
    done = income_store.batches(store.db(), day)
    assert len(done) == 3 and all(b["done_at"] and b["holder"] == "live" for b in done)
    assert sum(b["households"] for b in done) == 3
    # every household has its scan key; another claim finds nothing left today
    assert all(income_store.scan_key(store.db(), h["id"]) for h in households_store.every(store.db()))
    assert drift.scan_claimed(store, settings, holder="again")["batches"] == 0
    # the command line: two worker processes on the next day's run share it
    monkeypatch.setenv("TOESLAGEN_DB", str(settings.db_path))
    monkeypatch.setenv("TOESLAGEN_TODAY", "2026-11-30")
    assert cli.main(["scan", "--claim", "--workers", "2", "--batch", "1"]) == 0
    out = dict(kv.split("=") for kv in capsys.readouterr().out.split())
    assert int(out["households"]) == 3 and int(out["batches"]) == 3


class _Work:
    """Measures the work of the statements run through it, in a unit each store can count: on PostgreSQL
    the rows read from income_scans (EXPLAIN ANALYZE of each SELECT, then the SELECT itself), on SQLite
    the virtual machine's steps (its progress handler, over the whole `with` block). Only for comparing
    one query with itself at two places in a run."""

    def __init__(self, db):
        self.db, self.work = db, 0
        self.dialect = getattr(db, "dialect", "sqlite")

    def __enter__(self):
        if self.dialect == "sqlite":
            self.db.conn.set_progress_handler(self._step, 1)
        return self

    def __exit__(self, *exc):
        if self.dialect == "sqlite":
            self.db.conn.set_progress_handler(None, 1)

    def _step(self):
        self.work += 1
        return 0

    def execute(self, sql, params=()):
        if self.dialect == "postgresql" and sql.startswith("SELECT"):  # (EXPLAIN ANALYZE runs a write too)
            (plan,) = self.db.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params).fetchone()
            self.work += _rows_of(plan[0]["Plan"], "income_scans")
        return self.db.execute(sql, params)


def _rows_of(node: dict, table: str) -> int:
    own = node.get("Actual Rows", 0) * node.get("Actual Loops", 1) if node.get("Relation Name") == table else 0
    return own + sum(_rows_of(n, table) for n in node.get("Plans", []))


def test_a_batch_late_in_a_run_reads_no_more_than_the_first(app):
    """Reading a batch of households with their scan keys, and claiming the next batch, cost the same
    at the end of a run as at its start. PostgreSQL once merged the scan keys in by walking income_scans
    from its first row up to the batch: at a million households the claimed scan spent a third of its
    time there (bench_drift_scan)."""
    store, settings = app.state.store, app.state.settings
    now = settings.now().isoformat()
    ids = [f"hh_work{i:05d}" for i in range(3000)]
    with store.write() as db:
        income_store.bulk_insert(db, "households", ("id", "label", "version", "created_at"),
                                 [(h, "X", 1, now) for h in ids])
        income_store.put_scan_keys(db, [(h, "k") for h in ids], now)
    db = store.db()
    if store.dialect == "postgresql":
        db.execute("ANALYZE households")
        db.execute("ANALYZE income_scans")

    def work(read) -> int:
        with store.read(), _Work(db) as handle:
            read(handle)
        return handle.work

    day = settings.today_date().isoformat()
    for after in (None, ids[2900]):
        assert [h for h, _, k in income_store.households_after(db, after, 50) if k == "k"] != []
    early, late = (work(lambda d, a=a: income_store.households_after(d, a, 50)) for a in (ids[0], ids[2900]))
    assert late <= 2 * early, (early, late)
    early, late = (work(lambda d, a=a, b=b: income_store.households_through(d, a, b))
                   for a, b in ((ids[0], ids[50]), (ids[2900], ids[2950])))
    assert late <= 2 * early, (early, late)
    with store.write() as db2:   # claims: a first batch, then one after the 2,900th household
        db2.execute("INSERT INTO income_scan_batches (scan_date, after_id, last_id, holder, claimed_at)"
                    " VALUES (?, NULL, ?, 'w', ?)", (day, ids[0], now))
        with _Work(db2) as early:
            assert income_store.claim_batch(early, day, "w", now, now, 50) == (ids[0], ids[50])
        db2.execute("INSERT INTO income_scan_batches (scan_date, after_id, last_id, holder, claimed_at)"
                    " VALUES (?, ?, ?, 'w', ?)", (day, ids[50], ids[2900], now))
        with _Work(db2) as late:
            assert income_store.claim_batch(late, day, "w", now, now, 50) == (ids[2900], ids[2950])
    assert late.work <= 2 * early.work + 10, (early.work, late.work)

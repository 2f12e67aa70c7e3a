"""The scan per open year (issue #15, api/years/scan.py), on SQLite and PostgreSQL: one run of
`python -m api scan` (plain, sharded or with --claim batches) gives each household this year's drift
prompts and, for each open past year, a settlement-risk prompt when the expected definitieve berekening
is a hoge terugvordering. Idempotent; a year that is decided or no longer high closes its prompt; a
household whose data changed (a final income entered) is rescanned without --force.

The demo's De Vries, seeded and scanned on 15 April 2026: her 2025 final income
(€ 34.500) came in well above the estimate (€ 26.000) on which the 2025 voorschot was paid."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.jobs import drift
from api.store import prompts as prompts_store

from .conftest import CSRF, ORIGIN, FakeClock, copy_of, enrol, household_id, make_settings, template

SPRING = dt.date(2026, 4, 15)
KIND = "settlement_risk"


@pytest.fixture
def spring_app(request, tmp_path, store_kind):
    source = template(request, "spring-scan", SPRING)
    path = copy_of(request, tmp_path, source)
    clock = FakeClock(dt.datetime(2026, 4, 15, 9, 0, tzinfo=dt.UTC))
    app = create_app(make_settings(path, clock).with_(today=SPRING))
    app.state.test_clock = clock
    return app


def _risk(app, hid) -> list[dict]:
    return [p for p in prompts_store.open_for(app.state.store.db(), hid) if p["kind"] == KIND]


def _all_risk(app) -> list[tuple]:
    with app.state.store.read() as db:
        rows = db.execute("SELECT household_id, subject, status FROM prompts WHERE kind = ? ORDER BY id", (KIND,))
        return [tuple(r) for r in rows.fetchall()]


def test_one_scan_run_covers_this_year_and_each_open_past_year(spring_app):
    app = spring_app
    hid = household_id(app, "single_tenant")
    counts = drift.scan_all(app.state.store, app.state.settings)
    assert counts["past_years"] >= 1 and counts["settlement_open"] >= 1
    (p,) = _risk(app, hid)
    with TestClient(app, base_url=ORIGIN) as c:
        c.headers.update(CSRF)
        enrol(c, app, "single_tenant")
        st = c.get("/api/years?year=2025").json()["years"][0]["settlement"]
    assert st["hoge_terugvordering"] and p["subject"] == "2025" and p["amount"] == -st["total"] > 0, (st, p)
    assert p["action"] == "#/jaar/2025"
    # households without a toeslag in 2025 get no settlement prompt
    assert {r[0] for r in _all_risk(app)} == {hid}
    # idempotent: a second run (unchanged households are skipped) and a forced one change nothing
    before = _all_risk(app)
    again = drift.scan_all(app.state.store, app.state.settings)
    assert again["skipped"] == again["households"] and again["past_years"] == 0, again
    drift.scan_all(app.state.store, app.state.settings, force=True)
    assert _all_risk(app) == before and [x["id"] for x in _risk(app, hid)] == [p["id"]]


def test_a_final_income_that_ends_the_risk_closes_the_prompt_on_the_next_run(spring_app):
    app = spring_app
    hid = household_id(app, "single_tenant")
    drift.scan_all(app.state.store, app.state.settings)
    assert len(_risk(app, hid)) == 1
    with TestClient(app, base_url=ORIGIN) as c:
        c.headers.update(CSRF)
        enrol(c, app, "single_tenant")
        app.state.test_clock.advance(seconds=5)  # after the seeded final income: the parent's figure is the newer
        r = c.post("/api/years/final-income", json={"year": 2025, "final_income": 2_600_000})
        assert r.status_code == 201, r.text
        assert not r.json()["years"][0]["settlement"]["hoge_terugvordering"]
    counts = drift.scan_all(app.state.store, app.state.settings)  # no --force: the data version changed
    assert counts["computed"] >= 1
    assert _risk(app, hid) == []


def test_a_decided_year_closes_its_prompt(spring_app):
    app = spring_app
    hid = household_id(app, "single_tenant")
    drift.scan_all(app.state.store, app.state.settings)
    assert len(_risk(app, hid)) == 1
    with app.state.store.write() as db:
        app.state.years.decide(db, hid, 2025)
    drift.scan_all(app.state.store, app.state.settings)
    assert _risk(app, hid) == []


def test_claimed_batches_and_shards_give_the_same_prompts(spring_app):
    app = spring_app
    drift.scan_all(app.state.store, app.state.settings, claims=True, batch=1)
    claimed = _all_risk(app)
    assert claimed
    drift.scan_all(app.state.store, app.state.settings, shard=(0, 2), force=True)
    drift.scan_all(app.state.store, app.state.settings, shard=(1, 2), force=True)
    assert _all_risk(app) == claimed


def test_the_cli_scan_with_claims_reports_the_past_years(spring_app, store_kind):
    app = spring_app
    env_db = str(app.state.store.path)
    out = subprocess.run([sys.executable, "-m", "api", "scan", "--claim", "--batch", "2", "--today", "2026-04-15"],
                         capture_output=True, text=True, timeout=300,
                         env={"TOESLAGEN_DB": env_db, "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr
    counts = dict(kv.split("=") for kv in out.stdout.split())
    assert int(counts["past_years"]) >= 1 and int(counts["settlement_open"]) >= 1
    assert [r[1:] for r in _all_risk(app)] == [("2025", "open")]

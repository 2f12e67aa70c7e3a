"""One test per bug the hardening tests of issue #8 found and api/ now fixes (see each docstring)."""

from __future__ import annotations

import sqlite3
import threading
import time

import psycopg
import psycopg_pool
import pytest
from litestar.testing import TestClient

from api.household import situation
from api.store import decisions as decisions_store
from api.web import problems

from .common import CSRF, ORIGIN, app_on, household_id, mint_session, problem_errors, snapshot


@pytest.fixture
def env(fresh_db):
    db = fresh_db("reg.db")
    app, settings = app_on(db)
    with TestClient(app, base_url=ORIGIN) as client:
        store = app.state.store

        def session(key: str) -> dict:
            token = mint_session(store, settings, household_id(store, key))
            return {**CSRF, "Cookie": f"{settings.session_cookie_name}={token}"}

        yield {"app": app, "client": client, "store": store, "settings": settings, "db": db, "session": session}


def test_month_with_year_0000_is_a_400_not_a_500(env):
    """Fuzz: the childcare Month pattern took "0000-01"; date(0, 1, 1) raised ValueError (500)."""
    c, h = env["client"], env["session"]("single_parent")
    contract = c.get("/api/household", headers=h).json()["contracts"][0]["id"]
    before = snapshot(env["db"])
    for path, body in (("/api/childcare/adopt/preview", {"contract": contract, "from_month": "0000-01", "mode": "average"}),
                       ("/api/childcare/adopt", {"contract": contract, "from_month": "0000-01", "mode": "reported"}),
                       ("/api/childcare/correct", {"contract": contract, "month": "0000-01", "hours": 1,
                                                   "hourly_rate": 1})):
        r = c.post(path, json=body, headers=h)
        assert r.status_code == 400, (path, r.status_code, r.text)
        assert not problem_errors(400, r.headers["content-type"], r.content) and r.json()["field"] in ("from_month", "month")
    assert snapshot(env["db"]) == before


def test_options_on_a_feed_route_is_not_a_500(env):
    """Isolation matrix: the feed token guard read handler.opt["data_type"] on Litestar's automatic OPTIONS
    handler too (KeyError, 500). OPTIONS answers with Allow only, like the /api routes."""
    c = env["client"]
    before = snapshot(env["db"])
    for path in ("/feeds/income", "/feeds/rent", "/feeds/insurance", "/feeds/childcare-hours"):
        r = c.options(path)
        assert r.status_code == 204 and r.headers["allow"] == "OPTIONS, POST" and not r.content, (path, r.text)
    assert c.post("/feeds/income", json={"reports": []}).status_code == 401  # the guard still guards
    assert snapshot(env["db"]) == before


def test_unknown_schema_path_is_a_problem_not_an_html_page(env):
    """Litestar answered /schema/<unknown> with an HTML 404 page (not problem+json)."""
    c = env["client"]
    for path in ("/schema/swagger", "/schema/redoc", "/schema/x"):
        r = c.get(path)
        assert r.status_code == 404 and not problem_errors(404, r.headers["content-type"], r.content), (path, r.text)
    assert c.get("/schema/openapi.json").status_code == 200 and c.get("/schema").status_code == 200


def test_router_404_and_405_carry_the_security_headers(env):
    """The headers were a middleware, which Litestar skips when no route matches (404) or the method does not
    (405); now a before_send hook."""
    c = env["client"]
    for method, path in (("GET", "/schema/a/b"), ("PATCH", "/api/changes"), ("DELETE", "/nope/x"),
                         ("HEAD", "/api/overview")):
        r = c.request(method, path)
        assert r.status_code in (404, 405)
        assert "content-security-policy" in r.headers and r.headers["x-content-type-options"] == "nosniff", (method, path)


def test_paid_months_are_not_counted_twice(env):
    """Isolation matrix: for a paid month without a materialised payment (a toeslag applied for after the
    payment date; in production every month after the first payment run), paid_lists added every
    correction again on top of the decision in force, which already held them. After an application and
    two changes, "paid" was double, then negative, and every change of the household was a 422."""
    c, store, settings = env["client"], env["store"], env["settings"]
    h = env["session"]("couple_three_children")
    hh = household_id(store, "couple_three_children")
    # a childcare contract, so that kinderopvangtoeslag can be applied for (after all its payment dates)
    from api.store import households as households_store
    from api.util import iso, new_id

    lucas = store.db().execute("SELECT id FROM persons WHERE household_id = ? AND given_name = 'Lucas'",
                               (hh,)).fetchone()[0]
    with store.write() as db:
        cid = new_id("ctr")
        households_store.add_contract(db, {
            "id": cid, "household_id": hh, "child_id": lucas, "organisation_id": "kinderopvang-zonnebloem",
            "location_name": "BSO", "lrk_number": "705612839447", "kind": "bso", "start_date": "2025-09-01",
            "end_date": None, "created_at": iso(settings.now())})
        households_store.add_terms(db, cid, "2025-09-01", 40, 950, iso(settings.now()))
    assert c.post("/api/applications", json={"toeslag": "kinderopvangtoeslag"}, headers=h).status_code == 201

    def paid() -> list:
        with store.read() as db:
            return situation.paid_lists(decisions_store.for_year(db, hh, 2026), decisions_store.payments(db, hh, 2026),
                                        2026, settings.today_date())["kinderopvangtoeslag"]

    def entitlement() -> list:
        ov = c.get("/api/overview", headers=h).json()
        return next(t for t in ov["toeslagen"] if t["toeslag"] == "kinderopvangtoeslag")["months"]

    for income in (3_000_000, 9_000_000, 1_000_000, 5_000_000, 5_000_000):
        r = c.post("/api/changes", json={"change": {"kind": "income", "date": "2026-12-01", "income": income}},
                   headers=h)
        assert r.status_code == 201, r.text
        # every month is paid (today is 29 November); each change settles the difference at once
        assert paid() == entitlement(), income


@pytest.mark.parametrize("store_kind", ["sqlite"])
def test_concurrent_writers_of_one_process_queue_instead_of_failing(env):
    """Exactly-once test: under load, SQLite's busy handler let a waiting request poll past busy_timeout
    ("database is locked", a 500). The writers of a process now take turns on a lock first. Here every
    thread's connection has a busy_timeout of 50 ms while each transaction takes 60 ms: without the
    lock most of them would fail. SQLite only: busy_timeout and its polling are SQLite's; PostgreSQL
    writers wait in the server's lock queue (tests/hardening/test_nodes.py has them under load)."""
    store = env["store"]
    errors, done = [], []

    def writer(i: int) -> None:
        try:
            store.db().execute("PRAGMA busy_timeout=50")
            with store.write() as db:
                db.execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, 0, 1)", (f"t{i}",))
                time.sleep(0.06)
            done.append(i)
        except sqlite3.OperationalError as e:
            errors.append(str(e))

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and len(done) == 12


def test_a_busy_database_is_a_503_problem():
    """What is left of "database is locked" (another process holding the lock past the wait) is temporary:
    503 with Retry-After, a problem+json; so is a PostgreSQL server out of reach (no connection in
    time, a connection lost, the server shutting down); any other database error stays a 500 problem."""
    class Req:
        method = "POST"

        class url:  # noqa: N801
            path = "/api/changes"

    r = problems.handle_database_error(Req, sqlite3.OperationalError("database is locked"))
    assert r.status_code == 503 and r.headers["Retry-After"] == "2" and r.media_type == problems.PROBLEM_JSON
    r = problems.handle_database_error(Req, sqlite3.OperationalError("no such table: x"))
    assert r.status_code == 500 and r.media_type == problems.PROBLEM_JSON
    for gone in (psycopg_pool.PoolTimeout("couldn't get a connection after 3.00 sec"),
                 psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
                 psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
                 psycopg.errors.CannotConnectNow("the database system is starting up")):
        r = problems.handle_database_error(Req, gone)
        assert r.status_code == 503 and r.media_type == problems.PROBLEM_JSON, gone
        assert int(r.headers["Retry-After"]) > 0 and b"/problems/unavailable" in r.content
    r = problems.handle_database_error(Req, psycopg.errors.QueryCanceled("canceling statement due to statement timeout"))
    assert r.status_code == 500 and r.media_type == problems.PROBLEM_JSON


def test_connections_of_finished_threads_are_closed(fresh_db):
    """Load benchmark: anyio ends worker threads after 10 s idle and starts new ones under load; each new
    thread opened a connection the store kept (and never closed) — file handles and SQLite page cache
    grew for as long as the server ran. Now a connection whose thread has ended is closed."""
    import os

    from api.store import Store

    db = fresh_db("threads.db")
    store = Store(db)
    try:
        store.db().execute("SELECT 1")
        fds_before = len(os.listdir("/proc/self/fd"))

        def work():
            with store.read() as conn:
                conn.execute("SELECT count(*) FROM households").fetchone()

        for _ in range(40):
            t = threading.Thread(target=work)
            t.start()
            t.join()
        store.db().execute("SELECT 1")
        t = threading.Thread(target=work)  # the next new thread closes what the ended ones left
        t.start()
        t.join()
        assert store.connections() <= 2, store.connections()
        assert len(os.listdir("/proc/self/fd")) <= fds_before + 4
    finally:
        store.close()
    assert store.connections() == 0

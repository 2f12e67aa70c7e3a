"""PostgreSQL restarts under a running API process (issue #16), with a REAL server process
(tests/hardening/serve.py) on a cluster of its own (tests/pgcluster.py: the session's cluster stays
untouched):

- `pg_ctl restart` while the API runs: every connection the API held is gone, yet the next requests
  (reads and writes, on several request threads) succeed; the store takes a new, checked connection
  from the pool (store/pg.py);
- while the server is down, a request gets a clear 503 problem+json with Retry-After (the PWA outbox
  sends a change again with the same Idempotency-Key), never a 500 or a stack trace in the log;
  after the server is back, the same requests succeed again.

Skipped when no PostgreSQL server binary is installed."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from api.store import Store
from tests import pgcluster

from .common import CSRF, PROBLEM, ServerProcess, household_id, make_settings, mint_session, problem_errors, seed_db

TODAY = dt.date(2026, 6, 15)


def change(n: int) -> dict:
    return {"change": {"kind": "income", "date": "2026-07-01", "person": "applicant", "income": 5_000_000 + n * 100}}


# a cluster of its own: this test restarts and stops it
own_cluster = pytest.fixture(pgcluster.running, name="own_cluster")


def test_the_api_reconnects_after_a_restart_and_answers_503_while_the_server_is_down(own_cluster, tmp_path):
    url = own_cluster.create_database()
    settings = make_settings(url, today=TODAY)
    seed_db(url, settings)
    store = Store(url)
    try:
        cookies = {settings.session_cookie_name: mint_session(store, settings, household_id(store, "single_tenant"))}
    finally:
        store.close()
    log_path = tmp_path / "server.log"
    server = ServerProcess(url, today=TODAY, log_path=log_path).start()
    sent = 0
    try:
        with httpx.Client(base_url=server.base, cookies=cookies, headers=CSRF, timeout=30) as client:

            def overview(_=None) -> httpx.Response:
                return client.get("/api/overview")

            def post(n: int) -> httpx.Response:
                return client.post("/api/changes", json=change(n), headers={"Idempotency-Key": f"restart-{n}"})

            # several request threads of the server each hold a connection of the pool
            with ThreadPoolExecutor(8) as pool:
                assert {r.status_code for r in pool.map(overview, range(16))} == {200}

            own_cluster.restart()
            # every held connection is gone: the next requests, on whichever thread, still succeed
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(overview, range(16)))
            assert [r.status_code for r in answers] == [200] * 16, [r.text for r in answers if r.status_code != 200]
            r = post(sent)
            sent += 1
            assert r.status_code == 201, r.text

            own_cluster.stop_server()
            try:
                for r in (overview(), post(sent)):
                    assert r.status_code == 503, r.text
                    assert r.headers["content-type"].startswith(PROBLEM)
                    assert problem_errors(r.status_code, r.headers["content-type"], r.content) == []
                    body = r.json()
                    assert body["type"].endswith("/unavailable"), body
                    assert int(r.headers["Retry-After"]) > 0
                    assert "Traceback" not in r.text and "psycopg" not in r.text
            finally:
                own_cluster.start_server()

            # back: the change refused during the outage is sent again with its key and stored once
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(overview, range(16)))
            assert [r.status_code for r in answers] == [200] * 16, [r.text for r in answers if r.status_code != 200]
            r = post(sent)
            assert r.status_code == 201, r.text
            assert post(sent).json() == r.json()  # a replay, not a second change
    finally:
        server.stop()
    log = log_path.read_text(errors="replace")
    assert "Traceback" not in log and "unhandled" not in log, log[-3000:]
    assert "database unreachable" in log
    store = Store(url)
    try:
        hh = household_id(store, "single_tenant")
        keys = [r[0] for r in store.db().execute(
            "SELECT key FROM idempotency_records WHERE scope = ? ORDER BY key", (f"hh:{hh}",)).fetchall()]
    finally:
        store.close()
    assert keys == ["restart-0", "restart-1"]

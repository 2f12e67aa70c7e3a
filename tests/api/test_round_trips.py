"""How many round trips to PostgreSQL one submit costs (POST /api/changes with an Idempotency-Key: the
session, the locks, the idempotency record, the household's facts, the decisions, the event, the
income scan hook). Each is a wait on the server, paid while the household's lock is held: a submit
took 57 (an income change) and 67 (a partner moving in) before the reads of one household went in one
statement (store/db.select_many) and the decisions, their months and payments in one executemany each.
The demo households have last year open too (applied, decided and paid), so the scan hook also works
out last year's expected settlement (6 reads: api/years/scan.py): 31 for an income change.

Counted, not timed: every call of pg.PgDatabase.run is one round trip (a statement, a pipeline or an
executemany, which psycopg pipelines). PostgreSQL only: SQLite has no round trips."""

from __future__ import annotations

import threading

import pytest

from api.store import pg

from .conftest import enrol

INCOME = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_100_000}}
PARTNER = {"change": {"kind": "partner", "date": "2026-11-01", "action": "moves_in",
                      "partner": {"given_name": "Joris", "birth_date": "1993-02-11", "income": 2_400_000}}}
AT_MOST = 32


def test_a_submit_costs_a_bounded_number_of_round_trips(client, app, store_kind, monkeypatch):
    if store_kind != "postgresql":
        pytest.skip("round trips are PostgreSQL's")
    enrol(client, app, "single_parent")
    calls = []
    lock = threading.Lock()
    run = pg.PgDatabase.run

    def counted(self, fn, sqls):
        with lock:
            calls.append(sqls[0])
        return run(self, fn, sqls)

    monkeypatch.setattr(pg.PgDatabase, "run", counted)
    for name, body in (("income", INCOME), ("partner", PARTNER)):
        calls.clear()
        r = client.post("/api/changes", json=body, headers={"Idempotency-Key": f"trips-{name}"})
        assert r.status_code == 201, r.text
        assert 10 < len(calls) <= AT_MOST, (name, len(calls), calls)

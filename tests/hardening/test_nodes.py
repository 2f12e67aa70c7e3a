"""Many stateless API nodes against one PostgreSQL (issue #16), with REAL server processes
(tests/hardening/serve.py) on a database of the throwaway cluster (tests/pgcluster.py):

- two nodes see each other's writes: a change made through node A shows in node B's overview at
  once, although B had stored that overview (a stored overview holds only for the household's data
  version it was worked out from, read with it on every request);
- the scheduled jobs run once with two nodes that both run the scheduler (job_leases);
- kill -9 of one of two nodes under load: clients that retry on the other node with the same
  Idempotency-Key end with every change stored once: 0 lost, 0 doubled;
- many phones submitting at once, more than a node has worker threads, with every key sent twice at
  the same moment (once to each node): 0 errors, every change stored once. Before the pool was sized
  for every thread that holds a connection, this ran dry (PoolTimeout after 30 s, a 500).

Skipped when no PostgreSQL server binary is installed."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
import uuid

import httpx
import psycopg
import pytest

from api import demo
from api.store import Store

from .common import CSRF, ServerProcess, add_demo_copies, household_id, make_settings, mint_session, seed_db

TODAY = dt.date(2026, 6, 15)
CHANGE = {"change": {"kind": "income", "date": "2026-07-01", "person": "applicant", "income": 5_200_000}}


@pytest.fixture
def pg_db(pg_cluster):
    url = pg_cluster.create_database()
    settings = make_settings(url, today=TODAY)
    seed_db(url, settings)
    yield url, settings
    pg_cluster.drop_database(url)


def _cookie(url: str, settings, demo_key: str) -> dict:
    store = Store(url)
    try:
        token = mint_session(store, settings, household_id(store, demo_key))
    finally:
        store.close()
    return {settings.session_cookie_name: token}


def _scalar(url: str, sql: str):
    with psycopg.connect(url) as conn:
        return conn.execute(sql).fetchone()[0]


def test_two_nodes_see_each_others_writes(pg_db, tmp_path):
    url, settings = pg_db
    a = ServerProcess(url, today=TODAY, log_path=tmp_path / "a.log").start()
    b = ServerProcess(url, today=TODAY, log_path=tmp_path / "b.log").start()
    try:
        cookies = _cookie(url, settings, "single_tenant")
        with httpx.Client(base_url=a.base, cookies=cookies, headers=CSRF) as ca, \
                httpx.Client(base_url=b.base, cookies=cookies, headers=CSRF) as cb:
            before = cb.get("/api/overview")
            assert before.status_code == 200, before.text
            assert cb.get("/api/overview").json() == before.json()       # now the one B stored
            r = ca.post("/api/changes", json=CHANGE, headers={"Idempotency-Key": "two-nodes-1"})
            assert r.status_code == 201, r.text
            after_b, after_a = cb.get("/api/overview").json(), ca.get("/api/overview").json()
            assert after_b == after_a
            assert after_b != before.json()                               # B did not serve its stale copy
            # the same key on the other node answers with the first response (idempotency in the store)
            again = cb.post("/api/changes", json=CHANGE, headers={"Idempotency-Key": "two-nodes-1"})
            assert again.status_code == 201 and again.json() == r.json()
    finally:
        a.stop()
        b.stop()


def test_a_scheduled_job_runs_once_with_two_nodes(pg_db, tmp_path):
    url, _ = pg_db
    nodes = [ServerProcess(url, today=TODAY, log_path=tmp_path / f"{n}.log", extra=["--jobs"]).start()
             for n in ("a", "b")]
    try:
        from api.jobs import registry

        names = sorted(j.name for j in registry.jobs())
        end = time.monotonic() + 90
        while time.monotonic() < end:
            done = _scalar(url, "SELECT count(*) FROM job_leases WHERE last_finished_at IS NOT NULL")
            if done == len(names):
                break
            time.sleep(0.5)
        time.sleep(6)  # one more look of each scheduler (poll 5 s): nothing is run a second time
        with psycopg.connect(url) as conn:
            got = conn.execute("SELECT name, runs, holder FROM job_leases ORDER BY name").fetchall()
        assert [(name, runs) for name, runs, _ in got] == [(name, 1) for name in names]
        assert all(holder is None for _, _, holder in got)
    finally:
        for n in nodes:
            n.stop()


def test_kill9_of_one_of_two_nodes_under_load_loses_and_doubles_nothing(pg_db, tmp_path):
    url, settings = pg_db
    nodes = [ServerProcess(url, today=TODAY, log_path=tmp_path / f"{n}.log").start() for n in ("a", "b")]
    households = ("single_tenant", "single_parent", "couple_three_children")
    cookies = {k: _cookie(url, settings, k) for k in households}
    changes_per_client, clients_per_household = 20, 2
    total = changes_per_client * clients_per_household * len(households)
    answered, lock, failures = [], threading.Lock(), []
    killed = threading.Event()
    events_before = _scalar(url, "SELECT count(*) FROM events WHERE kind LIKE 'change.%'")

    def client(hh: str, seed: int) -> None:
        rng = random.Random(seed)
        for i in range(changes_per_client):
            key = f"{hh}-{seed}-{i}-{uuid.uuid4().hex[:8]}"
            body = {"change": {"kind": "income", "date": f"2026-{rng.randint(1, 12):02d}-01",
                               "person": "applicant", "income": rng.randint(800_000, 6_500_000)}}
            node = rng.randrange(2)
            for attempt in range(60):
                target = nodes[node]
                try:
                    r = httpx.post(target.base + "/api/changes", json=body, cookies=cookies[hh],
                                   headers={**CSRF, "Idempotency-Key": key}, timeout=30)
                    if r.status_code == 201:
                        with lock:
                            answered.append(key)
                        break
                    if r.status_code < 500:
                        failures.append((key, r.status_code, r.text[:200]))
                        break
                except httpx.HTTPError:
                    pass
                node = 1 - node          # the outbox tries again, here on the other node
                time.sleep(0.05 * min(attempt + 1, 5))
            else:
                failures.append((key, "gave up", ""))

    threads = [threading.Thread(target=client, args=(hh, s)) for hh in households for s in range(clients_per_household)]
    for t in threads:
        t.start()
    while len(answered) < total // 2 and any(t.is_alive() for t in threads):
        time.sleep(0.05)
    nodes[0].kill9()
    killed.set()
    for t in threads:
        t.join(300)
    nodes[1].stop()
    assert not failures, failures[:5]
    assert len(answered) == total == len(set(answered))
    with psycopg.connect(url) as conn:
        records = conn.execute("SELECT key FROM idempotency_records WHERE status_code = 201").fetchall()
        events = conn.execute("SELECT count(*) FROM events WHERE kind LIKE 'change.%'").fetchone()[0]
    assert sorted(k for (k,) in records) == sorted(answered)      # each change recorded once: 0 lost
    assert events - events_before == total                          # one change event each: 0 doubled


def test_many_concurrent_submits_error_nothing_and_double_nothing(pg_db, tmp_path):
    url, settings = pg_db
    keys = [h["key"] for h in demo.HOUSEHOLDS] + add_demo_copies(url, settings, 7)   # 24 households
    cookies = {k: _cookie(url, settings, k) for k in keys}
    nodes = [ServerProcess(url, today=TODAY, log_path=tmp_path / f"{n}.log").start() for n in ("a", "b")]
    pairs, changes_per_pair = 36, 3                        # 72 phones at once: more than 40 worker threads a node
    events_before = _scalar(url, "SELECT count(*) FROM events WHERE kind LIKE 'change.%'")
    answers: dict[str, list] = {}
    lock, failures = threading.Lock(), []
    start = threading.Barrier(pairs * 2)

    def phone(pair: int, side: int) -> None:
        hh = keys[pair % len(keys)]
        with httpx.Client(base_url=nodes[side].base, cookies=cookies[hh], headers=CSRF, timeout=60) as c:
            start.wait()
            for i in range(changes_per_pair):
                key = f"burst-{pair}-{i}"    # the twin phone sends the same change with the same key, now
                body = {"change": {"kind": "income", "date": "2026-08-01", "person": "applicant",
                                   "income": 2_000_000 + 10_000 * pair + i}}
                try:
                    r = c.post("/api/changes", json=body, headers={"Idempotency-Key": key})
                except httpx.HTTPError as e:
                    failures.append((key, type(e).__name__))
                    continue
                if r.status_code != 201:
                    failures.append((key, r.status_code, r.text[:200]))
                    continue
                with lock:
                    answers.setdefault(key, []).append(r.json())

    threads = [threading.Thread(target=phone, args=(p, side)) for p in range(pairs) for side in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    for n in nodes:
        n.stop()
    assert not failures, failures[:5]
    total = pairs * changes_per_pair
    assert len(answers) == total
    assert all(len(got) == 2 and got[0] == got[1] for got in answers.values())   # the twin got the same answer
    with psycopg.connect(url) as conn:
        records = conn.execute("SELECT count(*) FROM idempotency_records WHERE key LIKE 'burst-%'").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events WHERE kind LIKE 'change.%'").fetchone()[0]
    assert records == total
    assert events - events_before == total                 # one change event each: 0 doubled

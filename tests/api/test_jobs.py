"""Scheduled jobs run once across nodes (issue #16): the lease in job_leases, on each store; the
housekeeping job deletes expired sessions and challenges."""

from __future__ import annotations

import datetime as dt

from api.jobs import housekeeping
from api.jobs.schedule import Job, run_once
from api.store import Store
from api.store import jobs as jobs_store
from api.util import iso


def _job(calls: list, interval=dt.timedelta(hours=1), lease=dt.timedelta(minutes=10)) -> Job:
    return Job("test_job", interval, lambda store, settings: calls.append(1) or {"ok": 1}, lease=lease)


def test_a_job_runs_once_per_interval_across_nodes(settings, clock):
    calls: list = []
    job = _job(calls)
    a, b = Store(settings.db_path), Store(settings.db_path)      # two nodes: their own connections
    try:
        assert run_once(a, settings, job, "node-a") == {"ok": 1}
        assert run_once(b, settings, job, "node-b") is None      # done within the interval: not again
        assert run_once(a, settings, job, "node-a") is None
        clock.advance(minutes=61)
        assert run_once(b, settings, job, "node-b") == {"ok": 1}
        assert calls == [1, 1]
        lease = jobs_store.lease(a.db(), "test_job")
        assert lease["runs"] == 2 and lease["holder"] is None and lease["last_finished_at"] == iso(clock())
    finally:
        a.close()
        b.close()


def test_a_dead_nodes_lease_expires_and_another_node_takes_over(settings, clock):
    store = Store(settings.db_path)
    try:
        now = clock()
        with store.write() as db:   # node-a took the lease and died before giving it back
            assert jobs_store.take(db, "test_job", "node-a", iso(now), iso(now - dt.timedelta(hours=1)),
                                   iso(now + dt.timedelta(minutes=10)))
        calls: list = []
        assert run_once(store, settings, _job(calls, interval=dt.timedelta(seconds=1)), "node-b") is None
        clock.advance(minutes=11)
        assert run_once(store, settings, _job(calls, interval=dt.timedelta(seconds=1)), "node-b") == {"ok": 1}
        assert calls == [1]
    finally:
        store.close()


def test_housekeeping_deletes_expired_sessions_and_challenges(settings, clock):
    from api.store import auth as auth_store
    from api.store import households as households_store

    store = Store(settings.db_path)
    try:
        now = clock()
        with store.write() as db:
            hid = households_store.every(db)[0]["id"]
            auth_store.add_session(db, "old", hid, "full", None, iso(now - dt.timedelta(hours=9)),
                                   iso(now - dt.timedelta(hours=1)))
            auth_store.add_session(db, "live", hid, "full", None, iso(now), iso(now + dt.timedelta(hours=8)))
            auth_store.add_challenge(db, "ch-old", "authentication", None, None, iso(now - dt.timedelta(minutes=10)),
                                     iso(now - dt.timedelta(minutes=5)))
        assert housekeeping.run(store, settings) == {"sessions": 1}
        db = store.db()
        assert auth_store.session(db, "old") is None and auth_store.session(db, "live") is not None
        assert db.execute("SELECT count(*) FROM webauthn_challenges WHERE challenge = 'ch-old'").fetchone()[0] == 0
        assert housekeeping.run(store, settings) == {"sessions": 0}           # idempotent
    finally:
        store.close()

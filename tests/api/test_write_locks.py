"""Write transactions on PostgreSQL (store/dialect.write_locks): a write for one household takes that
household's advisory lock and the global one shared, any other write the global one exclusively. So
two households write side by side, while the writes of one household, and the writes not tied to a
household, still run one at a time (what the read-check-write code was tested with on SQLite).

The locks are looked at from a second connection with pg_try_advisory_lock (never waits), and the
side-by-side case with two threads that would deadlock if the second write waited for the first
(joined with a timeout: a hang fails the test, nothing is timed)."""

from __future__ import annotations

import threading

import psycopg
import pytest

from api.store import Store
from api.store.dialect import HOUSEHOLD_LOCK, WRITE_LOCK
from api.store.migrate import migrate


@pytest.fixture
def url(pg_cluster):
    u = pg_cluster.create_database()
    migrate(u)
    yield u
    pg_cluster.drop_database(u)


def _free(conn: psycopg.Connection, sql: str, *params) -> bool:
    """Whether the advisory lock could be taken now (then let go again at once)."""
    with conn.transaction():
        return conn.execute(sql, params).fetchone()[0]


def household_free(conn, hid: str) -> bool:
    return _free(conn, "SELECT pg_try_advisory_xact_lock(%s, hashtext(%s))", HOUSEHOLD_LOCK, hid)


def global_free(conn) -> bool:
    return _free(conn, "SELECT pg_try_advisory_xact_lock(%s)", WRITE_LOCK)


def global_shared_free(conn) -> bool:
    return _free(conn, "SELECT pg_try_advisory_xact_lock_shared(%s)", WRITE_LOCK)


def _run_all(threads: list[threading.Thread], errors: list[str]) -> None:
    """Starts the threads together, waits for them and fails with what they reported."""
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors


def test_a_household_write_locks_its_household_and_shares_the_global_lock(url):
    store = Store(url)
    try:
        with psycopg.connect(url, autocommit=True) as other:
            with store.write(household="hh_a"):
                assert not household_free(other, "hh_a")   # another write of hh_a waits
                assert household_free(other, "hh_b")       # hh_b does not
                assert global_shared_free(other)           # other households' writes get in
                assert not global_free(other)              # a write for no household waits
            with store.write(household=["hh_c", "hh_d", "hh_c"]):   # a scan batch: all its households
                assert not household_free(other, "hh_c") and not household_free(other, "hh_d")
                assert household_free(other, "hh_a")
                assert global_shared_free(other)
            with store.write():
                assert not global_shared_free(other)       # a global write runs alone
                assert household_free(other, "hh_a")
            assert global_free(other) and household_free(other, "hh_a")   # all let go at COMMIT
    finally:
        store.close()


def test_two_households_write_side_by_side_and_both_commit(url):
    store = Store(url)
    inside, second_done, errors = threading.Event(), threading.Event(), []

    def first() -> None:
        try:
            with store.write(household="hh_a") as db:
                db.execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('a', 0, 1)")
                inside.set()
                # stays in its transaction until the other household's write has committed
                if not second_done.wait(30):
                    errors.append("the write of hh_b waited for hh_a")
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    def second() -> None:
        try:
            inside.wait(30)
            with store.write(household="hh_b") as db:
                db.execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('b', 0, 1)")
            second_done.set()
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    try:
        _run_all(threads, errors)
        with psycopg.connect(url) as conn:
            got = conn.execute("SELECT bucket FROM rate_limits ORDER BY bucket").fetchall()
        assert got == [("a",), ("b",)]
    finally:
        store.close()


def test_a_write_that_loses_a_deadlock_runs_again_once_and_nothing_is_doubled(url):
    """Two households' writes that meet on rows outside their households, in opposite order: PostgreSQL
    breaks the deadlock by rolling one back; store.run_write runs that one again. Both land once."""
    store = Store(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('x', 0, 0), ('y', 0, 0)")
    both_hold_one = threading.Barrier(2)
    calls: list[str] = []
    errors: list[str] = []

    def writer(hid: str, first: str, second: str) -> None:
        def fn(db) -> str:
            calls.append(hid)
            db.execute("UPDATE rate_limits SET hits = hits + 1 WHERE bucket = ?", (first,))
            if calls.count(hid) == 1:          # the first attempt waits until the other holds its row
                both_hold_one.wait(30)
            db.execute("UPDATE rate_limits SET hits = hits + 1 WHERE bucket = ?", (second,))
            return hid
        try:
            assert store.run_write(fn, household=hid) == hid
        except Exception as e:  # pragma: no cover - reported below
            errors.append(repr(e))

    threads = [threading.Thread(target=writer, args=("hh_a", "x", "y")),
               threading.Thread(target=writer, args=("hh_b", "y", "x"))]
    try:
        _run_all(threads, errors)
        # one (at least) ran again: its retry may meet the other once more before that one woke up
        assert len(calls) >= 3 and set(calls) == {"hh_a", "hh_b"}
        with psycopg.connect(url) as conn:
            got = conn.execute("SELECT bucket, hits FROM rate_limits ORDER BY bucket").fetchall()
        assert got == [("x", 2), ("y", 2)]                                            # each write once
    finally:
        store.close()


def test_a_session_touch_waits_for_its_household_only(url):
    """Refreshing a session's last_seen_at (every 5 minutes of use) is one row of its household: it takes
    that household's lock, so it neither waits for nor holds up the writes of other households (it took
    the global lock exclusively: every writer of every node waited for it)."""
    import datetime as dt
    from types import SimpleNamespace

    from api.auth.sessions import Sessions
    from api.settings import Settings
    from api.store import auth as auth_store
    from api.store import households as households_store
    from api.util import iso, sha256_hex

    now = dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC)
    settings = Settings(db_path=url, clock=lambda: now)
    store = Store(url)
    try:
        with store.write() as db:
            households_store.create(db, id="hh_a", label="A", now=iso(now))
            auth_store.add_session(db, sha256_hex("tok"), "hh_a", "full", None, iso(now - dt.timedelta(minutes=10)),
                                   iso(now + dt.timedelta(hours=1)))
        request = SimpleNamespace(cookies={settings.session_cookie_name: "tok"})
        done: list[object] = []
        errors: list[str] = []

        def resolve() -> None:
            try:
                done.append(Sessions(store, settings).resolve(request))  # type: ignore[arg-type]
            except Exception as e:  # pragma: no cover - reported below
                errors.append(repr(e))

        with psycopg.connect(url, autocommit=True) as other:
            # another household's write is under way: it holds the global lock shared
            other.execute("SELECT pg_advisory_lock_shared(%s)", (WRITE_LOCK,))
            _run_all([threading.Thread(target=resolve)], errors)
            touched = list(done)  # before the other write ends
            other.execute("SELECT pg_advisory_unlock_shared(%s)", (WRITE_LOCK,))
        assert touched and touched[0] is not None and touched[0].household_id == "hh_a"
        with psycopg.connect(url) as conn:
            seen = conn.execute("SELECT last_seen_at FROM sessions").fetchone()[0]
        assert seen == iso(now)  # touched while the other write went on
    finally:
        store.close()

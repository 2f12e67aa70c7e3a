"""The PostgreSQL databases the API tests get (pgcluster.Cluster.checkout): a database given back and
taken again holds exactly the template's rows and sequences again, whatever the test before wrote,
even with a connection of that test still open. Without this every test would pay for a database of its
own; with it wrong, tests would see each other's rows."""

from __future__ import annotations

import psycopg
import pytest

from tests.conftest import stores

from .conftest import template

pytestmark = pytest.mark.skipif("postgresql" not in stores(), reason="the tests run on SQLite only")


def _state(url: str) -> dict:
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")]
        out = {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
        out["sequences"] = conn.execute(
            "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1").fetchall()
    return out


@pytest.mark.parametrize("store_kind", ["postgresql"])
def test_a_database_given_back_is_the_template_again(request, pg_cluster, store_kind):
    name = template(request, "template").rsplit("/", 1)[1]
    url = pg_cluster.checkout(name)
    pristine = _state(url)
    assert pristine["households"] and pristine["events"]
    # a test writes everywhere: new rows (sequences move on), changed rows, deleted rows, even in the
    # append-only events (the triggers refuse; as superuser with the triggers off), and keeps a
    # connection open in the middle of a transaction
    left_open = psycopg.connect(url)
    left_open.execute("UPDATE households SET label = 'changed'")
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO organisations (id, name, created_at) VALUES ('org-x', 'X', '2026-01-01')")
        conn.execute("DELETE FROM rate_limits")
        conn.execute("BEGIN; SET LOCAL session_replication_role = replica; DELETE FROM events; COMMIT")
    assert _state(url) != pristine
    pg_cluster.checkin(url)

    again = pg_cluster.checkout(name)
    try:
        assert again == url  # the same database, put back
        assert _state(again) == pristine
        with pytest.raises(psycopg.OperationalError):
            left_open.execute("SELECT 1")  # the connection the test left was ended
    finally:
        left_open.close()
        pg_cluster.checkin(again)

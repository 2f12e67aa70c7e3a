"""What one overview costs the store (issue #16: the cold overview as a share of hello-world). A cold
overview reads the household's year in one go: ONE statement on PostgreSQL (each table's rows as JSON,
no transaction around it), one read transaction on SQLite (a stored overview still current is one read
too: test_overview_stored.py). The statements are counted, not timed; the read in one go must give
exactly what the reads one by one give."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from api.household import read
from api.household.service import HouseholdService
from api.store import Store
from api.store import decisions as decisions_store
from api.store import households as households_store
from api.store import ledger as ledger_store

from .conftest import household_id

DEMO = ("single_tenant", "single_parent", "couple_three_children")


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """Every statement this thread's connection of `store` runs meanwhile (BEGIN and COMMIT included)."""
    db = store.db()
    seen: list[str] = []
    if store.dialect == "sqlite":
        db.conn.set_trace_callback(seen.append)  # type: ignore[attr-defined]
        try:
            yield seen
        finally:
            db.conn.set_trace_callback(None)  # type: ignore[attr-defined]
        return
    plain = db.execute

    def execute(sql, params=()):
        seen.append(sql)
        return plain(sql, params)

    db.execute = execute  # type: ignore[method-assign]
    try:
        yield seen
    finally:
        del db.execute


def test_a_cold_overview_is_one_read(app, store_kind):
    store = app.state.store
    service = HouseholdService(store, app.state.settings.with_(overview_stored=False))
    hid = household_id(app, "couple_three_children")
    tables = len(households_store.load_queries(hid)) + 4  # + decisions, their months, payments, corrections
    cold_reads = 1 if store_kind == "postgresql" else tables + 2  # SQLite: BEGIN, a statement per table, COMMIT

    with statements(store) as seen:
        service.overview_json(hid)
    assert len(seen) == cold_reads, seen
    assert not [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]


def _typed(state: dict) -> list:
    """Every row of a households.load answer as (column, type of its value), in order."""
    return [(k, [(c, type(v)) for c, v in r.items()]) for k, rs in state.items()
            for r in ([rs] if k == "household" else rs)]


def test_the_read_in_one_go_gives_what_the_reads_one_by_one_give(app):
    store = app.state.store
    for key in DEMO:
        hid = household_id(app, key)
        for year in (2025, 2026, 2027):
            found = read.year(store, hid, year)
            assert found is not None
            with store.read() as db:
                assert found.household == read.household(db, hid)
                assert found.decisions == read.decisions_for_year(db, hid, year)
                assert found.payments == decisions_store.payments(db, hid, year)
                assert found.corrections == ledger_store.corrections(db, hid, year)
                # the rows themselves, not only what the types make of them: values, their order and types
                rows = households_store.loaded(store.select(households_store.load_queries(hid)))
                one_by_one = households_store.load(db, hid)
                assert rows is not None and one_by_one is not None
                assert rows == one_by_one
                assert _typed(rows) == _typed(one_by_one)
        year_read = read.year(store, hid, 2026)
        assert year_read is not None and year_read.decisions and year_read.payments  # something to compare
    assert read.year(store, "hh_no_such_household", 2026) is None

"""This year's overview stored in the database (issue #16: a parent who opens the app once a month meets
a cold cache; api/household/snapshot.py). Stored, it is served with one read; it must be exactly the
overview a computation gives on that day, on any node, and never outlive the data, the code or the
dates it was worked out for."""

from __future__ import annotations

import datetime as dt
import json

import anyio
import msgspec

from api.household import read, snapshot
from api.household.service import HouseholdService
from api.jobs import overviews as overviews_job
from api.store import households as households_store
from api.store.db import rows

from .conftest import household_id

DEMO = ("single_tenant", "single_parent", "couple_three_children")


def _stored(store, hid: str) -> dict | None:
    with store.read() as db:
        found = rows(db, "SELECT version, valid_from, valid_until, code FROM overviews WHERE household_id = ?", (hid,))
    return found[0] if found else None


def test_the_overview_changes_only_where_its_window_ends(app):
    """Worked out for every day of 2026, each demo household's overview (its date left out) is the same
    on every day of one window: so one stored computation serves each of those days exactly."""
    store, settings = app.state.store, app.state.settings
    service = HouseholdService(store, settings)
    for key in DEMO:
        found = read.year(store, household_id(app, key), 2026)
        assert found is not None
        day, by_window = dt.date(2026, 1, 1), {}
        while day.year == 2026:
            body = msgspec.json.encode(service._overview(found, day, 2026))
            stored = snapshot.pack(body, day)
            assert snapshot.unpack(stored, day) == body
            by_window.setdefault(snapshot.window(day), set()).add(stored)
            day += dt.timedelta(days=1)
        assert all(len(v) == 1 for v in by_window.values()), key
        # and the windows are not wider than they must be: the overview does change at most of their ends
        assert len(set().union(*by_window.values())) > 12


def test_windows_end_on_the_first_and_on_payment_runs():
    assert snapshot.window(dt.date(2026, 6, 15)) == (dt.date(2026, 6, 1), dt.date(2026, 6, 22))  # 20 June: a Saturday
    assert snapshot.window(dt.date(2026, 6, 22)) == (dt.date(2026, 6, 22), dt.date(2026, 7, 1))
    assert snapshot.window(dt.date(2026, 12, 7)) == (dt.date(2026, 12, 1), dt.date(2026, 12, 21))
    assert snapshot.window(dt.date(2026, 12, 31)) == (dt.date(2026, 12, 21), dt.date(2027, 1, 1))


def test_a_stored_overview_is_one_read_and_what_a_computation_gives(app, client, monkeypatch):
    from .conftest import enrol

    enrol(client, app, "couple_three_children")
    store = app.state.store
    hid = household_id(app, "couple_three_children")
    computed = HouseholdService(store, app.state.settings.with_(overview_stored=False)).overview_json(hid)
    assert _stored(store, hid) is None

    first = client.get("/api/overview")  # worked out, and stored
    assert first.status_code == 200 and first.content == computed
    row = _stored(store, hid)
    assert row is not None and (row["valid_from"], row["valid_until"]) == ("2026-11-20", "2026-12-01")

    def no_computation(*args):
        raise AssertionError("worked out again")

    reads: list[str] = []
    fetch = store.fetch

    async def counted(query):
        reads.append(query[0])
        return await fetch(query)

    with monkeypatch.context() as m:
        m.setattr(read, "year", no_computation)
        m.setattr(store, "fetch", counted)
        second = client.get("/api/overview")  # the stored one, read with the session: one statement
    assert second.content == first.content
    assert len(reads) == 1 and "sessions" in reads[0] and "overviews" in reads[0]

    # a change (the version bumped, as on another node) is never served from the stored one
    r = client.post("/api/changes", json={"change": {"kind": "income", "date": "2026-12-01", "income": 3_100_000}},
                    headers={"Idempotency-Key": "stored-1"})
    assert r.status_code == 201, r.text
    after = client.get("/api/overview")
    assert json.loads(after.content) != json.loads(first.content)
    assert json.loads(after.content) == json.loads(
        HouseholdService(store, app.state.settings.with_(overview_stored=False)).overview_json(hid))
    assert _stored(store, hid)["version"] == households_store.version(store.db(), hid)


def test_a_stored_overview_is_not_served_past_its_window(app):
    store, settings = app.state.store, app.state.settings
    hid = household_id(app, "single_parent")
    service = HouseholdService(store, settings)
    service.overview_json(hid)  # stored on 2026-11-29 (TODAY), it holds until 1 December
    row = _stored(store, hid)
    later = dt.date.fromisoformat(row["valid_until"])
    moved = HouseholdService(store, settings.with_(today=later))
    fresh = HouseholdService(store, settings.with_(today=later, overview_stored=False)).overview_json(hid)
    served = anyio.run(moved.overview, hid)
    assert served == fresh
    assert _stored(store, hid)["valid_from"] == later.isoformat()


def test_the_nightly_job_refreshes_what_ran_out(app):
    store, settings = app.state.store, app.state.settings
    service = HouseholdService(store, settings)
    ids = [household_id(app, k) for k in DEMO]
    for hid in ids:
        service.overview_json(hid)
    assert overviews_job.run(store, settings)["refreshed"] == 0  # nothing ran out

    later = dt.date.fromisoformat(_stored(store, ids[0])["valid_until"])
    moved = settings.with_(today=later)
    with store.write(household=ids[1]) as db:
        households_store.bump_version(db, ids[1])
    assert overviews_job.run(store, moved)["refreshed"] == 3
    assert overviews_job.run(store, moved)["refreshed"] == 0  # idempotent
    for hid in ids:
        row = _stored(store, hid)
        assert row["valid_from"] <= later.isoformat() < row["valid_until"]
        assert row["version"] == households_store.version(store.db(), hid)


def test_one_household_that_fails_does_not_stop_the_refresh(app, monkeypatch, caplog):
    store, settings = app.state.store, app.state.settings
    ids = [household_id(app, k) for k in DEMO]
    for hid in ids:
        HouseholdService(store, settings).overview_json(hid)
    moved = settings.with_(today=dt.date.fromisoformat(_stored(store, ids[0])["valid_until"]))
    work = HouseholdService._overview

    def failing(self, found, today, year):
        if found.household.id == ids[1]:
            raise ValueError("broken data")
        return work(self, found, today, year)

    monkeypatch.setattr(HouseholdService, "_overview", failing)
    assert overviews_job.run(store, moved)["refreshed"] == 2
    assert "overviews not worked out: 1 of" in caplog.text and ids[1] not in caplog.text

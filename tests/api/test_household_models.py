"""The household domain's typed state (api/household/models.py) holds exactly what the store gave:
mapping a household or a decision to its Struct and back gives the store's rows again, for every
seeded household after a few changes (so the layers that still read rows, and shared_rules, see
the same input as before)."""

from __future__ import annotations

from api.household import read
from api.household.models import Household, decision_rows
from api.store import decisions as decisions_store
from api.store import households as households_store

from .conftest import enrol


def test_household_state_is_the_rows_the_store_gave(client, app):
    enrol(client, app, "single_parent")
    r = client.post("/api/changes", json={"change": {"kind": "income", "date": "2026-06-15", "person": "applicant",
                                                     "income": 3_100_000}})
    assert r.status_code == 201, r.text
    with app.state.store.read() as db:
        ids = [h["id"] for h in households_store.every(db)]
        assert ids
        for hid in ids:
            rows = households_store.load(db, hid)
            assert rows is not None
            hh = read.household(db, hid)
            assert hh is not None and hh.id == hid
            assert hh.state() == rows
            assert Household.from_state(rows) == hh
            assert hh.applied(2026) == {a["toeslag"] for a in rows["applications"] if a["year"] == 2026}
            assert all(isinstance(p.insured, bool) for p in hh.persons)


def test_decisions_read_as_the_store_rows(client, app):
    enrol(client, app, "couple_three_children")
    r = client.post("/api/changes", json={"change": {"kind": "income", "date": "2026-06-15", "person": "applicant",
                                                     "income": 2_500_000}})
    assert r.status_code == 201, r.text
    with app.state.store.read() as db:
        for hid in [h["id"] for h in households_store.every(db)]:
            rows = decisions_store.for_year(db, hid, 2026)
            decs = read.decisions_for_year(db, hid, 2026)
            assert len(decs) == len(rows)
            for got, want in zip(decision_rows(decs), rows, strict=True):
                # the household and the decision are known to whoever holds a Decision or its months
                assert got == {k: v for k, v in want.items() if k != "household_id"} | {
                    "months": [{k: v for k, v in m.items() if k != "decision_id"} for m in want["months"]]}
            assert [d.id for d in read.recent_decisions(db, hid)] == [d["id"] for d in decisions_store.recent(db, hid)]

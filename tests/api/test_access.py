"""Every household route takes the household from the session: A's session sees A, B's session sees B,
no session sees nothing; another household's passkey or contract is a 404."""

from __future__ import annotations

import pytest

from .conftest import enrol, fingerprint, is_problem

READS = ["/api/household", "/api/overview", "/api/history?year=2026", "/api/messages", "/api/passkeys"]
WRITES = [
    ("/api/changes/preview", {"change": {"kind": "home", "date": "2026-12-01", "rent": 70_000}}),
    ("/api/changes", {"change": {"kind": "home", "date": "2026-12-01", "rent": 70_000}}),
    ("/api/applications", {"toeslag": "kinderopvangtoeslag"}),
    ("/api/passkeys/register/options", None),
]


@pytest.fixture
def two(client, app, new_client):
    enrol(client, app, "single_tenant")
    b = new_client()
    enrol(b, app, "single_parent")
    anon = new_client()
    return {"A": client, "B": b, "anon": anon}


@pytest.mark.parametrize("path", READS)
def test_reads_matrix(two, path):
    a = two["A"].get(path)
    b = two["B"].get(path)
    assert a.status_code == b.status_code == 200
    if path in ("/api/household", "/api/overview"):
        assert "De Vries" in a.text and "El Amrani" not in a.text
        assert "El Amrani" in b.text and "De Vries" not in b.text
    assert a.text != b.text
    is_problem(two["anon"].get(path), 401)


@pytest.mark.parametrize("path,body", WRITES)
def test_writes_need_a_session(two, app, path, body):
    before = fingerprint(app)
    is_problem(two["anon"].post(path, json=body), 401)
    assert fingerprint(app) == before


def test_household_id_in_request_is_ignored_or_refused(two, app):
    before = fingerprint(app)
    r = two["A"].post("/api/changes", json={"household_id": "hh_other",
                                            "change": {"kind": "home", "date": "2026-12-01", "rent": 1}})
    is_problem(r, 400)
    assert fingerprint(app) == before
    assert two["A"].get("/api/overview?household_id=whatever").json()["household_label"] == "Huishouden De Vries"


def test_other_households_passkey_and_contract_are_404(two, app):
    b_keys = two["B"].get("/api/passkeys").json()["passkeys"]
    before = fingerprint(app)
    is_problem(two["A"].delete(f"/api/passkeys/{b_keys[0]['id']}"), 404)
    is_problem(two["anon"].delete(f"/api/passkeys/{b_keys[0]['id']}"), 401)
    contract = two["B"].get("/api/household").json()["contracts"][0]["id"]
    body = {"change": {"kind": "childcare", "date": "2026-12-01", "contract_id": contract, "hours_per_month": 1}}
    p = is_problem(two["A"].post("/api/changes", json=body), 404)
    assert p["field"] == "change.contract_id"
    is_problem(two["A"].post("/api/changes/preview", json=body), 404)
    adam = next(p for p in two["B"].get("/api/household").json()["persons"] if p["given_name"] == "Adam")
    body = {"change": {"kind": "child", "date": "2026-12-01", "action": "moves_out", "child_id": adam["id"]}}
    is_problem(two["A"].post("/api/changes", json=body), 404)
    assert fingerprint(app) == before
    assert len(two["B"].get("/api/passkeys").json()["passkeys"]) == 1

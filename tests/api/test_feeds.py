"""Partner feeds: bearer tokens scoped to one organisation and one data type, strict validation,
idempotent per (organisation, person, month)."""

from __future__ import annotations

import pytest

from api import demo
from api.feeds.service import create_token
from api.store import feeds as feeds_store
from api.util import iso

from .conftest import fingerprint, is_problem


def token(app, org: str, data_type: str, name: str | None = None) -> str:
    with app.state.store.write() as db:
        if feeds_store.organisation(db, org) is None:
            feeds_store.add_organisation(db, org, name or org, iso(app.state.settings.now()))
        return create_token(db, org, data_type, iso(app.state.settings.now()))


def ref(app, org: str, given_name: str, data_type: str) -> str:
    return next(l["ref"] for l in feeds_store.links(app.state.store.db(), org)
                if l["given_name"] == given_name and l["data_type"] == data_type)


def hours(child_ref: str, month: str = "2026-11", h: int = 130, lrk: str = demo.LRK_DAGOPVANG) -> dict:
    return {"reports": [{"child_ref": child_ref, "lrk_number": lrk, "month": month, "hours": h, "hourly_rate": 1025}]}


def auth(tok: str) -> dict:
    return {"Authorization": f"Bearer {tok}"}


def test_koo_reports_hours_idempotently(client, app):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    r = client.post("/feeds/childcare-hours", json=hours(noor), headers=auth(tok))
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["status"] == "created"
    snapshot = fingerprint(app)
    r = client.post("/feeds/childcare-hours", json=hours(noor), headers=auth(tok))
    assert r.json()["results"][0]["status"] == "unchanged"
    assert fingerprint(app) == snapshot
    # a newer report for the month replaces the old one; both are kept
    r = client.post("/feeds/childcare-hours", json=hours(noor, h=150), headers=auth(tok))
    assert r.json()["results"][0]["status"] == "replaced"
    db = app.state.store.db()
    rows = db.execute("SELECT hours, replaced_by FROM feed_reports WHERE month = '2026-11' ORDER BY id").fetchall()
    assert [r[0] for r in rows] == [130, 150] and rows[0][1] is not None and rows[1][1] is None


def test_feed_with_bsn_in_body(client, app):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    body = {"reports": [{"bsn": demo.BSN["noor"], "lrk_number": demo.LRK_DAGOPVANG, "month": "2026-11",
                         "hours": 100, "hourly_rate": 1025}]}
    r = client.post("/feeds/childcare-hours", json=body, headers=auth(tok))
    assert r.status_code == 200, r.text
    assert demo.BSN["noor"] not in r.text


def test_token_is_scoped_to_data_type(client, app):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    before = fingerprint(app)
    body = {"reports": [{"person_ref": "ref_whatever", "month": "2026-10", "wages": 250_000}]}
    is_problem(client.post("/feeds/income", json=body, headers=auth(tok)), 403)
    assert fingerprint(app) == before


def test_token_cannot_touch_another_organisations_children(client, app):
    other = token(app, "kdv-ander", "childcare_hours", "Kinderdagverblijf Anders")
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    before = fingerprint(app)
    for body in (hours(noor), {"reports": [{"bsn": demo.BSN["noor"], "lrk_number": demo.LRK_DAGOPVANG,
                                            "month": "2026-11", "hours": 1, "hourly_rate": 1}]}):
        problem = is_problem(client.post("/feeds/childcare-hours", json=body, headers=auth(other)), 404)
        assert problem["field"].startswith("reports[0].")
    assert fingerprint(app) == before


def test_employer_cannot_report_for_someone_else(client, app):
    tok = token(app, demo.EMPLOYER_ID, "income")
    sanne = ref(app, demo.EMPLOYER_ID, "Sanne", "income")
    ok = {"reports": [{"person_ref": sanne, "month": "2026-11", "wages": 281_000}]}
    assert client.post("/feeds/income", json=ok, headers=auth(tok)).status_code == 200
    before = fingerprint(app)
    # Fatima is not employed there (no link), not by BSN either
    bad = {"reports": [{"bsn": demo.BSN["fatima"], "month": "2026-11", "wages": 1}]}
    is_problem(client.post("/feeds/income", json=bad, headers=auth(tok)), 404)
    # a KOO child reference does not work for an income feed
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    bad = {"reports": [{"person_ref": noor, "month": "2026-11", "wages": 1}]}
    is_problem(client.post("/feeds/income", json=bad, headers=auth(tok)), 404)
    assert fingerprint(app) == before


@pytest.mark.parametrize("headers,status", [({}, 401), (auth("tsf_wrong"), 401), ({"Authorization": "Basic x"}, 401)])
def test_feed_needs_a_valid_token(client, app, headers, status):
    before = fingerprint(app)
    r = client.post("/feeds/childcare-hours", json={"reports": "garbage"}, headers=headers)
    is_problem(r, status)  # refused before the body is even read
    assert "bearer" in r.headers["www-authenticate"].lower()
    assert fingerprint(app) == before


BAD_ITEMS = [
    ({"lrk_number": "12345", "month": "2026-11", "hours": 1, "hourly_rate": 1}, 400, "reports[0].lrk_number"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-13", "hours": 1, "hourly_rate": 1}, 400, "reports[0].month"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-12", "hours": 1, "hourly_rate": 1}, 422, "reports[0].month"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2024-12", "hours": 1, "hourly_rate": 1}, 422, "reports[0].month"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-11", "hours": 745, "hourly_rate": 1}, 400, "reports[0].hours"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-11", "hours": -1, "hourly_rate": 1}, 400, "reports[0].hours"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-11", "hours": 1, "hourly_rate": 5001}, 400,
     "reports[0].hourly_rate"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-11", "hours": "1", "hourly_rate": 1}, 400, "reports[0].hours"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2026-11", "hours": 1, "hourly_rate": 1, "x": 1}, 400, "reports[0].x"),
    ({"lrk_number": demo.LRK_BSO, "month": "2026-11", "hours": 1, "hourly_rate": 1}, 404, "reports[0].lrk_number"),
    ({"lrk_number": demo.LRK_DAGOPVANG, "month": "2025-06", "hours": 1, "hourly_rate": 1}, 404, "reports[0].lrk_number"),
]


@pytest.mark.parametrize("item,status,field", BAD_ITEMS, ids=[str(i) for i in range(len(BAD_ITEMS))])
def test_feed_validation(client, app, item, status, field):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    good = hours(noor)["reports"][0]
    before = fingerprint(app)
    # a bad item anywhere refuses the whole batch
    body = {"reports": [{"child_ref": noor, **item}, good]}
    problem = is_problem(client.post("/feeds/childcare-hours", json=body, headers=auth(tok)), status)
    assert problem["field"] == field, problem
    assert fingerprint(app) == before


def test_feed_batch_limits_and_both_identifiers(client, app):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    is_problem(client.post("/feeds/childcare-hours", json={"reports": []}, headers=auth(tok)), 400)
    both = {"reports": [{"child_ref": noor, "bsn": demo.BSN["noor"], "lrk_number": demo.LRK_DAGOPVANG,
                         "month": "2026-11", "hours": 1, "hourly_rate": 1}]}
    is_problem(client.post("/feeds/childcare-hours", json=both, headers=auth(tok)), 422)


def test_feed_idempotency_key(client, app):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    noor = ref(app, demo.KOO_ID, "Noor", "childcare_hours")
    h = {**auth(tok), "Idempotency-Key": "batch-2026-11"}
    first = client.post("/feeds/childcare-hours", json=hours(noor), headers=h)
    again = client.post("/feeds/childcare-hours", json=hours(noor), headers=h)
    assert again.content == first.content and again.headers["idempotent-replayed"] == "true"
    is_problem(client.post("/feeds/childcare-hours", json=hours(noor, h=99), headers=h), 422)


def test_insurance_and_rent_feeds(client, app):
    ins = token(app, "zorgverzekeraar-zuid", "insurance")
    rent = token(app, "woningcorporatie-oost", "rent")
    with app.state.store.write() as db:
        sanne = next(p for p in db.execute("SELECT id, given_name FROM persons").fetchall() if p[1] == "Sanne")[0]
        feeds_store.add_link(db, "zorgverzekeraar-zuid", sanne, "insurance", "ref_ins_sanne", "2026-01-01")
        feeds_store.add_link(db, "woningcorporatie-oost", sanne, "rent", "ref_rent_sanne", "2026-01-01")
    r = client.post("/feeds/insurance", json={"reports": [{"person_ref": "ref_ins_sanne", "month": "2026-11",
                                                           "insured": True}]}, headers=auth(ins))
    assert r.status_code == 200, r.text
    r = client.post("/feeds/rent", json={"reports": [{"person_ref": "ref_rent_sanne", "month": "2026-11",
                                                      "rent": 69_000}]}, headers=auth(rent))
    assert r.status_code == 200, r.text
    # the rent token cannot post insurance, and the insurer's ref is unknown to the landlord
    is_problem(client.post("/feeds/insurance", json={"reports": [{"person_ref": "ref_ins_sanne", "month": "2026-11",
                                                                  "insured": False}]}, headers=auth(rent)), 403)
    is_problem(client.post("/feeds/rent", json={"reports": [{"person_ref": "ref_ins_sanne", "month": "2026-11",
                                                             "rent": 1}]}, headers=auth(rent)), 404)


def test_feed_tokens_stored_hashed(app):
    tok = token(app, demo.KOO_ID, "childcare_hours")
    db = app.state.store.db()
    assert db.execute("SELECT count(*) FROM feed_tokens WHERE token_hash = ?", (tok,)).fetchone()[0] == 0

"""Changes: preview (nothing stored) and submit (stored, decisions, event), idempotent replay, bad input."""

from __future__ import annotations

import pytest

import shared_rules
from api.household import situation
from api.store import households as households_store

from .conftest import enrol, fingerprint, household_id, is_problem, refused_without_a_trace, stores_nothing

CHANGES = ("/api/changes/preview", "/api/changes")
INCOME = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_300_000}}


def test_preview_is_the_shared_rules_preview_and_stores_nothing(client, app):
    enrol(client, app, "single_tenant")
    pv = stores_nothing(client, app, "/api/changes/preview", INCOME)
    # the same call the phone makes, with the inputs GET /api/household hands it
    inp = client.get("/api/household").json()["rules_input"]
    sit = dict(inp["timeline"][-1]["situation"])
    sit["applicant"] = {**sit["applicant"], "income": 3_300_000}
    inp["change"] = {"date": "2026-11-15", "situation": sit}
    expected = shared_rules.preview(inp)
    assert pv["effective_month"] == expected["effective_month"] == 12
    assert pv["rules_version"] == expected["rules_version"]
    for t, exp in expected["toeslagen"].items():
        got = pv["toeslagen"][t]
        for k in ("paid", "voorschot", "new_monthly", "past_months", "repayment", "settlement",
                  "hoge_terugvordering", "threshold"):
            assert got[k] == exp[k], (t, k)
        assert got["after"]["months"] == exp["after"]["months"]
    assert pv["toeslagen"]["huurtoeslag"]["applied"] is True
    assert pv["toeslagen"]["kinderopvangtoeslag"]["applied"] is False


def test_submit_applies_records_decisions_and_logs_event(client, app):
    enrol(client, app, "single_tenant")
    hh = household_id(app, "single_tenant")
    preview = client.post("/api/changes/preview", json=INCOME).json()
    r = client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "k-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["kind"] == "income" and "inkomen" in out["summary"]
    db = app.state.store.db()
    ev = db.execute("SELECT source, kind, amounts FROM events WHERE id = ?", (out["event_id"],)).fetchone()
    assert ev[0] == "parent" and ev[1] == "change.income"
    applied = {o["toeslag"]: o for o in out["toeslagen"] if o["applied"]}
    assert set(applied) == {"zorgtoeslag", "huurtoeslag"}
    for t, o in applied.items():
        assert o["decision_id"]
        # every month of 2026 was already paid: the whole difference is settled now
        assert o["past_months"] == preview["toeslagen"][t]["past_months"]
        assert o["repayment"] == preview["toeslagen"][t]["repayment"]
    # the overview now follows the new estimate, and equals shared_rules on the stored situation
    state = households_store.load(db, hh)
    assert situation.estimate(state, state["persons"][0]["id"], 2026) == (3_300_000, 0)
    ov = client.get("/api/overview").json()
    calc = shared_rules.calculate(situation.situation_on(state, __import__("datetime").date(2026, 11, 1), 2026))
    for item in ov["toeslagen"]:
        assert item["months"] == calc["toeslagen"][item["toeslag"]]["months"]
        if item["applied"]:
            # paid months now include the corrections: paid == new entitlement
            assert item["paid"] == item["months"]
    msgs = client.get("/api/messages").json()["messages"]
    assert msgs[0]["title"].startswith("Nieuwe berekening")


def test_idempotent_replay_changes_nothing(client, app):
    enrol(client, app, "single_tenant")
    first = client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "abc-123"})
    assert first.status_code == 201
    snapshot = fingerprint(app)
    again = client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "abc-123"})
    assert again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert fingerprint(app) == snapshot
    # the same key with another body is refused, and changes nothing
    other = {"change": {**INCOME["change"], "income": 1_000_000}}
    body = is_problem(client.post("/api/changes", json=other, headers={"Idempotency-Key": "abc-123"}), 422)
    assert body["field"] == "Idempotency-Key"
    assert fingerprint(app) == snapshot
    # without a key the same change is simply applied again (a new decision)
    assert client.post("/api/changes", json=INCOME).status_code == 201
    assert fingerprint(app) != snapshot


def test_idempotency_keys_are_per_household(client, app, new_client):
    enrol(client, app, "single_tenant")
    other = new_client()
    enrol(other, app, "couple_three_children")
    a = client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "same"})
    b = other.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "same"})
    assert a.status_code == b.status_code == 201
    assert a.json()["event_id"] != b.json()["event_id"]
    assert "idempotent-replayed" not in b.headers


CHANGES_OK = [
    {"kind": "home", "date": "2026-12-01", "rent": 71_000, "service_costs": 4_500},
    {"kind": "address", "date": "2026-10-14", "address": {"street": "Biltstraat", "house_number": "5",
                                                           "postcode": "3572AB", "city": "Utrecht"},
     "renting": True, "rent": 90_000},
    {"kind": "partner", "date": "2026-08-01", "action": "moves_in",
     "partner": {"given_name": "Joris", "birth_date": "1993-02-11", "income": 2_400_000}},
    {"kind": "child", "date": "2026-09-03", "action": "born",
     "child": {"given_name": "Mila", "birth_date": "2026-09-03"}},
]


@pytest.mark.parametrize("change", CHANGES_OK, ids=lambda c: c["kind"])
def test_every_change_kind(client, app, change):
    enrol(client, app, "single_tenant")
    assert client.post("/api/changes/preview", json={"change": change}).status_code == 200
    r = client.post("/api/changes", json={"change": change})
    assert r.status_code == 201, r.text
    tl = client.get("/api/household").json()["rules_input"]["timeline"]
    assert len(tl) >= 1


def test_childcare_and_children_changes(client, app):
    enrol(client, app, "single_parent")
    hh = client.get("/api/household").json()
    contract = next(c for c in hh["contracts"] if c["kind"] == "dagopvang")
    adam = next(p for p in hh["persons"] if p["given_name"] == "Adam")
    r = client.post("/api/changes", json={"change": {"kind": "childcare", "date": "2026-09-01",
                                                     "contract_id": contract["id"], "hours_per_month": 140}})
    assert r.status_code == 201, r.text
    tl = client.get("/api/household").json()["rules_input"]["timeline"]
    assert [seg["from"] for seg in tl] == ["2026-01-01", "2026-09-01"]
    assert tl[1]["situation"]["childcare"][0]["hours"] in (140, 64)
    r = client.post("/api/changes", json={"change": {"kind": "child", "date": "2026-10-12", "action": "moves_out",
                                                     "child_id": adam["id"]}})
    assert r.status_code == 201, r.text
    tl = client.get("/api/household").json()["rules_input"]["timeline"]
    assert tl[-1]["from"] == "2026-11-01" and len(tl[-1]["situation"]["children"]) == 1
    r = client.post("/api/changes", json={"change": {"kind": "childcare", "date": "2026-11-01",
                                                     "contract_id": contract["id"], "ends": True}})
    assert r.status_code == 201
    tl = client.get("/api/household").json()["rules_input"]["timeline"]
    assert tl[-1]["situation"]["childcare"] == []


BAD = [
    ({"change": {"kind": "income", "date": "2026-11-15", "income": "veel"}}, 400, "change.income"),
    ({"change": {"kind": "income", "date": "2026-11-15", "income": -5}}, 400, "change.income"),
    ({"change": {"kind": "income", "date": "2026-11-15", "income": 10**15}}, 400, "change.income"),
    ({"change": {"kind": "income", "date": "2026-11-15", "income": 1.5}}, 400, "change.income"),
    ({"change": {"kind": "income", "date": "2026-11-15", "income": 5, "bsn": "123456782"}}, 400, "change.bsn"),
    ({"change": {"kind": "income", "date": "15-11-2026", "income": 5}}, 400, "change.date"),
    ({"change": {"kind": "income", "date": "2026-02-30", "income": 5}}, 400, "change.date"),
    ({"change": {"kind": "income", "date": "2031-01-01", "income": 5}}, 422, "change.date"),
    ({"change": {"kind": "income", "date": "1999-01-01", "income": 5}}, 422, "change.date"),
    ({"change": {"kind": "income", "date": "2026-11-15", "person": "partner", "income": 5}}, 422, "change.person"),
    ({"change": {"kind": "salary", "date": "2026-11-15"}}, 400, "change.kind"),
    ({"change": {"kind": "home", "date": "2026-11-15"}}, 400, "change.rent"),
    ({"change": {"kind": "address", "date": "2026-11-15", "address": {"street": "X", "house_number": "1",
                  "postcode": "12345", "city": "Y"}, "rent": 5}}, 400, "change.address.postcode"),
    ({"change": {"kind": "childcare", "date": "2026-11-15", "contract_id": "ctr_x", "hours_per_month": 745}}, 400,
     "change.hours_per_month"),
    ({"change": {"kind": "childcare", "date": "2026-11-15", "contract_id": "ctr_nope", "hours_per_month": 5}}, 404,
     "change.contract_id"),
    ({"change": {"kind": "child", "date": "2026-11-15", "action": "born",
                 "child": {"given_name": "A", "birth_date": "2027-01-01"}}}, 422, "change.child.birth_date"),
    ({"change": {"kind": "partner", "date": "2026-11-15", "action": "moves_in",
                 "partner": {"given_name": "A", "birth_date": "1990-01-01", "income": 1, "bsn": "123456789"}}},
     422, "change.partner.bsn"),
    ({"change": {"kind": "partner", "date": "2026-11-15", "action": "moves_out"}}, 422, "change.action"),
    ({"chnage": {}}, 400, "chnage"),
    ({}, 400, "change"),
    ([], 400, None),
]


@pytest.mark.parametrize("body,status,field", BAD, ids=[str(i) for i in range(len(BAD))])
def test_bad_input_is_a_problem_and_changes_nothing(client, app, body, status, field):
    enrol(client, app, "single_tenant")
    refused_without_a_trace(client, app, CHANGES, body, status, field)


# The absurd values of the app's bad-input test (tests/e2e/test_bad_input.py), straight at the API: the
# app stops them before sending, and the API refuses them too, naming the field, changing nothing.
ADDRESS = {"street": "Biltstraat", "house_number": "5", "postcode": "3572 AB", "city": "Utrecht"}
ABSURD = [
    ({"kind": "income", "date": "2026-11-15", "income": 1e12}, 400, "change.income"),
    ({"kind": "income", "date": "2026-11-15", "income": 10**12}, 400, "change.income"),
    ({"kind": "income", "date": "2026-11-15", "income": "12,3,4"}, 400, "change.income"),
    ({"kind": "income", "date": "2026-11-15", "income": 1, "assets": -1}, 400, "change.assets"),
    ({"kind": "income", "date": "9999-12-31", "income": 1}, 422, "change.date"),
    ({"kind": "income", "date": "0001-01-01", "income": 1}, 422, "change.date"),
    ({"kind": "income", "date": "", "income": 1}, 400, "change.date"),
    ({"kind": "home", "date": "2026-11-15", "rent": -100}, 400, "change.rent"),
    ({"kind": "home", "date": "2026-11-15", "rent": 1_000_001}, 400, "change.rent"),
    ({"kind": "home", "date": "2026-11-15", "rent": 70_000, "service_costs": 2_500_000}, 400, "change.service_costs"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "street": "B" * 101}, "rent": 90_000}, 400,
     "change.address.street"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "street": "   "}, "rent": 90_000}, 400,
     "change.address.street"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "house_number": "1234567890123"}, "rent": 90_000},
     400, "change.address.house_number"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "house_number": " "}, "rent": 90_000}, 400,
     "change.address.house_number"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "city": "U" * 81}, "rent": 90_000}, 400,
     "change.address.city"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "city": "\t"}, "rent": 90_000}, 400,
     "change.address.city"),
    ({"kind": "address", "date": "2026-11-15", "address": {**ADDRESS, "postcode": "\U0001F3E0"}, "rent": 90_000}, 400,
     "change.address.postcode"),
    ({"kind": "address", "date": "2026-11-15", "address": ADDRESS, "rent": 1_000_001}, 400, "change.rent"),
    ({"kind": "childcare", "date": "2026-11-15", "contract_id": "ctr_x", "hours_per_month": -5}, 400,
     "change.hours_per_month"),
    ({"kind": "childcare", "date": "2026-11-15", "contract_id": "ctr_x", "hourly_rate": 5001}, 400,
     "change.hourly_rate"),
    ({"kind": "partner", "date": "2026-11-15", "action": "moves_in",
      "partner": {"given_name": "A" * 81, "birth_date": "1990-01-01", "income": 1}}, 400, "change.partner.given_name"),
    ({"kind": "partner", "date": "2026-11-15", "action": "moves_in",
      "partner": {"given_name": "   ", "birth_date": "1990-01-01", "income": 1}}, 400, "change.partner.given_name"),
    ({"kind": "partner", "date": "2026-11-15", "action": "moves_in",
      "partner": {"given_name": "Joris", "birth_date": "0001-01-01", "income": 1}}, 422, "change.partner.birth_date"),
    ({"kind": "partner", "date": "2026-11-15", "action": "moves_in",
      "partner": {"given_name": "Joris", "birth_date": "9999-12-31", "income": 1}}, 422, "change.partner.birth_date"),
    ({"kind": "partner", "date": "2026-11-15", "action": "moves_in",
      "partner": {"given_name": "Joris", "birth_date": "1990-01-01", "income": -1}}, 400, "change.partner.income"),
    ({"kind": "child", "date": "2026-11-15", "action": "moves_in",
      "child": {"given_name": "Sem", "birth_date": "1990-01-01"}}, 422, "change.child.birth_date"),
    ({"kind": "child", "date": "2026-11-15", "action": "born",
      "child": {"given_name": " ", "birth_date": "2026-11-15"}}, 400, "change.child.given_name"),
    ({"kind": "child", "date": "2026-11-15", "action": "born",
      "child": {"given_name": "Mila", "birth_date": "0001-01-01"}}, 422, "change.child.birth_date"),
]


@pytest.mark.parametrize("change,status,field", ABSURD, ids=[f"{c['kind']}-{i}" for i, (c, _, _) in enumerate(ABSURD)])
def test_absurd_values_are_a_problem_and_change_nothing(client, app, change, status, field):
    enrol(client, app, "single_tenant")
    refused_without_a_trace(client, app, CHANGES, {"change": change}, status, field)


def _other_forms(client) -> list[tuple[str, dict, int, str]]:
    """The other forms of the app's bad-input test: "Eén maand aanpassen", "Klopt niet" and the
    percentage of the voorzichtig voorschot, each with the absurd values the app stops."""
    cc = client.get("/api/childcare").json()
    contract = cc["contracts"][0]
    report = next(m["reported"]["id"] for m in contract["months"] if m["reported"])
    one = {"contract": contract["contract_id"], "month": "2026-06", "hours": 80, "hourly_rate": 940}
    return [
        ("/api/childcare/correct", {**one, "hours": 10_000}, 400, "hours"),
        ("/api/childcare/correct", {**one, "hours": -1}, 400, "hours"),
        ("/api/childcare/correct", {**one, "hours": 8.5}, 400, "hours"),
        ("/api/childcare/correct", {**one, "hourly_rate": 5001}, 400, "hourly_rate"),
        ("/api/childcare/correct", {**one, "hourly_rate": "9,40"}, 400, "hourly_rate"),
        ("/api/childcare/correct", {**one, "month": "9999-13"}, 400, "month"),
        ("/api/childcare/correct", {**one, "month": "0001-01"}, 400, "month"),
        ("/api/childcare/dispute", {"report_id": report, "reason": ""}, 400, "reason"),
        ("/api/childcare/dispute", {"report_id": report, "reason": " \n\t "}, 400, "reason"),
        ("/api/childcare/dispute", {"report_id": report, "reason": "x" * 501}, 400, "reason"),
        ("/api/income/cautious", {"mode": "percentage", "percentage": 0}, 400, "percentage"),
        ("/api/income/cautious", {"mode": "percentage", "percentage": 51}, 400, "percentage"),
        ("/api/income/cautious", {"mode": "percentage", "percentage": -5}, 400, "percentage"),
        ("/api/income/cautious", {"mode": "percentage", "percentage": 12.5}, 400, "percentage"),
        ("/api/income/cautious", {"mode": "percentage", "percentage": "tien"}, 400, "percentage"),
    ]


def test_absurd_values_of_the_other_forms_are_a_problem_and_change_nothing(client, app):
    enrol(client, app, "single_parent")
    before = fingerprint(app)
    wrong = []
    for i, (path, body, status, field) in enumerate(_other_forms(client)):
        r = client.post(path, json=body, headers={"Idempotency-Key": f"absurd-{i}"})
        ok = r.status_code == status and r.headers.get("content-type", "").startswith("application/problem+json")
        if not ok or r.json().get("field") != field or not r.json().get("detail"):
            wrong.append((path, body if len(repr(body)) < 120 else "…", r.status_code, r.text[:200]))
    assert not wrong, wrong
    assert fingerprint(app) == before


@pytest.mark.parametrize("raw,status", [
    (b"{not json", 400), (b'{"change": ' + b"[" * 5000 + b"]" * 5000 + b"}", 400),
    (b'{"change": {"kind": "income", "date": "2026-11-15", "income": 1, "x": "' + b"a" * 70_000 + b'"}}', 413),
])
def test_malformed_and_huge_bodies(client, app, raw, status):
    enrol(client, app, "single_tenant")
    before = fingerprint(app)
    r = client.post("/api/changes", content=raw, headers={"Content-Type": "application/json"})
    is_problem(r, status)
    assert fingerprint(app) == before


def test_bad_idempotency_key(client, app):
    enrol(client, app, "single_tenant")
    before = fingerprint(app)
    body = is_problem(client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "x" * 200}), 400)
    assert body["field"] == "Idempotency-Key"
    assert fingerprint(app) == before


def test_applications(client, app):
    enrol(client, app, "single_parent")
    ov = client.get("/api/overview").json()
    assert all(t["applied"] for t in ov["toeslagen"] if t["status"] != "not_entitled")
    is_problem(client.post("/api/applications", json={"toeslag": "zorgtoeslag"}), 409)
    is_problem(client.post("/api/applications", json={"toeslag": "bijstand"}), 400)


def test_application_for_a_new_toeslag(client, app):
    enrol(client, app, "single_tenant")
    before = fingerprint(app)
    # the single tenant has no children: kindgebonden budget gives nothing, so applying is refused
    is_problem(client.post("/api/applications", json={"toeslag": "kindgebonden_budget"}), 422)
    assert fingerprint(app) == before


def test_events_are_append_only(app):
    from api.store.db import IntegrityError

    db = app.state.store.db()
    assert db.execute("SELECT count(*) FROM events").fetchone()[0] > 0
    with pytest.raises(IntegrityError):
        db.execute("UPDATE events SET summary = 'x'")
    with pytest.raises(IntegrityError):
        db.execute("DELETE FROM events")
    assert db.execute("SELECT count(*) FROM events WHERE summary = 'x'").fetchone()[0] == 0


# -- the preview is the decision (issue 14 item 3) -------------------------------------------------

def _amounts(toeslagen) -> dict:
    return {t["toeslag"]: (t["new_monthly"], t["past_months"]) for t in toeslagen}


def test_childcare_hours_after_an_undone_adoption_are_decided_as_previewed(client, app):
    """El Amrani adopted Adam's reported hours, undid it, then gave 80 h from 1 September (sent later
    from the outbox). The adoption and its undo left terms that start later; the change overruled
    only the first months of them, so the decision (+ one month) differed from the preview (+ every
    month from September) and the childcare page kept saying "Je gaf op: 64 uur"."""
    enrol(client, app, "single_parent")
    db = app.state.store.db()
    adam = db.execute("SELECT c.id FROM childcare_contracts c JOIN persons p ON p.id = c.child_id"
                      " WHERE p.given_name = 'Adam'").fetchone()[0]
    adopted = client.post("/api/childcare/adopt", json={"contract": adam, "from_month": "2026-10",
                                                         "mode": "reported"})
    assert adopted.status_code == 201, adopted.text
    undone = client.post("/api/childcare/undo", json={"event_id": adopted.json()["event_id"]})
    assert undone.status_code == 201, undone.text
    later = db.execute("SELECT valid_from FROM childcare_terms WHERE contract_id = ? AND valid_from > ?",
                       (adam, "2026-09-01")).fetchall()
    assert later, "the adoption and its undo leave terms that start after the change"
    change = {"kind": "childcare", "date": "2026-09-01", "contract_id": adam, "hours_per_month": 80, "ends": False}
    preview = client.post("/api/changes/preview", json={"change": change})
    assert preview.status_code == 200, preview.text
    pv = preview.json()["toeslagen"]["kinderopvangtoeslag"]
    assert pv["difference_per_month"][8:] == [pv["difference_per_month"][8]] * 4 and pv["difference_per_month"][8] > 0
    decided = client.post("/api/changes", json={"change": change}, headers={"Idempotency-Key": "adam-80"})
    assert decided.status_code == 201, decided.text
    out = {t["toeslag"]: t for t in decided.json()["toeslagen"]}["kinderopvangtoeslag"]
    # (all of 2026 is paid on 29 November: what changes is settled now, the past months)
    assert (out["per_year"], out["past_months"]) == (pv["after"]["per_year"], pv["past_months"])
    overview = next(t for t in client.get("/api/overview").json()["toeslagen"] if t["toeslag"] == "kinderopvangtoeslag")
    assert overview["months"] == pv["after"]["months"]
    # what the parent gave holds from September on: the childcare page says 80 h, not the 64 h of before
    card = next(c for c in client.get("/api/childcare").json()["contracts"] if c["contract_id"] == adam)
    assert {m["estimated"]["hours"] for m in card["months"][8:] if m["estimated"]} == {80}


def test_every_kind_of_change_stores_the_facts_the_preview_was_made_from(client, app):
    """The facts after a submit (read back from the store) are the facts shared_rules.changes.apply
    gave for the preview: the same timeline, so the same amounts."""
    from api.household import situation
    from api.store import households as households_store
    from shared_rules import changes

    enrol(client, app, "single_parent")
    hh = client.get("/api/household").json()
    noor = next(c for c in hh["contracts"] if c["kind"] == "dagopvang")
    bso = next(c for c in hh["contracts"] if c["kind"] == "bso")
    kinds = [
        {"kind": "income", "date": "2026-08-03", "person": "applicant", "income": 2_100_000, "assets": 1000},
        {"kind": "childcare", "date": "2026-05-10", "contract_id": noor["id"], "hourly_rate": 1100, "ends": False},
        {"kind": "childcare", "date": "2026-09-01", "contract_id": bso["id"], "ends": True},
        {"kind": "home", "date": "2026-06-01", "rent": 61_000, "service_costs": 2_000},
        {"kind": "child", "date": "2026-05-02", "action": "born", "child": {"given_name": "Yara",
                                                                             "birth_date": "2026-05-02"}},
        {"kind": "partner", "date": "2026-05-20", "action": "moves_in", "partner": {
            "given_name": "Jan", "birth_date": "1994-02-01", "income": 2_900_000, "assets": 0}},
        {"kind": "partner", "date": "2026-10-20", "action": "moves_out"},
        {"kind": "address", "date": "2026-07-15", "address": {"street": "Dorpsstraat", "house_number": "1",
         "postcode": "1234ab", "city": "Ergens"}, "renting": True, "rent": 70_000},
    ]
    hid = household_id(app, "single_parent")
    for i, change in enumerate(kinds):
        state = households_store.load(app.state.store.db(), hid)
        expected = changes.timeline(changes.apply(situation.facts(state), change)["household"], 2026)
        r = client.post("/api/changes", json={"change": change}, headers={"Idempotency-Key": f"kind-{i}"})
        assert r.status_code == 201, (change, r.text)
        stored = situation.timeline(households_store.load(app.state.store.db(), hid), 2026)
        assert stored == expected, change["kind"]

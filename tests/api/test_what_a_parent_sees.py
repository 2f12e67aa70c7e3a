"""Issue 14, the parent's side: one message per change, warnings where the risk is, and Dutch that
reads right. Each test is named after what a parent saw."""

from __future__ import annotations

from .conftest import enrol

INCOME = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_300_000}}


def test_one_change_gives_one_message_naming_every_toeslag_it_touched(client, app):
    enrol(client, app, "single_tenant")
    before = client.get("/api/messages").json()["messages"]
    assert client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "one-msg"}).status_code == 201
    msgs = client.get("/api/messages").json()["messages"]
    new = msgs[: len(msgs) - len(before)]
    assert len(new) == 1, [m["title"] for m in new]
    m = new[0]
    assert set(m["toeslagen"]) == {"zorgtoeslag", "huurtoeslag"}
    assert m["title"] == "Nieuwe berekening zorgtoeslag en huurtoeslag"
    assert "Zorgtoeslag:" in m["body"] and "Huurtoeslag:" in m["body"]
    # "all paid" is said at most once, not once per toeslag
    assert m["body"].count("al allemaal betaald") <= 1


def test_jansen_entering_90000_vermogen_is_told_why_huurtoeslag_is_paid_back(client, app):
    enrol(client, app, "couple_three_children")
    change = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant",
                         "income": client.get("/api/household").json()["rules_input"]["timeline"][-1]
                         ["situation"]["applicant"]["income"], "assets": 9_000_000}}
    pv = client.post("/api/changes/preview", json=change).json()
    [w] = [w for w in pv["warnings"] if w["toeslag"] == "huurtoeslag"]
    assert w["code"] == "assets_above_limit" and w["limit"] == 7_695_800
    assert w["text"].startswith("Met € 90.000 vermogen op 1 januari heb je het hele jaar geen recht op huurtoeslag")
    assert w["amount"] > 0
    assert pv["toeslagen"]["huurtoeslag"]["repayment"] > 0


def test_the_overview_warns_when_vermogen_is_near_the_limit(client, app):
    enrol(client, app, "couple_three_children")
    change = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant",
                         "income": client.get("/api/household").json()["rules_input"]["timeline"][-1]
                         ["situation"]["applicant"]["income"], "assets": 7_500_000}}
    assert client.post("/api/changes", json=change, headers={"Idempotency-Key": "near"}).status_code == 201
    ov = client.get("/api/overview").json()
    assert [w["code"] for w in ov["warnings"] if w["toeslag"] == "huurtoeslag"] == ["assets_near_limit"]


def test_a_child_moving_in_reads_bij_je_komt_wonen(client, app):
    enrol(client, app, "single_tenant")
    r = client.post("/api/changes", headers={"Idempotency-Key": "mila"}, json={"change": {
        "kind": "child", "date": "2026-03-01", "action": "moves_in",
        "child": {"given_name": "Mila", "birth_date": "2019-05-05"}}})
    assert r.status_code == 201, r.text
    assert r.json()["summary"] == "Je gaf door dat Mila op 1 maart 2026 bij je komt wonen."

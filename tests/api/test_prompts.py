"""Prompts: raised idempotently, listed per household, dismissed with a reason, and not raised again
for the same drift."""

from __future__ import annotations

from api.prompts.service import PromptDraft, raise_prompt

from .conftest import enrol, household_id, is_problem


def draft(amount=-60000, fingerprint="inkomen:36000-38000"):
    return PromptDraft(kind="income_drift", toeslag="zorgtoeslag", subject="applicant", fingerprint=fingerprint,
                       amount=amount, title="Check je inkomen", body="Je inkomen lijkt hoger.",
                       action="#/wijziging/inkomen", data={"projected": 3700000})


def test_raise_is_idempotent_and_dismissal_sticks_until_the_drift_grows(app, client, new_client):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    with app.state.store.write() as db:
        first = raise_prompt(db, hid, draft(), "2026-11-29T09:00:00+00:00", materiality=10000)
        again = raise_prompt(db, hid, draft(), "2026-11-29T09:05:00+00:00", materiality=10000)
    assert first == again

    listed = client.get("/api/prompts").json()["prompts"]
    assert [p["id"] for p in listed] == [first]
    assert listed[0]["amount"] == -60000 and listed[0]["toeslag"] == "zorgtoeslag"

    other = new_client()
    enrol(other, app, "single_parent")
    # the other household sees none of this household's prompts (it has its own: the demo's childcare hours)
    assert first not in [p["id"] for p in other.get("/api/prompts").json()["prompts"]]
    is_problem(other.post(f"/api/prompts/{first}/dismiss", json={"reason": "klopt"}), 404)

    r = client.post(f"/api/prompts/{first}/dismiss", json={"reason": "Mijn inkomen blijft zo"},
                    headers={"Idempotency-Key": "dismiss-1"})
    assert r.status_code == 200 and r.json()["prompts"] == []
    replay = client.post(f"/api/prompts/{first}/dismiss", json={"reason": "Mijn inkomen blijft zo"},
                         headers={"Idempotency-Key": "dismiss-1"})
    assert replay.status_code == 200 and replay.headers.get("Idempotent-Replayed") == "true"
    is_problem(client.post(f"/api/prompts/{first}/dismiss", json={"reason": "nog eens"}), 409)

    with app.state.store.write() as db:
        assert raise_prompt(db, hid, draft(amount=-65000), "2026-11-29T10:00:00+00:00", materiality=10000) is None
        grown = raise_prompt(db, hid, draft(amount=-90000), "2026-11-29T11:00:00+00:00", materiality=10000)
    assert grown is not None and grown != first
    assert [p["id"] for p in client.get("/api/prompts").json()["prompts"]] == [grown]


def test_dismiss_needs_a_reason_and_no_unknown_keys(app, client):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    with app.state.store.write() as db:
        pid = raise_prompt(db, hid, draft(), "2026-11-29T09:00:00+00:00")
    is_problem(client.post(f"/api/prompts/{pid}/dismiss", json={"reason": ""}), 400)
    is_problem(client.post(f"/api/prompts/{pid}/dismiss", json={"reason": "x", "household": "B"}), 400)
    assert len(client.get("/api/prompts").json()["prompts"]) == 1

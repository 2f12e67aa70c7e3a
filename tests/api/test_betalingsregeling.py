"""A betalingsregeling for a terugvordering (issue #14: "a repayment is visible ... with the way to pay").
The request is recorded on the correction line of the ledger; bad input is problem+json naming the field
and changes nothing."""

from __future__ import annotations

import pytest

from api.ledger import arrangement
from api.store import ledger as ledger_store

from .conftest import enrol, household_id, is_problem

# De Vries earns more on 15 November: huurtoeslag is paid back for the whole year (a terugvordering)
RAISE = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_300_000}}
# ... or less: a nabetaling
LOWER = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 2_200_000}}
URL = "/api/repayments/arrangement"


def _huur(client) -> dict:
    return next(t for t in client.get("/api/overview").json()["toeslagen"] if t["toeslag"] == "huurtoeslag")


def _repayment(client, app) -> dict:
    enrol(client, app, "single_tenant")
    r = client.post("/api/changes", json=RAISE)
    assert r.status_code == 201, r.text
    [line] = _huur(client)["ledger"]["corrections"]
    assert line["kind"] == "terugvordering" and line["status"] == "open"
    return line


def _row(app, correction_id: str) -> dict:
    return ledger_store.correction(app.state.store.db(), household_id(app, "single_tenant"), correction_id)


def test_the_standard_regeling_spreads_the_repayment_over_24_months():
    """The agency: "U moet het bedrag dan binnen 24 maanden terugbetalen" (belastingdienst.nl)."""
    assert arrangement.STANDARD_MONTHS == 24
    assert arrangement.standard_monthly(76_800) == 3_200           # € 768 -> € 32 a month, exactly
    for repay in (1, 23, 24, 25, 76_801, 244_800, 1_000_003):
        m = arrangement.standard_monthly(repay)
        assert m * 24 >= repay > (m - 1) * 24  # 24 terms pay it all, with the smallest whole-cent term
    with pytest.raises(ValueError):
        arrangement.standard_monthly(0)


def test_an_open_repayment_offers_the_standard_term_and_a_request_is_recorded_on_its_line(client, app):
    line = _repayment(client, app)
    repay = -line["amount"]
    assert line["standard_monthly"] == arrangement.standard_monthly(repay) and line["standard_months"] == 24
    before_events = client.get("/api/history?year=2026").json()
    r = client.post(URL, json={"correction_id": line["id"]}, headers={"Idempotency-Key": "regeling-1"})
    assert r.status_code == 201, r.text
    out = r.json()
    assert out["status"] == "betalingsregeling" and out["arrangement_kind"] == "standaard"
    assert out["arrangement_monthly"] == line["standard_monthly"] and out["repayment"] == repay
    assert out["requested_on"] == "2026-11-29"
    assert out["message"].startswith("Je hebt een betalingsregeling aangevraagd op 29 november 2026.")
    # the ledger line: same amount and date, now under a betalingsregeling; still an open repayment
    book = _huur(client)["ledger"]
    [after] = book["corrections"]
    assert (after["amount"], after["decided_on"]) == (line["amount"], line["decided_on"])
    assert after["status"] == "betalingsregeling" and after["arrangement_requested_on"] == "2026-11-29"
    assert after["arrangement_kind"] == "standaard" and after["arrangement_monthly"] == out["arrangement_monthly"]
    assert after["standard_monthly"] is None  # nothing left to offer
    assert book["open_repayment"] == repay
    assert client.get("/api/history?year=2026").json() != before_events  # an event in the household's history
    # the same request again with its key: the first answer, nothing changes
    again = client.post(URL, json={"correction_id": line["id"]}, headers={"Idempotency-Key": "regeling-1"})
    assert again.status_code == 201 and again.json() == out and again.headers["Idempotent-Replayed"] == "true"
    # another request for the same line: refused, naming the field; the first regeling stays
    twice = client.post(URL, json={"correction_id": line["id"], "kind": "persoonlijk", "monthly": 1_000},
                        headers={"Idempotency-Key": "regeling-2"})
    p = is_problem(twice, 409)
    assert p["field"] == "correction_id" and "29 november 2026" in p["detail"]
    assert _row(app, line["id"])["arrangement_kind"] == "standaard"
    # repaid in full later: settled, and what was asked stays on the line
    with app.state.store.write() as db:
        assert ledger_store.set_status(db, household_id(app, "single_tenant"), line["id"], "settled",
                                       settled_on="2026-12-20")
    row = _row(app, line["id"])
    assert (row["status"], row["settled_on"], row["amount"]) == ("settled", "2026-12-20", line["amount"])
    assert (row["arrangement_kind"], row["arrangement_requested_on"]) == ("standaard", "2026-11-29")


def test_a_persoonlijke_regeling_asks_a_lower_monthly_term(client, app):
    line = _repayment(client, app)
    r = client.post(URL, json={"correction_id": line["id"], "kind": "persoonlijk", "monthly": 1_500})
    assert r.status_code == 201, r.text
    assert r.json()["arrangement_monthly"] == 1_500 and "persoonlijke betalingsregeling" in r.json()["message"]
    row = _row(app, line["id"])
    assert (row["status"], row["arrangement_kind"], row["arrangement_monthly"]) == ("betalingsregeling", "persoonlijk", 1_500)


@pytest.mark.parametrize(("body", "status", "field"), [
    ({"kind": "persoonlijk"}, 422, "monthly"),                     # how much can you pay?
    ({"kind": "persoonlijk", "monthly": 10**9}, 422, "monthly"),   # not lower than the standard term
    ({"kind": "standaard", "monthly": 1_000}, 422, "monthly"),     # the standard term is not chosen
    ({"kind": "betaal later"}, 400, "kind"),
    ({"monthly": 0, "kind": "persoonlijk"}, 400, "monthly"),
    ({"household_id": "hh_other"}, 400, None),                     # the household comes from the session
], ids=["no-monthly", "monthly-too-high", "standard-with-monthly", "unknown-kind", "zero", "household"])
def test_bad_input_names_the_field_and_changes_nothing(client, app, body, status, field):
    line = _repayment(client, app)
    r = client.post(URL, json={"correction_id": line["id"], **body})
    p = is_problem(r, status)
    if field:
        assert p["field"] == field
    assert _row(app, line["id"])["status"] == "open"


def test_only_an_open_repayment_of_the_own_household_can_get_a_regeling(client, app, new_client):
    line = _repayment(client, app)
    p = is_problem(client.post(URL, json={"correction_id": "cor_doesnotexist"}), 404)
    assert p["field"] == "correction_id"
    # another household cannot reach this line: "not found", as if it did not exist
    other = new_client()
    enrol(other, app, "single_parent")
    p = is_problem(other.post(URL, json={"correction_id": line["id"]}), 404)
    assert p["field"] == "correction_id" and _row(app, line["id"])["status"] == "open"
    # settled (repaid in full): nothing left to arrange
    with app.state.store.write() as db:
        assert ledger_store.set_status(db, household_id(app, "single_tenant"), line["id"], "settled",
                                       settled_on="2026-11-29")
    p = is_problem(client.post(URL, json={"correction_id": line["id"]}), 409)
    assert p["field"] == "correction_id" and "al terugbetaald" in p["detail"]


def test_a_nabetaling_is_not_a_repayment(client, app):
    enrol(client, app, "single_tenant")
    assert client.post("/api/changes", json=LOWER).status_code == 201
    [line] = _huur(client)["ledger"]["corrections"]
    assert line["kind"] == "nabetaling" and line["standard_monthly"] is None
    p = is_problem(client.post(URL, json={"correction_id": line["id"]}), 422)
    assert p["field"] == "correction_id" and "geen terugvordering" in p["detail"]


def test_without_a_session_nothing_is_asked(app):
    from litestar.testing import TestClient

    with TestClient(app=app, base_url="https://localhost") as anon:
        r = anon.post(URL, json={"correction_id": "cor_x"}, headers={"Origin": "https://localhost"})
        assert r.status_code in (401, 403)
        is_problem(r)

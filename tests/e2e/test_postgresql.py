"""The passkey journey in real Chromium with the server on PostgreSQL (issue #16): the API runs on a
database of the throwaway cluster (tests/pgcluster.py), as with TOESLAGEN_DB=postgresql://…; the
browser activates with a code and makes a passkey (Chromium's virtual authenticator), logs out, logs
in with that passkey, sees the overview, sends an income change and logs out. Every step is checked
against the rows in PostgreSQL. Skipped when no PostgreSQL server binary is installed."""

from __future__ import annotations

import pytest

from .conftest import TODAY, api_json, enrol, euro, preview_seq, wait_preview, wait_route, wait_settled
from .server import start_server


@pytest.fixture(scope="module")
def pg_server(pg_cluster, tmp_path_factory):
    url = pg_cluster.create_database()
    srv = start_server(tmp_path_factory.mktemp("e2e-pg"), TODAY, db_url=url)
    yield srv
    srv.stop()
    pg_cluster.drop_database(url)


def log_out(page) -> None:
    page.get_by_role("link", name="Meer").click()
    wait_route(page, "/meer")
    page.get_by_role("button", name="Uitloggen").click()
    wait_route(page, "/start")
    assert api_json(page, "/api/overview")["status"] == 401


def test_passkey_journey_on_postgresql(page, pg_server):
    server = pg_server
    assert server.store.dialect == "postgresql"
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    # activate with a code and make a passkey: the passkey is a row in PostgreSQL
    enrol(page, server, "single_tenant")
    hid = server.household_id("single_tenant")
    assert server.query("SELECT count(*) FROM passkeys WHERE household_id = ?", (hid,)) == [(1,)]
    log_out(page)

    # log in with the passkey
    page.get_by_role("button", name="Inloggen met je sleutel").click()
    wait_route(page, "/overzicht")

    # the overview: every toeslag, the amounts the API computes from PostgreSQL
    ov = api_json(page, "/api/overview")["body"]
    assert len(ov["toeslagen"]) == 4
    assert page.locator("li.app-card").count() == 4
    assert page.locator("[data-total]").inner_text() == euro(ov["total_this_month"])
    applied = [t for t in ov["toeslagen"] if t["status"] == "applied"]
    assert applied

    # a change: the income, previewed on the phone, sent, stored once
    income_events = "SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.income'"
    before = server.query(income_events, (hid,))[0][0]
    page.get_by_role("link", name="Wijzigen").click()
    wait_route(page, "/wijzigen")
    page.get_by_role("link", name="Inkomen").click()
    wait_route(page, "/wijzigen/inkomen")
    seq = preview_seq(page)
    page.get_by_label("Nieuw inkomen voor 2026").fill("31.500")
    assert wait_preview(page, previous_seq=seq)["source"] == "phone"
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert server.query(income_events, (hid,))[0][0] == before + 1

    # the overview shows the new amounts
    page.get_by_role("link", name="Overzicht").first.click()
    wait_route(page, "/overzicht")
    ov2 = api_json(page, "/api/overview")["body"]
    assert ov2 != ov
    for t in ov2["toeslagen"]:
        if t["status"] == "applied":
            assert page.locator(f'li.app-card[data-toeslag="{t["toeslag"]}"] [data-field="amount_this_month"]') \
                .inner_text() == euro(t["amount_this_month"])

    log_out(page)
    assert not errors, errors

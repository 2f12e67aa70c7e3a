"""A full journey per demo household: enrol with a passkey, see every toeslag with the amounts the API
computes, open "Hoe komt dit bedrag?", change the income and see the preview, submit, see the new
amount; then log out and log in again with the same passkey."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import DEMO_KEYS, add_authenticator, api_json, enrol, euro, preview_seq, wait_preview, wait_route, wait_settled

NEW_INCOME = {"single_tenant": ("31.500", 3_150_000), "single_parent": ("41.000", 4_100_000),
              "couple_three_children": ("52.000,50", 5_200_050)}


@pytest.mark.parametrize("demo_key", DEMO_KEYS)
def test_journey(page, server, demo_key):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    enrol(page, server, demo_key)
    hid = server.household_id(demo_key)
    income_events = "SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.income'"
    before = server.query(income_events, (hid,))[0][0]

    # Overzicht: every toeslag, with the amounts the API computes
    ov = api_json(page, "/api/overview")["body"]
    assert len(ov["toeslagen"]) == 4
    for t in ov["toeslagen"]:
        card = page.locator(f'li.app-card[data-toeslag="{t["toeslag"]}"]')
        assert card.count() == 1
        text = card.inner_text()
        assert t["name"] in text
        if t["status"] == "applied":
            assert card.locator('[data-field="amount_this_month"]').inner_text() == euro(t["amount_this_month"])
            assert euro(t["next_payment"]["amount"]) in card.locator('[data-field="next_payment"]').inner_text()
    assert page.locator("[data-total]").inner_text() == euro(ov["total_this_month"])
    assert page.locator("[data-check]").inner_text().strip()

    # Toeslag detail and "Hoe komt dit bedrag?"
    applied = [t for t in ov["toeslagen"] if t["status"] == "applied"]
    first = applied[0]
    page.locator(f'li.app-card[data-toeslag="{first["toeslag"]}"] a.app-card__link').click()
    wait_route(page, f"/toeslag/{first['toeslag']}")
    page.get_by_text("Hoe komt dit bedrag?").click()
    steps = page.locator("[data-explain] .app-step")
    assert steps.count() == len(first["steps"]) > 0
    assert steps.first.is_visible()
    law = next(s["law"] for s in first["steps"] if s.get("law"))
    assert law in page.locator("[data-explain]").inner_text()
    rows = page.locator("table.app-table tbody tr")
    assert rows.count() == 12
    paid_rows = page.locator('table.app-table tbody tr[data-paid="1"]').count()
    assert paid_rows == sum(1 for p in first["paid"] if p is not None)

    # Wijziging doorgeven: income, preview on the phone, send
    page.get_by_role("link", name="Wijzigen").click()
    wait_route(page, "/wijzigen")
    page.get_by_role("link", name="Inkomen").click()
    wait_route(page, "/wijzigen/inkomen")
    typed, cents = NEW_INCOME[demo_key]
    seq = preview_seq(page)
    page.get_by_label("Nieuw inkomen voor 2026").fill(typed)
    pv = wait_preview(page, previous_seq=seq)
    assert pv["source"] == "phone"
    expected = api_json(page, "/api/household")["body"]  # the phone computed from this
    assert expected["rules_input"]["today"] == "2026-05-10"
    # the server's own preview of the same change gives the new monthly amounts we show
    spv = page.evaluate("""async (c) => (await (await fetch('/api/changes/preview', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 't'}, body: JSON.stringify({change: c})})).json())""",
                           {"kind": "income", "date": "2026-05-10", "person": "applicant", "income": cents})
    for t in applied:
        card = page.locator(f'.app-preview__card[data-toeslag="{t["toeslag"]}"]')
        assert card.locator('[data-field="new_monthly"]').inner_text() == euro(spv["toeslagen"][t["toeslag"]]["new_monthly"])
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    summary = page.locator("[data-sent-summary]").inner_text().replace("\u00a0", " ")
    assert euro(cents).replace(",00", "").replace("\u00a0", " ") in summary
    for t in applied:
        new = spv["toeslagen"][t["toeslag"]]["new_monthly"]
        assert page.locator(f'li.app-card[data-toeslag="{t["toeslag"]}"] [data-field="new_monthly"]').inner_text() == euro(new)

    # the overview shows the new amount for the month to come
    page.get_by_role("link", name="Overzicht").first.click()
    wait_route(page, "/overzicht")
    ov2 = api_json(page, "/api/overview")["body"]
    for t in ov2["toeslagen"]:
        if t["status"] == "applied":
            assert page.locator(f'li.app-card[data-toeslag="{t["toeslag"]}"] [data-field="amount_this_month"]').inner_text() \
                == euro(t["amount_this_month"])
            assert t["voorschot"][5] == spv["toeslagen"][t["toeslag"]]["new_monthly"]
    assert server.query(income_events, (hid,))[0][0] == before + 1
    assert not errors, errors


def test_passkeys_remove_login_logout(page, server):
    enrol(page, server, "single_tenant")
    page.get_by_role("link", name="Meer").click()
    wait_route(page, "/meer")
    hid = server.household_id("single_tenant")
    n0 = server.query("SELECT count(*) FROM passkeys WHERE household_id = ?", (hid,))[0][0]
    assert page.locator("li.app-card[data-passkey]").count() == n0 >= 1
    # the same authenticator already holds a passkey for us: the browser refuses a second one
    page.get_by_role("button", name="Nieuwe sleutel maken").click()
    expect(page.locator(".app-msg .utrecht-alert").first).to_be_attached()
    assert "al een sleutel" in page.locator(".app-msg").inner_text()
    # another device (a second authenticator) makes a second passkey
    page._toeslagen_cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": page._toeslagen_authenticator})
    add_authenticator(page)
    page.get_by_role("button", name="Nieuwe sleutel maken").click()
    expect(page.locator("li.app-card[data-passkey]")).to_have_count(n0 + 1)
    # remove the passkey of the first device (the one this session logged in with): logged out
    current = page.locator('li.app-card[data-current="1"]')
    current.get_by_role("button", name="verwijderen").click()
    current.get_by_role("button", name="Ja, verwijderen").click()
    wait_route(page, "/start")
    assert api_json(page, "/api/overview")["status"] == 401
    assert server.query("SELECT count(*) FROM passkeys WHERE household_id = ?", (hid,)) == [(n0,)]
    # log in with the passkey that is left
    page.get_by_role("button", name="Inloggen met je sleutel").click()
    wait_route(page, "/overzicht")
    assert page.locator("li.app-card").count() == 4
    # and log out
    page.get_by_role("link", name="Meer").click()
    wait_route(page, "/meer")
    page.get_by_role("button", name="Uitloggen").click()
    wait_route(page, "/start")
    assert api_json(page, "/api/overview")["status"] == 401

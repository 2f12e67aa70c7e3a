"""A repayment on the detail page leads to a betalingsregeling (issue #14: "a repayment is visible on
the overview and the detail page until it is settled, with the way to pay"). Asked offline, it waits in
the outbox, is shown as asked at once, and reaches the server exactly once when the phone is back online."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from .conftest import api_json, api_post, count_events, enrol, euro, go, module_server, wait_route, wait_until
from .test_phone_ergonomics import measure

TODAY = dt.date(2026, 12, 7)


server = module_server("regeling", TODAY)


def test_de_vries_asks_a_betalingsregeling_for_her_huurtoeslag_repayment_offline(page, context, server):
    """De Vries earns more: € … huurtoeslag must be paid back. From the huurtoeslag page she reads what a
    betalingsregeling is and the agency's rule (24 months), asks for one while offline, sees "Je hebt een
    betalingsregeling aangevraagd op 7 december 2026" at once, and the server records it once."""
    page.set_viewport_size({"width": 390, "height": 844})
    problems: list[str] = []
    enrol(page, server, "single_tenant")
    r = api_post(page, "/api/changes", {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant",
                                                   "income": 3_300_000}})
    assert r["status"] == 201, r
    huur = next(t for t in api_json(page, "/api/overview")["body"]["toeslagen"] if t["toeslag"] == "huurtoeslag")
    [line] = [c for c in huur["ledger"]["corrections"] if c["kind"] == "terugvordering"]
    repay, term = -line["amount"], line["standard_monthly"]
    assert term * 24 >= repay > (term - 1) * 24
    # the service worker and the snapshot are there: the app starts offline too
    wait_until(page, "async () => { const r = await navigator.serviceWorker.ready; "
                     "return !!navigator.serviceWorker.controller && r.active.state === 'activated'; }", timeout=20_000)

    # the overview card and the detail page both lead to it
    page.reload()  # the change went in through the API: the app loads the overview afresh
    wait_route(page, "/overzicht")
    expect(page.locator('li.app-card[data-toeslag="huurtoeslag"] [data-arrangement-link]')).to_have_text(
        "Betalingsregeling aanvragen")
    go(page, server, "/toeslag/huurtoeslag")
    page.locator("[data-arrangement-link]").click()
    wait_route(page, f"/betalingsregeling/{line['id']}")
    main = page.locator("main")
    expect(main.get_by_role("heading", level=1)).to_have_text("Betalingsregeling")
    expect(main).to_contain_text(f"Je moet {euro(repay)} huurtoeslag terugbetalen")
    expect(main).to_contain_text("Wat is een betalingsregeling?")
    expect(main).to_contain_text(f"binnen 24 maanden. Voor jou is dat {euro(term)} per maand.")
    expect(main).to_contain_text("persoonlijke betalingsregeling")
    measure(page, "betalingsregeling", problems)  # tap targets, axe, Dutch slips
    page.get_by_label("Persoonlijk: ik kan minder per maand betalen").check()
    expect(page.get_by_label("Hoeveel kun je per maand betalen?")).to_be_visible()
    measure(page, "betalingsregeling persoonlijk", problems)
    page.get_by_label("Gewoon:", exact=False).check()

    context.set_offline(True)
    page.get_by_role("button", name="Vraag een betalingsregeling aan").click()
    status = page.locator("[data-arrangement-status]")
    expect(status).to_contain_text("Je hebt een betalingsregeling aangevraagd op 7 december 2026.")
    expect(status).to_contain_text("Nog niet verstuurd")
    expect(page.get_by_role("button", name="Vraag een betalingsregeling aan")).to_have_count(0)  # no second request
    expect(page.locator("[data-outbox-count]")).to_have_text("1 wijziging nog niet verstuurd")
    assert count_events(server, "single_tenant", "repayment.arrangement") == 0

    context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_have_count(0, timeout=20_000)
    expect(status).not_to_contain_text("Nog niet verstuurd", timeout=20_000)
    expect(page.locator("[data-arrangement-status]")).to_contain_text(
        f"Je hebt een betalingsregeling aangevraagd op 7 december 2026. Je betaalt {euro(term)} per maand, 24 maanden lang.")
    assert count_events(server, "single_tenant", "repayment.arrangement") == 1
    measure(page, "betalingsregeling aangevraagd", problems)
    assert not problems, "\n".join(problems)
    got = server.query("SELECT status, arrangement_kind, arrangement_monthly, arrangement_requested_on"
                       " FROM ledger_corrections WHERE id = ?", (line["id"],))
    assert got == [("betalingsregeling", "standaard", term, "2026-12-07")]

    # the detail page says it too, and offers no second request; a reload sends nothing twice
    go(page, server, "/toeslag/huurtoeslag")
    expect(page.locator(f'[data-correction="{line["id"]}"]')).to_contain_text(
        "Je hebt een betalingsregeling aangevraagd op 7 december 2026.")
    expect(page.locator("[data-arrangement-link]")).to_have_count(0)
    page.reload()
    wait_route(page, re.compile(r"^/toeslag/"))
    assert count_events(server, "single_tenant", "repayment.arrangement") == 1

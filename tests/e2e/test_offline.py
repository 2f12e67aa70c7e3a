"""Offline: load once, go offline, start the app again from the service worker, make a change, see the
preview computed on the phone and the change queued; go online, and the change arrives exactly once."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import enrol, euro, preview_seq, ready_offline, wait_preview, wait_route, wait_settled


def count_events(server, hid, kind):
    return server.query("SELECT count(*) FROM events WHERE household_id = ? AND kind = ?", (hid, kind))[0][0]


def test_offline_change_is_queued_and_sent_once(page, context, server):
    enrol(page, server, "couple_three_children")
    hid = server.household_id("couple_three_children")
    ready_offline(page)
    before = count_events(server, hid, "change.home")

    context.set_offline(True)
    page.reload()
    wait_route(page, "/overzicht", timeout=20_000)
    assert page.locator("[data-offline]").is_visible()
    assert "offline" in page.locator("main").inner_text().lower()
    assert page.locator("li.app-card").count() == 4

    page.goto(page.url.split("#")[0] + "#/wijzigen/huur")
    wait_route(page, "/wijzigen/huur")
    seq = preview_seq(page)
    page.get_by_label("Nieuwe kale huur per maand").fill("1.010")
    pv = wait_preview(page, previous_seq=seq, timeout=20_000)
    assert pv["source"] == "phone"
    assert "Huurtoeslag" in pv["text"]
    # what the phone shows before "Versturen", offline (issue #14: it must be what is decided once synced)
    shown = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.app-preview__card[data-toeslag]')].map(
        (c) => [c.dataset.toeslag, {new_monthly: (c.querySelector('[data-field="new_monthly"]') || {}).innerText || null,
                                    past_months: (c.querySelector('[data-field="past_months"]') || {}).innerText || null}]))""")
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Nog niet verstuurd"
    assert page.locator("[data-outbox-count]").inner_text() == "1 wijziging nog niet verstuurd"
    assert count_events(server, hid, "change.home") == before

    context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_have_count(0, timeout=20_000)
    expect(page.locator("main h1").first).to_have_text("Verstuurd", timeout=20_000)
    assert count_events(server, hid, "change.home") == before + 1
    rent = server.query("SELECT rent FROM homes WHERE household_id = ? ORDER BY id DESC LIMIT 1", (hid,))[0][0]
    assert rent == 101_000
    # queued offline, synced later: the decision is what the phone previewed, to the cent
    decided = {r[0]: r[1] for r in server.query(
        "SELECT d.toeslag, d.new_monthly FROM decisions d JOIN events e ON e.id = d.event_id"
        " WHERE d.household_id = ? AND e.kind = 'change.home'", (hid,))}
    assert decided and set(decided) <= set(shown)
    for t, monthly in decided.items():
        assert shown[t]["new_monthly"] == euro(monthly), (t, shown[t], monthly)
        assert page.locator(f'li.app-card[data-toeslag="{t}"] [data-field="new_monthly"]').inner_text() == euro(monthly)

    # a new start (which flushes the outbox again) sends nothing twice
    page.reload()
    wait_route(page, "/klaar/" + page.url.split("/klaar/")[1])
    page.wait_for_timeout(300)
    assert count_events(server, hid, "change.home") == before + 1

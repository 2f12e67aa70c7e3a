"""Issue 5, Kinderopvang: the demo single parent (El Amrani) sees that the kinderopvang reported other
hours than she gave up, month by month with the difference in hours and in euros; "Neem over" shows
both options and the preview computed on the phone (equal to the server's), one more tap adopts it
and the new amount shows; "Ongedaan maken" undoes it; Berichten shows the KOO report, the adoption
and the undo with source kinderopvang. The same adoption made offline is queued and arrives exactly
once. "Eén maand aanpassen" and "Klopt niet" go through as well. axe on every screen and state.

The module has a server (and database) of its own: other modules change this household too."""

from __future__ import annotations

from playwright.sync_api import expect

from .conftest import (
    api_json,
    api_post,
    check_screen,
    count_events,
    enrol,
    euro,
    go,
    module_server,
    wait_route,
    wait_settled,
    wait_until,
)

KEY = "single_parent"


server = module_server("childcare")



def signed(cents: int) -> str:
    return euro(0) if cents == 0 else ("+ " if cents > 0 else "- ") + euro(abs(cents))


def contract(page, name: str) -> dict:
    data = api_json(page, "/api/childcare")["body"]
    return next(c for c in data["contracts"] if c["child_name"] == name)


def wait_preview_in(page, scope: str, previous_seq: int = 0, timeout: float = 15_000) -> dict:
    """Waits for the preview panel inside `scope` to be ready with a newer sequence number."""
    wait_until(page, """([s, prev]) => { const el = document.querySelector(s + ' .app-preview');
        return !!el && el.dataset.state === 'ready' && Number(el.dataset.seq) > prev; }""", [scope, previous_seq], timeout)
    return page.evaluate("""(s) => { const el = document.querySelector(s + ' .app-preview');
        const amount = el.querySelector('[data-toeslag="kinderopvangtoeslag"] [data-field="new_monthly"]');
        return {seq: Number(el.dataset.seq), source: el.dataset.source, text: el.innerText,
                new_monthly: amount ? amount.textContent : null}; }""", scope)


def kot_june(page) -> int:
    """The kinderopvangtoeslag voorschot for June (the first month not paid on 10 May)."""
    ov = api_json(page, "/api/overview")["body"]
    return next(t for t in ov["toeslagen"] if t["toeslag"] == "kinderopvangtoeslag")["voorschot"][5]


def open_adopt(page, c: dict) -> str:
    scope = f'.app-contract[data-contract="{c["contract_id"]}"]'
    page.get_by_role("button", name=f"Neem over: uren van {c['child_name']}").click()
    return scope


def test_adopt_preview_undo_history_and_offline_once(page, context, server):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems: list[str] = []
    enrol(page, server, KEY)

    # the Overzicht has the card from GET /api/prompts, and it leads to the Kinderopvang screen
    cards = page.locator('li.app-prompt[data-kind="childcare_hours"]')
    assert cards.count() == 2
    assert "Je kinderopvang gaf andere uren door" in cards.first.inner_text()
    check_screen(page, "overzicht met meldingen", problems)
    cards.first.get_by_role("link", name="Bekijk de uren").click()
    wait_route(page, "/kinderopvang")
    check_screen(page, "kinderopvang", problems)

    # month by month: estimated and reported hours, the difference in hours and in euros, running total
    noor = contract(page, "Noor")
    scope = f'.app-contract[data-contract="{noor["contract_id"]}"]'
    april = noor["months"][3]
    assert april["basis"] == "reported" and april["reported"]["hours"] == 142 and april["estimated"]["hours"] == 120
    row = page.locator(f'{scope} tr[data-month="2026-04"]')
    text = row.inner_text()
    assert "142 uur" in text and "doorgegeven" in text and "opgegeven 120 (+22)" in text
    assert row.locator('[data-field="difference"]').inner_text() == signed(april["difference"])
    assert row.locator('[data-field="running_total"]').inner_text() == signed(april["running_total"])
    assert page.locator(f"{scope} [data-year-end]").inner_text() == noor["year_end"]["text"]
    assert page.locator(f'{scope} tr[data-basis="projected"]').count() == 8  # May to December: "if nothing changes"

    # "Neem over": both options, the preview on the phone equals the server's preview
    open_adopt(page, noor)
    options = page.locator(f"{scope} .app-panel:not([hidden]) input[type=radio]")
    assert options.count() == 2
    panel_text = page.locator(f"{scope} .app-panel:not([hidden])").inner_text()
    assert "De uren van april 2026, vanaf april 2026" in panel_text
    assert "Het gemiddelde van maart en april, vanaf maart 2026" in panel_text
    pv = wait_preview_in(page, scope)
    assert pv["source"] == "phone"
    server_pv = {mode: api_post(page, "/api/childcare/adopt/preview",
                                {"contract": noor["contract_id"], "from_month": from_month, "mode": mode})["body"]
                 for mode, from_month in (("reported", "2026-04"), ("average", "2026-03"))}
    kot = server_pv["reported"]["preview"]["toeslagen"]["kinderopvangtoeslag"]
    assert pv["new_monthly"] == euro(kot["new_monthly"])
    assert f"Je krijgt {euro(kot['past_months'])} erbij" in pv["text"]  # months already paid (April, May)
    check_screen(page, "kinderopvang: neem over", problems)
    page.locator(scope).get_by_label("Het gemiddelde van maart en april, vanaf maart 2026").check()
    pv2 = wait_preview_in(page, scope, pv["seq"])
    assert pv2["new_monthly"] == euro(server_pv["average"]["preview"]["toeslagen"]["kinderopvangtoeslag"]["new_monthly"])
    page.locator(scope).get_by_label("De uren van april 2026, vanaf april 2026").check()
    pv3 = wait_preview_in(page, scope, pv2["seq"])
    assert pv3["new_monthly"] == euro(kot["new_monthly"])

    # one more tap: adopted, and the new amount shows
    assert count_events(server, KEY, "childcare.adopt") == 0
    june_before = kot_june(page)
    page.locator(scope).get_by_role("button", name="Ja, neem deze uren over").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    new_amount = page.locator('li.app-card[data-toeslag="kinderopvangtoeslag"] [data-field="new_monthly"]').inner_text()
    assert new_amount == euro(kot["new_monthly"])
    assert count_events(server, KEY, "childcare.adopt") == 1
    assert kot_june(page) == kot["new_monthly"] != june_before
    check_screen(page, "kinderopvang: verstuurd", problems)

    # "Ongedaan maken" while the server allows it
    page.get_by_role("link", name="Terug naar kinderopvang").click()
    wait_route(page, "/kinderopvang")
    adoption = page.locator(f"{scope} li.app-adoption")
    assert adoption.count() == 1 and "142 uur" in adoption.inner_text()
    check_screen(page, "kinderopvang: overgenomen", problems)
    adoption.get_by_role("button", name="ongedaan maken").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert count_events(server, KEY, "childcare.undo") == 1
    assert kot_june(page) == june_before

    # Berichten: the KOO report, the adoption and the undo, each with source kinderopvang
    go(page, server, "/berichten")
    for kind in ("feed.childcare_hours", "childcare.adopt", "childcare.undo"):
        ev = page.locator(f'li.app-event[data-kind="{kind}"]')
        assert ev.count() >= 1, kind
        assert ev.first.get_attribute("data-source") == "kinderopvang"
        assert "Bron: kinderopvang" in ev.first.inner_text()
    hist = api_json(page, "/api/history?year=2026")["body"]["events"]
    assert {e["kind"] for e in hist if e["source"] == "kinderopvang"} >= {"feed.childcare_hours", "childcare.adopt",
                                                                          "childcare.undo"}
    check_screen(page, "berichten met geschiedenis", problems)

    # the same adoption offline: queued, shown as not sent, sent exactly once when back online
    go(page, server, "/kinderopvang")
    wait_until(page, "() => performance.getEntriesByName('app:rules-ready').length > 0", timeout=20_000)
    context.set_offline(True)
    open_adopt(page, noor)
    pv = wait_preview_in(page, scope)
    assert pv["source"] == "phone" and pv["new_monthly"] == euro(kot["new_monthly"])
    page.locator(scope).get_by_role("button", name="Ja, neem deze uren over").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Nog niet verstuurd"
    assert page.locator("[data-outbox-count]").inner_text() == "1 wijziging nog niet verstuurd"
    check_screen(page, "kinderopvang: nog niet verstuurd", problems)
    assert count_events(server, KEY, "childcare.adopt") == 1
    context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_have_count(0, timeout=20_000)
    expect(page.locator("main h1").first).to_have_text("Verstuurd", timeout=20_000)
    assert count_events(server, KEY, "childcare.adopt") == 2
    page.reload()  # a new start flushes the outbox again: nothing is sent twice
    expect(page.locator("body")).to_have_attribute("data-booted", "1")
    expect(page.locator(".app-view[aria-busy]")).to_have_count(0)
    page.wait_for_timeout(300)
    assert count_events(server, KEY, "childcare.adopt") == 2
    assert not problems, "\n".join(problems)
    assert not errors, errors


def test_one_month_and_klopt_niet(page, server):
    problems: list[str] = []
    enrol(page, server, KEY)
    adam = contract(page, "Adam")
    scope = f'.app-contract[data-contract="{adam["contract_id"]}"]'
    go(page, server, "/kinderopvang")

    # "Klopt niet": a reason is required (a plain message), then it is passed on
    page.get_by_role("button", name="Klopt niet: uren van Adam").click()
    panel = page.locator(f"{scope} .app-panel:not([hidden])")
    panel.get_by_role("button", name="Doorgeven dat het niet klopt").click()
    assert panel.locator(".app-error:not([hidden])").inner_text() == "Schrijf kort op wat er niet klopt."
    check_screen(page, "kinderopvang: klopt niet (fout)", problems)
    panel.get_by_label("Wat klopt er niet?").fill("Adam was in april een week op vakantie.")
    panel.get_by_role("button", name="Doorgeven dat het niet klopt").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert "niet kloppen" in page.locator("[data-sent-summary]").inner_text()
    assert count_events(server, KEY, "childcare.dispute") == 1
    april = contract(page, "Adam")["months"][3]
    assert april["basis"] == "disputed" and april["reported"]["dispute_reason"].startswith("Adam was")

    # "Eén maand aanpassen": bad input gives a plain message, then one month is set
    go(page, server, "/kinderopvang")
    page.get_by_role("button", name="Eén maand aanpassen voor Adam").click()
    panel = page.locator(f"{scope} .app-panel:not([hidden])")
    panel.get_by_label("Welke maand?").select_option("2026-06")
    panel.get_by_label("Uren opvang in die maand").fill("70,5")
    panel.get_by_role("button", name="Versturen").click()
    assert panel.locator(".app-error:not([hidden])").first.inner_text() == "Vul een heel getal in, zonder komma."
    check_screen(page, "kinderopvang: een maand (fout)", problems)
    panel.get_by_label("Uren opvang in die maand").fill("80")
    panel.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert count_events(server, KEY, "childcare.correct") == 1
    june = contract(page, "Adam")["months"][5]
    assert june["estimated"] == {"hours": 80, "hourly_rate": 940}
    assert contract(page, "Adam")["months"][6]["estimated"]["hours"] == 64  # the other months stay
    assert not problems, "\n".join(problems)

"""The toeslag year cycle in the app (issue #15): in December next year's voorschot beside this year
("voorlopig" or "nog niet bekend", never € 0,00) and a change of next year's income with a preview; in
January the check prompt; in the spring last year's expected settlement and a change to that year."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from .conftest import (
    api_json,
    check_screen,
    count_events,
    enrol,
    euro,
    go,
    module_server,
    preview_seq,
    wait_preview,
    wait_route,
    wait_settled,
    wait_until,
)

december = module_server("years-dec", dt.date(2026, 12, 7))
january = module_server("years-jan", dt.date(2027, 1, 5))
spring = module_server("years-spring", dt.date(2026, 4, 15))


def test_december_shows_next_years_voorschot_and_changes_it(page, december):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    enrol(page, december, "single_tenant")
    years = api_json(page, "/api/years")["body"]["years"]
    assert [y["year"] for y in years][:2] == [2027, 2026]
    card = page.locator('[data-year="2027"]')
    card.wait_for()
    text = card.inner_text()
    assert "Voorschot 2027" in text and "€ 0,00" not in text
    nxt = years[0]
    for t in nxt["toeslagen"]:
        if not t["applied"]:
            continue
        line = card.locator(f'li[data-toeslag="{t["toeslag"]}"]').inner_text()
        if not t["known"]:
            assert "Nog niet bekend" in line
        elif t["provisional"]:
            assert "voorlopig" in line
    problems: list = []
    check_screen(page, "overzicht december", problems)
    # the year switcher opens 2027; the income for 2027 with a preview, then sent
    page.locator('[data-year-link="2027"]').click()
    wait_route(page, "/jaar/2027")
    assert "€ 0,00" not in page.locator("main").inner_text()
    page.get_by_label("Je inkomen voor 2027").fill("31.000")
    page.get_by_role("button", name="Bekijk wat het doet").click()
    page.locator('[data-year-preview="2027"]').wait_for()
    assert "€ 0,00" not in page.locator('[data-year-preview="2027"]').inner_text()
    check_screen(page, "jaar 2027 met voorbeeld", problems)
    assert not problems, problems
    page.get_by_role("button", name="Versturen").click()
    # sent through the outbox, with its year
    wait_settled(page)
    est = december.query("SELECT year, income FROM estimates WHERE household_id = ? ORDER BY id DESC LIMIT 1",
                         (december.household_id("single_tenant"),))[0]
    assert tuple(est) == (2027, 3_100_000)
    assert not errors, errors


def test_a_december_income_change_shows_and_decides_next_year_too(page, december):
    """El Amrani on 7 December 2026 gives a new income for 2026. 2027's estimate is 2026's carried forward,
    so the phone's preview shows 2026 and 2027 (kindgebonden budget voorlopig; the toeslagen without 2027
    parameters "nog niet bekend", never € 0,00), and after Versturen the confirmation and the 2027 year
    screen show the very monthly amount the preview showed."""
    enrol(page, december, "single_parent")
    go(page, december, "/wijzigen/inkomen")
    seq = preview_seq(page)
    page.get_by_label("Nieuw inkomen voor 2026").fill("30.000")
    wait_preview(page, previous_seq=seq)
    carried = page.locator('[data-carried-year="2027"]')
    expect(carried).to_have_attribute("data-state", "ready")
    assert page.locator(".app-preview").first.get_attribute("data-source") == "phone"
    kgb = carried.locator('[data-toeslag="kindgebonden_budget"] [data-field="new_monthly"]').inner_text()
    assert re.fullmatch(r"€\s[\d.]+(,\d\d)?", kgb) and re.sub(r"\D", "", kgb).strip("0")
    expect(carried.locator('[data-toeslag="kindgebonden_budget"] [data-provisional]')).to_have_count(1)
    for t in ("zorgtoeslag", "huurtoeslag", "kinderopvangtoeslag"):
        expect(carried.locator(f'[data-toeslag="{t}"]')).to_contain_text("Nog niet bekend")
    assert "€ 0,00" not in carried.inner_text()
    problems: list = []
    check_screen(page, "inkomen 2026 met 2027", problems)
    assert not problems, problems
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    sent = page.locator('[data-carried-year="2027"]')
    expect(sent.locator('[data-toeslag="kindgebonden_budget"] [data-field="new_monthly"]')).to_have_text(kgb)
    expect(sent.locator("[data-unknown]")).to_contain_text("zorgtoeslag")
    go(page, december, "/jaar/2027")
    expect(page.locator('[data-year-toeslagen="2027"] li[data-toeslag="kindgebonden_budget"]')).to_contain_text(
        f"{kgb} per maand")
    assert count_events(december, "single_parent", "change.carried_forward") == 1


def test_january_check_prompt_opens_that_years_estimate(page, january):
    enrol(page, january, "single_tenant")
    prompt = page.locator('[data-year-prompt="2027"]')
    prompt.wait_for()
    assert prompt.inner_text() == "Klopt je inkomen voor 2027 nog?"
    page.get_by_role("link", name="Bekijk je inkomen voor 2027").click()
    wait_route(page, "/jaar/2027")
    assert page.get_by_label("Je inkomen voor 2027").count() == 1
    assert "€ 0,00" not in page.locator("main").inner_text()


def test_in_january_a_toeslag_without_published_amounts_shows_no_zero_euro_on_any_screen(page, january):
    """De Vries on 5 January 2027: zorgtoeslag and huurtoeslag have no 2027 parameters yet. The overview's
    total and the detail pages said "€ 0" for this month, the year and every month ("€ 0 Betaald op
    21 december 2026") as if the household got nothing."""
    from playwright.sync_api import expect

    enrol(page, january, "single_tenant")
    total = page.locator("[data-total-unknown]")
    expect(total).to_have_text("Hoeveel je deze maand (januari) krijgt, is nog niet bekend.")
    for toeslag, name in (("zorgtoeslag", "Zorgtoeslag"), ("huurtoeslag", "Huurtoeslag")):
        go(page, january, f"/toeslag/{toeslag}")
        main = page.locator("main")
        expect(main).to_contain_text(f"Daarom weten we nog niet hoeveel {name.lower()} je krijgt.")
        page.get_by_text("Waarom weten we het nog niet?").click()
        expect(main).to_contain_text("Daarom kunnen we deze toeslag nog niet uitrekenen.")
        assert "€" not in main.inner_text(), main.inner_text()
        assert page.locator("table").count() == 0


def test_in_january_the_total_names_the_toeslagen_whose_amount_is_not_known(page, january):
    from playwright.sync_api import expect

    enrol(page, january, "single_parent")
    kgb = api_json(page, "/api/overview")["body"]["total_this_month"]
    expect(page.locator(".app-total")).to_have_text(
        f"Deze maand (januari) krijg je in totaal {euro(kgb)}. Dat is zonder zorgtoeslag, huurtoeslag en "
        "kinderopvangtoeslag: die bedragen zijn nog niet bekend.")


def test_spring_shows_last_years_settlement_and_corrects_it(page, context, spring):
    enrol(page, spring, "single_tenant")
    card = page.locator('[data-year="2025"]')
    card.wait_for()
    st = api_json(page, "/api/years?year=2025")["body"]["years"][0]["settlement"]
    assert st["final_income_known"] and st["total"] < 0 and st["hoge_terugvordering"]
    text = card.inner_text()
    assert "Je betaalt naar verwachting" in text and "hoge terugvordering" in text
    assert "betalingsregeling" in text
    go(page, spring, "/jaar/2025")
    # the final income is known, so 2025 is corrected with the figure of the tax assessment: a preview first
    assert page.locator("[data-year-income]").count() == 0
    page.get_by_label("Inkomen op je aanslag over 2025").fill("29.000")
    # previewed on the phone (shared_rules with 2025's rules_input), also without a connection
    context.set_offline(True)
    try:
        page.get_by_role("button", name="Bekijk wat het doet").click()
        box = page.locator("[data-final-preview] [data-settlement-total]")
        box.wait_for()
        expect(page.locator("[data-final-preview]")).to_have_attribute("data-source", "phone")
    finally:
        context.set_offline(False)
    previewed = page.locator("[data-final-preview]").inner_text()
    words = box.inner_text().replace("\xa0", " ").split()
    problems: list = []
    check_screen(page, "jaar 2025 met voorbeeld", problems)
    assert not problems, problems
    hid = spring.household_id("single_tenant")
    assert spring.query("SELECT count(*) FROM final_incomes WHERE household_id = ? AND source = 'parent'", (hid,))[0][0] == 0
    assert box.inner_text() != page.locator('[data-settlement="2025"] [data-settlement-total]').first.inner_text()
    page.get_by_role("button", name="Inkomen opslaan").click()
    # saved: the screen reloads the year with the new figure
    expect(page).to_have_url(re.compile("opgeslagen"))
    expect(page.locator(".app-view[aria-busy]")).to_have_count(0)
    rows = spring.query("SELECT year, income FROM final_incomes WHERE household_id = ? AND source = 'parent'", (hid,))
    assert [tuple(r) for r in rows] == [(2025, 2_900_000)]
    # the phone's preview is what the server then shows: the total and every toeslag's line
    expect(page.locator('[data-settlement="2025"] [data-settlement-total]').first).to_have_text(
        re.compile(r"\s+".join(map(re.escape, words))))
    saved = page.locator('[data-settlement="2025"]').first.inner_text()
    same = lambda text: " ".join(text.replace("\xa0", " ").split())  # noqa: E731
    assert same(previewed).removeprefix("Met dit inkomen ") in same(saved), (previewed, saved)


def test_a_forgotten_partner_is_reported_from_last_years_screen(page, spring):
    """A parent who forgot to report a new partner in March last year does it from the 2025 screen: the
    partner form with the year fixed (dates only in 2025, text naming the year), a preview with 2025's
    rules and payments, and an outbox item that carries 2025."""
    errors: list = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    enrol(page, spring, "single_tenant")
    go(page, spring, "/jaar/2025")
    kinds = page.locator('[data-year-kinds="2025"]')
    expect(kinds).to_contain_text("Vergeten iets door te geven over 2025?")
    kinds.locator('[data-year-change="partner"]').click()
    wait_until(page, "() => document.body.dataset.route === '/jaar/2025/wijzigen/partner' "
                     "&& !document.querySelector('.app-view[aria-busy]')")
    expect(page.locator("main h1")).to_have_text("Partner doorgeven voor 2025")
    expect(page.locator('[data-change-year="2025"]')).to_contain_text("definitieve berekening")
    date = page.get_by_label("Wanneer komt je partner bij je wonen?")
    assert (date.get_attribute("min"), date.get_attribute("max")) == ("2025-01-01", "2025-12-31")
    page.get_by_label("Voornaam van je partner").fill("Jan")
    page.get_by_label("Geboortedatum van je partner").fill("1994-02-01")
    page.get_by_label("Inkomen van je partner in 2025").fill("19.000")
    date.fill("2026-03-10")  # a day in this year is not one for 2025
    expect(page.locator(".app-preview")).to_have_attribute("data-state", "invalid")
    expect(page.locator(".app-preview")).to_contain_text("Kies een datum in 2025.")
    seq = preview_seq(page)
    date.fill("2025-03-10")
    pv = wait_preview(page, previous_seq=seq, timeout=20_000)
    assert pv["source"] == "phone" and "€ 0,00" not in pv["text"]
    assert "2025 is voorbij" in pv["text"]
    problems: list = []
    check_screen(page, "jaar 2025 partner", problems)
    assert not problems, problems
    page.get_by_role("button", name="Versturen").click()
    wait_until(page, "() => (document.body.dataset.route || '').startsWith('/klaar/') "
                     "&& !document.querySelector('.app-view[aria-busy]')")
    hid = spring.household_id("single_tenant")
    row = spring.query("SELECT member_from FROM persons WHERE household_id = ? AND role = 'partner'", (hid,))
    assert [r[0] for r in row] == ["2025-03-10"]
    decided = spring.query("SELECT DISTINCT d.year FROM decisions d JOIN events e ON e.id = d.event_id "
                           "WHERE d.household_id = ? AND e.kind = 'change.partner'", (hid,))
    assert [r[0] for r in decided] == [2025]
    # the partner still lives here: this year's voorschot was worked out again too, as an event of its own
    assert spring.query("SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.carried_forward'",
                        (hid,))[0][0] == 1
    assert not errors, errors


def test_next_years_forms_have_the_year_fixed(page, december):
    """In December the 2027 screen opens the change forms for 2027: dates in 2027 from 1 January, and
    the preview with 2027's rules says "nog niet bekend" where 2027 has no parameters, never € 0,00."""
    enrol(page, december, "single_tenant")
    go(page, december, "/jaar/2027")
    page.locator('[data-year-kinds="2027"] [data-year-change="huur"]').click()
    wait_until(page, "() => document.body.dataset.route === '/jaar/2027/wijzigen/huur' "
                     "&& !document.querySelector('.app-view[aria-busy]')")
    expect(page.locator("main h1")).to_have_text("Huur doorgeven voor 2027")
    date = page.get_by_label("Vanaf wanneer geldt de nieuwe huur?")
    assert date.input_value() == "2027-01-01"
    seq = preview_seq(page)
    page.get_by_label("Nieuwe kale huur per maand").fill("700")
    pv = wait_preview(page, previous_seq=seq, timeout=20_000)
    years = {y["year"]: y for y in api_json(page, "/api/years")["body"]["years"]}
    for t in years[2027]["toeslagen"]:
        if t["applied"] and not t["known"]:
            card = page.locator(f'.app-preview__card[data-toeslag="{t["toeslag"]}"]')
            expect(card).to_contain_text("Nog niet bekend")
    assert "€ 0,00" not in pv["text"]

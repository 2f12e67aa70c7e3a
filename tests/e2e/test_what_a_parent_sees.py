"""Issue 14, what parents saw on the phone (390x844, real Chromium, real API): dead ends, noise,
missing warnings and "Klopt dit?". Each test is named after what a parent saw."""

from __future__ import annotations

import datetime as dt

from .conftest import (
    api_json,
    count_events,
    enrol,
    fill_and_preview,
    go,
    module_server,
    wait_preview,
    wait_route,
    wait_settled,
)

may = module_server("parent-may")
december = module_server("parent-december", dt.date(2026, 12, 7))


def child_moves_in(page, name="Mila", birth="2019-05-05", date="2026-03-01"):
    page.get_by_label("Een kind komt bij mij wonen").check()
    page.get_by_label("Voornaam van het kind").fill(name)
    page.get_by_label("Geboortedatum").fill(birth)
    return fill_and_preview(page, "Vanaf wanneer?", date)


def test_vraag_kindgebonden_budget_aan_sends_the_child_first_and_the_application_then_counts_with_her(page, may):
    enrol(page, may, "single_tenant")
    before = count_events(may, "single_tenant", "change.child")
    go(page, may, "/wijzigen/kinderen")
    child_moves_in(page)
    apply = page.locator("[data-apply=kindgebonden_budget]")
    assert apply.inner_text() == "Verstuur deze wijziging en vraag kindgebonden budget aan"
    apply.click()
    wait_route(page, "/aanvragen/kindgebonden_budget")
    assert count_events(may, "single_tenant", "change.child") == before + 1
    wait_preview(page)
    text = page.locator(".app-preview").inner_text()
    assert "geen kindgebonden budget" not in text and "Je hebt geen recht" not in text
    assert page.get_by_role("button", name="Kindgebonden budget aanvragen").is_visible()


def test_back_from_a_form_keeps_what_was_typed(page, may):
    enrol(page, may, "couple_three_children", "/wijzigen/huur")
    fill_and_preview(page, "Nieuwe kale huur per maand", "812,50")
    page.get_by_role("link", name="← Andere wijziging").click()
    wait_route(page, "/wijzigen")
    page.go_back()
    wait_route(page, "/wijzigen/huur")
    assert page.get_by_label("Nieuwe kale huur per maand").input_value() == "812,50"
    wait_preview(page)   # and the preview of what was typed shows again


def test_vul_de_gegevens_in_shows_once_in_an_empty_preview(page, may):
    enrol(page, may, "single_tenant")
    for slug in ("inkomen", "huur", "partner", "kinderen"):
        go(page, may, "/wijzigen/" + slug)
        assert page.locator(".app-preview").inner_text().count("Vul de gegevens in") == 1, slug


def test_a_rent_of_0_asks_klopt_dit_and_may_still_be_sent(page, may):
    enrol(page, may, "single_tenant")
    before = count_events(may, "single_tenant", "change.home")
    go(page, may, "/wijzigen/huur")
    fill_and_preview(page, "Nieuwe kale huur per maand", "0")
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("heading", name="Klopt dit?").wait_for()
    page.get_by_role("button", name="Nee, ik pas het aan").click()
    assert page.evaluate("() => document.activeElement.name") == "rent"
    assert count_events(may, "single_tenant", "change.home") == before   # nothing sent
    page.get_by_role("button", name="Versturen").click()
    page.get_by_role("button", name="Ja, het klopt. Versturen").click()
    wait_settled(page)
    assert count_events(may, "single_tenant", "change.home") == before + 1


def test_no_income_for_a_working_parent_and_250_childcare_hours_ask_klopt_dit(page, may):
    enrol(page, may, "single_parent", "/wijzigen/inkomen")
    fill_and_preview(page, "Nieuw inkomen voor 2026", "0")
    page.get_by_role("button", name="Versturen").click()
    assert "terwijl je werkt" in page.locator("[data-confirm]").inner_text()
    go(page, may, "/wijzigen/kinderopvang")
    fill_and_preview(page, "Uren per maand", "250")
    page.get_by_role("button", name="Versturen").click()
    assert "250 uur opvang per maand" in page.locator("[data-confirm]").inner_text()


def test_jansen_entering_90000_vermogen_sees_why_huurtoeslag_is_paid_back(page, may):
    enrol(page, may, "couple_three_children", "/wijzigen/inkomen")
    income = api_json(page, "/api/household")["body"]["rules_input"]["timeline"][-1]["situation"]["applicant"]["income"]
    page.get_by_label("Nieuw inkomen voor 2026").fill(str(income // 100))
    pv = fill_and_preview(page, "Vermogen op 1 januari 2026", "75.000")
    assert "dicht bij de grens voor huurtoeslag: € 76.958" in pv["text"]
    pv = fill_and_preview(page, "Vermogen op 1 januari 2026", "90.000")
    assert "Met € 90.000 vermogen op 1 januari heb je het hele jaar geen recht op huurtoeslag" in pv["text"]
    assert "Wet: Awir art. 7 lid 3" in pv["text"]


def test_a_partner_moving_in_warns_about_the_same_application(page, may):
    enrol(page, may, "single_tenant", "/wijzigen/partner")
    page.get_by_label("Voornaam van je partner").fill("Sam")
    page.get_by_label("Geboortedatum van je partner").fill("1990-02-02")
    pv = fill_and_preview(page, "Inkomen van je partner in 2026", "20.000")
    assert "dezelfde aanvraag" in pv["text"]
    assert page.locator("[data-warning=partner_effect]").count() >= 1


def test_voorzichtig_voorschot_in_december_says_once_that_all_is_paid_and_offers_no_button(page, december):
    enrol(page, december, "single_tenant")
    asked = []
    page.on("request", lambda r: asked.append(r.url) if "/api/income/cautious/preview" in r.url else None)
    go(page, december, "/voorzichtig")
    text = page.locator("#main").inner_text()
    assert text.count("kan nu niet meer") == 1
    assert page.get_by_role("button", name="Kies voorzichtig voorschot").count() == 0
    assert asked == []


def test_an_application_in_december_shows_no_per_maand_dash(page, december):
    # every month of 2026 is paid by 7 December: the application pays the year in one go
    enrol(page, december, "single_tenant", "/wijzigen/kinderen")
    child_moves_in(page)
    page.locator("[data-apply=kindgebonden_budget]").click()
    wait_route(page, "/aanvragen/kindgebonden_budget")
    pv = wait_preview(page)
    assert "–" not in pv["text"] and "Per maand" not in pv["text"], pv["text"]
    assert "over heel 2026, in één keer" in pv["text"]


def test_jansen_sending_75000_vermogen_sees_the_warning_on_the_overview_and_big_enough_links(page, may):
    from .test_phone_ergonomics import MIN, TAP_TARGETS
    enrol(page, may, "couple_three_children", "/wijzigen/inkomen")
    income = api_json(page, "/api/household")["body"]["rules_input"]["timeline"][-1]["situation"]["applicant"]["income"]
    page.get_by_label("Nieuw inkomen voor 2026").fill(str(income // 100))
    fill_and_preview(page, "Vermogen op 1 januari 2026", "75.000")
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    assert page.evaluate(TAP_TARGETS, MIN) == []          # "Naar het overzicht" was 19 px high
    page.get_by_role("link", name="Naar het overzicht").click()
    wait_route(page, "/overzicht")
    warning = page.locator("[data-warning=assets_near_limit][data-toeslag=huurtoeslag]")
    assert "dicht bij de grens voor huurtoeslag" in warning.inner_text()

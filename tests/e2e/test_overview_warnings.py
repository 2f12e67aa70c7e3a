"""Warnings where the risk is, on the overview too (issue 14): "in the preview and on the overview, an
assets warning with the limit and the amount at stake, and a partner warning (what the partner's income
and assets do to each toeslag, and that the toeslagpartner must be in the same application)". The texts
are shared_rules/warnings.py's; the overview shows what the year as it stands says."""

from __future__ import annotations

import datetime as dt

from playwright.sync_api import expect

from .conftest import api_json, api_post, enrol, module_server, wait_route

TODAY = dt.date(2026, 12, 7)


server = module_server("overview-warnings", TODAY)


def _overview_again(page) -> None:
    page.reload()  # the change went in through the API: the app loads the overview afresh
    wait_route(page, "/overzicht")


def test_de_vries_sees_on_the_overview_what_her_toeslagpartner_does_to_each_toeslag(page, server):
    """A partner moved in on 1 August (the change is sent): the overview, not only the preview, says
    that his income and vermogen count, what that does to each toeslag, and that he must be in the same
    application."""
    enrol(page, server, "single_tenant")
    expect(page.locator('#main [data-warning^="partner_"]')).to_have_count(0)
    change = {"kind": "partner", "date": "2026-08-01", "action": "moves_in",
              "partner": {"given_name": "Joris", "birth_date": "1993-02-11", "income": 2_400_000}}
    r = api_post(page, "/api/changes", {"change": change})
    assert r["status"] == 201, r
    warnings = api_json(page, "/api/overview")["body"]["warnings"]
    effects = [w for w in warnings if w["code"] == "partner_effect"]
    assert effects
    _overview_again(page)
    main = page.locator("#main")
    expect(main.locator('[data-warning="partner_moves_in"]')).to_contain_text(
        "Vanaf augustus 2026 is je partner je toeslagpartner. Dan tellen zijn of haar inkomen")
    expect(main.locator('[data-warning="partner_same_application"]')).to_contain_text(
        "Je toeslagpartner moet in dezelfde aanvraag staan als jij")
    shown = main.locator('[data-warning="partner_effect"]')
    expect(shown).to_have_count(len(effects))
    for i, w in enumerate(effects):
        expect(shown.nth(i)).to_have_attribute("data-toeslag", w["toeslag"])
        expect(shown.nth(i)).to_contain_text(w["text"])


def test_jansen_sees_on_the_overview_that_90000_vermogen_costs_the_huurtoeslag(page, server):
    """Jansen entered € 90.000 vermogen and saw "€ 2.448,00 terug" with no reason. The overview now says
    why, with the limit and the amount at stake."""
    enrol(page, server, "couple_three_children")
    applicant = api_json(page, "/api/household")["body"]["rules_input"]["timeline"][-1]["situation"]["applicant"]
    r = api_post(page, "/api/changes", {"change": {"kind": "income", "date": "2026-12-01", "person": "applicant",
                                                   "income": applicant["income"], "assets": 9_000_000}})
    assert r["status"] == 201, r
    [w] = [w for w in api_json(page, "/api/overview")["body"]["warnings"]
           if w["code"] == "assets_above_limit" and w["toeslag"] == "huurtoeslag"]
    _overview_again(page)
    card = page.locator('#main [data-warning="assets_above_limit"][data-toeslag="huurtoeslag"]')
    expect(card).to_contain_text("heb je het hele jaar geen recht op huurtoeslag. De grens is € 76.958")
    expect(card).to_contain_text(w["text"])
    expect(card).to_contain_text("Awir art. 7 lid 3")

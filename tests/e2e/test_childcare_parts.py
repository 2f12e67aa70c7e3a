"""Issue 14 on the kinderopvang screen (390x844, real Chromium, real API), El Amrani on 7 December 2026:
the amounts per child add up to "Alle opvang samen" and stay put when only the other child changes
(shared_rules kinderopvangtoeslag.split), and "Vraag kinderopvangtoeslag aan" in the "Neem over"
preview sends the adoption first. Each test is named after what a parent saw."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from playwright.sync_api import expect

from .conftest import count_events, enrol, euro, fresh_server, go, module_server, wait_preview, wait_route, wait_settled

KEY = "single_parent"
DECEMBER = dt.date(2026, 12, 7)


december = module_server("childcare-december", DECEMBER)


@pytest.fixture
def no_kot_yet(tmp_path_factory):
    """El Amrani without a kinderopvangtoeslag application and with 0 hours given for both children: the
    reported hours are what would give a toeslag."""
    srv = fresh_server(tmp_path_factory, "childcare-apply", DECEMBER)
    hh = srv.household_id(KEY)
    db = sqlite3.connect(srv.db_path)
    with db:
        db.execute("DELETE FROM applications WHERE household_id = ? AND toeslag = 'kinderopvangtoeslag'", (hh,))
        db.execute("UPDATE childcare_terms SET hours_per_month = 0 WHERE contract_id IN "
                   "(SELECT id FROM childcare_contracts WHERE household_id = ?)", (hh,))
    db.close()
    yield srv
    srv.stop()


def section(page, child: str):
    return page.locator(".app-contract").filter(has=page.get_by_role("heading", name=f"{child}: ", exact=False))


def amounts(page) -> tuple[int, dict[str, int]]:
    """("Alle opvang samen", {child: its amount}) as the screen shows them (data attributes beside the text)."""
    total = int(page.locator("[data-total-year-end]").get_attribute("data-total-year-end"))
    parts = {}
    for child in ("Noor", "Adam"):
        parts[child] = int(section(page, child).locator("[data-year-end]").get_attribute("data-year-end"))
    return total, parts


def test_kinderopvang_total_669_with_parts_108_and_560_now_adds_up_and_noor_stays_when_adam_changes(page, december):
    enrol(page, december, KEY)
    go(page, december, "/kinderopvang")
    total, parts = amounts(page)
    assert total != 0 and total == sum(parts.values()), (total, parts)
    # the texts say the same amounts
    expect(page.locator("[data-total-year-end]")).to_contain_text(euro(abs(total)))
    for child, cents in parts.items():
        expect(section(page, child).locator("[data-year-end]")).to_contain_text(euro(abs(cents)))

    # Noor is the first child (most hours): a month where her hours did not change never differs; Adam,
    # counted last, takes the rounding of the month, and such a month says "door afronden"
    expect(section(page, "Noor").locator("[data-rounding]")).to_have_count(0)
    expect(section(page, "Noor").locator('tr[data-basis="estimate"] [data-field="difference"]').first).to_have_text(euro(0))

    # a change to Adam only: adopt the hours his BSO reported
    page.get_by_role("button", name="Neem over: uren van Adam").click()
    adam = section(page, "Adam")
    expect(adam.locator(".app-preview")).to_have_attribute("data-state", "ready", timeout=15_000)
    adam.get_by_role("button", name="Ja, neem deze uren over").click()
    wait_settled(page)
    go(page, december, "/kinderopvang")
    noor_text = section(page, "Noor").locator("[data-year-end]")
    expect(noor_text).to_have_attribute("data-year-end", str(parts["Noor"]))
    expect(noor_text).to_contain_text(euro(abs(parts["Noor"])))
    expect(section(page, "Adam").locator("[data-year-end]")).not_to_have_attribute("data-year-end", str(parts["Adam"]))
    total_after, parts_after = amounts(page)
    assert total_after == sum(parts_after.values())


def test_vraag_kinderopvangtoeslag_aan_in_the_neem_over_preview_sends_the_hours_first(page, no_kot_yet):
    """A link in a preview opened the application before the change was sent: "Je hebt geen recht"."""
    enrol(page, no_kot_yet, KEY)
    before = count_events(no_kot_yet, KEY, "childcare.adopt")
    go(page, no_kot_yet, "/kinderopvang")
    page.get_by_role("button", name="Neem over: uren van Noor").click()
    noor = section(page, "Noor")
    expect(noor.locator(".app-preview")).to_have_attribute("data-state", "ready", timeout=15_000)
    apply = noor.locator("[data-apply=kinderopvangtoeslag]")
    expect(apply).to_have_text("Verstuur deze wijziging en vraag kinderopvangtoeslag aan")
    apply.click()
    wait_route(page, "/aanvragen/kinderopvangtoeslag")
    assert count_events(no_kot_yet, KEY, "childcare.adopt") == before + 1
    wait_preview(page)
    expect(page.locator(".app-preview")).not_to_contain_text("Je hebt geen recht")
    expect(page.get_by_role("button", name="Kinderopvangtoeslag aanvragen")).to_be_visible()

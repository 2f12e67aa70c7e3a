"""The year cycle on the phone, offline (issue #15): on 7 December 2026 with the network cut, De Vries
previews a change of its 2027 estimate (next year's rules: "nog niet bekend" for zorgtoeslag and
huurtoeslag, never € 0,00) and a correction of 2025 (a past year, every month paid, its final income
known) on the phone, through the year screens and the change forms with the year fixed
(#/jaar/2025/wijzigen/huur). Back online, the outbox sends them with their year, and each decision
is the phone's preview to the cent."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from .conftest import (
    api_json,
    check_screen,
    enrol,
    euro,
    fresh_server,
    pretty,
    ready_offline,
    wait_preview,
    wait_route,
    wait_until,
)

# The phone's preview of a change in another open year, from what the app keeps offline (the
# snapshots of GET /api/household and GET /api/years) — what the year screens and forms compute.
PHONE_YEAR_PREVIEW = """async ([change, year]) => {
    const rules = await import('/src/rules.js');
    const api = await import('/src/api.js');
    const hh = (await api.apiGet('/api/household')).data;
    const yr = (await api.apiGet('/api/years')).data.years.find((y) => y.year === year);
    const r = await rules.previewChange(hh, change, yr.rules_input);
    if (!r.ok) return {error: r.error};
    return r.result;
}"""


@pytest.fixture(scope="module")
def december(tmp_path_factory):
    srv = fresh_server(tmp_path_factory, "years-offline", dt.date(2026, 12, 7))
    yield srv
    srv.stop()



def _decisions(page, year: int, event_kind: str) -> dict:
    """The newest decision per toeslag of `year` (GET /api/history)."""
    newest: dict = {}
    for d in api_json(page, f"/api/history?year={year}")["body"]["decisions"]:  # newest first
        newest.setdefault(d["toeslag"], d)
    return newest


def _same(phone: dict, decided: dict, applied: list[str], what: str) -> int:
    n = 0
    for t in applied:
        pv, dec = phone["toeslagen"][t], decided.get(t)
        if not pv["computed"]:
            # no parameters for the year: nothing shown as an amount, and nothing decided as one
            assert dec is None or dec["per_year"] == 0, (what, t, pretty(dec))
            continue
        shown = {"voorschot": pv["voorschot"], "past_months": pv["past_months"], "per_year": pv["after"]["per_year"],
                 "months": pv["after"]["months"]}
        got = {"voorschot": [m["voorschot"] for m in dec["months"]], "past_months": dec["past_months"],
               "per_year": dec["per_year"], "months": [m["entitlement"] for m in dec["months"]]}
        assert shown == got, f"{what} {t}\nphone: {pretty(shown)}\ndecided: {pretty(got)}"
        n += 1
    return n


def test_phone_previews_next_and_past_year_offline_and_the_decision_is_the_preview(page, context, december):
    errors: list = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.set_viewport_size({"width": 390, "height": 844})
    enrol(page, december, "single_tenant")
    page.locator('[data-year="2027"]').wait_for()
    ready_offline(page, ("/api/household", "/api/overview", "/api/years"))
    years = {y["year"]: y for y in api_json(page, "/api/years")["body"]["years"]}
    assert {2027, 2026, 2025} <= set(years)
    applied = {y: [t["toeslag"] for t in years[y]["toeslagen"] if t["applied"]] for y in (2025, 2027)}

    context.set_offline(True)
    # -- 2027: next year's estimate, on the year screen ---------------------------------------
    page.goto(page.url.split("#")[0] + "#/jaar/2027")
    wait_route(page, "/jaar/2027")
    page.get_by_label("Je inkomen voor 2027").fill("31.000")
    page.get_by_role("button", name="Bekijk wat het doet").click()
    box = page.locator('[data-year-preview="2027"]')
    expect(box).to_be_visible(timeout=20_000)
    text = box.inner_text()
    assert "€ 0,00" not in text and "€ 0 " not in text
    for t in applied[2027]:
        line = box.locator(f'li[data-toeslag="{t}"]').inner_text()
        y27 = next(x for x in years[2027]["toeslagen"] if x["toeslag"] == t)
        assert ("nog niet bekend" in line) == (not y27["known"]), line
        if y27["known"] and y27["provisional"]:
            assert "voorlopig" in line
    change27 = {"kind": "income", "date": "2026-12-07", "person": "applicant", "income": 3_100_000}
    phone27 = page.evaluate(PHONE_YEAR_PREVIEW, [change27, 2027])
    assert "error" not in phone27, phone27
    assert phone27["year"] == 2027
    page.get_by_role("button", name="Versturen").click()
    wait_until(page, "() => (document.body.dataset.route || '').startsWith('/klaar/')", timeout=20_000)

    # -- 2025: a correction of a past year, through the rent form with the year fixed ---------
    page.goto(page.url.split("#")[0] + "#/jaar/2025")
    wait_route(page, "/jaar/2025")
    page.locator('[data-year-change="huur"]').click()
    wait_route(page, "/jaar/2025/wijzigen/huur")
    assert "2025" in page.locator("main h1").inner_text()
    date = page.get_by_label("Vanaf wanneer geldt de nieuwe huur?")
    assert date.get_attribute("min") == "2025-01-01" and date.get_attribute("max") == "2025-12-31"
    date.fill("2025-04-01")
    page.get_by_label("Nieuwe kale huur per maand").fill("760")
    pv = wait_preview(page, timeout=20_000)
    assert pv["source"] == "phone"
    assert "€ 0,00" not in pv["text"]
    change25 = {"kind": "home", "date": "2025-04-01", "rent": 76_000, "service_costs": 4_500}
    phone25 = page.evaluate(PHONE_YEAR_PREVIEW, [change25, 2025])
    assert "error" not in phone25, phone25
    # the panel shows the phone's figures: what the months already paid bring
    for t in applied[2025]:
        past = phone25["toeslagen"][t]["past_months"]
        card = page.locator(f'.app-preview__card[data-toeslag="{t}"] [data-field="past_months"]').inner_text()
        if past:
            assert euro(abs(past)) in card, (t, card, past)
    problems: list = []
    check_screen(page, "jaar 2025 huur offline", problems)
    assert not problems, problems
    page.get_by_role("button", name="Versturen").click()
    wait_until(page, "() => (document.body.dataset.route || '').startsWith('/klaar/')", timeout=20_000)
    hid = december.household_id("single_tenant")
    assert december.query("SELECT count(*) FROM events WHERE household_id = ? AND kind IN ('change.income', 'change.home')",
                          (hid,))[0][0] == 0

    # -- online: the outbox sends both, each with its year; each decision is the preview ------
    context.set_offline(False)
    expect(page.locator("[data-outbox-count]")).to_have_count(0, timeout=30_000)
    wait_until(page, "() => true")
    sent = december.query("SELECT kind FROM events WHERE household_id = ? AND kind IN ('change.income', 'change.home') "
                          "ORDER BY occurred_at", (hid,))
    assert [r[0] for r in sent] == ["change.income", "change.home"]
    ests = [tuple(r) for r in december.query("SELECT year, income FROM estimates WHERE household_id = ?", (hid,))]
    assert (2027, 3_100_000) in ests, ests
    home = december.query("SELECT valid_from, rent FROM homes WHERE household_id = ? ORDER BY id DESC LIMIT 1", (hid,))[0]
    assert tuple(home) == ("2025-04-01", 76_000)
    n = _same(phone27, _decisions(page, 2027, "change.income"), applied[2027], "2027 income")
    n += _same(phone25, _decisions(page, 2025, "change.home"), applied[2025], "2025 rent")
    assert n >= 1
    assert not errors, errors

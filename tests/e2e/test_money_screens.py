"""Every screen tells the same amounts (issue #14), on 7 December 2026 — the day the parent tried the
app. The amounts come from the server's ledger; each test is named after what a parent saw."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import (
    DEMO_KEYS,
    api_json,
    drift_scan,
    enrol,
    euro,
    fill_and_preview,
    go,
    module_server,
    wait_settled,
)

TODAY = dt.date(2026, 12, 7)


# what the scheduler runs first: the income-drift scan (De Vries's wages drift above her estimate)
server = module_server("money", TODAY, drift_scan)


def _cards(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('li.app-card[data-toeslag]')].map(
        (c) => [c.dataset.toeslag, {text: c.innerText,
                                    amount: (c.querySelector('[data-field="amount_this_month"]') || {}).innerText || null}]))""")


def _detail(page) -> dict:
    return page.evaluate("""() => ({
        now: document.querySelector('[data-field="amount_this_month"]').innerText,
        paid_so_far: (document.querySelector('[data-field="paid_so_far"]') || {}).innerText || null,
        rows: [...document.querySelectorAll('table.app-table tbody tr')].map((r) => ({
            month: Number(r.dataset.month), paid: r.dataset.paid === '1', amount: Number(r.dataset.amount),
            shown: r.querySelector('td').innerText, when: r.querySelectorAll('td')[1].innerText})),
        corrections: [...document.querySelectorAll('[data-correction]')].map(
            (c) => ({amount: Number(c.dataset.amount), text: c.innerText})),
        how: (document.querySelector('[data-how-to-pay]') || {}).innerText || null,
        text: document.querySelector('.app-view').innerText})""")


def test_de_vries_drift_prompt_and_the_toeslag_page_tell_the_same_amount(page, server):
    """Seen: the drift prompt said "zorgtoeslag € 83 terug" while the zorgtoeslag page said
    "Verwachte afrekening: Je krijgt € 2,00 erbij" — two incomes (the wages and the estimate), one
    of them unnamed. Now the page names both, and the prompt's amount reads the same on the page."""
    enrol(page, server, "single_tenant")
    prompts = api_json(page, "/api/prompts")["body"]["prompts"]
    drift = next(p for p in prompts if p["kind"] == "income_drift")
    parts = {x["toeslag"]: x["settlement"] for x in drift["data"]["toeslagen"] if x["settlement"]}
    assert parts
    for t, amount in parts.items():
        go(page, server, f"/toeslag/{t}")
        shown = page.locator('[data-field="settlement_drift"]').inner_text()
        assert euro(abs(amount)) in shown and ("terug" in shown) == (amount < 0)
        assert euro(abs(amount)).replace("\u00a0", " ") in drift["body"]  # the prompt says the same amount
        assert "met het inkomen dat je opgaf" in page.locator(".app-facts").inner_text()


def test_de_vries_paid_months_stay_paid_and_the_repayment_shows_until_settled(page, server):
    """Seen after an income change: the confirmation said "Nieuw bedrag per maand € 0,00 … Vanaf
    december"; huurtoeslag said "Al betaald dit jaar € 3.132" and "€ 261 Betaald" per month while € 325
    a month was paid and € 768 must be repaid; the repayment appeared nowhere; the overview said
    "Deze maand (december) krijg je € 383" after € 454 was paid for December."""
    enrol(page, server, "single_tenant")
    before = {t["toeslag"]: t for t in api_json(page, "/api/overview")["body"]["toeslagen"]}
    paid = [m["paid"] for m in before["huurtoeslag"]["ledger"]["months"]]
    assert None not in paid  # 7 December: every month of 2026 is paid
    go(page, server, "/wijzigen/inkomen")
    fill_and_preview(page, "Nieuw inkomen voor 2026", "33.000")
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    # the confirmation: the year is paid; what is settled now, and after the year
    for t in ("zorgtoeslag", "huurtoeslag"):
        card = page.locator(f'li.app-card[data-toeslag="{t}"]')
        text = card.inner_text()
        assert card.get_attribute("data-all-paid") == "1"
        assert "allemaal betaald" in text and "Nieuw bedrag per maand" not in text and "Was per maand" not in text
    after = {t["toeslag"]: t for t in api_json(page, "/api/overview")["body"]["toeslagen"]}
    huur = after["huurtoeslag"]
    repay = huur["ledger"]["open_repayment"]
    assert repay > 0
    assert euro(repay) in page.locator('li.app-card[data-toeslag="huurtoeslag"]').inner_text()
    # the overview: December as paid, the repayment on the card until it is settled
    go(page, server, "/overzicht")
    cards = _cards(page)
    assert cards["huurtoeslag"]["amount"] == euro(paid[11]) == euro(huur["amount_this_month"])
    assert "Terugvordering" in cards["huurtoeslag"]["text"] and euro(repay) in cards["huurtoeslag"]["text"]
    # the detail: every month as paid, "Al betaald" is what was paid, the repayment and how to pay it
    go(page, server, "/toeslag/huurtoeslag")
    d = _detail(page)
    assert [r["amount"] for r in d["rows"]] == paid and all(r["paid"] for r in d["rows"])
    assert all(r["shown"] == euro(p) and r["when"].startswith("Betaald op") for r, p in zip(d["rows"], paid, strict=True))
    assert d["paid_so_far"] == euro(sum(paid))
    assert [c["amount"] for c in d["corrections"]] == [-repay]
    assert "Dienst Toeslagen" in d["how"] and "betalingsregeling" in d["how"]


@pytest.mark.parametrize("demo_key", DEMO_KEYS)
def test_every_screen_tells_the_same_amounts(page, server, demo_key):
    """Overview card, detail and month table agree for every toeslag; the total of the overview is the
    sum of its cards; "Al betaald" is the sum of the paid months shown (plus settled corrections)."""
    enrol(page, server, demo_key)
    ov = api_json(page, "/api/overview")["body"]
    cards = _cards(page)
    applied = [t for t in ov["toeslagen"] if t["applied"]]
    assert page.locator("[data-total]").inner_text() == euro(sum(t["amount_this_month"] for t in applied)) \
        == euro(ov["total_this_month"])
    for t in applied:
        if t["status"] == "applied":
            assert cards[t["toeslag"]]["amount"] == euro(t["amount_this_month"])
        go(page, server, f"/toeslag/{t['toeslag']}")
        d = _detail(page)
        book = t["ledger"]
        assert d["now"] == euro(t["amount_this_month"])
        now_row = d["rows"][ov["month"] - 1]
        assert now_row["shown"] == d["now"]
        settled = sum(c["amount"] for c in book["corrections"] if c["status"] == "settled")
        assert d["paid_so_far"] == euro(sum(r["amount"] for r in d["rows"] if r["paid"]) + settled)
        for r, m in zip(d["rows"], book["months"], strict=True):
            assert r["amount"] == (m["paid"] if m["paid"] is not None else m["due"])
        go(page, server, "/overzicht")

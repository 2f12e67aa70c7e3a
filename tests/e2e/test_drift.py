"""Issue 6, prompts on the Overzicht: "Check. Pas aan. En door." The demo single tenant's wages rose;
after the drift scan (the scheduled job) she sees the prompt with the euro amount the API gives, opens
the income screen prefilled with the projected income, sees the preview first, sends it, and the
prompt closes. The couple gets a life-event card (push fallback, from the reminders job), closes it
with a reason, and it stays closed after a reload. Voorzichtig voorschot: both paths side by side
from the server, and choosing one. Every action the server can send opens a real screen.

A server of its own on 20 September 2026: wages through August are in, and Sophie (Jansen) turns 12
on 2 October, so the reminders job has a card for a household without push."""

from __future__ import annotations

import datetime as dt
import re

from playwright.sync_api import expect

from .conftest import (
    PHONE_PREVIEW,
    ROOT,
    api_json,
    api_post,
    check_screen,
    count_events,
    drift_scan,
    enrol,
    euro,
    go,
    module_server,
    wait_route,
    wait_settled,
    wait_until,
)

TODAY = dt.date(2026, 9, 20)
TOESLAGEN = ("zorgtoeslag", "huurtoeslag", "kindgebonden_budget", "kinderopvangtoeslag")


def _scheduled(srv) -> None:
    """What the scheduler of `python -m api serve` runs: the income-drift scan and the reminders."""
    from api.jobs import reminders

    drift_scan(srv)
    reminders.run(srv.store, srv.settings)


server = module_server("drift", TODAY, _scheduled)



def prompts(page, kind: str | None = None) -> list[dict]:
    ps = api_json(page, "/api/prompts")["body"]["prompts"]
    return [p for p in ps if kind is None or p["kind"] == kind]


def done(page) -> None:
    wait_settled(page)


def test_income_drift_prompt_prefilled_change_closes_it(page, server):
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    problems: list[str] = []
    enrol(page, server, "single_tenant")
    [p] = prompts(page, "income_drift")
    assert p["amount"] < 0 and p["action"] == "#/wijzigen/inkomen"

    card = page.locator(f'li.app-prompt[data-prompt="{p["id"]}"]')
    assert card.get_attribute("data-kind") == "income_drift"
    text = card.inner_text()
    assert "Check. Pas aan. En door." in text and p["title"] in text
    assert card.locator('[data-field="amount"]').inner_text() == euro(-p["amount"])  # what the API says
    assert "terug" in card.locator(".app-prompt__stake").inner_text()
    check_screen(page, "overzicht met inkomensmelding", problems)

    # Voorzichtig voorschot from the card: both paths side by side, as the server computes them
    card.get_by_role("link", name="Liever een voorzichtig voorschot").click()
    wait_route(page, "/voorzichtig")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready")
    srv = api_post(page, "/api/income/cautious/preview", {"mode": "band_high"})["body"]
    row = page.locator('tr[data-row="settlement"]')
    assert row.locator('[data-side="normal"]').inner_text() == f"Je betaalt {euro(-srv['normal']['settlement'])} terug"
    cautious = srv["cautious"]["settlement"]
    assert row.locator('[data-side="cautious"]').inner_text() == (
        f"Je krijgt {euro(cautious)} terug" if cautious > 0
        else f"Je betaalt {euro(-cautious)} terug" if cautious < 0
        else "Niets terug of erbij")
    assert srv["summary"] in page.locator(".app-preview").inner_text()
    check_screen(page, "voorzichtig voorschot", problems)
    page.get_by_label("Krijg elke maand een vast percentage minder voorschot").check()
    page.get_by_label("Hoeveel procent minder?").fill("80")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "invalid")
    assert "1 tot en met 50" in page.locator(".app-preview").inner_text()
    check_screen(page, "voorzichtig voorschot (fout)", problems)
    page.get_by_label("Hoeveel procent minder?").fill("10")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready")

    # one tap from the card to the income screen, filled with the projected income, preview first
    go(page, server, "/overzicht")
    card.get_by_role("link", name="Inkomen aanpassen").click()
    wait_route(page, "/wijzigen/inkomen")
    change = p["data"]["change"]
    projected = p["data"]["projected"]
    assert change["income"] == projected
    assert page.get_by_label("Nieuw inkomen voor 2026").input_value() == euro(projected, always_cents=True).replace("€\u00a0", "")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready", timeout=20_000)
    assert page.locator(".app-preview").get_attribute("data-source") == "phone"
    spv = api_post(page, "/api/changes/preview", {"change": change})["body"]
    huur = spv["toeslagen"]["huurtoeslag"]["new_monthly"]
    assert page.locator('.app-preview__card[data-toeslag="huurtoeslag"] [data-field="new_monthly"]').inner_text() == euro(huur)
    check_screen(page, "inkomen uit melding (preview)", problems)
    assert count_events(server, "single_tenant", "change.income") == 0
    page.get_by_role("button", name="Versturen").click()
    done(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert count_events(server, "single_tenant", "change.income") == 1

    # the prompt closed (the change's scan resolved it), on the server and on the Overzicht
    assert prompts(page, "income_drift") == []
    go(page, server, "/overzicht")
    assert page.locator('li.app-prompt[data-kind="income_drift"]').count() == 0
    assert server.query("SELECT status FROM prompts WHERE id = ?", (p["id"],))[0][0] != "open"
    assert not problems, "\n".join(problems)
    assert not errors, errors


def test_dismissed_card_stays_dismissed_and_cautious_choice(page, server):
    problems: list[str] = []
    enrol(page, server, "couple_three_children")
    [p] = prompts(page, "life_event")
    assert p["action"] == "#/toeslag/kindgebonden_budget" and p["amount"] == 6100
    card = page.locator(f'li.app-prompt[data-prompt="{p["id"]}"]')
    assert p["title"] in card.inner_text()
    assert card.locator('[data-field="amount"]').inner_text() == euro(6100)
    assert card.get_by_role("link", name="Bekijken").get_attribute("href") == "#/toeslag/kindgebonden_budget"

    # close it with a reason (through the outbox), keyboard-friendly: the reasons open under the button
    card.get_by_role("button", name=f"Sluiten: {p['title']}").click()
    assert card.get_by_role("button", name=f"Sluiten: {p['title']}").get_attribute("aria-expanded") == "true"
    check_screen(page, "overzicht: melding sluiten", problems)
    card.get_by_label("Dit klopt niet").check()
    card.get_by_role("button", name="Melding sluiten").click()
    expect(page.locator(f'li.app-prompt[data-prompt="{p["id"]}"]')).to_have_count(0)
    assert page.locator("[data-prompt-status]").inner_text() == "De melding is gesloten."
    status, reason = server.query("SELECT status, dismissed_reason FROM prompts WHERE id = ?", (p["id"],))[0]
    assert (status, reason) == ("dismissed", "Dit klopt niet")
    page.reload()
    wait_route(page, "/overzicht")
    assert page.locator(f'li.app-prompt[data-prompt="{p["id"]}"]').count() == 0
    assert prompts(page, "life_event") == []
    check_screen(page, "overzicht zonder meldingen", problems)

    # Voorzichtig voorschot: no projection for this household, so a percentage; choose it
    go(page, server, "/voorzichtig")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready")
    assert page.get_by_label("Krijg elke maand een vast percentage minder voorschot").is_checked()
    srv = api_post(page, "/api/income/cautious/preview", {"mode": "percentage", "percentage": 10})["body"]
    monthly = sum(t["cautious"]["monthly"] for t in srv["toeslagen"])
    assert page.locator('tr[data-row="monthly"] [data-side="cautious"]').inner_text() == euro(monthly)
    page.get_by_role("button", name="Kies voorzichtig voorschot").click()
    done(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert count_events(server, "couple_three_children", "change.cautious_voorschot") == 1
    kgb = next(t for t in srv["toeslagen"] if t["toeslag"] == "kindgebonden_budget")
    new_monthly = page.locator('li.app-card[data-toeslag="kindgebonden_budget"] [data-field="new_monthly"]')
    assert new_monthly.inner_text() == euro(kgb["cautious"]["monthly"])
    check_screen(page, "voorzichtig voorschot: verstuurd", problems)

    # the choice stays in force: the phone's preview of a later change (shared_rules in the browser,
    # with the choices the server hands out) lowers the new amount exactly as the server then decides
    hh = api_json(page, "/api/household")["body"]
    assert set(hh["rules_input"]["cautious"]) == {t["toeslag"] for t in srv["toeslagen"]}
    change = {"kind": "income", "date": TODAY.isoformat(), "person": "applicant", "income": 3_100_000}
    phone = page.evaluate(PHONE_PREVIEW, change)["toeslagen"]
    r = api_post(page, "/api/changes", {"change": change})
    assert r["status"] == 201, r
    decided = {t["toeslag"]: t["new_monthly"] for t in r["body"]["toeslagen"] if t["decision_id"]}
    assert decided["kindgebonden_budget"] == phone["kindgebonden_budget"]["new_monthly"] < \
        phone["kindgebonden_budget"]["after"]["months"][TODAY.month]

    # and it can be stopped: the normal voorschot again, previewed first
    go(page, server, "/voorzichtig")
    page.get_by_text("minder voorschot. Dat blijft zo").wait_for()
    page.get_by_label("Stop met het voorzichtig voorschot: krijg weer het normale voorschot").check()
    wait_until(page, "() => document.querySelector('.app-preview').dataset.state === 'ready' && "
                     "document.querySelector('thead').innerText.includes('Na stoppen')")
    check_screen(page, "voorzichtig voorschot: stoppen", problems)
    page.get_by_role("button", name="Stop voorzichtig voorschot").click()
    done(page)
    assert count_events(server, "couple_three_children", "change.cautious_voorschot") == 2
    hh = api_json(page, "/api/household")["body"]
    assert "cautious" not in hh["rules_input"]
    kgb = next(t for t in api_json(page, "/api/overview")["body"]["toeslagen"] if t["toeslag"] == "kindgebonden_budget")
    assert kgb["voorschot"][TODAY.month:] == phone["kindgebonden_budget"]["after"]["months"][TODAY.month:]
    assert not problems, "\n".join(problems)




def server_actions() -> set[str]:
    """Every hash route the server's code can put in a prompt action or a push url."""
    found = set()
    for f in (ROOT / "api").rglob("*.py"):
        for m in re.finditer(r"""["'](/?#/[a-z][a-z_/{}]*)["']""", f.read_text(encoding="utf-8")):
            found.add(m.group(1).lstrip("/"))
    out = set()
    for a in found:
        if a.startswith("#/jaar/"):  # a year screen (#/jaar/{year}): the year the server runs in is always open
            out.add(re.sub(r"\{[a-z_]+\}", str(TODAY.year), a))
        elif "{" in a:
            out.update(re.sub(r"\{[a-z_]+\}", t, a) for t in TOESLAGEN)
        else:
            out.add(a)
    return out


def test_every_server_action_opens_a_screen(page, server):
    actions = server_actions()
    assert {"#/kinderopvang", "#/wijzigen/inkomen", "#/aanvragen/zorgtoeslag", "#/overzicht",
            "#/toeslag/kindgebonden_budget", "#/wijzigen/kinderopvang"} <= actions, actions
    enrol(page, server, "single_parent")
    for hash_ in sorted(actions | {"#/aanvragen", "#/wijziging/inkomen"}):
        page.goto(server.base_url + "/" + hash_)
        path = hash_[1:].replace("/wijziging/", "/wijzigen/")  # older prompts: the same screen
        wait_route(page, path)
        h1 = page.locator("main h1").inner_text()
        assert h1 and h1 != "Er ging iets mis", (hash_, h1)


def test_assets_near_the_limit_card_and_the_assets_field(page, server):
    """Vermogen passed on with the income screen (the assets field) lands near the huurtoeslag limit:
    the change's own scan raises the card; its link opens the same screen with the assets filled in."""
    problems: list[str] = []
    enrol(page, server, "single_parent", "/wijzigen/inkomen")
    page.get_by_label("Nieuw inkomen voor 2026").fill("34.000")
    page.get_by_label("Vermogen op 1 januari 2026").fill("37.000")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready", timeout=20_000)
    page.get_by_role("button", name="Versturen").click()
    done(page)
    [p] = prompts(page, "assets_near_limit")
    assert p["toeslag"] == "huurtoeslag" and p["data"]["assets"] == 3_700_000 and p["amount"] < 0

    go(page, server, "/overzicht")
    card = page.locator(f'li.app-prompt[data-prompt="{p["id"]}"]')
    assert card.locator('[data-field="amount"]').inner_text() == euro(-p["amount"])
    assert "huurtoeslag" in card.locator(".app-prompt__stake").inner_text()
    check_screen(page, "overzicht met vermogensmelding", problems)
    card.get_by_role("link", name="Vermogen nakijken").click()
    wait_route(page, "/wijzigen/inkomen")
    assert page.get_by_label("Vermogen op 1 januari 2026").input_value() == "37.000,00"
    assert page.get_by_label("Nieuw inkomen voor 2026").input_value() == "34.000,00"
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready", timeout=20_000)
    page.get_by_label("Vermogen op 1 januari 2026").fill("20.000,555")  # bad input: a plain message
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "invalid")
    check_screen(page, "vermogen (fout)", problems)
    page.get_by_label("Vermogen op 1 januari 2026").fill("20.000")
    expect(page.locator(".app-preview").first).to_have_attribute("data-state", "ready")
    page.get_by_role("button", name="Versturen").click()
    done(page)
    assert prompts(page, "assets_near_limit") == []
    assert not problems, "\n".join(problems)

"""WCAG 2.1 AA: axe-core on every screen (0 violations), no horizontal scroll at 360x740 and 390x844,
and a keyboard-only run of the change flow with a visible focus at every stop."""

from __future__ import annotations

from .conftest import api_json, check_screen, enrol, go, preview_seq, wait_preview, wait_route, wait_settled


def test_every_screen_axe_and_no_horizontal_scroll(page, server):
    problems: list[str] = []
    go(page, server, "/start")
    check_screen(page, "start", problems)
    go(page, server, "/activeren")
    check_screen(page, "activeren", problems)
    page.get_by_role("button", name="Code controleren").click()  # empty code: the error state
    page.locator(".app-error:not([hidden])").wait_for()
    check_screen(page, "activeren (fout)", problems)

    enrol(page, server, "single_parent")
    check_screen(page, "overzicht", problems)
    go(page, server, "/toeslag/kinderopvangtoeslag")
    page.get_by_text("Hoe komt dit bedrag?").click()
    check_screen(page, "toeslag detail", problems)
    go(page, server, "/wijzigen")
    check_screen(page, "wijzigen", problems)
    for slug in ("huur", "verhuizen", "kinderopvang", "partner", "kinderen"):
        go(page, server, "/wijzigen/" + slug)
        check_screen(page, "wijzigen/" + slug, problems)
    go(page, server, "/wijzigen/inkomen")
    seq = preview_seq(page)
    page.get_by_label("Nieuw inkomen voor 2026").fill("12,345")  # bad input: a plain message
    wait_preview(page, previous_seq=seq, state="invalid")
    check_screen(page, "wijzigen/inkomen (fout)", problems)
    seq = preview_seq(page)
    page.get_by_label("Nieuw inkomen voor 2026").fill("60.000")  # a hoge terugvordering
    pv = wait_preview(page, previous_seq=seq)
    assert "hoge terugvordering" in pv["text"].lower()
    check_screen(page, "wijzigen/inkomen (preview)", problems)
    page.get_by_role("button", name="Versturen").click()
    wait_settled(page)
    check_screen(page, "klaar", problems)
    go(page, server, "/aanvragen")
    check_screen(page, "aanvragen", problems)
    go(page, server, "/aanvragen/zorgtoeslag")
    check_screen(page, "aanvragen/zorgtoeslag", problems)
    go(page, server, "/berichten")
    assert page.locator(".app-message").count() >= 1
    check_screen(page, "berichten", problems)
    go(page, server, "/meer")
    check_screen(page, "meer", problems)
    assert not problems, "\n".join(problems)


def test_apply_screen_for_a_toeslag_not_received(page, server):
    enrol(page, server, "couple_three_children")
    problems: list[str] = []
    ov = api_json(page, "/api/overview")["body"]
    open_ = [t for t in ov["toeslagen"] if not t["applied"]]
    assert open_
    go(page, server, "/aanvragen/" + open_[0]["toeslag"])
    wait_preview(page)
    check_screen(page, "aanvragen/" + open_[0]["toeslag"], problems)
    assert not problems, "\n".join(problems)


FOCUS_VISIBLE = """() => { const el = document.activeElement; if (!el || el === document.body) return null;
    const cs = getComputedStyle(el);
    const visible = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || cs.boxShadow !== 'none';
    return {tag: el.tagName, text: (el.getAttribute('aria-label') || el.textContent || el.value || '').trim().slice(0, 60),
            label: el.labels && el.labels[0] ? el.labels[0].textContent.trim() : null, type: el.type || null, visible}; }"""


def tab_to(page, match, limit: int = 60, key: str = "Tab") -> dict:
    for _ in range(limit):
        page.keyboard.press(key)
        f = page.evaluate(FOCUS_VISIBLE)
        if f:
            assert f["visible"], f"focus not visible on {f}"
            if match(f):
                return f
    raise AssertionError("did not reach the element with the keyboard")


def test_keyboard_only_change_flow(page, server):
    enrol(page, server, "single_tenant")
    hid = server.household_id("single_tenant")
    before = server.query("SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.home'", (hid,))[0][0]
    page.reload()  # start from the top of a fresh page
    wait_route(page, "/overzicht")
    f = tab_to(page, lambda f: True)
    assert f["text"] == "Naar de inhoud"  # the skip link comes first
    tab_to(page, lambda f: f["tag"] == "A" and f["text"].endswith("Wijzigen"))
    page.keyboard.press("Enter")
    wait_route(page, "/wijzigen")
    assert page.evaluate("() => document.activeElement.tagName") == "H1"  # focus moved to the new screen
    tab_to(page, lambda f: f["tag"] == "A" and f["text"].startswith("Huur"))
    page.keyboard.press("Enter")
    wait_route(page, "/wijzigen/huur")
    tab_to(page, lambda f: f["label"] == "Nieuwe kale huur per maand")
    seq = preview_seq(page)
    page.keyboard.type("1.050")
    pv = wait_preview(page, previous_seq=seq)
    assert "Huurtoeslag" in pv["text"]
    tab_to(page, lambda f: f["label"] == "Servicekosten per maand")
    tab_to(page, lambda f: f["type"] == "date")
    tab_to(page, lambda f: f["tag"] == "BUTTON" and f["text"] == "Versturen")
    page.keyboard.press("Enter")
    wait_settled(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Verstuurd"
    assert server.query("SELECT count(*) FROM events WHERE household_id = ? AND kind = 'change.home'", (hid,))[0][0] == before + 1

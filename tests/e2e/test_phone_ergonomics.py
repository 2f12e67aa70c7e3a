"""Phone ergonomics (issue 14): on a 390x844 screen every tap target is at least 44x44 CSS px
(WCAG 2.5.5; parents saw the title links, "← Overzicht" and "Naar het overzicht" at 19-21 px),
a toeslag card is tappable as a whole, and axe finds nothing, on every screen of every household."""

from __future__ import annotations

import pytest

from ..dutch_slips import slips
from .conftest import api_json, enrol, fresh_server, go, pretty, run_axe, wait_preview, wait_until

MIN = 44

# Every interactive element that is rendered; a radio button or checkbox counts with its label (the
# label is the tap target), a visually hidden element (the skip link until it has focus) is left out.
TAP_TARGETS = """(min) => {
    const sel = 'a[href], button, input, select, textarea, summary, [role=button], [tabindex]:not([tabindex="-1"])';
    const out = [];
    for (const el of document.querySelectorAll(sel)) {
        if (el.closest('[hidden], .app-visually-hidden, [aria-hidden=true]')) continue;
        const cs = getComputedStyle(el);
        if (cs.display === 'none' || cs.visibility === 'hidden') continue;
        let r = el.getBoundingClientRect();
        if (r.width <= 2 || r.height <= 2) continue;
        let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
        if ((el.type === 'radio' || el.type === 'checkbox') && el.labels) {
            for (const l of el.labels) { const q = l.getBoundingClientRect();
                box = {left: Math.min(box.left, q.left), top: Math.min(box.top, q.top),
                       right: Math.max(box.right, q.right), bottom: Math.max(box.bottom, q.bottom)}; }
        }
        const w = box.right - box.left, h = box.bottom - box.top;
        if (w < min - 0.5 || h < min - 0.5) {
            const name = (el.getAttribute('aria-label') || el.textContent || el.value || el.name || '')
                .trim().replace(/\\s+/g, ' ').slice(0, 40);
            out.push(`${el.tagName.toLowerCase()} "${name}" ${Math.round(w)}x${Math.round(h)}`);
        }
    }
    return out;
}"""


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    srv = fresh_server(tmp_path_factory, "ergonomics")
    yield srv
    srv.stop()


def measure(page, name: str, problems: list[str]) -> None:
    page.wait_for_timeout(50)
    small = page.evaluate(TAP_TARGETS, MIN)
    if small:
        problems.append(f"{name}: tap targets under {MIN}x{MIN}: {pretty(small)}")
    violations = run_axe(page)
    if violations:
        problems.append(f"{name}: axe violations {pretty(violations)}")
    # and every sentence on the screen reads right (tests/dutch_slips.py)
    found = slips(page.locator("#main").inner_text())
    if found:
        problems.append(f"{name}: Dutch slips {pretty(found)}")


def screens(page, server, demo_key: str) -> list[str]:
    """Every screen a household can open, in the order a parent would."""
    ov = api_json(page, "/api/overview")["body"]
    routes = ["/overzicht"] + [f"/toeslag/{t['toeslag']}" for t in ov["toeslagen"]]
    routes += ["/wijzigen", "/wijzigen/inkomen", "/wijzigen/huur", "/wijzigen/verhuizen", "/wijzigen/partner",
               "/wijzigen/kinderen", "/aanvragen"]
    routes += [f"/aanvragen/{t['toeslag']}" for t in ov["toeslagen"] if not t["applied"]]
    hh = api_json(page, "/api/household")["body"]
    if hh.get("contracts"):
        routes += ["/wijzigen/kinderopvang", "/kinderopvang"]
    routes += ["/voorzichtig", "/berichten", "/meer", "/meer/herinneringen"]
    # a terugvordering's betalingsregeling (screens/repayment.js)
    routes += [f"/betalingsregeling/{c['id']}" for t in ov["toeslagen"] if t.get("ledger")
               for c in t["ledger"]["corrections"] if c["kind"] == "terugvordering"]
    return routes


@pytest.mark.parametrize("demo_key", ["single_tenant", "single_parent", "couple_three_children"])
def test_every_tap_target_is_at_least_44_px_and_axe_finds_nothing(page, own_server, demo_key):
    problems: list[str] = []
    page.set_viewport_size({"width": 390, "height": 844})
    go(page, own_server, "/start")
    measure(page, "start", problems)
    go(page, own_server, "/activeren")
    measure(page, "activeren", problems)
    enrol(page, own_server, demo_key)
    for route in screens(page, own_server, demo_key):
        go(page, own_server, route)
        if route.startswith("/aanvragen/"):
            wait_preview(page)
        if route == "/voorzichtig":
            wait_until(page, "() => !document.querySelector('.app-preview[data-state=loading]')")
        measure(page, f"{demo_key} {route}", problems)
    assert not problems, "\n".join(problems)


def test_a_toeslag_card_on_the_overview_is_tappable_as_a_whole(page, own_server):
    enrol(page, own_server, "single_tenant")
    card = page.locator(".app-card[data-toeslag=huurtoeslag]")
    card.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    box = card.bounding_box()
    # a tap low in the card, well away from the title link, opens the toeslag
    page.mouse.click(box["x"] + box["width"] - 12, box["y"] + box["height"] - 8)
    wait_until(page, "() => document.body.dataset.route === '/toeslag/huurtoeslag'")


DESCRIBE = """async () => {
    const { describe } = await import('/src/screens/change/index.js');
    const hh = { year: 2026 };
    const changes = [
        { kind: 'income', date: '2026-06-15', person: 'applicant', income: 3100000 },
        { kind: 'income', date: '2026-06-15', person: 'partner', income: 3100000, assets: 100000 },
        { kind: 'home', date: '2026-06-01', rent: 70000, service_costs: 0 },
        { kind: 'address', date: '2026-06-01', renting: true, rent: 70000, address: { city: 'Utrecht' } },
        { kind: 'address', date: '2026-06-01', renting: false, address: { city: '' } },
        { kind: 'childcare', date: '2026-06-01', ends: true },
        { kind: 'childcare', date: '2026-06-01', ends: false, hours_per_month: 80, hourly_rate: 1050 },
        { kind: 'childcare', date: '2026-06-01', ends: false, hourly_rate: 1050 },
        { kind: 'partner', date: '2026-06-01', action: 'moves_in', partner: { given_name: 'Sam' } },
        { kind: 'partner', date: '2026-06-01', action: 'moves_out' },
        { kind: 'child', date: '2026-03-01', action: 'moves_in', child: { given_name: 'Mila' } },
        { kind: 'child', date: '2026-03-01', action: 'born', child: { given_name: 'Noa' } },
        { kind: 'child', date: '2026-03-01', action: 'moves_out' },
    ];
    return changes.map((c) => describe(c, hh));
}"""


def test_every_change_the_phone_describes_reads_right(page, own_server):
    enrol(page, own_server, "single_tenant")
    texts = page.evaluate(DESCRIBE)
    assert len(texts) == 13
    problems = [(t, s) for t in texts for s in slips(t)]
    assert not problems, pretty(problems)

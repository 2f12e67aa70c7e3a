"""The PWA in Debian's headless chromium (pytest-playwright), against the real API.

One uvicorn server for the session, on a free loopback port, with a temp SQLite database seeded with
the demo households and a fixed "today" (mid-year, so some months are paid and some are still to
come). The app is opened at http://localhost:PORT (localhost is a secure context and a valid RP ID,
so passkeys work). Passkeys come from a CDP virtual authenticator.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .server import Server, start_server

ROOT = Path(__file__).resolve().parents[2]
TODAY = dt.date(2026, 5, 10)
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
DEMO_KEYS = ("single_tenant", "single_parent", "couple_three_children")


def pytest_collection_modifyitems(config, items):
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    if not (ROOT / "pwa" / "vendor" / "build.json").exists():
        missing.append("pwa/vendor/build.json (make build)")
    if missing:
        skip = pytest.mark.skip(reason="missing: " + ", ".join(missing))
        for item in items:
            if "tests/e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 390, "height": 844}, "locale": "nl-NL",
            "service_workers": "allow"}


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    srv = start_server(tmp_path_factory.mktemp("e2e"), TODAY)
    yield srv
    srv.stop()


# -- helpers used by the tests ----------------------------------------------------------------------

def wait_until(page, fn: str, arg=None, timeout: float = 10_000, interval: float = 0.03):
    """Polls `fn` (a JS function source) with page.evaluate until it returns something truthy.
    (page.wait_for_function evaluates strings with eval, which the app's CSP forbids.) Only for what no
    locator shows (the service worker, caches, IndexedDB, performance marks): for the page itself,
    Playwright's `expect(locator)` assertions wait by themselves (`wait_route`, `wait_settled`,
    `wait_preview`)."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        value = page.evaluate(fn, arg)
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} ms waiting for: {fn}")
        time.sleep(interval)


def wait_route(page, route: str | re.Pattern, timeout: float = 10_000) -> None:
    """The app shows `route` (a string, or a pattern for a route with an id) and has finished loading it."""
    expect(page.locator("body")).to_have_attribute("data-route", route, timeout=timeout)
    expect(page.locator(".app-view[aria-busy]")).to_have_count(0, timeout=timeout)


def wait_settled(page, timeout: float = 10_000) -> None:
    """After Versturen: the app shows the receipt of the change (`/klaar/<id>`), loaded."""
    wait_route(page, re.compile(r"^/klaar/"), timeout)


def add_authenticator(page) -> str:
    cdp = getattr(page, "_toeslagen_cdp", None)
    if cdp is None:
        cdp = page.context.new_cdp_session(page)
        cdp.send("WebAuthn.enable")
    r = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    if not hasattr(page, "_toeslagen_cdp"):
        page._toeslagen_cdp = cdp  # keep the session alive as long as the page
        page._toeslagen_authenticator = r["authenticatorId"]
    return r["authenticatorId"]


def enrol(page, server: Server, demo_key: str, route: str | None = None) -> None:
    """Opens the app, activates with a fresh code and makes a passkey; ends on the Overzicht, or on
    `route` when given (logged in as the household on the server's day)."""
    add_authenticator(page)
    page.goto(server.base_url + "/#/activeren")
    page.get_by_label("Activatiecode").fill(server.activation_code(demo_key))
    page.get_by_role("button", name="Code controleren").click()
    page.get_by_role("button", name="Sleutel maken").click()
    wait_route(page, "/overzicht")
    if route is not None:
        go(page, server, route)


def api_json(page, path: str):
    """GET an API route with the page's session (same cookies as the app)."""
    return page.evaluate("""async (p) => { const r = await fetch(p, {headers: {Accept: 'application/json'}});
        return {status: r.status, body: await r.json()}; }""", path)


def api_post(page, path: str, body: dict):
    return page.evaluate("""async ([p, b]) => { const r = await fetch(p, {method: 'POST', headers: {
        'Content-Type': 'application/json', 'X-Requested-With': 'test'}, body: JSON.stringify(b)});
        return {status: r.status, body: await r.json()}; }""", [path, body])


def wait_preview(page, *, previous_seq: int | None = None, state: str = "ready", timeout: float = 10_000) -> dict:
    """Waits until the preview panel shows `state` with a newer sequence number than `previous_seq`
    (the number only grows, so "newer" is "another")."""
    panel = page.locator(".app-preview").first
    if previous_seq is not None:
        expect(panel).not_to_have_attribute("data-seq", str(previous_seq), timeout=timeout)
    expect(panel).to_have_attribute("data-state", state, timeout=timeout)
    return page.evaluate("""() => { const el = document.querySelector('.app-preview');
        return {state: el.dataset.state, seq: Number(el.dataset.seq), ms: el.dataset.ms ? Number(el.dataset.ms) : null,
                source: el.dataset.source || null, text: el.innerText}; }""")


def preview_seq(page) -> int:
    return page.evaluate("() => Number((document.querySelector('.app-preview') || {dataset: {seq: 0}}).dataset.seq)")


def run_axe(page) -> list[dict]:
    """axe-core in the page. CSP forbids inline scripts, so the script is evaluated through the
    DevTools protocol (page.evaluate), which CSP does not govern."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;window.axe = axe;")
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
                                           resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                       nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
    }""")
    return result


VIEWPORTS = ({"width": 360, "height": 740}, {"width": 390, "height": 844})


def check_screen(page, name: str, problems: list) -> None:
    """No horizontal scroll at 360x740 and 390x844, and 0 axe violations (WCAG 2.1 A/AA)."""
    for vp in VIEWPORTS:
        page.set_viewport_size(vp)
        page.wait_for_timeout(50)
        widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if widths[0] > widths[1]:
            problems.append(f"{name} @ {vp['width']}x{vp['height']}: horizontal scroll ({widths[0]} > {widths[1]})")
    violations = run_axe(page)
    if violations:
        problems.append(f"{name}: axe violations {pretty(violations)}")


def fresh_server(tmp_path_factory, name: str, today: dt.date = TODAY) -> Server:
    """A server of its own (its own database with the demo seeded), for a test module whose
    households must not carry what other modules did to them."""
    return start_server(tmp_path_factory.mktemp(name), today)


def module_server(name: str, today: dt.date = TODAY, prepare=None):
    """A module-scoped fixture: the module's own server (fresh_server) on `today`, `prepare(srv)` run
    once before the first test (e.g. what the scheduler of `python -m api serve` would have run),
    stopped after the module. In a test module: `december = module_server("years-dec", DECEMBER)`."""
    @pytest.fixture(scope="module")
    def fixture(tmp_path_factory):
        srv = fresh_server(tmp_path_factory, name, today)
        if prepare is not None:
            prepare(srv)
        yield srv
        srv.stop()
    return fixture


def drift_scan(srv: Server, demo_key: str = "single_tenant") -> None:
    """The income-drift scan of one demo household, as the scheduler runs it."""
    from api.jobs import drift

    drift.scan_household(srv.store, srv.settings, srv.household_id(demo_key))


def fill_and_preview(page, label: str, value: str, **wait) -> dict:
    """Types `value` into the field labelled `label` and waits for the preview of it (a newer one)."""
    seq = preview_seq(page)
    page.get_by_label(label).fill(value)
    return wait_preview(page, previous_seq=seq, **wait)


def go(page, server: Server, route: str) -> None:
    page.goto(server.base_url + "/#" + route)
    wait_route(page, route.split("?")[0])


def count_events(server: Server, demo_key: str, kind: str) -> int:
    return server.query("SELECT count(*) FROM events WHERE household_id = ? AND kind = ?",
                        (server.household_id(demo_key), kind))[0][0]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def pretty(x) -> str:
    return json.dumps(x, indent=1, ensure_ascii=False)


def euro(cents: int, *, always_cents: bool = False) -> str:
    """An amount as the app writes it (Dutch notation, a no-break space after the euro sign): whole
    euros without ",00", cents when there are any (pwa/src/format.js euro(), issue #14)."""
    sign = "-" if cents < 0 else ""
    e, c = divmod(abs(cents), 100)
    body = f"{sign}€\u00a0{e:,}".replace(",", ".")
    return body if c == 0 and not always_cents else body + f",{c:02d}"


# the phone's preview of a change in the page: shared_rules.changes.preview_change in MicroPython-wasm,
# on the facts of GET /api/household (pwa/src/rules.js previewChange, as the change screens call it)
PHONE_PREVIEW = """async (change) => {
    const rules = await import('/src/rules.js');
    const hh = await (await fetch('/api/household')).json();
    const r = await rules.previewChange(hh, change);
    if (!r.ok) return {error: r.error};
    return r.result;
}"""


def ready_offline(page, snapshots=("/api/household", "/api/overview")) -> None:
    """The service worker controls the page, the runtime and the rules are precached, and the snapshots
    the offline screens read are stored: from here on the page works with the network cut."""
    wait_until(page, "async () => { const r = await navigator.serviceWorker.ready; "
                     "return !!navigator.serviceWorker.controller && r.active.state === 'activated'; }", timeout=20_000)
    wait_until(page, """async () => { const ks = await caches.keys(); if (!ks.length) return false;
        const c = await caches.open(ks[0]); const o = { ignoreSearch: true };
        return !!(await c.match('vendor/micropython/micropython.wasm', o))
          && !!(await c.match('vendor/rules.mpypack', o)); }""", timeout=20_000)
    wait_until(page, """(keys) => new Promise((res) => { const r = indexedDB.open('toeslagen'); r.onsuccess = () => {
        const tx = r.result.transaction('snapshot'); const q = tx.objectStore('snapshot').getAllKeys();
        q.onsuccess = () => res(keys.every((k) => q.result.includes(k))); }; })""", list(snapshots), timeout=20_000)

"""The PWA's figures, as a markdown table: gzipped bytes of the shell (JS + CSS) and of the rules
runtime (MicroPython-wasm) and the rules files; time to first render and to a ready preview in
headless chromium at 4x CPU slowdown (CDP Emulation.setCPUThrottlingRate), cold (nothing cached,
also with a slow-4G network) and warm (started from the service worker cache).

Needs `make build` (pwa/vendor/) and Debian's chromium. Run: .venv/bin/python bench/bench_pwa.py
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import start_server  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
CPU = 4
# Lighthouse's "slow 4G" mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1638.4e3 / 8, "uploadThroughput": 750e3 / 8}
RUNS = int(os.environ.get("BENCH_PWA_RUNS", "3"))


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def ms(x: float | None) -> str:
    return "–" if x is None else f"{x:.0f} ms"


def marks(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(performance.getEntriesByType('mark')
        .filter(m => m.name.startsWith('app:')).map(m => [m.name, m.startTime]))""")


def wait(page, fn: str, arg=None, timeout=60.0):
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = page.evaluate(fn, arg)
        if v:
            return v
        time.sleep(0.02)
    raise RuntimeError("timeout: " + fn)


def enrol(page, server, key):
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page.goto(server.base_url + "/#/activeren")
    page.get_by_label("Activatiecode").fill(server.activation_code(key))
    page.get_by_role("button", name="Code controleren").click()
    page.get_by_role("button", name="Sleutel maken").click()
    wait(page, "() => document.body.dataset.route === '/overzicht'")
    return cdp


def measure_start(browser, server, state, *, network=None, warm=False) -> dict:
    """Opens the Overzicht (logged in) at 4x CPU; returns first render and rules-ready times."""
    ctx = browser.new_context(storage_state=state, viewport={"width": 390, "height": 844},
                              service_workers="allow" if warm else "block")
    page = ctx.new_page()
    if warm:  # fill the service worker cache first
        page.goto(server.base_url + "/#/overzicht")
        wait(page, "async () => !!navigator.serviceWorker.controller && !!performance.getEntriesByName('app:rules-ready').length")
        wait(page, "async () => { const ks = await caches.keys(); return ks.length > 0; }")
        page.wait_for_timeout(500)
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU})
    if network:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    page.goto(server.base_url + "/#/overzicht", wait_until="commit")
    if warm:
        page.reload(wait_until="commit")
    wait(page, "() => performance.getEntriesByName('app:first-render').length > 0", timeout=120)
    wait(page, "() => performance.getEntriesByName('app:rules-ready').length > 0", timeout=120)
    m = marks(page)
    # a preview after input, on this throttled page (median of a few keystrokes)
    page.evaluate("() => { location.hash = '#/wijzigen/inkomen'; }")
    wait(page, "() => document.body.dataset.route === '/wijzigen/inkomen' && !document.querySelector('.app-view[aria-busy]')")
    box = page.get_by_label("Nieuw inkomen voor 2026")
    times = []
    for value in ("3", "31", "31.5", "31.50", "31.500", "31.5001", "31.500,5", "31.500,50"):
        seq = page.evaluate("() => Number(document.querySelector('.app-preview').dataset.seq)")
        box.fill(value)
        wait(page, "(s) => { const el = document.querySelector('.app-preview'); return Number(el.dataset.seq) > s && el.dataset.state !== 'loading'; }", seq)
        v = page.evaluate("() => { const el = document.querySelector('.app-preview'); return el.dataset.state === 'ready' ? Number(el.dataset.ms) : null; }")
        if v is not None:
            times.append(v)
    ctx.close()
    return {"first_render": m.get("app:first-render"), "rules_ready": m.get("app:rules-ready"),
            "preview_ms": statistics.median(times) if times else None}


def main() -> int:
    build = json.loads((ROOT / "pwa/vendor/build.json").read_text())
    b = build["bytes"]
    rows = [
        ("Shell JS, gzipped (sum of files)", kb(b["shell_js_gz"]), ""),
        ("Shell CSS, gzipped (NL Design System + app)", kb(b["shell_css_gz"]), ""),
        ("Shell JS + CSS, gzipped", kb(b["shell_js_gz"] + b["shell_css_gz"]), "≤ 100 KB"),
        ("Runtime (micropython.mjs + .wasm), gzipped", kb(b["runtime_gz"]), "≤ 300 KB"),
        (f"Rules ({len(build['rules'])} shared_rules .py files), gzipped", kb(b["rules_gz"]), ""),
    ]
    if not Path(CHROMIUM).exists():
        print("| figure | value | budget |\n|---|---|---|")
        for r in rows:
            print(f"| {r[0]} | {r[1]} | {r[2]} |")
        print(f"\n(no {CHROMIUM}: timings skipped)")
        return 0

    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = start_server(Path(tmp), dt.date(2026, 5, 10))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                ctx = browser.new_context(service_workers="block")
                page = ctx.new_page()
                enrol(page, server, "single_parent")
                state = ctx.storage_state()
                ctx.close()
                results = {}
                for name, kw in (("cold, loopback", {}), ("cold, slow 4G", {"network": SLOW_4G}),
                                 ("warm (service worker)", {"warm": True})):
                    runs = [measure_start(browser, server, state, **kw) for _ in range(RUNS if name != "cold, slow 4G" else 1)]
                    results[name] = {k: statistics.median([r[k] for r in runs if r[k] is not None] or [0]) for k in runs[0]}
                browser.close()
        finally:
            server.stop()

    for name, r in results.items():
        budget = "≤ 1.5 s" if name == "cold, slow 4G" else ""
        rows.append((f"First render of the Overzicht, {CPU}x CPU, {name}", ms(r["first_render"]), budget))
        rows.append((f"Rules ready (MicroPython + shared_rules imported), {CPU}x CPU, {name}", ms(r["rules_ready"]), ""))
        rows.append((f"Preview ready after input (median), {CPU}x CPU, {name}", ms(r["preview_ms"]), "≤ 100 ms"))
    print("| figure | value | budget |\n|---|---|---|")
    for r in rows:
        print(f"| {r[0]} | {r[1]} | {r[2]} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The PWA's start-up figures (issue 17), BEFORE and AFTER in one run, with the bare runtime as the
floor, as a markdown table.

- after:  this tree's pwa/ (as `make build` made it), copied to a temp folder;
- before: pwa/ of BENCH_PWA_BASELINE (default: the last commit before the rules bundle, which
          fetched 19 .py files and compiled them on the phone), built into a temp folder with its
          own build.mjs; both run against this tree's API and shared_rules;
- floor:  a page whose worker only starts MicroPython-wasm (no app, no rules).

Each variant is served by its own API server (its own origin, so no cache is shared) and opened in
headless chromium at 4x CPU slowdown (CDP Emulation.setCPUThrottlingRate): cold (nothing cached,
service workers blocked) on loopback and on Lighthouse's slow 4G, and warm (a second start, served by
the service worker). Marks: app:first-render (router.js) and app:rules-ready (rules.js), from
navigation start. Requests are counted where they reach the server (each is a round trip on a real
network): until the first render and until the rules are ready.

Needs `make build` and Debian's chromium. Run: .venv/bin/python bench/bench_pwa.py
(BENCH_PWA_RUNS=n: runs per figure, median; default 3, slow 4G once.)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.server import build_pwa, start_server  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]
CPU = 4
# Lighthouse's "slow 4G" mobile profile: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up.
SLOW_4G = {"offline": False, "latency": 150, "downloadThroughput": 1638.4e3 / 8, "uploadThroughput": 750e3 / 8}
RUNS = int(os.environ.get("BENCH_PWA_RUNS", "3"))
BASELINE = os.environ.get("BENCH_PWA_BASELINE", "4de0d9a0ca2d4b6aee3aa58bab8e010f9794638f")
TODAY = dt.date(2026, 5, 10)

# The floor: MicroPython-wasm alone, in a worker as the app runs it.
BARE_HTML = """<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>bare runtime</title>
<script type="module" src="bench-bare.js"></script></head><body><p>MicroPython alone</p></body></html>
"""
BARE_JS = """const w = new Worker(new URL("./bench-bare-worker.js", import.meta.url), { type: "module" });
w.onmessage = (ev) => { performance.mark("app:rules-ready"); document.body.dataset.answer = String(ev.data); };
"""
BARE_WORKER = """const root = new URL("../", import.meta.url);
const { loadMicroPython } = await import(new URL("vendor/micropython/micropython.mjs", root).href);
const mp = await loadMicroPython({ stdout: () => {}, stderr: () => {} });
self.postMessage(mp.runPython("1 + 1"));
"""


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def ms(x: float | None) -> str:
    return "–" if x is None else f"{x:,.0f} ms"


def wait(page, fn: str, arg=None, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        v = page.evaluate(fn, arg)
        if v:
            return v
        time.sleep(0.02)
    raise RuntimeError("timeout: " + fn)


def marks(page) -> dict:
    return page.evaluate("""() => Object.fromEntries([['origin', performance.timeOrigin]].concat(
        performance.getEntriesByType('mark').filter(m => m.name.startsWith('app:')).map(m => [m.name, m.startTime])))""")


def requests_until(log: list, since: float, origin_ms: float, mark_ms: float | None) -> int | None:
    """Requests that reached the server between `since` and the mark (wall clock, same machine)."""
    if mark_ms is None:
        return None
    until = (origin_ms + mark_ms) / 1000
    return sum(1 for _m, _p, _s, t in log if since <= t <= until)


def enrol(browser, server) -> dict:
    ctx = browser.new_context(service_workers="block")
    page = ctx.new_page()
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})
    page.goto(server.base_url + "/#/activeren")
    page.get_by_label("Activatiecode").fill(server.activation_code("single_parent"))
    page.get_by_role("button", name="Code controleren").click()
    page.get_by_role("button", name="Sleutel maken").click()
    wait(page, "() => document.body.dataset.route === '/overzicht'")
    state = ctx.storage_state()
    ctx.close()
    return state


def throttle(ctx, page, network):
    cdp = ctx.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU})
    if network:
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)


def measure_start(browser, server, log, state, *, network=None, warm=False) -> dict:
    """Opens the Overzicht (logged in) at 4x CPU: first render, rules ready, requests, a preview."""
    ctx = browser.new_context(storage_state=state, viewport={"width": 390, "height": 844},
                              service_workers="allow" if warm else "block")
    page = ctx.new_page()
    if warm:  # a first start fills the service worker's cache
        page.goto(server.base_url + "/#/overzicht")
        wait(page, "async () => !!navigator.serviceWorker.controller && !!performance.getEntriesByName('app:rules-ready').length")
        wait(page, """async () => { const r = await navigator.serviceWorker.getRegistration();
            return r && r.active && r.active.state === 'activated' && !r.installing && !r.waiting; }""")
        page.wait_for_timeout(500)
    throttle(ctx, page, network)
    since = time.time()
    page.goto(server.base_url + "/#/overzicht", wait_until="commit")
    if warm:
        since = time.time()
        page.reload(wait_until="commit")
    wait(page, "() => performance.getEntriesByName('app:first-render').length > 0", timeout=120)
    wait(page, "() => performance.getEntriesByName('app:rules-ready').length > 0", timeout=120)
    m = marks(page)
    out = {"first_render": m.get("app:first-render"), "rules_ready": m.get("app:rules-ready"),
           "req_first_render": requests_until(log, since, m["origin"], m.get("app:first-render")),
           "req_rules_ready": requests_until(log, since, m["origin"], m.get("app:rules-ready")),
           "rules_requests": sum(1 for _m, p, _s, t in log
                                 if t >= since and t <= (m["origin"] + m["app:rules-ready"]) / 1000
                                 and (p.startswith("/vendor/micropython/") or p.startswith("/vendor/rules")
                                      or p.startswith("/rules/")))}
    # a preview after input, on this throttled page (median of a few keystrokes)
    page.evaluate("() => { location.hash = '#/wijzigen/inkomen'; }")
    wait(page, "() => document.body.dataset.route === '/wijzigen/inkomen' && !document.querySelector('.app-view[aria-busy]')")
    box = page.get_by_label("Nieuw inkomen voor 2026")
    times = []
    for value in ("3", "31", "31.5", "31.50", "31.500", "31.5001", "31.500,5", "31.500,50"):
        seq = page.evaluate("() => Number(document.querySelector('.app-preview').dataset.seq)")
        box.fill(value)
        wait(page, "(s) => { const el = document.querySelector('.app-preview'); "
                   "return Number(el.dataset.seq) > s && el.dataset.state !== 'loading'; }", seq)
        v = page.evaluate("() => { const el = document.querySelector('.app-preview'); "
                          "return el.dataset.state === 'ready' ? Number(el.dataset.ms) : null; }")
        if v is not None:
            times.append(v)
    out["preview_ms"] = statistics.median(times) if times else None
    ctx.close()
    return out


def measure_bare(browser, server, log, *, network=None, warm=False) -> dict:
    ctx = browser.new_context(service_workers="block")
    page = ctx.new_page()
    url = server.base_url + "/bench-bare.html"
    if warm:  # the HTTP cache is warm (revalidated: the runtime's files are no-cache)
        page.goto(url)
        wait(page, "() => !!document.body.dataset.answer")
    throttle(ctx, page, network)
    since = time.time()
    page.goto(url, wait_until="commit")
    wait(page, "() => document.body && !!document.body.dataset.answer", timeout=120)
    m = marks(page)
    out = {"rules_ready": m.get("app:rules-ready"),
           "req_rules_ready": requests_until(log, since, m["origin"], m.get("app:rules-ready"))}
    ctx.close()
    return out


def median_of(runs: list[dict]) -> dict:
    keys = {k for r in runs for k in r}
    return {k: statistics.median([r[k] for r in runs if r.get(k) is not None]) if any(r.get(k) is not None for r in runs)
            else None for k in keys}


def prepare(tmp: Path) -> dict[str, Path]:
    """{variant: pwa dir}: after = a copy of this tree's built pwa/; before = BASELINE's pwa/, built."""
    dirs = {}
    after = tmp / "after" / "pwa"
    shutil.copytree(ROOT / "pwa", after)
    for name, text in (("bench-bare.html", BARE_HTML), ("bench-bare.js", BARE_JS), ("bench-bare-worker.js", BARE_WORKER)):
        (after / name).write_text(text)
    dirs["after"] = after
    before = tmp / "before"
    before.mkdir()
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", BASELINE, "pwa"], capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(before)], input=archive, check=True)
        build_pwa(before / "pwa")
        dirs["before"] = before / "pwa"
    except (subprocess.CalledProcessError, RuntimeError) as e:
        print(f"(no before column: baseline {BASELINE[:12]} could not be built: {str(e)[:300]})")
    return dirs


def timeit_line() -> str:
    out = subprocess.run([sys.executable, "-m", "timeit", "sum(i*i for i in range(1000))"], capture_output=True, text=True)
    return out.stdout.strip()


def main() -> int:
    if not Path(CHROMIUM).exists():
        print(f"(no {CHROMIUM}: bench_pwa skipped)")
        return 0
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    builds: dict[str, dict] = {}
    scenarios = (("cold, loopback", {}), ("cold, slow 4G", {"network": SLOW_4G}), ("warm", {"warm": True}))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        dirs = prepare(tmp)
        servers = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                for variant, pwa in dirs.items():
                    builds[variant] = json.loads((pwa / "vendor" / "build.json").read_text())
                    folder = tmp / ("db-" + variant)
                    folder.mkdir()
                    log: list = []
                    server = start_server(folder, TODAY, pwa_dir=pwa, request_log=log)
                    servers[variant] = (server, log, enrol(browser, server))
                # Interleaved (run 1 of every variant, then run 2, ...), in turns first: the load of the
                # shared machine changes over minutes, and this spreads it over the variants alike.
                runs: dict[tuple[str, str], list] = {}
                for i in range(RUNS):
                    order = list(servers.items())
                    if i % 2:
                        order.reverse()
                    for name, kw in scenarios:
                        if name == "cold, slow 4G" and i > 0:
                            continue
                        for variant, (server, log, state) in order:
                            runs.setdefault((variant, name), []).append(measure_start(browser, server, log, state, **kw))
                            if variant == "after":
                                runs.setdefault(("floor", name), []).append(measure_bare(browser, server, log, **kw))
                for (variant, name), rs in runs.items():
                    r = median_of(rs)
                    if r.get("rules_ready") is not None and r.get("first_render") is not None:
                        r["rules_after_render"] = statistics.median(
                            [x["rules_ready"] - x["first_render"] for x in rs if x.get("first_render") is not None])
                    results.setdefault(variant, {})[name] = r
                browser.close()
        finally:
            for server, _log, _state in servers.values():
                server.stop()

    def cell(variant, scenario, key, fmt=ms):
        v = results.get(variant, {}).get(scenario, {}).get(key)
        return fmt(v) if v is not None else "–"

    count = lambda v: f"{v:.0f}"  # noqa: E731
    rows = [
        ("First render of the Overzicht, cold, slow 4G", "cold, slow 4G", "first_render", ms, "≤ 1,000 ms (budget 1,500)"),
        ("First render of the Overzicht, cold, loopback", "cold, loopback", "first_render", ms, ""),
        ("First render of the Overzicht, warm (service worker)", "warm", "first_render", ms, ""),
        ("Rules ready (MicroPython + shared_rules imported), warm (service worker)", "warm", "rules_ready", ms, "≤ 600 ms"),
        ("Rules ready, cold, loopback", "cold, loopback", "rules_ready", ms, "≤ 900 ms"),
        ("Rules ready, cold, slow 4G", "cold, slow 4G", "rules_ready", ms, "≤ 2,500 ms"),
        ("Rules' own start-up (rules ready − first render), warm", "warm", "rules_after_render", ms, ""),
        ("Rules' own start-up (rules ready − first render), cold, loopback", "cold, loopback", "rules_after_render", ms, ""),
        ("Rules' own start-up (rules ready − first render), cold, slow 4G", "cold, slow 4G", "rules_after_render", ms, ""),
        ("Preview after input (median), cold, loopback", "cold, loopback", "preview_ms", ms, "≤ 100 ms (keep)"),
        ("Preview after input (median), warm", "warm", "preview_ms", ms, "≤ 100 ms (keep)"),
        ("Requests (round trips) until the first render, cold", "cold, loopback", "req_first_render", count, ""),
        ("Requests (round trips) until the rules are ready, cold", "cold, loopback", "req_rules_ready", count, ""),
        ("Requests until the rules are ready, warm (service worker)", "warm", "req_rules_ready", count, ""),
        ("… of them for the runtime and the rules, warm", "warm", "rules_requests", count, "0"),
    ]
    before_label = f"before ({BASELINE[:7]})" if "before" in results else "before"
    print(f"bench_pwa: headless chromium, {CPU}x CPU slowdown; medians of {RUNS} runs (slow 4G: 1 run).")
    print("The machine is shared with other agents' builds and tests: the figures are indicative only.")
    print(f"python3 -m timeit \"sum(i*i for i in range(1000))\": {timeit_line()}\n")
    print(f"| figure | {before_label} | after | floor: bare runtime | goal |\n|---|---:|---:|---:|---|")
    for label, scenario, key, fmt, goal in rows:
        floor = cell("floor", scenario, "rules_ready" if key == "rules_ready" else key, fmt) \
            if key in ("rules_ready", "req_rules_ready") else "–"
        print(f"| {label} | {cell('before', scenario, key, fmt)} | {cell('after', scenario, key, fmt)} | {floor} | {goal} |")

    print("\n| bytes (gzipped) | " + " | ".join(builds) + " | budget |\n|---|" + "---:|" * len(builds) + "---|")
    for label, key, budget in (("Shell JS", "shell_js_gz", ""), ("Shell CSS (NL Design System + app)", "shell_css_gz", ""),
                               ("Runtime (micropython.mjs + .wasm)", "runtime_gz", "≤ 300 KB"),
                               ("Rules (before: .py files; after: one .mpy bundle)", "rules_gz", "")):
        print(f"| {label} | " + " | ".join(kb(b["bytes"][key]) for b in builds.values()) + f" | {budget} |")
    print("| Shell JS + CSS | " + " | ".join(kb(b["bytes"]["shell_js_gz"] + b["bytes"]["shell_css_gz"]) for b in builds.values())
          + " | ≤ 100 KB |")
    print("\nThe floor's warm figure is a second start from the HTTP cache (revalidated); it has no service worker.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The service worker serves the runtime and the rules bundle from its cache on a warm start, and its
precache keeps a revision per file: after a build that changes one screen,
the phone's update fetches that one file again (besides the service worker's own scripts, which the
browser checks for the update) and keeps everything else, the 220 KB runtime included. A copy of the
PWA in a temp folder is built, changed and rebuilt; the server logs what reaches the network."""

from __future__ import annotations

import json
import shutil

import pytest

from .conftest import ROOT, TODAY, wait_until
from .server import build_pwa, start_server

# What the browser fetches to see whether the service worker changed: the script and its imports.
SW_SCRIPTS = {"/sw.js", "/vendor/build.js", "/src/idb.js"}

PRECACHE_COMPLETE = """async (n) => {
    const r = await navigator.serviceWorker.getRegistration();
    if (!r || !r.active || r.active.state !== 'activated' || r.installing || r.waiting) return false;
    const c = await caches.open('toeslagen-precache');
    return (await c.keys()).length === n;
}"""


@pytest.fixture()
def pwa_copy(tmp_path):
    pwa = tmp_path / "site" / "pwa"
    shutil.copytree(ROOT / "pwa", pwa, ignore=shutil.ignore_patterns("vendor"))
    build_pwa(pwa)
    return pwa


def manifest(pwa) -> dict[str, str]:
    return dict(json.loads((pwa / "vendor" / "build.json").read_text())["precache"])


def test_a_build_that_changes_one_screen_is_one_download(browser, pwa_copy, tmp_path):
    log: list[tuple[str, str, int, float]] = []
    server = start_server(tmp_path, TODAY, pwa_dir=pwa_copy, request_log=log)
    ctx = browser.new_context(service_workers="allow", viewport={"width": 390, "height": 844})
    try:
        page = ctx.new_page()
        first = manifest(pwa_copy)
        page.goto(server.base_url + "/#/start")
        wait_until(page, PRECACHE_COMPLETE, len(first), timeout=30_000)
        assert any(path == "/vendor/micropython/micropython.wasm" for _m, path, *_ in log)

        # a warm start: the rules (runtime + bundle) come from the cache, with no network round trip
        log.clear()
        page.reload()
        wait_until(page, "() => !!navigator.serviceWorker.controller")
        version = page.evaluate("async () => (await import('./src/rules.js')).loadRules()")
        assert version.startswith("sha256:")
        rules_fetches = [path for _m, path, *_ in log if path.startswith(("/vendor/", "/src/rules"))]
        assert rules_fetches == [], rules_fetches

        screen = pwa_copy / "src" / "screens" / "more.js"
        screen.write_text(screen.read_text() + "\n// a later build\n")
        build_pwa(pwa_copy)
        second = manifest(pwa_copy)
        changed = {url for url, rev in second.items() if first.get(url) != rev}
        assert changed == {"src/screens/more.js"}, changed  # the build itself is deterministic

        log.clear()
        page.evaluate("async () => { await (await navigator.serviceWorker.getRegistration()).update(); }")
        wait_until(page, """async (rev) => {
            const c = await caches.open('toeslagen-precache');
            const keys = (await c.keys()).map((r) => r.url).filter((u) => u.includes('/src/screens/more.js?'));
            return keys.length === 1 && keys[0].endsWith('__rev=' + rev);
        }""", second["src/screens/more.js"], timeout=30_000)
        wait_until(page, PRECACHE_COMPLETE, len(second), timeout=30_000)

        fetched = [(path, status) for method, path, status, _t in log if method == "GET" and not path.startswith("/api/")]
        precached = [(path, status) for path, status in fetched if path not in SW_SCRIPTS]
        assert precached == [("/src/screens/more.js", 200)], fetched
        # the new revision is served from the cache
        body = page.evaluate("async () => (await (await fetch('src/screens/more.js')).text())")
        assert body.endswith("// a later build\n")
    finally:
        ctx.close()
        server.stop()

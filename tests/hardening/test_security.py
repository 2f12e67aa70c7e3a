"""Security basics (issue #8): a strict Content-Security-Policy and no inline script, security headers
on every kind of response, rate limits on activation codes and login, session rotation at login and
enrolment, logout that ends the session on the server, no BSN or income in the logs of a full journey
against a real server, and dependency versions pinned."""

from __future__ import annotations

import datetime as dt
import html.parser
import importlib.metadata
import json
import re
import tomllib

import httpx
import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.demo import BSN, EMPLOYER_ID, KOO_ID, LRK_DAGOPVANG
from api.settings import Settings
from api.util import sha256_hex

from .common import (
    CSRF,
    ORIGIN,
    ROOT,
    ServerProcess,
    SoftAuthenticator,
    enrol,
    fake_bsn,
    fixed_clock,
    household_id,
    link,
    make_feed_token,
    make_settings,
    mint_session,
    problem_errors,
    seed_db,
    seeded_app,
)

SECURITY_HEADERS = {
    "content-security-policy": None,  # checked on its own below
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": None,
}


def csp_directives(value: str) -> dict[str, list[str]]:
    out = {}
    for part in value.split(";"):
        bits = part.split()
        if bits:
            out[bits[0].lower()] = bits[1:]
    return out


def assert_strict_csp(value: str) -> None:
    d = csp_directives(value)
    scripts = d.get("script-src", d.get("default-src"))
    assert scripts is not None, "no script-src and no default-src"
    for bad in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "blob:", "http:", "https:", "'unsafe-hashes'"):
        assert bad not in scripts, f"script-src allows {bad}"
    # 'wasm-unsafe-eval' is the one allowance: the phone runs the rules in MicroPython-wasm; it lets a
    # page compile WebAssembly, not evaluate strings as script.
    assert set(scripts) <= {"'self'", "'wasm-unsafe-eval'"}, scripts
    assert d["default-src"] == ["'self'"]
    assert d.get("object-src") == ["'none'"]
    assert d.get("base-uri") == ["'none'"]
    assert d.get("frame-ancestors") == ["'none'"]
    assert "'unsafe-inline'" not in d.get("style-src", d["default-src"])


class InlineFinder(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if name.lower().startswith("on"):
                self.problems.append(f"<{tag} {name}=…> (inline event handler)")
            if value and value.strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
            if name.lower() == "style":
                self.problems.append(f"<{tag} style=…> (inline style)")
        if tag == "script":
            self._in_script = "src" not in a
            if self._in_script and a.get("type", "").lower() in ("application/ld+json",):
                self._in_script = False
        if tag == "style":
            self.problems.append("<style> element (inline style)")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag == "script" and "src" not in dict(attrs):
            self.problems.append("<script/> without src")


def inline_problems(text: str) -> list[str]:
    f = InlineFinder()
    f.feed(text)
    f.close()
    return f.problems


@pytest.fixture
def env(tmp_path):
    app, settings = seeded_app(tmp_path / "sec.db", activation_rate=Settings.activation_rate,
                               login_rate=Settings.login_rate)
    with TestClient(app, base_url=ORIGIN) as client:
        yield {"app": app, "settings": settings, "client": client, "store": app.state.store}


# -- Content-Security-Policy and inline script ---------------------------------------------------------

def test_csp_is_strict_and_no_html_has_inline_script(env):
    c = env["client"]
    r = c.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert_strict_csp(r.headers["content-security-policy"])
    assert inline_problems(r.text) == []
    pages = sorted(p for p in (ROOT / "pwa").rglob("*.html") if "node_modules" not in p.parts)
    assert ROOT / "pwa" / "index.html" in pages
    for page in pages:
        assert inline_problems(page.read_text(encoding="utf-8")) == [], page
        served = c.get("/" + page.relative_to(ROOT / "pwa").as_posix())
        assert served.status_code == 200, page
        assert inline_problems(served.text) == [], page
        assert_strict_csp(served.headers["content-security-policy"])
    # a client-side route gets the same shell, with the same policy
    r = c.get("/overzicht", headers={"Accept": "text/html"})
    assert r.status_code == 200 and inline_problems(r.text) == []
    # the checker does find what it looks for
    assert inline_problems("<script>alert(1)</script><a onclick='x()'>") and inline_problems('<p style="x">')


# -- security headers on every kind of response -----------------------------------------------------------

def test_security_headers_on_every_response_type(env):
    c, store, settings = env["client"], env["store"], env["settings"]
    cookie = mint_session(store, settings, household_id(store, "single_tenant"))
    auth = {"Cookie": f"{settings.session_cookie_name}={cookie}"}
    index = c.get("/")
    cases = {
        "HTML": ("GET", "/", {}),
        "HTML (client-side route)": ("GET", "/wijzigen", {"Accept": "text/html"}),
        "HTML, HEAD": ("HEAD", "/", {}),
        "HTML, 304": ("GET", "/", {"If-None-Match": index.headers["etag"]}),
        "JavaScript": ("GET", "/sw.js", {}),
        "JavaScript module": ("GET", "/src/app.js", {}),
        "CSS": ("GET", "/styles/app.css", {}),
        "manifest": ("GET", "/manifest.webmanifest", {}),
        "rules source (text/x-python)": ("GET", "/rules/shared_rules/money.py", {}),
        "redirect (IP address)": ("GET", "/", {"Host": "127.0.0.1:8000"}),
        "API JSON": ("GET", "/api/overview", auth),
        "API JSON, public": ("GET", "/api/push/key", {}),
        "API text": ("GET", "/api/ping", {}),
        "OpenAPI": ("GET", "/schema/openapi.json", {}),
        "OPTIONS": ("OPTIONS", "/api/changes", {}),
        "problem 401": ("GET", "/api/overview", {}),
        "problem 403 (CSRF)": ("POST", "/api/changes", {"X-Requested-With": ""}),
        "problem 404 (API)": ("GET", "/api/nothing/here", {}),
        "problem 404 (no route)": ("GET", "/schema/a/b", {}),
        "problem 404 (schema)": ("GET", "/schema/swagger", {}),
        "problem 404 (static)": ("GET", "/nothing.js", {}),
        "problem 405": ("PATCH", "/api/changes", {}),
        "problem 405 (static)": ("PUT", "/", {}),
        "problem 400": ("POST", "/api/changes", {**CSRF, **auth, "Content-Type": "application/json"}),
        "problem 401 (feed)": ("POST", "/feeds/rent", {}),
        "problem 413": ("POST", "/api/activation", {**CSRF, "Content-Type": "application/json"}),
    }
    bodies = {"problem 400": b"{", "problem 413": b"x" * (settings.max_body_size + 10)}
    seen_types = set()
    for name, (method, path, headers) in cases.items():
        r = c.request(method, path, headers=headers, content=bodies.get(name), follow_redirects=False)
        assert r.status_code < 500, (name, r.status_code)
        for h, value in SECURITY_HEADERS.items():
            assert h in r.headers, f"{name}: no {h}"
            if value is not None:
                assert r.headers[h] == value, (name, h, r.headers[h])
        assert_strict_csp(r.headers["content-security-policy"])
        if path.startswith(("/api/", "/feeds/")):
            assert r.headers.get("cache-control") == "no-store", (name, r.headers.get("cache-control"))
        if name.startswith("problem"):
            assert not problem_errors(r.status_code, r.headers.get("content-type", ""), r.content), (name, r.text)
            assert r.status_code == int(name.split()[1]), (name, r.status_code)
        seen_types.add(r.headers.get("content-type", "").split(";")[0])
        if "charset" in r.headers.get("content-type", ""):
            assert r.headers["content-type"].count("charset") == 1, (name, r.headers["content-type"])
    assert {"text/html", "text/javascript", "application/json", "application/problem+json"} <= seen_types, seen_types


# -- rate limits -----------------------------------------------------------------------------------------

def test_activation_codes_are_rate_limited(env):
    c, store, settings = env["client"], env["store"], env["settings"]
    hits, window = settings.activation_rate
    for i in range(hits):
        r = c.post("/api/activation", json={"code": f"AAAA-BBBB-CCCC-{i:04d}"}, headers=CSRF)
        assert r.status_code == 422, r.text
    r = c.post("/api/activation", json={"code": "AAAA-BBBB-CCCC-DDDD"}, headers=CSRF)
    p = r.json()
    assert r.status_code == 429 and not problem_errors(429, r.headers["content-type"], r.content), r.text
    assert p["type"].endswith("too-many-requests") and 0 < int(r.headers["retry-after"]) <= window
    # even the right code waits now: guessing costs the attacker the window
    from api.auth.service import AuthService
    from api.auth.sessions import Sessions

    with store.write() as db:
        code = AuthService(store, settings, Sessions(store, settings)).issue_code(db, household_id(store, "single_parent"))
    assert c.post("/api/activation", json={"code": code}, headers=CSRF).status_code == 429


def test_login_is_rate_limited(env):
    c, settings = env["client"], env["settings"]
    hits, window = settings.login_rate
    for _ in range(hits):
        assert c.post("/api/login/options", headers=CSRF).status_code == 200
    r = c.post("/api/login/options", headers=CSRF)
    assert r.status_code == 429 and not problem_errors(429, r.headers["content-type"], r.content), r.text
    assert 0 < int(r.headers["retry-after"]) <= window


# -- sessions --------------------------------------------------------------------------------------------

def _session_rows(store, token: str) -> int:
    return store.db().execute("SELECT count(*) FROM sessions WHERE token_hash = ?", (sha256_hex(token),)).fetchone()[0]


def test_session_rotates_at_enrolment_and_login_and_logout_ends_it(env):
    c, store, settings = env["client"], env["store"], env["settings"]
    name = settings.session_cookie_name
    from api.auth.service import AuthService
    from api.auth.sessions import Sessions

    with store.write() as db:
        code = AuthService(store, settings, Sessions(store, settings)).issue_code(db, household_id(store, "single_parent"))
    r = c.post("/api/activation", json={"code": code}, headers=CSRF)
    enrolment = r.cookies.get(name)
    assert enrolment and _session_rows(store, enrolment) == 1
    set_cookie = r.headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie and "path=/" in set_cookie
    authenticator = SoftAuthenticator()
    opts = c.post("/api/passkeys/register/options", headers=CSRF).json()["publicKey"]
    r = c.post("/api/passkeys/register/verify", json={"credential": authenticator.create(opts)}, headers=CSRF)
    assert r.status_code == 201
    full = r.cookies.get(name)
    assert full and full != enrolment, "a new session after enrolment"
    assert _session_rows(store, enrolment) == 0
    c.cookies.clear()
    assert c.get("/api/overview", headers={"Cookie": f"{name}={enrolment}"}).status_code == 401
    assert c.get("/api/overview", headers={"Cookie": f"{name}={full}"}).status_code == 200

    # login while the old session is still alive: a new session, the old one is gone
    c.cookies.clear()
    opts = c.post("/api/login/options", headers=CSRF).json()["publicKey"]
    r = c.post("/api/login/verify", json={"credential": authenticator.get(opts)},
               headers={**CSRF, "Cookie": f"{name}={full}"})
    assert r.status_code == 200, r.text
    rotated = r.cookies.get(name)
    assert rotated and rotated != full
    assert _session_rows(store, full) == 0 and _session_rows(store, rotated) == 1
    c.cookies.clear()
    r = c.get("/api/overview", headers={"Cookie": f"{name}={full}"})
    assert r.status_code == 401 and not problem_errors(401, r.headers["content-type"], r.content)
    assert c.get("/api/overview", headers={"Cookie": f"{name}={rotated}"}).status_code == 200

    # logout ends the session on the server, not only in the browser
    r = c.post("/api/logout", headers={**CSRF, "Cookie": f"{name}={rotated}"})
    assert r.status_code == 204
    assert name in r.headers.get("set-cookie", "") and ("Max-Age=0" in r.headers["set-cookie"]
                                                         or "expires=" in r.headers["set-cookie"].lower())
    assert _session_rows(store, rotated) == 0
    c.cookies.clear()
    assert c.get("/api/overview", headers={"Cookie": f"{name}={rotated}"}).status_code == 401
    assert c.post("/api/changes/preview", headers={**CSRF, "Cookie": f"{name}={rotated}"},
                  json={"change": {"kind": "income", "date": "2026-12-01", "income": 1}}).status_code == 401


def test_cookie_is_secure_and_host_prefixed_on_https(tmp_path):
    db = seed_db(tmp_path / "https.db")
    settings = Settings(db_path=db, today=dt.date(2026, 11, 29), clock=fixed_clock(),
                        origins=("https://toeslagen.example",), rp_id="toeslagen.example")
    assert settings.secure_cookies and settings.session_cookie_name == "__Host-session"
    app = create_app(settings)
    with TestClient(app, base_url="https://toeslagen.example") as c:
        enrol(c, app.state.store, settings, "single_tenant", origin="https://toeslagen.example",
              rp_id="toeslagen.example")
        assert c.cookies.get("__Host-session")
    from api.auth.sessions import Sessions

    cookie = Sessions(app.state.store, settings).cookie("x", "full").to_header(header="").lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=strict" in cookie and "path=/" in cookie
    assert "domain" not in cookie


# -- no BSN or income in the logs -------------------------------------------------------------------------

def euro_forms(cents: int) -> list[str]:
    e, c = divmod(cents, 100)
    dutch_thousands = f"{e:,}".replace(",", ".")
    return [str(cents), f"{e}.{c:02d}", f"{e},{c:02d}", f"{dutch_thousands},{c:02d}", f"{e:,}.{c:02d}",
            f"€ {dutch_thousands}", f"€ {e}", f"€{dutch_thousands}", f"{dutch_thousands},-"]


def test_no_bsn_or_income_in_the_logs_of_a_full_journey(tmp_path):
    db = seed_db(tmp_path / "log.db")
    log_path = tmp_path / "server.log"
    server = ServerProcess(db, log_path=log_path, extra=["--debug-log"])
    from api.store import Store

    store = Store(db)
    settings = make_settings(db, origin=server.origin)
    tokens = {"income": make_feed_token(store, settings, EMPLOYER_ID, "income"),
              "childcare_hours": make_feed_token(store, settings, KOO_ID, "childcare_hours"),
              "insurance": make_feed_token(store, settings, "zorgverzekeraar-log", "insurance"),
              "rent": make_feed_token(store, settings, "verhuurder-log", "rent")}
    persons = dict(store.db().execute("SELECT given_name, id FROM persons").fetchall())
    link(store, settings, "zorgverzekeraar-log", persons["Fatima"], "insurance")
    link(store, settings, "verhuurder-log", persons["Sanne"], "rent")
    income = 3_141_592            # the new yearly income estimate
    partner_income = 1_618_033    # the partner moving in
    wages = 271_828               # monthly wages from the income feed
    partner_bsn, child_bsn = fake_bsn(90_001), fake_bsn(90_002)
    bsns = sorted(set(BSN.values()) | {partner_bsn, child_bsn})
    answers = []
    server.start()
    try:
        with httpx.Client(base_url=server.base, headers={"Host": f"localhost:{server.port}"}, timeout=30) as c:
            def call(method, url, **kw):
                r = c.request(method, url, **kw)
                answers.append((method, url, r.status_code))
                return r

            for key in ("single_parent", "single_tenant"):
                c.cookies.clear()
                enrol(c, store, settings, key, origin=server.origin)
                for path in ("/api/overview", "/api/household", "/api/history?year=2026", "/api/messages",
                             "/api/income", "/api/childcare", "/api/prompts"):
                    assert call("GET", path).status_code == 200, path
                change = {"change": {"kind": "income", "date": "2026-12-01", "income": income}}
                assert call("POST", "/api/changes/preview", json=change, headers=CSRF).status_code == 200
                assert call("POST", "/api/changes", json=change, headers={**CSRF, "Idempotency-Key": f"log-{key}"}
                            ).status_code == 201
                assert call("POST", "/api/changes", json={"change": {**change["change"], "income": income + 1}},
                            headers={**CSRF, "Idempotency-Key": f"log-{key}"}).status_code == 422  # key reused
                if key == "single_tenant":
                    moves_in = {"change": {"kind": "partner", "date": "2026-12-01", "action": "moves_in", "partner": {
                        "given_name": "Robin", "birth_date": "1990-02-03", "income": partner_income,
                        "bsn": partner_bsn}}}
                    assert call("POST", "/api/changes/preview", json=moves_in, headers=CSRF).status_code == 200
                    assert call("POST", "/api/changes", json=moves_in, headers=CSRF).status_code == 201
                    bad = json.loads(json.dumps(moves_in))
                    bad["change"]["partner"]["bsn"] = "123456789"  # fails the elfproef
                    assert call("POST", "/api/changes", json=bad, headers=CSRF).status_code in (409, 422)
                else:
                    born = {"change": {"kind": "child", "date": "2026-11-01", "action": "born", "child": {
                        "given_name": "Mila", "birth_date": "2026-11-01", "bsn": child_bsn}}}
                    assert call("POST", "/api/changes", json=born, headers=CSRF).status_code == 201
                    assert call("POST", "/api/changes", json={"change": {"kind": "income", "date": "2026-12-01",
                                                                          "income": "veel"}}, headers=CSRF
                                ).status_code == 400
                assert call("POST", "/api/logout", headers=CSRF).status_code == 204
            c.cookies.clear()
            # the feeds, by BSN: accepted, refused by the elfproef, and unknown to the organisation
            feed_calls = [
                ("income", {"bsn": BSN["sanne"], "month": "2026-10", "wages": wages}, 200),
                ("income", {"bsn": "123456789", "month": "2026-10", "wages": wages}, 422),
                ("income", {"bsn": BSN["mark"], "month": "2026-10", "wages": wages}, 404),
                ("insurance", {"bsn": BSN["fatima"], "month": "2026-10", "insured": True}, 200),
                ("rent", {"bsn": BSN["sanne"], "month": "2026-10", "rent": 71_234}, 200),
                ("childcare-hours", {"bsn": BSN["noor"], "month": "2026-10", "lrk_number": LRK_DAGOPVANG,
                                     "hours": 150, "hourly_rate": 1025}, 200),
                ("childcare-hours", {"bsn": BSN["lucas"], "month": "2026-10", "lrk_number": LRK_DAGOPVANG,
                                     "hours": 150, "hourly_rate": 1025}, 404),
            ]
            for path, report, expected in feed_calls:
                token = tokens[path.replace("-", "_")]
                r = call("POST", f"/feeds/{path}", json={"reports": [report]},
                         headers={"Authorization": f"Bearer {token}"})
                assert r.status_code == expected, (path, r.text)
            r = call("POST", "/feeds/income", json={"reports": [{"bsn": BSN["sanne"], "month": "2026-10",
                                                                  "wages": "veel"}]},
                     headers={"Authorization": f"Bearer {tokens['income']}"})
            assert r.status_code == 400
    finally:
        server.stop()
        store.close()
    # the values did travel through the server (so a leak would have had the chance to show)
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("SELECT count(*) FROM estimates WHERE income = ?", (income,)).fetchone()[0] == 2
        assert conn.execute("SELECT count(*) FROM estimates WHERE income = ?", (partner_income,)).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM feed_reports WHERE wages = ?", (wages,)).fetchone()[0] == 1
        assert {partner_bsn, child_bsn} <= {r[0] for r in conn.execute("SELECT bsn FROM persons")}
    finally:
        conn.close()
    log = log_path.read_text(encoding="utf-8", errors="replace")
    # the capture works: uvicorn's access log and the api loggers are in it
    assert '"POST /api/changes HTTP/1.1" 201' in log and '"POST /feeds/income HTTP/1.1" 200' in log, log[-2000:]
    # ... and it names clients by pseudonym, never by address (uvicorn's own line "running on
    # http://127.0.0.1:…" is the server's address, not a client's)
    access = [line for line in log.splitlines() if "uvicorn.access" in line]
    assert access and all("client=" in line and "127.0.0.1" not in line for line in access), access[:3]
    assert "api.feeds" in log and "feed income from" in log
    searched = {"BSN": bsns}
    for label, cents in (("income", income), ("partner income", partner_income), ("wages", wages)):
        searched[label] = euro_forms(cents)
    found = {label: [v for v in values if v in log] for label, values in searched.items()}
    lines = len(log.splitlines())
    print(f"\nlog grep: {lines} log lines of {len(answers)} requests; searched {len(bsns)} BSNs and "
          f"{sum(len(v) for k, v in searched.items() if k != 'BSN')} income forms "
          f"({', '.join(searched['income'][:5])}, …): found {found}")
    assert not any(found.values()), found


# -- dependency pins ---------------------------------------------------------------------------------------

def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_dependencies_are_pinned():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    reqs = list(project["dependencies"]) + [r for extra in project.get("optional-dependencies", {}).values()
                                            for r in extra]
    assert reqs
    for req in reqs:
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][0-9A-Za-z.+\-]*", req.replace(" ", "")), \
            f"pyproject.toml: {req!r} is not pinned with =="
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"constraints.txt: {line!r} is not pinned with =="
            pins[_norm(name)] = version
    for req in reqs:
        name, _, version = req.partition("==")
        assert pins.get(_norm(name.split("[")[0])) == version, f"{req} differs in constraints.txt"
    own = _norm(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["name"])
    # pip and setuptools come with the venv itself (pip freeze leaves them out too); the project is ours
    bootstrap = {"pip", "setuptools", "wheel", own}
    installed = {_norm(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    unpinned = {n: v for n, v in installed.items() if n not in pins and n not in bootstrap}
    assert not unpinned, f"installed but not in constraints.txt: {unpinned}"
    wrong = {n: (installed[n], v) for n, v in pins.items() if n in installed and installed[n] != v}
    assert not wrong, f"installed version differs from constraints.txt: {wrong}"
    missing = [n for n in pins if n not in installed]
    assert not missing, f"pinned in constraints.txt but not installed: {missing}"

    package = json.loads((ROOT / "package.json").read_text())
    lock = json.loads((ROOT / "package-lock.json").read_text())
    assert lock.get("lockfileVersion", 0) >= 2
    for section in ("dependencies", "devDependencies", "optionalDependencies"):
        for name, version in package.get(section, {}).items():
            assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?", version), f"package.json: {name} {version!r}"
            assert lock["packages"][""].get(section, {}).get(name) == version, f"package-lock.json: {name}"
            assert lock["packages"][f"node_modules/{name}"]["version"] == version, f"package-lock.json: {name}"

"""Issue #18 (OWASP ASVS L2) in the identity routes: spare activation codes end, the logout cookie
mirrors the session cookie, adding or removing a passkey needs a recent login, duplicate JSON keys are
refused on every body, HSTS on an https origin, and the security event log (without personal data)."""

from __future__ import annotations

import datetime as dt
import json
import logging
from http.cookies import SimpleCookie

import pytest
from litestar.testing import TestClient

from api.app import create_app
from api.demo import BSN
from api.store import auth as auth_store
from api.util import iso, sha256_hex

from .conftest import CSRF, enrol, fingerprint, household_id, is_problem, issue_code, login
from .soft_authenticator import SoftAuthenticator


def _spare_code(app, demo_key: str) -> str:
    """A second valid code next to the newest one, as an older letter (issued before codes ended each
    other) still holds: written straight into the store, since issue_code now ends the older ones."""
    from api.auth.service import new_activation_code, normalise_code

    code = new_activation_code()
    now = app.state.settings.now()
    with app.state.store.write() as db:
        auth_store.add_activation_code(db, household_id(app, demo_key), sha256_hex(normalise_code(code)),
                                       iso(now), iso(now + dt.timedelta(days=30)))
    return code


# -- spare activation codes ------------------------------------------------------------------------------

def test_a_new_code_ends_the_older_unused_ones(client, app, new_client):
    old = issue_code(app, "single_tenant")
    new = issue_code(app, "single_tenant")
    other = issue_code(app, "single_parent")  # another household's code is not touched
    body = is_problem(new_client().post("/api/activation", json={"code": old}), 422)
    assert body["field"] == "code"
    assert new_client().post("/api/activation", json={"code": new}).status_code == 200
    assert new_client().post("/api/activation", json={"code": other}).status_code == 200


def test_spare_codes_and_their_enrolment_sessions_end_at_enrolment(client, app, new_client):
    spare = _spare_code(app, "single_tenant")
    early = new_client()  # someone opened an enrolment with the spare code before the household enrolled
    assert early.post("/api/activation", json={"code": _spare_code(app, "single_tenant")}).status_code == 200
    assert early.post("/api/passkeys/register/options").status_code == 200
    enrol(client, app, "single_tenant")
    assert client.get("/api/overview").status_code == 200
    # the enrolled household cannot be enrolled again with the older, unused code ...
    is_problem(new_client().post("/api/activation", json={"code": spare}), 422)
    # ... nor finish the enrolment that was opened with one
    is_problem(early.post("/api/passkeys/register/options"), 401)
    assert len(client.get("/api/passkeys").json()["passkeys"]) == 1
    # a new letter (lost phone) still works after enrolment
    assert new_client().post("/api/activation", json={"code": issue_code(app, "single_tenant")}).status_code == 200


# -- logout cookie ---------------------------------------------------------------------------------------

def _cookie_attributes(set_cookie: str) -> tuple[str, dict]:
    jar = SimpleCookie()
    jar.load(set_cookie)
    (name, morsel), = jar.items()
    attrs = {k: str(v).lower() for k, v in morsel.items() if v and k not in ("expires", "max-age")}
    return name, attrs


@pytest.mark.parametrize("origin", ["http://localhost:8000", "https://toeslagen.example"])
def test_logout_clearing_cookie_mirrors_the_session_cookie(settings, origin):
    settings = settings.with_(origins=(origin,), rp_id=origin.split("://")[1].split(":")[0])
    app = create_app(settings)
    with TestClient(app, base_url=origin) as c:
        c.headers.update(CSRF)
        r = c.post("/api/activation", json={"code": issue_code(app, "single_tenant")})
        assert r.status_code == 200
        session_name, session_attrs = _cookie_attributes(r.headers["set-cookie"])
        r = c.post("/api/logout")
        assert r.status_code == 204
        name, attrs = _cookie_attributes(r.headers["set-cookie"])
    assert name == session_name == settings.session_cookie_name
    assert attrs == session_attrs, (attrs, session_attrs)
    assert attrs["httponly"] and attrs["samesite"] == "strict" and attrs["path"] == "/"
    assert bool(attrs.get("secure")) == origin.startswith("https")
    cleared = r.headers["set-cookie"].lower()
    assert "max-age=0" in cleared and (f"{name.lower()}=\"\"" in cleared or f"{name.lower()}=;" in cleared)


# -- re-authentication before adding or removing a passkey --------------------------------------------------

def test_adding_or_removing_a_passkey_needs_a_recent_login(client, app, clock):
    phone = enrol(client, app, "couple_three_children")
    tablet = SoftAuthenticator()
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    assert client.post("/api/passkeys/register/verify", json={"credential": tablet.create(opts)}).status_code == 201
    clock.advance(minutes=11)  # a session still alive (idle limit 1 h), but its login is not recent
    assert client.get("/api/overview").status_code == 200
    before = fingerprint(app)
    body = is_problem(client.post("/api/passkeys/register/options"), 403)
    assert body["type"] == "/problems/reauth-required"
    keys = client.get("/api/passkeys").json()["passkeys"]
    assert is_problem(client.delete(f"/api/passkeys/{keys[1]['id']}"), 403)["type"] == "/problems/reauth-required"
    # options taken just in time do not help when the verify comes too late
    assert fingerprint(app) == before and len(client.get("/api/passkeys").json()["passkeys"]) == 2
    login(client, phone)  # the passkey again: a fresh login
    assert client.delete(f"/api/passkeys/{keys[1]['id']}").status_code == 204
    opts = client.post("/api/passkeys/register/options")
    assert opts.status_code == 200
    clock.advance(minutes=11)
    r = client.post("/api/passkeys/register/verify",
                    json={"credential": SoftAuthenticator().create(opts.json()["publicKey"])})
    assert is_problem(r, 403)["type"] == "/problems/reauth-required"


# -- duplicate JSON keys ---------------------------------------------------------------------------------------

DUPLICATES = [
    ("/api/changes/preview", b'{"change": {"kind": "income", "date": "2026-12-01", "income": 1, "income": 2}}', "income"),
    ("/api/changes", b'{"change": {"kind": "income", "date": "2026-12-01", "income": 1}, "change": {}}', "change"),
    ("/api/activation", b'{"code": "AAAA-BBBB-CCCC-DDDD", "code": "AAAA-BBBB-CCCC-EEEE"}', "code"),
    ("/api/push/settings", b'{"enabled": true, "enabled": false}', "enabled"),
]


@pytest.mark.parametrize("path,body,key", DUPLICATES)
def test_duplicate_json_keys_are_refused_naming_the_key(client, app, path, body, key):
    enrol(client, app, "single_tenant")
    before = fingerprint(app)
    method = "PUT" if path == "/api/push/settings" else "POST"
    r = client.request(method, path, content=body, headers={"Content-Type": "application/json"})
    p = is_problem(r, 400)
    assert p["type"] == "/problems/duplicate-key" and p["field"] == key, p
    assert p["errors"] == [{"field": key, "detail": p["detail"], "source": "body"}]
    assert fingerprint(app) == before
    # the same body without the repeat is accepted (the refusal is about the repeat, nothing else)
    once = json.dumps(json.loads(body)).encode()
    r = client.request(method, path, content=once, headers={"Content-Type": "application/json"})
    assert "duplicate-key" not in r.text, r.text


def test_duplicate_keys_are_refused_in_partner_feeds_too_deep_inside(client, app):
    from api.feeds.service import create_token

    with app.state.store.write() as db:
        from api.store import feeds as feeds_store

        feeds_store.add_organisation(db, "werkgever-dup", "Werkgever", iso(app.state.settings.now()))
        token = create_token(db, "werkgever-dup", "income", iso(app.state.settings.now()))
    body = ('{"reports": [{"bsn": "%s", "month": "2026-10", "wages": 1, "wages": 250000}]}' % BSN["sanne"]).encode()
    before = fingerprint(app)
    r = client.post("/feeds/income", content=body, headers={"Authorization": f"Bearer {token}",
                                                             "Content-Type": "application/json"})
    p = is_problem(r, 400)
    assert p["type"] == "/problems/duplicate-key" and p["field"] == "wages"
    assert fingerprint(app) == before


def test_big_and_deep_bodies_are_still_refused_before_the_duplicate_check(client, app):
    limit = app.state.settings.max_body_size
    big = b'{"code": "' + b"A" * limit + b'", "code": 1}'
    assert is_problem(client.post("/api/activation", content=big, headers={"Content-Type": "application/json"}),
                      413)["type"] == "/problems/body-too-large"
    deep = b'{"a": ' * 20_000 + b"1" + b"}" * 20_000
    r = client.post("/api/activation", content=deep[:limit - 10], headers={"Content-Type": "application/json"})
    assert is_problem(r, 400)["type"] in ("/problems/malformed-body", "/problems/validation-error")
    deep = b"[" * 20_000 + b"]" * 20_000
    r = client.post("/api/activation", content=deep, headers={"Content-Type": "application/json"})
    assert is_problem(r, 400)["type"] in ("/problems/malformed-body", "/problems/validation-error")


def test_equal_keys_in_different_objects_are_fine():
    from api.web.body import duplicate_key

    assert duplicate_key(b'{"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]}') is None
    assert duplicate_key(b'{"a": "\\"a\\": 1, \\"a\\": 2"}') is None  # inside a string
    assert duplicate_key(b'{"a": [{"x": 1, "y": 2, "x": 3}]}') == "x"
    assert duplicate_key(b'{"\\u0061": 1, "a": 2}') == "a"  # the same key, escaped
    assert duplicate_key(b"not json") is None and duplicate_key(b"[" * 50_000) is None


# -- HSTS ------------------------------------------------------------------------------------------------------

def test_hsts_on_an_https_origin_only(settings):
    https = create_app(settings.with_(origins=("https://toeslagen.example",), rp_id="toeslagen.example"))
    with TestClient(https, base_url="https://toeslagen.example") as c:
        for path in ("/", "/api/ping", "/api/overview", "/nothing.js"):
            hsts = c.get(path).headers.get("strict-transport-security", "")
            assert hsts.startswith("max-age=") and int(hsts.split("=")[1].split(";")[0]) >= 31_536_000, path
            assert "includesubdomains" in hsts.lower()
    plain = create_app(settings)
    with TestClient(plain, base_url="http://localhost:8000") as c:
        # not behind a trusted proxy: a client's own X-Forwarded-Proto is no reason
        r = c.get("/api/ping", headers={"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in r.headers


# -- the security event log ---------------------------------------------------------------------------------------

def test_security_events_are_logged_without_personal_data_or_secrets(client, app, new_client, clock, caplog):
    caplog.set_level(logging.INFO, logger="api.security")
    secrets: list[str] = []
    code = issue_code(app, "single_parent")
    secrets.append(code)
    assert client.post("/api/activation", json={"code": "AAAA-BBBB-CCCC-DDDD"}).status_code == 422
    phone = SoftAuthenticator()
    r = client.post("/api/activation", json={"code": code})
    secrets.append(r.cookies.get(app.state.settings.session_cookie_name))
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    secrets.append(opts["challenge"])
    r = client.post("/api/passkeys/register/verify", json={"credential": phone.create(opts)})
    secrets.append(r.cookies.get(app.state.settings.session_cookie_name))
    tablet = SoftAuthenticator()
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    assert client.post("/api/passkeys/register/verify", json={"credential": tablet.create(opts)}).status_code == 201
    other = new_client()
    opts = other.post("/api/login/options").json()["publicKey"]
    bad = tablet.get(opts)
    bad["response"]["signature"] = bad["response"]["signature"][:-4] + "AAAA"
    assert other.post("/api/login/verify", json={"credential": bad}).status_code == 400
    login(other, tablet)
    keys = client.get("/api/passkeys").json()["passkeys"]
    assert client.delete(f"/api/passkeys/{keys[1]['id']}").status_code == 204
    assert client.post("/api/logout").status_code == 204
    limit = app.state.settings.activation_rate[0]
    for _ in range(limit + 2):
        new_client().post("/api/activation", json={"code": "AAAA-BBBB-CCCC-DDDD"})

    lines = [r.getMessage() for r in caplog.records if r.name == "api.security"]
    events = [line.split("event=")[1].split()[0] for line in lines]
    hh = household_id(app, "single_parent")
    expected = ["activation_code.issued", "activation.failure", "activation.success", "enrolment.done",
                "passkey.added", "login.failure", "login.success", "passkey.removed", "logout",
                "ratelimit.exceeded"]
    assert [e for e in dict.fromkeys(events) if e in expected] == expected, events
    assert events.count("ratelimit.exceeded") == 1  # once per window, not per refused request
    for name in ("activation.success", "enrolment.done", "passkey.added", "login.success", "passkey.removed", "logout"):
        assert any(f"event={name} " in line and f"household={hh}" in line for line in lines), name
    assert any("event=login.failure" in line and "reason=InvalidAuthenticationResponse" in line for line in lines), lines
    text = "\n".join(r.getMessage() for r in caplog.records)
    leaks = [s for s in secrets if s and s in text] + [s for s in (code.replace("-", ""),) if s in text]
    leaks += [b for b in BSN.values() if b in text] + [n for n in ("Fatima", "El Amrani") if n in text]
    assert leaks == [], leaks


def test_a_security_event_refuses_fields_that_could_carry_personal_data():
    from api.web.security_log import event

    with pytest.raises(ValueError):
        event("login.success", bsn="123456782")


def test_refused_access_and_input_are_security_events(client, app, caplog):
    caplog.set_level(logging.INFO, logger="api.security")
    client.get("/api/overview")                                        # no session
    client.post("/api/changes", json={}, headers={"X-Requested-With": ""})  # no CSRF header
    enrol(client, app, "single_tenant")
    client.post("/api/changes/preview", json={"change": {"kind": "income", "date": "2026-12-01", "income": "veel"}})
    lines = [r.getMessage() for r in caplog.records if r.name == "api.security"]
    assert any("event=access.denied" in x and "status=401" in x and "path=/api/overview" in x for x in lines), lines
    assert any("event=access.denied" in x and "status=403" in x and "type=forbidden" in x for x in lines), lines
    assert any("event=input.refused" in x and "field=change.income" in x for x in lines), lines
    assert not any("veel" in x for x in lines)  # the field's name, never its value


def test_security_log_lines_carry_utc_time_and_cannot_be_forged(caplog):
    import io
    import re

    from api.web import security_log

    out = io.StringIO()
    handler = security_log.configure(out)
    try:
        security_log.event("access.denied", path="/api/x\n2026-01-01T00:00:00.000Z INFO api.security forged",
                           status=401)
    finally:
        logging.getLogger("api").removeHandler(handler)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO api\.security security event=access\.denied ",
                    lines[0]), lines
    assert '\\n2026-01-01' in lines[0]


def test_passkey_changes_show_in_the_household_history(client, app):
    enrol(client, app, "couple_three_children")
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    r = client.post("/api/passkeys/register/verify", json={"credential": SoftAuthenticator().create(opts),
                                                         "label": "Tablet"})
    assert client.delete(f"/api/passkeys/{r.json()['id']}").status_code == 204
    kinds = [e["kind"] for e in client.get("/api/history?year=2026").json()["events"]]
    assert "passkey.added" in kinds and "passkey.removed" in kinds, kinds


def test_webauthn_challenges_and_algorithms(client, app):
    from webauthn.helpers import base64url_to_bytes

    enrol(client, app, "single_tenant")
    seen = set()
    for path in ("/api/passkeys/register/options", "/api/login/options"):
        for _ in range(3):
            opts = client.post(path).json()["publicKey"]
            challenge = base64url_to_bytes(opts["challenge"])
            assert len(challenge) * 8 >= 64 and challenge not in seen
            seen.add(challenge)
            assert opts["userVerification" if path.startswith("/api/login") else "authenticatorSelection"]
    algs = {p["alg"] for p in client.post("/api/passkeys/register/options").json()["publicKey"]["pubKeyCredParams"]}
    assert algs == {-7, -8, -257}  # ES256, EdDSA, RS256 (no SHA-1, no custom algorithms)


def test_secrets_come_from_the_csprng_and_are_long_enough():
    from pathlib import Path

    from api.auth.service import CODE_ALPHABET, CODE_LENGTH

    root = Path(__file__).resolve().parents[2] / "api"
    users = [p for p in root.rglob("*.py") if "import random" in p.read_text() or "from random" in p.read_text()]
    assert users == []
    assert len(CODE_ALPHABET) ** CODE_LENGTH >= 2 ** 80  # activation codes
    from api.util import new_id

    assert len(new_id("x")) >= 2 + 16  # 12 random bytes


def test_an_unexpected_error_is_a_generic_problem_without_details(client, app, monkeypatch, caplog):
    def boom(*a, **kw):
        raise RuntimeError("secret detail " + str(123456780 + 2))  # built at run time: not in the source line

    monkeypatch.setattr(app.state.auth, "login_options", boom)
    r = client.post("/api/login/options")
    body = is_problem(r, 500)
    assert body["type"] == "/problems/server-error" and "123456782" not in r.text and "RuntimeError" not in r.text
    assert "123456782" not in caplog.text  # logged as type and route, not the message
    assert app.debug is False


def test_api_answers_are_downloads_and_carry_no_cors_or_version(client):
    for path in ("/api/ping", "/api/push/key", "/api/overview"):
        r = client.get(path)
        assert r.headers["content-disposition"] == 'attachment; filename="api.json"', path
        assert "access-control-allow-origin" not in r.headers
    r = client.options("/api/changes", headers={"Origin": "https://evil.example",
                                                 "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in r.headers and "access-control-allow-credentials" not in r.headers
    assert "content-disposition" not in client.get("/").headers  # the app's pages are pages

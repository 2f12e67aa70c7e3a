"""Enrolment with an activation code, passkey registration and login with a software authenticator."""

from __future__ import annotations

import datetime as dt

from api.store.db import scalar

from .conftest import enrol, is_problem, issue_code, login
from .soft_authenticator import SoftAuthenticator


def test_enrol_register_and_login(client, app, new_client):
    auth = enrol(client, app, "single_parent")
    assert client.get("/api/overview").status_code == 200
    # a new browser logs in with the same passkey (usernameless, discoverable credential)
    other = new_client()
    assert other.get("/api/overview").status_code == 401
    body = login(other, auth)
    assert body["household_label"] == "Huishouden El Amrani"
    assert body["passkey"]["current"] is True
    assert other.get("/api/overview").json()["household_label"] == "Huishouden El Amrani"
    # the sign counter is kept
    pk = app.state.store.db().execute("SELECT sign_count FROM passkeys").fetchone()[0]
    assert pk == auth.sign_count == 1


def test_packed_self_attestation_is_accepted(client, app):
    auth = SoftAuthenticator()
    r = client.post("/api/activation", json={"code": issue_code(app, "single_tenant")})
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    r = client.post("/api/passkeys/register/verify", json={"credential": auth.create(opts, fmt="packed")})
    assert r.status_code == 201, r.text


def test_session_cookie_flags(client, app):
    r = client.post("/api/activation", json={"code": issue_code(app, "single_tenant")})
    cookie = r.headers["set-cookie"]
    assert "httponly" in cookie.lower() and "samesite=strict" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain-http localhost only
    assert app.state.settings.with_(origins=("https://toeslagen.example",)).secure_cookies


def test_registration_refuses_bad_origin_rp_and_replayed_challenge(client, app):
    client.post("/api/activation", json={"code": issue_code(app, "single_tenant")})
    auth = SoftAuthenticator()
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    r = client.post("/api/passkeys/register/verify", json={"credential": auth.create(opts, origin="https://evil.example")})
    is_problem(r, 400)
    # the challenge was used up by the failed attempt: a correct answer to it is refused too
    r = client.post("/api/passkeys/register/verify", json={"credential": auth.create(opts)})
    is_problem(r, 400)
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    r = client.post("/api/passkeys/register/verify", json={"credential": auth.create(opts, rp_id="evil.example")})
    is_problem(r, 400)
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    r = client.post("/api/passkeys/register/verify", json={"credential": auth.create(opts, user_verified=False)})
    is_problem(r, 400)
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    r = client.post("/api/passkeys/register/verify", json={"credential": auth.create(opts)})
    assert r.status_code == 201


def test_login_refuses_bad_origin_replay_and_old_counter(client, app, new_client):
    auth = enrol(client, app, "single_tenant")
    other = new_client()
    opts = other.post("/api/login/options").json()["publicKey"]
    is_problem(other.post("/api/login/verify", json={"credential": auth.get(opts, origin="http://evil.example")}), 400)
    opts = other.post("/api/login/options").json()["publicKey"]
    good = auth.get(opts)
    assert other.post("/api/login/verify", json={"credential": good}).status_code == 200
    # replaying the very same assertion: the challenge is single use
    third = new_client()
    is_problem(third.post("/api/login/verify", json={"credential": good}), 400)
    # a cloned authenticator with an old counter
    opts = third.post("/api/login/options").json()["publicKey"]
    is_problem(third.post("/api/login/verify", json={"credential": auth.get(opts, sign_count=1)}), 400)
    # an unknown passkey
    opts = third.post("/api/login/options").json()["publicKey"]
    stranger = SoftAuthenticator()
    stranger.user_handle = b"hh_nobody"
    is_problem(third.post("/api/login/verify", json={"credential": stranger.get(opts)}), 400)
    assert third.get("/api/overview").status_code == 401


def test_login_rotates_session_and_logout_ends_it(client, app):
    auth = enrol(client, app, "single_tenant")
    before = client.cookies.get("session")
    login(client, auth)
    after = client.cookies.get("session")
    assert before and after and before != after
    store = app.state.store
    assert scalar(store.db(), "SELECT count(*) FROM sessions") == 1  # the old one is gone
    assert client.post("/api/logout").status_code == 204
    assert scalar(store.db(), "SELECT count(*) FROM sessions") == 0
    client.cookies.set("session", after)
    is_problem(client.get("/api/overview"), 401)


def test_enrolment_session_cannot_read_household(client, app):
    client.post("/api/activation", json={"code": issue_code(app, "single_tenant")})
    is_problem(client.get("/api/overview"), 401)
    is_problem(client.get("/api/household"), 401)


def test_activation_code_single_use(client, app, new_client):
    code = issue_code(app, "single_tenant")
    assert client.post("/api/activation", json={"code": code}).status_code == 200
    other = new_client()
    body = is_problem(other.post("/api/activation", json={"code": code}), 422)
    assert body["field"] == "code"


def test_activation_code_is_forgiving_about_format(client, app):
    code = issue_code(app, "single_tenant")
    assert client.post("/api/activation", json={"code": code.lower().replace("-", " ")}).status_code == 200


def test_activation_code_expires(client, app, clock):
    code = issue_code(app, "single_tenant")
    clock.advance(days=31)
    is_problem(client.post("/api/activation", json={"code": code}), 422)


def test_activation_code_stored_hashed(app):
    code = issue_code(app, "single_tenant")
    db = app.state.store.db()
    raw = code.replace("-", "")
    assert scalar(db, "SELECT count(*) FROM activation_codes WHERE code_hash LIKE ?", (f"%{raw}%",)) == 0


def test_activation_rate_limit(client, app, clock):
    limit = app.state.settings.activation_rate[0]
    for _ in range(limit):
        is_problem(client.post("/api/activation", json={"code": "AAAA-BBBB-CCCC-DDDD"}), 422)
    r = client.post("/api/activation", json={"code": issue_code(app, "single_tenant")})
    is_problem(r, 429)
    assert int(r.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    assert client.post("/api/activation", json={"code": issue_code(app, "single_tenant")}).status_code == 200


def test_session_expires_when_idle(client, app, clock):
    enrol(client, app, "single_tenant")
    assert app.state.settings.session_idle <= dt.timedelta(minutes=30)  # ASVS 3.3.2, level 2
    clock.advance(minutes=29)
    assert client.get("/api/overview").status_code == 200  # in use: the idle clock starts again
    clock.advance(minutes=29)
    assert client.get("/api/overview").status_code == 200
    clock.advance(minutes=31)
    is_problem(client.get("/api/overview"), 401)


def test_several_passkeys_and_removal(client, app, new_client):
    phone = enrol(client, app, "couple_three_children")
    partner_phone = SoftAuthenticator()
    opts = client.post("/api/passkeys/register/options").json()["publicKey"]
    assert len(opts["excludeCredentials"]) == 1
    r = client.post("/api/passkeys/register/verify",
                    json={"credential": partner_phone.create(opts), "label": "Telefoon Lisa"})
    assert r.status_code == 201
    keys = client.get("/api/passkeys").json()["passkeys"]
    assert [k["label"] for k in keys] == ["Telefoon", "Telefoon Lisa"]
    assert [k["current"] for k in keys] == [True, False]
    lisa = new_client()
    login(lisa, partner_phone)
    # removing Lisa's passkey ends the sessions opened with it
    assert client.delete(f"/api/passkeys/{keys[1]['id']}").status_code == 204
    is_problem(lisa.get("/api/overview"), 401)
    opts = lisa.post("/api/login/options").json()["publicKey"]
    is_problem(lisa.post("/api/login/verify", json={"credential": partner_phone.get(opts)}), 400)
    # the last passkey cannot be removed
    body = is_problem(client.delete(f"/api/passkeys/{keys[0]['id']}"), 409)
    assert "laatste" in body["detail"]
    assert phone.sign_count == 0


def test_csrf_header_and_origin_required(client, app):
    enrol(client, app, "single_tenant")
    body = {"change": {"kind": "home", "date": "2026-12-01", "rent": 70000}}
    del client.headers["X-Requested-With"]
    is_problem(client.post("/api/changes", json=body), 403)
    client.headers["X-Requested-With"] = "fetch"
    is_problem(client.post("/api/changes", json=body, headers={"Origin": "https://evil.example"}), 403)
    is_problem(client.post("/api/changes", json=body, headers={"Sec-Fetch-Site": "cross-site"}), 403)
    assert client.post("/api/changes", json=body, headers={"Origin": "http://localhost:8000"}).status_code == 201

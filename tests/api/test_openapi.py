"""/schema/openapi.json tells the truth about errors: every operation lists the statuses it can answer
with as RFC 9457 problems (application/problem+json, the `Problem` schema), Litestar's default
ValidationException shape is gone, request Structs that refuse unknown fields are closed objects, and
real error responses validate against what their operation documents.

It tells the truth about what a client must send too: each operation's `security` is what the route
requires (and `[]` where it requires nothing), and the X-Requested-With and Idempotency-Key headers are
parameters where the code reads them. A client that sends only what the schema documents makes every
operation succeed."""

from __future__ import annotations

import base64
import datetime as dt
import importlib
import re
import sqlite3
import types

import jsonschema_rs
import msgspec
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from litestar.testing import TestClient

from api import demo
from api.feeds.service import create_token
from api.prompts.service import PromptDraft, raise_prompt
from api.util import iso
from api.web import idempotency, openapi_errors
from api.web.problems import Problem as ProblemError
from tests.hardening.common import link, make_feed_token

from .conftest import ORIGIN, FakeClock, enrol, household_id, is_problem, issue_code, seeded_app
from .problem_schema import PROBLEM, PROBLEM_REF, conformance_errors, documented_statuses, operations, problem_validator
from .soft_authenticator import SoftAuthenticator

INCOME = {"change": {"kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_300_000}}
DOMAINS = ("auth", "changes", "childcare", "feeds", "household", "income", "prompts", "push")


@pytest.fixture
def spec(client) -> dict:
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    return r.json()


def documented(spec: dict, method: str, template: str, response, status: int) -> dict:
    """The response has `status`, and the schema documents it for the operation (body included)."""
    assert response.status_code == status, (method, template, response.status_code, response.text)
    errors = conformance_errors(spec, problem_validator(spec), method, template, response.status_code,
                                response.headers.get("content-type", ""), response.content)
    assert not errors, (method, template, errors, response.text)
    return is_problem(response, status)


# -- the schema ------------------------------------------------------------------------------------

def test_every_operation_lists_its_errors_as_problem_json(spec):
    ops = operations(spec)
    assert len(ops) >= 37
    without = []
    for (method, path), op in ops.items():
        errors = {s: r for s, r in op["responses"].items() if int(s) >= 400}
        if not errors:
            without.append((method, path))
        for status, response in errors.items():
            assert response["content"] == {PROBLEM: {"schema": {"$ref": PROBLEM_REF}}}, (method, path, status)
            assert response["description"].strip(), (method, path, status)
        for status in ("429", "503"):
            if status in errors:
                assert "Retry-After" in errors[status]["headers"], (method, path, status)
    assert without == []
    # a server error can happen anywhere; the benchmark's hello world touches nothing else that can fail
    for key, op in ops.items():
        assert "500" in op["responses"], key
    assert {s for s in ops[("GET", "/api/ping")]["responses"] if int(s) >= 400} == {"500"}
    # Litestar's default error shape is nowhere
    text = str(spec)
    assert "status_code" not in text and "Validation Exception" not in text


def test_problem_schema_names_what_the_code_sends(spec):
    schemas = spec["components"]["schemas"]
    problem = schemas["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "instance", "field", "errors"}
    item = schemas["ProblemError"]
    assert set(item["required"]) == {"field", "detail"} and set(item["properties"]) == {"field", "detail", "source"}


def test_statuses_follow_from_each_route(spec):
    statuses = documented_statuses(spec)
    for (method, path), op in operations(spec).items():
        got = statuses[(method, path)]
        assert 500 in got, (method, path)                               # server-error
        if path == "/api/ping":
            continue
        assert 503 in got, (method, path)                               # a database busy with another process
        if "requestBody" in op:
            assert {400, 413} <= got, (method, path)
        if any(p["in"] in ("query", "path") for p in op.get("parameters", [])):
            assert 400 in got, (method, path)
        if path.startswith("/api/") and method != "GET":
            assert 403 in got, (method, path)                           # CSRF guard
        if path.startswith("/api/") and method == "GET":
            assert 403 not in got, (method, path)
        if path.startswith("/feeds/"):
            assert {401, 403, 422} <= got, (method, path)               # bearer token; Idempotency-Key reuse
        if any(p["name"] == "Idempotency-Key" for p in op.get("parameters", [])):
            assert {400, 422} <= got, (method, path)
        if op["security"]:
            assert 401 in got, (method, path)                           # the credential its security names
    # no session needed: no 401
    for op in [("POST", "/api/activation"), ("POST", "/api/login/options"), ("POST", "/api/login/verify"),
               ("POST", "/api/logout"), ("GET", "/api/push/key")]:
        assert 401 not in statuses[op], op
    for op in [("GET", "/api/overview"), ("POST", "/api/changes"), ("POST", "/api/passkeys/register/options"),
               ("DELETE", "/api/passkeys/{passkey_id}")]:
        assert 401 in statuses[op], op
    assert 429 in statuses[("POST", "/api/activation")] and 429 in statuses[("POST", "/api/login/options")]
    assert sum(429 in s for s in statuses.values()) == 2
    assert {404, 409} <= statuses[("DELETE", "/api/passkeys/{passkey_id}")]
    assert statuses[("POST", "/api/logout")] == {204, 403, 500, 503}
    # a device subscribed already is updated: 200 beside the 201 of a new one, with the same body
    post = operations(spec)[("POST", "/api/push/subscriptions")]["responses"]
    assert {"200", "201"} <= set(post) and post["200"]["content"] == post["201"]["content"]


def test_route_table_names_real_operations(spec):
    ops = {f"{m} {p}" for m, p in operations(spec)}
    assert set(openapi_errors.ROUTES) <= ops, set(openapi_errors.ROUTES) - ops
    # a tuple of causes each (a lone `({...})` would be a dict, read as its keys)
    assert all(isinstance(v, tuple) for v in openapi_errors.ROUTES.values())


def test_structs_that_refuse_unknown_fields_are_closed_objects(spec):
    schemas = spec["components"]["schemas"]
    strict, open_ = set(), set()
    for domain in DOMAINS:
        for obj in vars(importlib.import_module(f"api.{domain}.schemas")).values():
            if isinstance(obj, type) and issubclass(obj, msgspec.Struct) and obj.__name__ in schemas:
                (strict if obj.__struct_config__.forbid_unknown_fields else open_).add(obj.__name__)
    assert {"ChangeRequest", "IncomeChange", "Address", "ActivationRequest", "ChildcareHoursBatch",
            "ChildcareHoursReport", "SettingsRequest"} <= strict
    for name in strict:
        assert schemas[name].get("additionalProperties") is False, name
    for name in open_:
        assert "additionalProperties" not in schemas[name], name


# -- real error responses against the schema --------------------------------------------------------

def test_anonymous_and_malformed_requests(spec, client, new_client):
    # no session
    documented(spec, "GET", "/api/overview", client.get("/api/overview"), 401)
    documented(spec, "POST", "/api/changes", client.post("/api/changes", json=INCOME), 401)
    # no X-Requested-With header
    bare = new_client()
    bare.headers.pop("X-Requested-With")
    documented(spec, "POST", "/api/logout", bare.post("/api/logout"), 403)
    # not JSON, an unknown field, a wrong type, a body too large
    r = client.post("/api/activation", content=b'{bad', headers={"Content-Type": "application/json"})
    assert documented(spec, "POST", "/api/activation", r, 400)["type"] == "/problems/malformed-body"
    body = documented(spec, "POST", "/api/activation",
                      client.post("/api/activation", json={"code": "AAAA-BBBB", "extra": 1}), 400)
    assert body["field"] == "extra" and body["errors"][0]["field"] == "extra"
    documented(spec, "POST", "/api/activation", client.post("/api/activation", json={"code": 5}), 400)
    r = client.post("/api/activation", content=b"x" * 200_000, headers={"Content-Type": "application/json"})
    documented(spec, "POST", "/api/activation", r, 413)
    # a wrong code
    body = documented(spec, "POST", "/api/activation", client.post("/api/activation", json={"code": "AAAA-BBBB-CCCC"}), 422)
    assert body["field"] == "code"


def test_rate_limit_is_documented_with_retry_after(spec, client):
    for _ in range(40):
        r = client.post("/api/login/options")
        if r.status_code == 429:
            break
    documented(spec, "POST", "/api/login/options", r, 429)
    assert int(r.headers["retry-after"]) >= 0


def test_household_errors(spec, client, app):
    enrol(client, app, "single_tenant")
    # an unknown field deep in the body names its path
    wrong = {"change": {**INCOME["change"], "bogus": 1}}
    body = documented(spec, "POST", "/api/changes/preview", client.post("/api/changes/preview", json=wrong), 400)
    assert body["field"] == "change.bogus" and body["errors"][0]["source"] == "body"
    # a query parameter out of range
    body = documented(spec, "GET", "/api/history", client.get("/api/history", params={"year": 1}), 400)
    assert body["errors"][0]["source"] == "query"
    # a malformed Idempotency-Key, then one used again with another body
    r = client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "no spaces"})
    assert documented(spec, "POST", "/api/changes", r, 400)["field"] == "Idempotency-Key"
    assert client.post("/api/changes", json=INCOME, headers={"Idempotency-Key": "k-1"}).status_code == 201
    other = {"change": {**INCOME["change"], "income": 1_000_000}}
    r = client.post("/api/changes", json=other, headers={"Idempotency-Key": "k-1"})
    assert documented(spec, "POST", "/api/changes", r, 422)["type"] == "/problems/idempotency-key-reused"
    # domain refusals
    r = client.post("/api/applications", json={"toeslag": "zorgtoeslag"})
    assert documented(spec, "POST", "/api/applications", r, 409)["type"] == "/problems/already-applied"
    r = client.post("/api/prompts/999999/dismiss", json={"reason": "klopt"})
    documented(spec, "POST", "/api/prompts/{prompt_id}/dismiss", r, 404)
    r = client.post("/api/prompts/abc/dismiss", json={"reason": "klopt"})
    documented(spec, "POST", "/api/prompts/{prompt_id}/dismiss", r, 404)
    passkey = client.get("/api/passkeys").json()["passkeys"][0]["id"]
    r = client.delete(f"/api/passkeys/{passkey}")
    assert documented(spec, "DELETE", "/api/passkeys/{passkey_id}", r, 409)["type"] == "/problems/last-passkey"


def test_a_busy_database_is_documented(spec, client, app, monkeypatch):
    enrol(client, app, "single_tenant")

    def locked(*_, **__):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(app.state.households, "household", locked)
    r = client.get("/api/household")
    assert documented(spec, "GET", "/api/household", r, 503)["type"] == "/problems/busy"
    assert r.headers["retry-after"] == "2"


def test_feed_errors(spec, client, app):
    with app.state.store.write() as db:
        tok = create_token(db, demo.KOO_ID, "childcare_hours", iso(app.state.settings.now()))
    documented(spec, "POST", "/feeds/rent", client.post("/feeds/rent", json={"reports": []}), 401)
    r = client.post("/feeds/rent", json={"reports": []}, headers={"Authorization": f"Bearer {tok}"})
    documented(spec, "POST", "/feeds/rent", r, 403)
    r = client.post("/feeds/childcare-hours", json={"reports": [{"bogus": 1}]},
                    headers={"Authorization": f"Bearer {tok}"})
    assert documented(spec, "POST", "/feeds/childcare-hours", r, 400)["field"].startswith("reports[0]")


# -- what a client must send: security and request headers ------------------------------------------

NO_CREDENTIAL = {("POST", "/api/activation"), ("POST", "/api/login/options"), ("POST", "/api/login/verify"),
                 ("POST", "/api/logout"), ("GET", "/api/push/key"), ("GET", "/api/ping")}
ANY_SESSION = {("POST", "/api/passkeys/register/options"), ("POST", "/api/passkeys/register/verify")}
FEEDS = {("POST", f"/feeds/{feed}") for feed in ("childcare-hours", "income", "insurance", "rent", "income-final")}
IDEMPOTENT = {("POST", "/api/changes"), ("POST", "/api/applications"), ("POST", "/api/childcare/adopt"),
              ("POST", "/api/childcare/undo"), ("POST", "/api/childcare/correct"),
              ("POST", "/api/childcare/dispute"), ("POST", "/api/prompts/{prompt_id}/dismiss"),
              ("POST", "/api/income/cautious"), ("POST", "/api/push/subscriptions"),
              ("DELETE", "/api/push/subscriptions"), ("PUT", "/api/push/settings"), ("POST", "/api/years/final-income"),
              ("POST", "/api/repayments/arrangement"), *FEEDS, ("POST", "/feeds/income-final")}


def header_params(op: dict) -> dict[str, dict]:
    return {p["name"]: p for p in op.get("parameters", []) if p["in"] == "header"}


def concrete(template: str) -> str:
    """A URL of the operation that passes its parameters' checks."""
    url = template.replace("{prompt_id}", "1").replace("{passkey_id}", "pk_x")
    return url + "?year=2026" if url == "/api/history" else url


@pytest.fixture
def bare(new_client):
    """A client that sends no header of its own (no X-Requested-With)."""
    c = new_client()
    c.headers.pop("X-Requested-With")
    return c


def test_security_says_what_each_route_requires(spec, settings):
    schemes = spec["components"]["securitySchemes"]
    assert set(schemes) == {"sessionCookie", "enrolmentCookie", "feedToken"}
    for name in ("sessionCookie", "enrolmentCookie"):  # one cookie, two kinds of session in it
        assert {k: schemes[name][k] for k in ("type", "in", "name")} == \
            {"type": "apiKey", "in": "cookie", "name": settings.session_cookie_name}
    assert {k: schemes["feedToken"][k] for k in ("type", "scheme")} == {"type": "http", "scheme": "bearer"}
    kinds: dict[str, int] = {}
    for key, op in operations(spec).items():
        assert "security" in op, key  # said for every operation, `[]` included
        if key in NO_CREDENTIAL:
            expected, kind = [], "none"
        elif key in ANY_SESSION:
            expected, kind = [{"sessionCookie": []}, {"enrolmentCookie": []}], "session or enrolment"
        elif key in FEEDS:
            expected, kind = [{"feedToken": []}], "feed token"
        else:
            expected, kind = [{"sessionCookie": []}], "session"
        assert op["security"] == expected, (key, op["security"])
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {"none": 6, "session or enrolment": 2, "feed token": 5, "session": 29}, kinds


def test_headers_are_parameters_where_the_code_reads_them(spec):
    counts = {"X-Requested-With": 0, "Idempotency-Key": 0}
    for (method, path), op in operations(spec).items():
        headers = header_params(op)
        assert set(headers) <= set(counts), (method, path, set(headers))
        for name in headers:
            counts[name] += 1
        # the CSRF guard: every changing /api route, required; never a GET, never a feed
        csrf = path.startswith("/api/") and method not in ("GET", "HEAD")
        assert ("X-Requested-With" in headers) == csrf, (method, path)
        if csrf:
            assert headers["X-Requested-With"]["required"] is True
            assert headers["X-Requested-With"]["schema"]["minLength"] == 1
        # Idempotency-Key: optional, where idempotency.read is called
        assert ("Idempotency-Key" in headers) == ((method, path) in IDEMPOTENT), (method, path)
        if "Idempotency-Key" in headers:
            assert headers["Idempotency-Key"]["required"] is False
    assert counts == {"X-Requested-With": 24, "Idempotency-Key": 18}, counts


def test_the_idempotency_key_format_is_what_the_code_checks(spec):
    param = header_params(operations(spec)[("POST", "/api/changes")])["Idempotency-Key"]
    valid = jsonschema_rs.validator_for(param["schema"]).is_valid  # JSON Schema (ECMA) semantics

    def accepted(value: str) -> bool:
        try:
            idempotency.key_from(types.SimpleNamespace(headers={"Idempotency-Key": value}))
            return True
        except ProblemError:
            return False

    good = ["k", "a" * 128, "A-z_0.9:x", '"quoted-key"', "0b6f2c9e-4d1a-4f7e-9c1b-2a3e5f7a9b0c"]
    bad = ["", "a" * 129, '"' + "a" * 129 + '"', "a b", "a/b", "a,b", "ä", "é-1"]
    for value in good:
        assert valid(value) and accepted(value), value
    for value in bad:
        assert not valid(value) and not accepted(value), value
    # every documented example is accepted too
    assert all(accepted(v) for v in param["schema"]["examples"])


def test_changing_routes_without_the_csrf_header_are_refused(spec, client, app, bare, settings):
    enrol(client, app, "single_parent")
    cookie = {"Cookie": f"{settings.session_cookie_name}={client.cookies.get(settings.session_cookie_name)}"}
    refused = 0
    for (method, path), op in operations(spec).items():
        if "X-Requested-With" not in header_params(op):
            continue
        bare.cookies.clear()
        r = bare.request(method, concrete(path), headers=cookie, json={})
        assert documented(spec, method, path, r, 403)["type"] == "/problems/forbidden", (method, path)
        refused += 1
    assert refused == 24
    # the session was not ended by the refused logout
    assert client.get("/api/overview").status_code == 200


def test_credentials_are_required_where_security_names_them(spec, client, app, bare, settings):
    """No credential: a 401 wherever `security` names one, and never where it is `[]`. An enrolment
    session: a 401 wherever `security` names only the household's session."""
    with app.state.store.write() as db:
        enrolment = app.state.sessions.create(db, household_id(app, "single_parent"), "enrolment", None)
    for (method, path), op in operations(spec).items():
        if not op["security"]:
            bare.cookies.clear()
            r = bare.request(method, concrete(path), json={}, headers={"X-Requested-With": "toeslagen-pwa"})
            assert r.status_code != 401 and r.status_code < 500, (method, path, r.status_code, r.text)
            continue
        headers = {"X-Requested-With": "toeslagen-pwa"} if "X-Requested-With" in header_params(op) else {}
        for cookie in (None, enrolment):
            if cookie and {"enrolmentCookie": []} in op["security"]:
                continue
            bare.cookies.clear()
            r = bare.request(method, concrete(path), json={}, headers={
                **headers, **({"Cookie": f"{settings.session_cookie_name}={cookie}"} if cookie else {})})
            documented(spec, method, path, r, 401)


class SchemaClient:
    """A client that sends only what the schema documents for an operation: its required header
    parameters (the documented example value), the Idempotency-Key when given one, and the credential
    that the operation's `security` names, put where the security scheme says (cookie or bearer). Nothing
    else: no default headers."""

    def __init__(self, spec: dict, http):
        self.spec = spec
        self.http = http
        self.schemes = spec["components"]["securitySchemes"]
        self.succeeded: set[tuple[str, str]] = set()
        self.keys: dict[str, tuple[str, str]] = {}  # Idempotency-Key -> the operation it was sent to

    def __call__(self, method: str, template: str, url: str | None = None, *, body=None,
                 auth: tuple[str, str] | None = None, key: str | None = None, status: int):
        op = operations(self.spec)[(method, template)]
        if auth is None:
            assert op["security"] == [], (method, template, "needs a credential", op["security"])
        else:
            assert {auth[0]: []} in op["security"], (method, template, auth[0], op["security"])
        params = header_params(op)
        headers = {name: p["schema"]["examples"][0] for name, p in params.items() if p["required"]}
        if key is not None:
            assert "Idempotency-Key" in params and re.search(params["Idempotency-Key"]["schema"]["pattern"], key)
            headers["Idempotency-Key"] = key
            self.keys[key.strip('"')] = (method, template)
        if auth is not None:
            scheme = self.schemes[auth[0]]
            if scheme["type"] == "apiKey":
                assert scheme["in"] == "cookie"
                headers["Cookie"] = f"{scheme['name']}={auth[1]}"
            else:
                assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")
                headers["Authorization"] = f"Bearer {auth[1]}"
        self.http.cookies.clear()
        r = self.http.request(method, url or template, headers=headers, **({"json": body} if body is not None else {}))
        assert r.status_code == status, (method, template, r.status_code, r.text)
        assert not conformance_errors(self.spec, None, method, template, status, r.headers.get("content-type", ""), b"")
        self.succeeded.add((method, template))
        return r

    def enrol(self, app, demo_key: str, cookie: str) -> tuple[str, str]:
        """The letter's activation code, then a passkey: the household's session cookie, made with the
        documented requests only."""
        r = self("POST", "/api/activation", body={"code": issue_code(app, demo_key)}, status=200)
        enrolment = ("enrolmentCookie", r.cookies[cookie])
        r = self("POST", "/api/passkeys/register/options", auth=enrolment, status=200)
        r = self("POST", "/api/passkeys/register/verify", auth=enrolment, status=201,
                 body={"credential": SoftAuthenticator().create(r.json()["publicKey"]), "label": "Telefoon"})
        return ("sessionCookie", r.cookies[cookie])


def test_a_client_that_sends_only_what_the_schema_documents_succeeds_everywhere(spec, app, bare, settings, tmp_path):
    call = SchemaClient(spec, bare)
    name = settings.session_cookie_name
    store = app.state.store
    hid = household_id(app, "single_parent")

    # -- identity: activation, a passkey, login; all without a session where `security: []` says so --
    r = call("POST", "/api/activation", body={"code": issue_code(app, "single_parent")}, status=200)
    enrolment = ("enrolmentCookie", r.cookies[name])
    phone = SoftAuthenticator()
    r = call("POST", "/api/passkeys/register/options", auth=enrolment, status=200)
    call("POST", "/api/passkeys/register/verify", auth=enrolment, status=201,
         body={"credential": phone.create(r.json()["publicKey"]), "label": "Telefoon"})
    r = call("POST", "/api/login/options", status=200)
    r = call("POST", "/api/login/verify", body={"credential": phone.get(r.json()["publicKey"])}, status=200)
    session = ("sessionCookie", r.cookies[name])
    # a second passkey with the household's session (the other way the register routes accept), removed again
    r = call("POST", "/api/passkeys/register/options", auth=session, status=200)
    r = call("POST", "/api/passkeys/register/verify", auth=session, status=201,
             body={"credential": SoftAuthenticator().create(r.json()["publicKey"]), "label": "Laptop"})
    call("DELETE", "/api/passkeys/{passkey_id}", f"/api/passkeys/{r.json()['id']}", auth=session, status=204)

    # -- reading ------------------------------------------------------------------------------------
    for path in ("/api/household", "/api/overview", "/api/messages", "/api/passkeys", "/api/childcare",
                 "/api/prompts", "/api/income", "/api/push/settings", "/api/push/subscriptions"):
        call("GET", path, auth=session, status=200)
    call("GET", "/api/history", "/api/history?year=2026", auth=session, status=200)
    call("GET", "/api/years", "/api/years?year=2026", auth=session, status=200)
    call("GET", "/api/push/key", status=200)
    call("GET", "/api/ping", status=200)

    # -- changing, each with an Idempotency-Key where documented; a replay changes nothing ------------
    call("POST", "/api/changes/preview", body=INCOME, auth=session, status=200)
    first = call("POST", "/api/changes", body=INCOME, auth=session, key="change-1", status=201)
    again = call("POST", "/api/changes", body=INCOME, auth=session, key='"change-1"', status=201)
    assert again.headers["idempotent-replayed"] == "true" and again.content == first.content
    noor = store.db().execute("SELECT c.id FROM childcare_contracts c JOIN persons p ON p.id = c.child_id "
                              "WHERE p.given_name = 'Noor'").fetchone()[0]
    adopt = {"contract": noor, "from_month": "2026-10", "mode": "reported"}
    call("POST", "/api/childcare/adopt/preview", body=adopt, auth=session, status=200)
    adopted = call("POST", "/api/childcare/adopt", body=adopt, auth=session, key="adopt-1", status=201).json()
    call("POST", "/api/childcare/undo", body={"event_id": adopted["event_id"]}, auth=session, key="undo-1",
         status=201)
    call("POST", "/api/childcare/correct", auth=session, key="correct-1", status=201,
         body={"contract": noor, "month": "2026-09", "hours": 77, "hourly_rate": 999})
    report = next(c for c in bare.get("/api/childcare", headers={"Cookie": f"{name}={session[1]}"}).json()["contracts"]
                  if c["contract_id"] == noor)["months"][9]["reported"]["id"]
    call("POST", "/api/childcare/dispute", body={"report_id": report, "reason": "Klopt niet"}, auth=session,
         key="dispute-1", status=201)
    with store.write() as db:
        prompt = raise_prompt(db, hid, PromptDraft(kind="openapi", toeslag="", subject="x", fingerprint="f",
                                                   amount=None, title="Test", body="Test", action=None, data={}),
                              iso(settings.now()))
    call("POST", "/api/prompts/{prompt_id}/dismiss", f"/api/prompts/{prompt}/dismiss", body={"reason": "klopt"},
         auth=session, key="dismiss-1", status=200)
    def subscription(endpoint: str) -> dict:
        point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
        return {"endpoint": endpoint, "keys": {"p256dh": base64.urlsafe_b64encode(point).rstrip(b"=").decode(),
                                               "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}

    endpoint = "https://fcm.googleapis.com/fcm/send/openapi-device"
    call("POST", "/api/push/subscriptions", body=subscription(endpoint), auth=session, key="sub-1", status=201)
    # the same device with new keys: updated, the documented 200
    call("POST", "/api/push/subscriptions", body=subscription(endpoint), auth=session, status=200)
    call("PUT", "/api/push/settings", auth=session, key="settings-1", status=200, body={
        "kinds": {"child_age": True, "childcare_contract_end": False, "home_change": True, "partner_change": True,
                  "january_check": True, "payment_day": True, "prompts": False},
        "quiet_hours": {"start": "22:00", "end": "07:00"}})
    call("DELETE", "/api/push/subscriptions", body={"endpoint": endpoint}, auth=session, key="unsub-1", status=200)

    # -- applying (a household that has a toeslag to apply for: a child is born) ----------------------
    tenant = call.enrol(app, "single_tenant", name)
    born = {"change": {"kind": "child", "date": "2026-11-10", "action": "born",
                       "child": {"given_name": "Mila", "birth_date": "2026-11-10"}}}
    call("POST", "/api/changes", body=born, auth=tenant, status=201)
    # De Vries's 2025 is still open (demo): the final income from the tax assessment
    call("POST", "/api/years/final-income/preview", body={"year": 2025, "final_income": 3_400_000}, auth=tenant, status=200)
    call("POST", "/api/years/final-income", body={"year": 2025, "final_income": 3_400_000}, auth=tenant, key="final-1",
         status=201)
    call("POST", "/api/applications", body={"toeslag": "kindgebonden_budget"}, auth=tenant, key="apply-1",
         status=201)
    # more income: huurtoeslag is paid back (a terugvordering), with a betalingsregeling
    call("POST", "/api/changes", auth=tenant, status=201, body={"change": {
        "kind": "income", "date": "2026-11-15", "person": "applicant", "income": 3_300_000}})
    ov = call("GET", "/api/overview", auth=tenant, status=200).json()
    line = next(c for t in ov["toeslagen"] if t["ledger"] for c in t["ledger"]["corrections"]
                if c["kind"] == "terugvordering")
    call("POST", "/api/repayments/arrangement", body={"correction_id": line["id"]}, auth=tenant, key="regeling-1",
         status=201)

    # -- a voorschot lowered by a percentage (in June: in November every voorschot of 2026 is paid) -----
    june = settings.with_(db_path=tmp_path / "june.db", today=dt.date(2026, 6, 10),
                          clock=FakeClock(dt.datetime(2026, 6, 10, 9, 0, tzinfo=dt.UTC)))
    june_app = seeded_app(june)
    with TestClient(june_app, base_url=ORIGIN) as http:
        june_call = SchemaClient(spec, http)
        june_session = june_call.enrol(june_app, "single_tenant", name)
        cautious = {"mode": "percentage", "percentage": 10}
        june_call("POST", "/api/income/cautious/preview", body=cautious, auth=june_session, status=200)
        june_call("POST", "/api/income/cautious", body=cautious, auth=june_session, key="cautious-1", status=201)
        june_keys = {r[0] for r in june_app.state.store.db().execute("SELECT key FROM idempotency_records")}
    call.succeeded |= june_call.succeeded

    # -- logging out needs no session either (it ends the one it is sent with, if any) ----------------
    call("POST", "/api/logout", status=204)

    # -- the partner feeds, with their bearer token -------------------------------------------------
    persons = store.db().execute("SELECT id, role FROM persons WHERE household_id = ?", (hid,)).fetchall()
    child = next(p[0] for p in persons if p[1] == "child")
    applicant = next(p[0] for p in persons if p[1] == "applicant")
    reports = {
        "childcare-hours": ("childcare_hours", demo.KOO_ID, child, {"lrk_number": demo.LRK_DAGOPVANG, "hours": 123,
                                                                    "hourly_rate": 1000}),
        "income": ("income", "employer-openapi", applicant, {"wages": 271_828}),
        "insurance": ("insurance", "insurer-openapi", applicant, {"insured": True}),
        "rent": ("rent", "landlord-openapi", applicant, {"rent": 77_700, "service_costs": 1_000}),
    }
    for feed, (data_type, org, person, fields) in reports.items():
        token = make_feed_token(store, settings, org, data_type)
        ref = link(store, settings, org, person, data_type)
        who = {"child_ref": ref} if data_type == "childcare_hours" else {"person_ref": ref}
        call("POST", f"/feeds/{feed}", body={"reports": [{**who, "month": "2026-10", **fields}]},
             auth=("feedToken", token), key=f"batch-{feed}", status=200)
        if feed == "income":
            call("POST", "/feeds/income-final", body={"reports": [{**who, "year": 2025, "income": 3_100_000,
                                                                   "final": True}]},
                 auth=("feedToken", token), key="batch-income-final", status=200)

    # every operation of the schema was made to succeed with only what the schema documents
    assert call.succeeded == set(operations(spec)), set(operations(spec)) - call.succeeded
    # and every operation that documents the Idempotency-Key stored its response under the key it was sent
    stored = june_keys | {r[0] for r in store.db().execute("SELECT key FROM idempotency_records")}
    honoured = {op for key, op in {**call.keys, **june_call.keys}.items() if key in stored}
    assert honoured == IDEMPOTENT, IDEMPOTENT ^ honoured

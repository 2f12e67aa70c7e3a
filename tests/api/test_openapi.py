"""/schema/openapi.json tells the truth about errors: every operation lists the statuses it can answer
with as RFC 9457 problems (application/problem+json, the `Problem` schema), Litestar's default
ValidationException shape is gone, request Structs that refuse unknown fields are closed objects, and
real error responses validate against what their operation documents. Each operation's `security` is
what the route requires (and `[]` where it requires nothing)."""

from __future__ import annotations

import importlib
import sqlite3

import msgspec
import pytest

from api import demo
from api.feeds.service import create_token
from api.util import iso
from api.web import openapi

from .conftest import enrol, household_id, is_problem
from .problem_schema import PROBLEM, PROBLEM_REF, conformance_errors, documented_statuses, operations, \
    problem_validator

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
        if "Idempotency-Key" in op.get("summary", ""):
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
    assert set(openapi.ROUTES) <= ops, set(openapi.ROUTES) - ops
    # a tuple of causes each (a lone `({...})` would be a dict, read as its keys)
    assert all(isinstance(v, tuple) for v in openapi.ROUTES.values())


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
    body = documented(spec, "POST", "/api/activation", client.post("/api/activation", json={"code": "AAAA-BBBB", "extra": 1}), 400)
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


# -- what a client must send: security -----------------------------------------------------------

NO_CREDENTIAL = {("POST", "/api/activation"), ("POST", "/api/login/options"), ("POST", "/api/login/verify"),
                 ("POST", "/api/logout"), ("GET", "/api/push/key"), ("GET", "/api/ping")}
ANY_SESSION = {("POST", "/api/passkeys/register/options"), ("POST", "/api/passkeys/register/verify")}
FEEDS = {("POST", f"/feeds/{feed}") for feed in ("childcare-hours", "income", "insurance", "rent")}


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
    assert kinds == {"none": 6, "session or enrolment": 2, "feed token": 4, "session": 25}, kinds


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
        headers = {"X-Requested-With": "toeslagen-pwa"} if path.startswith("/api/") else {}
        for cookie in (None, enrolment):
            if cookie and {"enrolmentCookie": []} in op["security"]:
                continue
            bare.cookies.clear()
            r = bare.request(method, concrete(path), json={}, headers={
                **headers, **({"Cookie": f"{settings.session_cookie_name}={cookie}"} if cookie else {})})
            documented(spec, method, path, r, 401)

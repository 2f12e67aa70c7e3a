"""Static files with their caching headers, security headers, OpenAPI, problem+json for 404/405/413."""

from __future__ import annotations

import pytest

from .conftest import is_problem


@pytest.mark.parametrize("path,ctype,cache", [
    ("/", "text/html", "no-cache"),
    ("/index.html", "text/html", "no-cache"),
    ("/sw.js", "text/javascript", "no-cache"),
    ("/manifest.webmanifest", "application/manifest+json", "no-cache"),
    ("/app.3f9a1c2e.js", "text/javascript", "public, max-age=31536000, immutable"),
    ("/vendor/micropython.wasm", "application/wasm", "no-cache"),
    ("/vendor/rules.mpypack", "application/octet-stream", "no-cache"),
    ("/rules/shared_rules/__init__.py", "text/x-python", "no-cache"),
    ("/rules/shared_rules/months.py", "text/x-python", "no-cache"),
])
def test_static_files(client, path, ctype, cache):
    r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    assert r.headers["content-type"].startswith(ctype)
    assert r.headers["cache-control"] == cache
    assert "script-src 'self' 'wasm-unsafe-eval'" in r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"
    h = client.head(path)
    assert h.status_code == 200 and h.headers["cache-control"] == cache and not h.content
    etag = r.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304


def test_rules_are_the_repo_files(client):
    from api.settings import ROOT

    assert client.get("/rules/shared_rules/months.py").content == (ROOT / "shared_rules" / "months.py").read_bytes()


@pytest.mark.parametrize("path", ["/rules/shared_rules/../api/settings.py", "/../pyproject.toml",
                                  "/rules/shared_rules/__pycache__/x.pyc", "/.git/config", "/nope.js",
                                  "/rules/api/app.py"])
def test_static_refuses_outside_files(client, path):
    r = client.get(path)
    assert r.status_code == 404
    assert "[project]" not in r.text and "Settings" not in r.text


def test_spa_fallback_only_for_page_navigations(client):
    assert client.get("/overzicht", headers={"Accept": "text/html"}).status_code == 200
    is_problem(client.get("/overzicht", headers={"Accept": "application/json"}), 404)
    is_problem(client.get("/api/nothing-here", headers={"Accept": "text/html"}), 404)


def test_ip_address_page_load_goes_to_localhost(client):
    r = client.get("/", headers={"Host": "127.0.0.1:8000"}, follow_redirects=False)
    assert r.status_code == 307 and r.headers["location"] == "http://localhost:8000/"
    r = client.get("/overzicht?x=1", headers={"Host": "127.0.0.1:8000", "Accept": "text/html"}, follow_redirects=False)
    assert r.headers["location"] == "http://localhost:8000/overzicht?x=1"
    assert client.get("/sw.js", headers={"Host": "127.0.0.1:8000"}).status_code == 200


def test_api_answers_are_not_cached(client):
    r = client.get("/api/ping")
    assert r.text == "hello world"
    assert r.headers["cache-control"] == "no-store"


def test_problem_json_for_router_errors(client):
    is_problem(client.get("/api/does-not-exist"), 404)
    is_problem(client.put("/api/overview"), 405)
    is_problem(client.post("/api/activation", content=b"x" * 200_000, headers={"Content-Type": "application/json"}), 413)
    # a body that does not say it is JSON is refused before it is read as such (ASVS 13.1.5, 13.2.5)
    for ctype in ("text/plain", "application/x-www-form-urlencoded", None):
        r = client.post("/api/activation", content=b"code=x", headers={"Content-Type": ctype} if ctype else {})
        assert is_problem(r, 415)["type"] == "/problems/unsupported-media-type", ctype
    r = client.post("/api/activation", content=b'{"code": "x"}', headers={"Content-Type": "application/json; charset=utf-8"})
    assert is_problem(r, 400)["field"] == "code"  # read as JSON: the code is too short
    # a body that is not JSON is a malformed-body problem, whatever the decoder's message
    for raw in (b'{"code": ', b"{bad", b"[1, 2", b'"x'):
        r = client.post("/api/activation", content=raw, headers={"Content-Type": "application/json"})
        assert is_problem(r, 400)["type"] == "/problems/malformed-body", (raw, r.text)


def test_openapi(client):
    r = client.get("/schema/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    paths = spec["paths"]
    for p in ("/api/activation", "/api/passkeys/register/options", "/api/passkeys/register/verify",
              "/api/login/options", "/api/login/verify", "/api/logout", "/api/passkeys", "/api/passkeys/{passkey_id}",
              "/api/household", "/api/overview", "/api/history", "/api/messages", "/api/changes/preview",
              "/api/changes", "/api/applications", "/feeds/childcare-hours", "/feeds/income", "/feeds/insurance",
              "/feeds/rent"):
        assert p in paths, p
    assert "ChangeRequest" in r.text and "Overview" in r.text


def test_text_and_wasm_go_out_gzipped_when_accepted(client):

    raw = client.get("/sw.js", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in raw.headers
    zipped = client.get("/sw.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.headers["vary"] == "Accept-Encoding"
    assert zipped.content == raw.content               # httpx decodes; the bytes are the same file
    assert zipped.headers["etag"] != raw.headers["etag"]
    wasm = client.get("/vendor/micropython.wasm", headers={"Accept-Encoding": "gzip"})
    assert wasm.headers["content-encoding"] == "gzip"
    bundle = client.get("/vendor/rules.mpypack", headers={"Accept-Encoding": "gzip"})
    assert bundle.headers["content-encoding"] == "gzip"
    png = client.get("/icons/none.png", headers={"Accept-Encoding": "gzip"})
    assert png.status_code == 404


# -- a body field named like a dependency -----------------------------------------------------------

def test_a_body_field_named_like_a_service_is_a_400_not_a_500(app):
    """Litestar reports a bad top-level body field by its bare name and takes a name that is also a
    dependency's for a failed dependency (a 500). With the services once injected by their own names
    (`income`, `years`, `settings`, ...), a body `{"income": "x"}` to a route whose body has an
    `income` field was a 500; the dependencies are named `di_<service>` now."""
    import msgspec
    from litestar import post
    from litestar.params import JSONBody
    from litestar.testing import TestClient

    names = sorted(app.state.dict())
    assert {"income", "years", "settings", "changes", "childcare"} <= set(names)
    body = msgspec.defstruct("Body", [(n, int, 0) for n in [*names, "session", "household_session"]])

    @post("/test/echo", status_code=200, sync_to_thread=False, signature_namespace={"Body": body})
    def echo(data: JSONBody[Body]) -> dict:  # noqa: F821 (Body: the struct above, by signature_namespace)
        return {"ok": True}

    app.register(echo)
    with TestClient(app) as c:
        for name in [*names, "session", "household_session"]:
            r = c.post("/test/echo", json={name: "not a number"})
            assert r.status_code == 400, (name, r.status_code, r.text)
            assert r.json()["field"] == name
        assert c.post("/test/echo", json={"income": 1}).status_code == 200


def test_no_body_field_is_named_like_a_dependency(app):
    """Every dependency is `di_<name>` (api/app.py, web/route.py), and no request body of any route has a
    top-level field that starts so: the 500 above cannot happen on a real route."""
    checked = 0
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            deps = set(handler.resolve_dependencies())
            assert deps and all(d.startswith("di_") for d in deps), deps
            data = handler.parsed_fn_signature.parameters.get("data")
            if data is not None:
                fields = set(getattr(data.annotation, "__struct_fields__", ()))
                assert fields and not any(f.startswith("di_") for f in fields), (route.path, fields)
                checked += 1
    assert checked >= 20

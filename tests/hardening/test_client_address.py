"""Issue #18 against a real server process (tests/hardening/serve.py), with real source addresses:

- the activation lock-out: many addresses sending wrong codes used to fill a cap shared by everyone, after
  which a parent with a real letter got 429. Now the per-address limit stays, and a right code from a
  fresh address always works; wrong codes above the alarm level are logged once and slowed down;
- behind a trusted reverse proxy, X-Forwarded-For names the client (rate limits per real client) and
  X-Forwarded-Proto: https brings HSTS; from anyone else those headers change nothing;
- a client that goes away mid-body is logged low as 499, never as a server error (500).

On Linux every 127.0.0.0/8 address is the loopback, so a test can speak from 127.0.0.2, 127.0.0.3, …"""

from __future__ import annotations

import http.client
import json
import socket
import time

import pytest

from api.auth.service import AuthService
from api.auth.sessions import Sessions
from api.store import Store

from .common import CSRF, ServerProcess, household_id, make_feed_token, make_settings, seed_db


def _post(port: int, path: str, body: dict, *, source: str = "127.0.0.1", headers: dict | None = None,
          peer: str = "127.0.0.1") -> tuple[int, dict, dict]:
    conn = http.client.HTTPConnection(peer, port, timeout=30, source_address=(source, 0))
    try:
        conn.request("POST", path, body=json.dumps(body).encode(),
                     headers={"Host": f"localhost:{port}", "Content-Type": "application/json", **CSRF,
                              **(headers or {})})
        r = conn.getresponse()
        data = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, (json.loads(data) if data else {})
    finally:
        conn.close()


def _get(port: int, path: str, headers: dict | None = None) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": f"localhost:{port}", **(headers or {})})
        r = conn.getresponse()
        r.read()
        return {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()


def _code(db, demo_key: str) -> str:
    settings = make_settings(db)
    store = Store(db)
    try:
        with store.write() as w:
            return AuthService(store, settings, Sessions(store, settings)).issue_code(w, household_id(store, demo_key))
    finally:
        store.close()


def _wrong(i: int) -> dict:
    return {"code": f"ZZZZ-ZZZZ-{i // 1000 % 1000:04d}-{i % 1000:04d}"}


def test_many_addresses_sending_wrong_codes_cannot_lock_out_a_right_code(tmp_path, fresh_db):
    db = fresh_db("lockout.db")
    letter = _code(db, "single_parent")
    per_address, addresses = 2, 100
    # before issue #18 the shared cap was per_address * 100 wrong or right codes per window, for everyone
    log_path = tmp_path / "server.log"
    server = ServerProcess(db, log_path=log_path, extra=[
        "--activation-rate", str(per_address), "--rate-window", "3600", "--activation-alarm", "150",
        "--activation-slowdown", "0.01", "--debug-log"])
    server.start()
    try:
        n = 0
        sources = [f"127.0.{2 + a // 250}.{2 + a % 250}" for a in range(addresses)]
        for source in sources:
            for _ in range(per_address):
                status, _, body = _post(server.port, "/api/activation", _wrong(n), source=source)
                n += 1
                assert status == 422 and body["field"] == "code", (source, status, body)
        # the per-address limit still holds: the attacking addresses are refused now ...
        status, headers, _ = _post(server.port, "/api/activation", _wrong(n), source=sources[0])
        assert status == 429 and int(headers["retry-after"]) > 0
        status, _, _ = _post(server.port, "/api/activation", {"code": letter}, source=sources[-1])
        assert status == 429, "a right code from a guessing address waits like a wrong one"
        # ... but the parent with the real letter, from an address of its own, gets in
        status, headers, body = _post(server.port, "/api/activation", {"code": letter}, source="127.0.9.9")
        assert status == 200, (status, body)
        assert body["next"] == "register_passkey" and "set-cookie" in headers
    finally:
        server.stop()
    log = log_path.read_text(encoding="utf-8", errors="replace")
    guessing = [line for line in log.splitlines() if "event=activation.guessing" in line]
    assert len(guessing) == 1 and "WARNING" in guessing[0], guessing  # once per window
    assert letter not in log and letter.replace("-", "") not in log


def test_trusted_proxy_names_the_client_and_the_scheme(fresh_db):
    db = fresh_db("proxy.db")
    letter = _code(db, "single_tenant")
    server = ServerProcess(db, extra=["--activation-rate", "2", "--rate-window", "3600",
                                      "--trusted-proxies", "127.0.0.1"])
    server.start()
    try:
        # through the proxy (peer 127.0.0.1): each X-Forwarded-For client has its own limit
        for client in ("198.51.100.7", "198.51.100.7"):
            assert _post(server.port, "/api/activation", _wrong(1), headers={"X-Forwarded-For": client})[0] == 422
        assert _post(server.port, "/api/activation", _wrong(2), headers={"X-Forwarded-For": "198.51.100.7"})[0] == 429
        # a client cannot dodge its limit by writing its own X-Forwarded-For in front: the proxy appends
        spoofed = {"X-Forwarded-For": "203.0.113.99, 198.51.100.7"}
        assert _post(server.port, "/api/activation", _wrong(3), headers=spoofed)[0] == 429
        status, _, body = _post(server.port, "/api/activation", {"code": letter},
                                headers={"X-Forwarded-For": "198.51.100.8"})
        assert status == 200, body
        # an address that is not the proxy: its forwarding headers are ignored (it is limited as itself)
        untrusted = {"X-Forwarded-For": "192.0.2.1", "X-Forwarded-Proto": "https"}
        for i in range(2):
            assert _post(server.port, "/api/activation", _wrong(10 + i), source="127.0.0.5", headers=untrusted)[0] == 422
        untrusted["X-Forwarded-For"] = "192.0.2.2"
        assert _post(server.port, "/api/activation", _wrong(12), source="127.0.0.5", headers=untrusted)[0] == 429
        # HSTS when the trusted proxy says the client came over https; not otherwise
        assert "strict-transport-security" in _get(server.port, "/api/ping", {"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" in _get(server.port, "/", {"X-Forwarded-Proto": "https"})
        assert "strict-transport-security" not in _get(server.port, "/api/ping", {"X-Forwarded-Proto": "http"})
        plain = _get(server.port, "/api/ping")
        assert "strict-transport-security" not in plain
        assert "server" not in plain  # no version information of the server (ASVS 14.3.3)
    finally:
        server.stop()


@pytest.mark.parametrize("path", ["/api/changes/preview", "/feeds/income"])
def test_a_client_that_goes_away_mid_body_is_no_server_error(tmp_path, path):
    # SQLite only: a body cut off is the HTTP layer's (uvicorn, the body check) before any handler reads
    # the store; the rate limits of the two tests above are the store's and run on both
    db = seed_db(tmp_path / "gone.db")
    auth = ""
    if path.startswith("/feeds/"):  # a feed checks its bearer token before it reads the body
        store = Store(db)
        try:
            auth = f"Authorization: Bearer {make_feed_token(store, make_settings(db), 'werkgever-gone', 'income')}\r\n"
        finally:
            store.close()
    log_path = tmp_path / "server.log"
    server = ServerProcess(db, log_path=log_path, extra=["--debug-log"])
    server.start()
    try:
        for _ in range(3):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as s:
                s.sendall((f"POST {path} HTTP/1.1\r\nHost: localhost:{server.port}\r\n"
                           f"X-Requested-With: fetch\r\nContent-Type: application/json\r\n{auth}"
                           "Content-Length: 100\r\n\r\n{\"ch").encode())
                time.sleep(0.05)
            # the server is fine afterwards
        assert "content-security-policy" in _get(server.port, "/api/ping")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and log_path.read_text(errors="replace").count("(499)") < 3:
            time.sleep(0.1)
    finally:
        server.stop()
    log = log_path.read_text(encoding="utf-8", errors="replace")
    gone = [line for line in log.splitlines() if "client closed the request (499)" in line]
    assert len(gone) == 3 and all(" INFO " in line and path in line for line in gone), log[-3000:]
    assert " ERROR " not in log and "server error" not in log and "Traceback" not in log, log[-3000:]
    assert not [line for line in log.splitlines() if '" 500' in line or " 500 " in line], log[-3000:]

"""Web Push (issue #7): VAPID keys, subscriptions, settings, the reminder windows and the reminder job.

The job sends REAL Web Push messages (pywebpush, VAPID, aes128gcm) to a local push service: a tiny
HTTP server on 127.0.0.1 that verifies the VAPID JWT with the application server's public key and
decrypts the body with the subscription's private key and auth secret (RFC 8291, implemented here
with `cryptography`, independently of the library that encrypted it)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from api import cli, rules
from api.app import create_app
from api.jobs import registry
from api.prompts.service import PromptDraft, raise_prompt
from api.push import windows as w
from api.push.sender import Outcome, payload
from api.push.service import endpoint_problem
from api.push.vapid import validate_subject
from api.reminders import delivery, due
from api.settings import AMSTERDAM, Settings
from api.store import households as households_store
from api.store import push as push_store
from api.util import new_id

from .conftest import enrol, household_id, is_problem

D = dt.date
SUBJECT = "mailto:toeslagen-test@example.nl"


@pytest.fixture
def settings(settings):
    # the local test push service lives on 127.0.0.1
    return settings.with_(push_allow_local_endpoints=True, vapid_subject=SUBJECT)


# -- a local push service --------------------------------------------------------------------------

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class PushService:
    """Receives Web Push POSTs; answers 201, or the status set for a path (404/410: gone)."""

    def __init__(self):
        self.received: list[dict] = []
        self.status: dict[str, int] = {}
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                service.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                                         "body": body})
                self.send_response(service.status.get(self.path, 201))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def for_path(self, path: str) -> list[dict]:
        return [r for r in self.received if r["path"] == path]


@pytest.fixture
def push_service():
    svc = PushService()
    yield svc
    svc.close()


class Device:
    """A browser's push subscription: its own P-256 key pair and 16-byte auth secret."""

    def __init__(self, service: PushService, name: str):
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        self.path = f"/push/{name}"
        self.endpoint = service.origin + self.path
        pub = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                 serialization.PublicFormat.UncompressedPoint)
        self.json = {"endpoint": self.endpoint, "expirationTime": None,
                     "keys": {"p256dh": b64url(pub), "auth": b64url(self.auth)}}

    def decrypt(self, body: bytes) -> bytes:
        """RFC 8291 + RFC 8188 (aes128gcm), one record."""
        salt, rs, idlen = body[:16], int.from_bytes(body[16:20], "big"), body[20]
        as_public = body[21:21 + idlen]
        ciphertext = body[21 + idlen:]
        assert idlen == 65 and as_public[0] == 4 and len(ciphertext) <= rs
        ua_public = self.key.public_key().public_bytes(serialization.Encoding.X962,
                                                       serialization.PublicFormat.UncompressedPoint)
        shared = self.key.exchange(ec.ECDH(), ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), as_public))
        # IKM = HKDF(salt=auth_secret, IKM=ecdh_secret, info="WebPush: info" 0x00 ua_public as_public, L=32)
        prk_key = hmac.new(self.auth, shared, hashlib.sha256).digest()
        ikm = hmac.new(prk_key, b"WebPush: info\x00" + ua_public + as_public + b"\x01", hashlib.sha256).digest()
        prk = hmac.new(salt, ikm, hashlib.sha256).digest()
        cek = hmac.new(prk, b"Content-Encoding: aes128gcm\x00\x01", hashlib.sha256).digest()[:16]
        nonce = hmac.new(prk, b"Content-Encoding: nonce\x00\x01", hashlib.sha256).digest()[:12]
        plain = AESGCM(cek).decrypt(nonce, ciphertext, None)
        plain = plain.rstrip(b"\x00")
        assert plain.endswith(b"\x02"), "the last record ends with the 0x02 delimiter"
        return plain[:-1]


def verify_vapid(headers: dict, public_key: str, origin: str) -> dict:
    """RFC 8292: Authorization: vapid t=<JWT ES256>, k=<public key>. Returns the JWT claims."""
    scheme, _, params = headers["authorization"].partition(" ")
    assert scheme == "vapid"
    parts = dict(p.strip().split("=", 1) for p in params.split(","))
    assert parts["k"] == public_key
    head, claims, sig = parts["t"].split(".")
    assert json.loads(unb64url(head)) == {"typ": "JWT", "alg": "ES256"}
    raw = unb64url(sig)
    assert len(raw) == 64
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
               f"{head}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))
    c = json.loads(unb64url(claims))
    assert c["aud"] == origin
    assert time.time() < c["exp"] <= time.time() + 24 * 3600
    assert c["sub"] == SUBJECT
    return c


def open_message(app, device: Device, msg: dict, origin: str) -> dict:
    assert msg["headers"]["content-encoding"] == "aes128gcm"
    assert int(msg["headers"]["ttl"]) > 0
    verify_vapid(msg["headers"], app.state.push.public_key().public_key, origin)
    data = json.loads(device.decrypt(msg["body"]))
    assert set(data) == {"title", "body", "url", "tag"}
    return data


# -- helpers ---------------------------------------------------------------------------------------

def subscribe(client, device: Device, **headers):
    return client.post("/api/push/subscriptions", json=device.json, headers=headers)


def run_job(app, today: D, **kw) -> dict:
    return delivery.run(app.state.store, app.state.settings.with_(today=today), **kw)


def reminder_rows(app, hid: str) -> list[dict]:
    return push_store.reminders(app.state.store.db(), hid)


def due_on(app, hid: str, day: D) -> list[dict]:
    """The household's reminders when the job first finds them on `day`: none the day before."""
    run_job(app, day - dt.timedelta(days=1))
    assert reminder_rows(app, hid) == []
    run_job(app, day)
    return reminder_rows(app, hid)


def changed(client, app, demo_key: str, change: dict) -> str:
    """The demo household logs in and passes `change` on (POST /api/changes); its id."""
    enrol(client, app, demo_key)
    r = client.post("/api/changes", json={"change": change})
    assert r.status_code == 201, r.text
    return household_id(app, demo_key)


def make_household(app, label: str, *, children=(), applied=("zorgtoeslag", "kindgebonden_budget"), contracts=(),
                   income=2_500_000) -> tuple[str, dict]:
    """A household with an applicant and children [(name, birth_date[, member_until])], straight in the store."""
    store = app.state.store
    now = "2025-12-01T09:00:00+00:00"
    hid = new_id("hh")
    ids: dict[str, str] = {}
    with store.write() as db:
        households_store.create(db, id=hid, label=label, now=now)
        pid = new_id("prs")
        households_store.add_person(db, {"id": pid, "household_id": hid, "role": "applicant", "given_name": "Ouder",
                                         "birth_date": "1985-05-05", "member_from": "2010-01-01", "created_at": now})
        households_store.add_estimate(db, hid, pid, 2026, income, 0, "agency", now)
        for child in children:
            name, birth = child[0], child[1]
            cid = new_id("prs")
            ids[name] = cid
            households_store.add_person(db, {
                "id": cid, "household_id": hid, "role": "child", "given_name": name, "birth_date": birth,
                "member_from": birth, "member_until": child[2] if len(child) > 2 else None, "created_at": now})
        for name, kind, end in contracts:
            ctr = new_id("ctr")
            ids[f"contract:{name}"] = ctr
            households_store.add_contract(db, {
                "id": ctr, "household_id": hid, "child_id": ids[name], "organisation_id": "kinderopvang-zonnebloem",
                "location_name": "Zonnebloem", "lrk_number": "184503962110", "kind": kind,
                "start_date": "2025-01-01", "end_date": end, "created_at": now})
            households_store.add_terms(db, ctr, "2025-01-01", 100, 1000, now)
        for t in applied:
            households_store.add_application(db, hid, t, 2026, 1, now)
    return hid, ids


def due_keys(app, hids: list[str]) -> set[tuple[str, str, str]]:
    out = set()
    for hid in hids:
        for r in reminder_rows(app, hid):
            out.add((hid, r["kind"], r["occasion"]))
    return out


# -- VAPID -----------------------------------------------------------------------------------------

def test_key_is_made_once_and_kept_with_the_database(app, client, settings):
    r = client.get("/api/push/key")
    assert r.status_code == 200, r.text
    key = r.json()["public_key"]
    raw = unb64url(key)
    assert len(raw) == 65 and raw[0] == 4 and "=" not in key
    ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    assert client.get("/api/push/key").json()["public_key"] == key
    # another process (a second API node, the CLI job) on the same database uses the same key
    other = create_app(settings)
    assert other.state.push.public_key().public_key == key
    row = push_store.vapid(app.state.store.db())
    assert row["public_key"] == key and "PRIVATE KEY" in row["private_key"]
    other.state.store.close()


@pytest.mark.parametrize("subject", ["mailto:toeslagen-demo@example.nl", "mailto:push@toeslagen.nl",
                                     "https://toeslagen.example.nl", "https://www.toeslagen.nl/contact"])
def test_vapid_subject_accepts_real_contacts(subject):
    assert validate_subject(subject) == subject


@pytest.mark.parametrize("subject", [
    "", "toeslagen@example.nl", "http://toeslagen.nl", "mailto:push@localhost", "mailto:push@127.0.0.1",
    "https://localhost", "https://localhost:8000", "https://127.0.0.1", "https://[::1]", "mailto:a@b.invalid",
    "mailto:a@toeslagen.test", "https://app.localhost", "mailto:@example.nl", "mailto:a@nodots",
    "https://user:pw@toeslagen.nl", "ftp://toeslagen.nl"])
def test_vapid_subject_refuses_anything_else(subject, settings):
    with pytest.raises(ValueError):
        validate_subject(subject)
    with pytest.raises(ValueError):
        Settings.from_env({"TOESLAGEN_VAPID_SUBJECT": subject} if subject else {"TOESLAGEN_VAPID_SUBJECT": " "})
    with pytest.raises(ValueError):
        create_app(settings.with_(vapid_subject=subject))


def test_default_subject_and_env():
    assert validate_subject(Settings().vapid_subject) == "mailto:toeslagen-demo@example.nl"
    assert Settings.from_env({"TOESLAGEN_VAPID_SUBJECT": "mailto:ops@toeslagen.nl"}).vapid_subject == \
        "mailto:ops@toeslagen.nl"


# -- subscriptions ---------------------------------------------------------------------------------

def test_subscribe_list_update_and_unsubscribe(app, client, push_service):
    enrol(client, app, "single_tenant")
    phone, laptop = Device(push_service, "phone"), Device(push_service, "laptop")
    r = subscribe(client, phone)
    assert r.status_code == 201, r.text
    assert r.json()["endpoint_host"] == "127.0.0.1" and r.json()["id"].startswith("sub_")
    assert subscribe(client, laptop).status_code == 201
    # the same device again (new keys after a browser reset): updated, not doubled
    phone2 = Device(push_service, "phone")
    r = subscribe(client, phone2)
    assert r.status_code == 200
    subs = push_store.subscriptions(app.state.store.db(), household_id(app, "single_tenant"))
    assert len(subs) == 2
    assert next(x for x in subs if x["endpoint"] == phone.endpoint)["p256dh"] == phone2.json["keys"]["p256dh"]
    listed = client.get("/api/push/subscriptions").json()["subscriptions"]
    assert len(listed) == 2 and all("endpoint" not in s for s in listed)
    assert client.get("/api/push/settings").json()["subscriptions"] == 2

    r = client.request("DELETE", "/api/push/subscriptions", json={"endpoint": phone.endpoint})
    assert r.status_code == 200, r.text
    assert r.json() == {"removed": True, "subscriptions": 1}
    is_problem(client.request("DELETE", "/api/push/subscriptions", json={"endpoint": phone.endpoint}), 404)
    is_problem(client.request("DELETE", "/api/push/subscriptions", json={"endpoint": phone.endpoint, "x": 1}), 400)


def test_subscribe_is_idempotent_with_a_key(app, client, push_service):
    enrol(client, app, "single_tenant")
    phone = Device(push_service, "phone")
    first = subscribe(client, phone, **{"Idempotency-Key": "sub-1"})
    again = subscribe(client, phone, **{"Idempotency-Key": "sub-1"})
    assert first.status_code == again.status_code == 201
    assert again.headers.get("Idempotent-Replayed") == "true" and again.content == first.content
    other = Device(push_service, "other")
    is_problem(subscribe(client, other, **{"Idempotency-Key": "sub-1"}), 422)


def _point_off_curve() -> str:
    return b64url(b"\x04" + b"\x01" * 64)


@pytest.mark.parametrize("change, status, field", [
    (lambda j: j.update(endpoint="ftp://127.0.0.1/x"), 422, "endpoint"),
    (lambda j: j.update(endpoint="http://push.example.com/x"), 422, "endpoint"),
    (lambda j: j.update(endpoint="https://evil.internal/wpush"), 422, "endpoint"),
    (lambda j: j.update(endpoint="https://10.0.0.1/wpush"), 422, "endpoint"),
    (lambda j: j.update(endpoint="https://user:pw@fcm.googleapis.com/fcm/send/x"), 422, "endpoint"),
    (lambda j: j.update(endpoint="https://fcm.googleapis.com.evil.nl/x"), 422, "endpoint"),
    (lambda j: j.update(endpoint="https://" + "a" * 2100 + ".nl/"), 400, "endpoint"),
    (lambda j: j["keys"].update(p256dh=b64url(b"\x04" + b"\x00" * 10)), 422, "keys.p256dh"),
    (lambda j: j["keys"].update(p256dh=_point_off_curve()), 422, "keys.p256dh"),
    (lambda j: j["keys"].update(p256dh="not base64!"), 400, "keys.p256dh"),
    (lambda j: j["keys"].update(auth=b64url(os.urandom(15))), 422, "keys.auth"),
    (lambda j: j["keys"].update(auth=1234), 400, "keys.auth"),
    (lambda j: j["keys"].pop("auth"), 400, "keys.auth"),
    (lambda j: j.pop("keys"), 400, "keys"),
    (lambda j: j.update(household_id="hh_other"), 400, "household_id"),
    (lambda j: j.update(expirationTime="soon"), 400, "expirationTime"),
])
def test_subscription_validation_changes_nothing(app, client, push_service, change, status, field):
    enrol(client, app, "single_tenant")
    body = Device(push_service, "phone").json
    change(body)
    body_problem = is_problem(client.post("/api/push/subscriptions", json=body), status)
    assert body_problem.get("field") == field
    assert push_store.subscriptions(app.state.store.db(), household_id(app, "single_tenant")) == []


def test_a_known_push_service_is_accepted_and_local_endpoints_only_in_tests(app, client):
    enrol(client, app, "single_tenant")
    key = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    for endpoint in ("https://fcm.googleapis.com/fcm/send/abc:def", "https://web.push.apple.com/QGx1",
                     "https://updates.push.services.mozilla.com/wpush/v2/gAAA",
                     "https://wns2-par02p.notify.windows.com/w/?token=BQYAAA"):
        r = client.post("/api/push/subscriptions", json={"endpoint": endpoint, "keys": {
            "p256dh": b64url(key), "auth": b64url(os.urandom(16))}})
        assert r.status_code == 201, (endpoint, r.text)
    production = Settings()
    assert endpoint_problem("http://127.0.0.1:9999/push", production)
    assert endpoint_problem("https://localhost/push", production)
    assert endpoint_problem("https://fcm.googleapis.com/fcm/send/x", production) is None


def test_push_routes_need_a_session_and_the_csrf_header(app, client, new_client, push_service):
    anon = new_client()
    is_problem(anon.get("/api/push/settings"), 401)
    is_problem(anon.get("/api/push/subscriptions"), 401)
    is_problem(anon.post("/api/push/subscriptions", json=Device(push_service, "x").json), 401)
    assert anon.get("/api/push/key").status_code == 200  # the public key is public
    enrol(client, app, "single_tenant")
    del client.headers["X-Requested-With"]
    is_problem(subscribe(client, Device(push_service, "y")), 403)
    is_problem(client.put("/api/push/settings", json={}), 403)


def test_subscriptions_are_per_household(app, client, new_client, push_service):
    enrol(client, app, "single_tenant")
    mine = Device(push_service, "mine")
    assert subscribe(client, mine).status_code == 201
    other = new_client()
    enrol(other, app, "single_parent")
    assert other.get("/api/push/subscriptions").json()["subscriptions"] == []
    is_problem(other.request("DELETE", "/api/push/subscriptions", json={"endpoint": mine.endpoint}), 404)
    assert len(client.get("/api/push/subscriptions").json()["subscriptions"]) == 1


# -- settings --------------------------------------------------------------------------------------

KINDS_ALL = {"child_age": True, "childcare_contract_end": True, "home_change": True, "partner_change": True,
             "january_check": True, "payment_day": False, "prompts": True}


def test_settings_defaults_and_replace(app, client, new_client):
    enrol(client, app, "single_tenant")
    got = client.get("/api/push/settings").json()
    assert got == {"kinds": KINDS_ALL, "quiet_hours": {"start": "21:00", "end": "08:00"},
                   "timezone": "Europe/Amsterdam", "subscriptions": 0}
    new = {"kinds": {**KINDS_ALL, "payment_day": True, "child_age": False}, "quiet_hours": {"start": "22:30", "end": "07:00"}}
    r = client.put("/api/push/settings", json=new, headers={"Idempotency-Key": "set-1"})
    assert r.status_code == 200, r.text
    assert r.json()["kinds"] == new["kinds"] and r.json()["quiet_hours"] == new["quiet_hours"]
    assert client.get("/api/push/settings").json()["kinds"]["payment_day"] is True
    r = client.put("/api/push/settings", json={**new, "quiet_hours": None})
    assert r.json()["quiet_hours"] is None
    other = new_client()
    enrol(other, app, "single_parent")
    assert other.get("/api/push/settings").json()["kinds"] == KINDS_ALL


@pytest.mark.parametrize("body, status, field", [
    ({"kinds": {k: v for k, v in KINDS_ALL.items() if k != "prompts"}, "quiet_hours": None}, 400, "kinds.prompts"),
    ({"kinds": {**KINDS_ALL, "birthday": True}, "quiet_hours": None}, 400, "kinds.birthday"),
    ({"kinds": {**KINDS_ALL, "prompts": "yes"}, "quiet_hours": None}, 400, "kinds.prompts"),
    ({"kinds": KINDS_ALL}, 400, "quiet_hours"),
    ({"kinds": KINDS_ALL, "quiet_hours": {"start": "24:00", "end": "08:00"}}, 400, "quiet_hours.start"),
    ({"kinds": KINDS_ALL, "quiet_hours": {"start": "7:00", "end": "08:00"}}, 400, "quiet_hours.start"),
    ({"kinds": KINDS_ALL, "quiet_hours": {"start": "08:00", "end": "08:00"}}, 422, "quiet_hours.end"),
])
def test_settings_validation_changes_nothing(app, client, body, status, field):
    enrol(client, app, "single_tenant")
    before = client.get("/api/push/settings").json()
    assert is_problem(client.put("/api/push/settings", json=body), status).get("field") == field
    assert client.get("/api/push/settings").json() == before


# -- the windows (pure) ----------------------------------------------------------------------------

def test_birthdays_and_leap_days():
    assert w.birthday(D(2014, 3, 14), 12) == D(2026, 3, 14)
    assert w.birthday(D(2008, 2, 29), 18) == D(2026, 3, 1)      # common year: 1 March
    assert w.birthday(D(2016, 2, 29), 12) == D(2028, 2, 29)     # leap year: 29 February
    # the same rule as shared_rules.months.age_on
    from shared_rules.months import age_on
    assert age_on((2008, 2, 29), (2026, 2, 28)) == 17 and age_on((2008, 2, 29), (2026, 3, 1)) == 18


def test_child_age_window():
    window, bday, eff = w.child_age(D(2014, 3, 14), 12)
    assert window == w.Window(D(2026, 2, 15), D(2026, 3, 31)) and bday == D(2026, 3, 14) and eff == (2026, 4)
    # born on the 1st: the supplement still starts the month after (Wkb art. 2 lid 3)
    assert w.child_age(D(2014, 3, 1), 12)[2] == (2026, 4)
    # 29 February in a common year: birthday month March
    assert w.child_age(D(2008, 2, 29), 18)[0] == w.Window(D(2026, 2, 15), D(2026, 3, 31))
    # ... and February in a leap year
    assert w.child_age(D(2016, 2, 29), 12)[0] == w.Window(D(2028, 1, 18), D(2028, 2, 29))
    # year boundary: a January birthday is due in December
    window, _, eff = w.child_age(D(2015, 1, 5), 12)
    assert window == w.Window(D(2026, 12, 18), D(2027, 1, 31)) and eff == (2027, 2)
    window, _, eff = w.child_age(D(2008, 12, 31), 18)
    assert window == w.Window(D(2026, 11, 17), D(2026, 12, 31)) and eff == (2027, 1)


def test_contract_end_window():
    # ends on the last day of a month: due 14 days before, the first month without care is the next
    assert w.contract_end(D(2026, 3, 31)) == (w.Window(D(2026, 3, 17), D(2026, 3, 31)), (2026, 4))
    assert w.contract_end(D(2026, 2, 28)) == (w.Window(D(2026, 2, 14), D(2026, 2, 28)), (2026, 3))
    assert w.contract_end(D(2028, 2, 29)) == (w.Window(D(2028, 2, 15), D(2028, 2, 29)), (2028, 3))
    assert w.contract_end(D(2026, 12, 31)) == (w.Window(D(2026, 12, 17), D(2026, 12, 31)), (2027, 1))
    assert w.contract_end(D(2026, 3, 15)) == (w.Window(D(2026, 3, 1), D(2026, 3, 15)), (2026, 4))


def test_other_windows():
    assert w.home_start(D(2026, 12, 1), D(2026, 11, 1)) == (w.Window(D(2026, 11, 17), D(2026, 11, 30)), (2026, 12))
    assert w.home_start(D(2026, 12, 20), D(2026, 11, 1))[1] == (2027, 1)
    assert w.home_start(D(2026, 12, 1), D(2026, 11, 17)) is None      # recorded inside the window
    assert w.partner_change(D(2026, 11, 29), D(2026, 11, 29)) == w.Window(D(2026, 12, 1), D(2026, 12, 31))
    assert w.partner_change(D(2026, 12, 14), D(2026, 12, 1)) == w.Window(D(2027, 1, 1), D(2027, 1, 31))
    assert w.partner_change(D(2026, 10, 1), D(2026, 11, 2)) is None   # reported after the month it would remind
    assert w.january_check(2027) == w.Window(D(2027, 1, 2), D(2027, 1, 31))
    pay = rules.payment_day(2027, 1)
    assert pay.year == 2026 and pay.month == 12
    assert w.payment_day(pay) == w.Window(pay - w.DAY, pay)
    assert w.prompt(D(2026, 11, 29)) == w.Window(D(2026, 11, 29), D(2026, 12, 6))


@pytest.mark.parametrize("local, quiet", [("20:59", False), ("21:00", True), ("23:59", True), ("00:00", True),
                                          ("07:59", True), ("08:00", False), ("12:00", False)])
def test_quiet_hours_span_midnight(local, quiet):
    t = dt.time.fromisoformat(local)
    assert w.in_quiet_hours(t, "21:00", "08:00") is quiet
    assert w.in_quiet_hours(t, "08:00", "21:00") is (not quiet)
    assert w.in_quiet_hours(t, None, None) is False


def test_the_store_prefilter_never_misses_a_child():
    """birth_ranges(today) is a superset of every birth date whose window contains today: every day
    from December 2027 to March 2028 (year boundary, leap February) and births around each birthday."""
    for n in range(0, 130):
        today = D(2027, 12, 1) + dt.timedelta(days=n)
        ranges = w.birth_ranges(today)
        for age in w.AGES:
            centre = D(today.year - age, 1, 1)
            for k in range(-40, 460, 1):
                birth = centre + dt.timedelta(days=k)
                if w.child_age(birth, age)[0].contains(today):
                    assert any(a <= birth <= b for a, b in ranges), (today, birth, age)


# -- the job picks exactly the households whose event falls in the window ----------------------------

def test_children_on_edge_dates(app):
    hh = {
        "feb28_18": make_household(app, "A", children=[("Anna", "2008-02-28")])[0],
        "feb29_18": make_household(app, "B", children=[("Bram", "2008-02-29")])[0],
        "mar01_12": make_household(app, "C", children=[("Cas", "2014-03-01")])[0],
        "mar31_12": make_household(app, "D", children=[("Dewi", "2014-03-31")])[0],
        "apr01_12": make_household(app, "E", children=[("Eva", "2014-04-01")])[0],
        "jan31_16": make_household(app, "F", children=[("Finn", "2010-01-31")])[0],
        "feb01_16": make_household(app, "G", children=[("Gijs", "2010-02-01")])[0],
        "mar14_13": make_household(app, "H", children=[("Hugo", "2013-03-14")])[0],       # turns 13: nothing
        "moved_out": make_household(app, "I", children=[("Iris", "2008-02-20", "2026-01-01")])[0],
        "no_kgb_12": make_household(app, "J", children=[("Jip", "2014-02-10")], applied=("zorgtoeslag",))[0],
    }
    ids = list(hh.values())
    run_job(app, D(2026, 2, 14))
    got = {k for k, hid in hh.items() if reminder_rows(app, hid)}
    assert got == {"feb28_18", "feb01_16"}
    run_job(app, D(2026, 2, 15))
    got = {k for k, hid in hh.items() if reminder_rows(app, hid)}
    assert got == {"feb28_18", "feb01_16", "feb29_18", "mar01_12", "mar31_12"}
    assert due_keys(app, [hh["feb29_18"]]) == {(hh["feb29_18"], "child_age", "18")}
    # a second run on the same day and on later days never sends again
    assert run_job(app, D(2026, 2, 15))["due"] == 0
    run_job(app, D(2026, 3, 18))
    got = {k for k, hid in hh.items() if reminder_rows(app, hid)}
    assert got == {"feb28_18", "feb01_16", "feb29_18", "mar01_12", "mar31_12", "apr01_12"}
    assert all(len(reminder_rows(app, hid)) == 1 for hid in ids if reminder_rows(app, hid))


def test_leap_day_child_in_a_leap_year(app, settings):
    hid = make_household(app, "Schrikkel", children=[("Lotte", "2016-02-29")])[0]
    rows = due_on(app, hid, D(2028, 1, 18))
    assert [(r["kind"], r["occasion"], r["due_on"], r["until_on"]) for r in rows] == \
        [("child_age", "12", "2028-01-18", "2028-02-29")]
    assert "Lotte wordt op 29 februari 12 jaar" in rows[0]["body"]


def test_year_boundary_birthdays(app):
    jan = make_household(app, "Januari", children=[("Jan", "2015-01-05")])[0]
    nye = make_household(app, "Oudjaar", children=[("Olga", "2009-01-01")])[0]
    run_job(app, D(2026, 12, 17))
    assert not reminder_rows(app, jan) and not reminder_rows(app, nye)
    run_job(app, D(2026, 12, 18))
    (r12,) = reminder_rows(app, jan)
    (r18,) = reminder_rows(app, nye)
    assert r12["occasion"] == "12" and "5 januari 2027" in r12["body"] and "Vanaf februari 2027" in r12["body"]
    # only provisional 2027 figures (kindgebonden budget) or none yet: no amount, no guess
    assert "€" not in r12["body"] and r12["data"]["effect"] == {}
    assert r18["title"] == "Olga wordt 18" and "1 januari 2027" in r18["body"] and "zorgtoeslag" in r18["body"]


def test_turning_12_shows_the_rules_effect(app):
    hid = make_household(app, "Twaalf", children=[("Mila", "2014-06-10")])[0]
    run_job(app, D(2026, 5, 20))
    (r,) = reminder_rows(app, hid)
    effect = r["data"]["effect"]["kindgebonden_budget"]
    assert effect["month"] == "2026-07"
    # the same numbers shared_rules gives for the household's timeline
    db = app.state.store.db()
    from api.household import situation
    state = households_store.load(db, hid)
    pv = rules.preview(situation.rules_input(state, [], [], 2026, D(2026, 5, 20)))
    months = pv["toeslagen"]["kindgebonden_budget"]["before"]["months"]
    assert effect["before"] == months[5] and effect["after"] == months[6]
    diff = months[6] - months[5]
    assert diff > 0 and f"€ {diff // 100} per maand meer" in r["body"]
    assert r["url"] == "/#/toeslag/kindgebonden_budget" and r["title"] == "Mila wordt 12: meer kindgebonden budget"


def test_turning_4_only_with_dagopvang(app):
    with_care, _ = make_household(app, "Opvang", children=[("Sem", "2022-07-10")], contracts=[("Sem", "dagopvang", None)],
                                  applied=("zorgtoeslag", "kinderopvangtoeslag"))
    without, _ = make_household(app, "Geen opvang", children=[("Tess", "2022-07-10")])
    run_job(app, D(2026, 6, 20))
    (r,) = reminder_rows(app, with_care)
    assert r["title"] == "Sem wordt 4" and "bso" in r["body"] and r["url"] == "/#/wijzigen/kinderopvang"
    assert reminder_rows(app, without) == []


def test_contract_ending_on_the_last_day_of_a_month(app):
    hid, ids = make_household(app, "Opvang stopt", children=[("Ruben", "2021-05-05")],
                              contracts=[("Ruben", "dagopvang", "2026-03-31")], applied=("kinderopvangtoeslag",))
    dec, _ = make_household(app, "Opvang stopt december", children=[("Saar", "2021-05-05")],
                            contracts=[("Saar", "bso", "2026-12-31")], applied=("kinderopvangtoeslag",))
    (r,) = due_on(app, hid, D(2026, 3, 17))
    assert (r["kind"], r["subject"], r["occasion"]) == ("childcare_contract_end", ids["contract:Ruben"], "2026-03-31")
    kot = r["data"]["effect"]["kinderopvangtoeslag"]
    assert kot["month"] == "2026-04" and kot["after"] == 0 and kot["before"] > 0
    assert "31 maart" in r["body"] and "Vanaf april" in r["body"] and f"€ {kot['before'] // 100} per maand minder" in r["body"]
    run_job(app, D(2026, 12, 17))
    (r,) = reminder_rows(app, dec)
    assert "Vanaf januari 2027" in r["body"]
    # after the window: nothing for a contract that ended
    late, _ = make_household(app, "Te laat", children=[("Vos", "2021-05-05")],
                             contracts=[("Vos", "dagopvang", "2026-03-31")], applied=("kinderopvangtoeslag",))
    run_job(app, D(2026, 4, 1))
    assert reminder_rows(app, late) == []


# -- delivery: a real encrypted push to a local push service ----------------------------------------

def test_real_encrypted_push_end_to_end(app, client, push_service):
    enrol(client, app, "couple_three_children")
    hid = household_id(app, "couple_three_children")
    phone = Device(push_service, "phone")
    assert subscribe(client, phone).status_code == 201
    # Sophie (2014-10-02) turns 12: due from 17 September 2026
    counts = run_job(app, D(2026, 9, 20))
    assert counts["sent"] == 1 and counts["cards"] == 0
    (msg,) = push_service.received
    assert msg["path"] == phone.path
    assert msg["headers"]["urgency"] == "normal" and int(msg["headers"]["ttl"]) == 3 * 24 * 3600
    assert b"Sophie" not in msg["body"]  # encrypted on the wire
    data = open_message(app, phone, msg, push_service.origin)
    assert data["title"] == "Sophie wordt 12: meer kindgebonden budget"
    # the checks bite: a tampered JWT or another device's keys fail
    jwt = msg["headers"]["authorization"].split("t=")[1].split(",")[0]
    _head, claims, _sig = jwt.split(".")
    forged = b64url(json.dumps({**json.loads(unb64url(claims)), "sub": "mailto:x@evil.nl"}).encode())
    with pytest.raises(InvalidSignature):
        verify_vapid({"authorization": msg["headers"]["authorization"].replace(claims, forged)},
                     app.state.push.public_key().public_key, push_service.origin)
    with pytest.raises(Exception):
        Device(push_service, "stranger").decrypt(msg["body"])
    assert data["body"].startswith("Sophie wordt op 2 oktober 12 jaar. Vanaf november krijg je ongeveer € ")
    assert data["url"] == "/#/toeslag/kindgebonden_budget"
    assert data["tag"].startswith("toeslagen:child_age:")
    # nothing personal beyond what the household sees: no BSN, no income figures
    assert "100000058" not in json.dumps(data) and "37.500" not in data["body"]
    (row,) = reminder_rows(app, hid)
    assert row["status"] == "sent" and row["prompt_id"] is None
    assert push_store.subscriptions(app.state.store.db(), hid)[0]["last_sent_at"]
    assert all(p["kind"] != "life_event" for p in client.get("/api/prompts").json()["prompts"])
    # restart: a second run (new process, same database) never sends it again
    again = delivery.run(app.state.store, app.state.settings.with_(today=D(2026, 9, 21)))
    assert again["sent"] == 0 and len(push_service.received) == 1


def test_gone_subscriptions_are_deleted(app, client, push_service):
    enrol(client, app, "couple_three_children")
    hid = household_id(app, "couple_three_children")
    old, gone, live = Device(push_service, "old"), Device(push_service, "gone"), Device(push_service, "live")
    for d in (old, gone, live):
        assert subscribe(client, d).status_code == 201
    push_service.status[old.path] = 404
    push_service.status[gone.path] = 410
    counts = run_job(app, D(2026, 9, 20))
    assert counts["sent"] == 1 and counts["gone_subscriptions"] == 2
    left = push_store.subscriptions(app.state.store.db(), hid)
    assert [s["endpoint"] for s in left] == [live.endpoint]
    data = open_message(app, live, push_service.for_path(live.path)[0], push_service.origin)
    assert data["title"].startswith("Sophie wordt 12")


def test_all_subscriptions_gone_falls_back_to_a_card(app, client, push_service):
    enrol(client, app, "couple_three_children")
    hid = household_id(app, "couple_three_children")
    d = Device(push_service, "gone")
    subscribe(client, d)
    push_service.status[d.path] = 410
    counts = run_job(app, D(2026, 9, 20))
    assert counts == {**counts, "sent": 0, "cards": 1, "gone_subscriptions": 1}
    assert push_store.subscriptions(app.state.store.db(), hid) == []
    cards = [p for p in client.get("/api/prompts").json()["prompts"] if p["kind"] == "life_event"]
    assert len(cards) == 1 and cards[0]["title"].startswith("Sophie wordt 12")


def test_quiet_hours_postpone_not_drop(app, client, push_service, clock):
    enrol(client, app, "couple_three_children")
    hid = household_id(app, "couple_three_children")
    phone = Device(push_service, "phone")
    subscribe(client, phone)
    clock.current = dt.datetime(2026, 9, 20, 22, 30, tzinfo=AMSTERDAM).astimezone(dt.UTC)
    counts = run_job(app, D(2026, 9, 20))
    assert counts["postponed"] == 1 and counts["sent"] == 0
    assert push_service.received == [] and reminder_rows(app, hid) == []
    clock.current = dt.datetime(2026, 9, 21, 7, 59, tzinfo=AMSTERDAM).astimezone(dt.UTC)
    assert run_job(app, D(2026, 9, 21))["postponed"] == 1
    clock.current = dt.datetime(2026, 9, 21, 8, 0, tzinfo=AMSTERDAM).astimezone(dt.UTC)
    assert run_job(app, D(2026, 9, 21))["sent"] == 1
    assert len(push_service.received) == 1
    # the household's own quiet hours, and none at all
    client.put("/api/push/settings", json={"kinds": KINDS_ALL, "quiet_hours": None})
    assert client.get("/api/push/settings").json()["quiet_hours"] is None


def test_no_push_falls_back_to_a_card_once(app, client):
    enrol(client, app, "couple_three_children")
    counts = run_job(app, D(2026, 9, 20))
    assert counts["cards"] == 1 and counts["sent"] == 0
    cards = [p for p in client.get("/api/prompts").json()["prompts"] if p["kind"] == "life_event"]
    assert len(cards) == 1
    card = cards[0]
    assert card["title"] == "Sophie wordt 12: meer kindgebonden budget"
    assert card["action"] == "#/toeslag/kindgebonden_budget" and card["toeslag"] == "kindgebonden_budget"
    assert card["amount"] > 0 and card["data"]["reminder"] == "child_age"
    run_job(app, D(2026, 9, 21))
    assert len([p for p in client.get("/api/prompts").json()["prompts"] if p["kind"] == "life_event"]) == 1
    # the card leaves the overview when its window has passed
    assert run_job(app, D(2026, 11, 1))["cards_closed"] == 1
    assert [p for p in client.get("/api/prompts").json()["prompts"] if p["kind"] == "life_event"] == []


def test_a_kind_switched_off_is_not_sent(app, client, push_service):
    enrol(client, app, "couple_three_children")
    hid = household_id(app, "couple_three_children")
    subscribe(client, Device(push_service, "phone"))
    client.put("/api/push/settings", json={"kinds": {**KINDS_ALL, "child_age": False}, "quiet_hours": None})
    assert run_job(app, D(2026, 9, 20))["due"] == 0
    assert push_service.received == [] and reminder_rows(app, hid) == []


def test_a_crash_between_claim_and_send_never_sends_twice(app, client, push_service, clock):
    enrol(client, app, "couple_three_children")
    hid = household_id(app, "couple_three_children")
    subscribe(client, Device(push_service, "phone"))

    class Crash(BaseException):  # the process dies (SIGKILL, OOM): nothing is caught
        pass

    class CrashingSender:
        calls = 0

        def send(self, *a, **kw):
            CrashingSender.calls += 1
            raise Crash()

        def close(self):
            pass

    with pytest.raises(Crash):
        run_job(app, D(2026, 9, 20), sender=CrashingSender())
    (row,) = reminder_rows(app, hid)
    assert row["status"] == "claimed"
    # the next runs (restart) do not send it again ...
    clock.advance(minutes=5)
    assert run_job(app, D(2026, 9, 20))["sent"] == 0 and push_service.received == []
    # ... and a stale claim becomes a card, so the household still sees it
    clock.advance(minutes=15)
    counts = run_job(app, D(2026, 9, 20))
    assert counts["stale_claims"] == 1 and counts["sent"] == 0 and push_service.received == []
    (row,) = reminder_rows(app, hid)
    assert row["status"] == "card" and row["prompt_id"]
    assert CrashingSender.calls == 1


def test_two_runs_at_once_send_once(app, client, push_service):
    enrol(client, app, "couple_three_children")
    subscribe(client, Device(push_service, "phone"))
    results = []
    threads = [threading.Thread(target=lambda: results.append(run_job(app, D(2026, 9, 20)))) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r["sent"] for r in results) == 1 and len(push_service.received) == 1


def test_cross_household_isolation(app, client, new_client, push_service):
    enrol(client, app, "single_tenant")
    tenant_phone = Device(push_service, "tenant")
    subscribe(client, tenant_phone)
    other = new_client()
    enrol(other, app, "couple_three_children")
    run_job(app, D(2026, 9, 20))
    # the couple's reminder is a card for them; nothing reaches the tenant's phone
    assert push_service.received == []
    assert [p for p in client.get("/api/prompts").json()["prompts"] if p["kind"] == "life_event"] == []
    assert len([p for p in other.get("/api/prompts").json()["prompts"] if p["kind"] == "life_event"]) == 1


# -- the other kinds --------------------------------------------------------------------------------

def test_prompts_of_other_features_are_pushed_once_without_figures(app, client, push_service):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    phone = Device(push_service, "phone")
    subscribe(client, phone)
    with app.state.store.write() as db:
        raise_prompt(db, hid, PromptDraft(
            kind="income_drift", toeslag="zorgtoeslag", subject="applicant", fingerprint="x", amount=-60000,
            title="Je inkomen is € 37.000, hoger dan je schatting", body="Je verdient € 3.100 per maand.",
            action="#/wijziging/inkomen", data={}), app.state.settings.now().isoformat())
        raise_prompt(db, hid, PromptDraft(
            kind="january_check", toeslag="", subject="2026", fingerprint="2026", amount=None,
            title="Klopt je inkomen voor 2026?", body="Check", action="#/wijziging/inkomen", data={}),
            app.state.settings.now().isoformat())
    run_job(app, D(2026, 11, 29))
    run_job(app, D(2026, 11, 30))
    (msg,) = push_service.received
    data = open_message(app, phone, msg, push_service.origin)
    assert data["title"] == "Klopt je inkomen nog?" and data["url"] == "/#/wijziging/inkomen"
    assert not any(ch.isdigit() for ch in data["title"] + data["body"])


def test_payment_day_is_opt_in(app, client, push_service):
    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    phone = Device(push_service, "phone")
    subscribe(client, phone)
    pay = rules.payment_day(2026, 12)
    assert run_job(app, pay - w.DAY)["sent"] == 0
    client.put("/api/push/settings", json={"kinds": {**KINDS_ALL, "payment_day": True}, "quiet_hours": None})
    assert run_job(app, pay - 2 * w.DAY)["sent"] == 0
    assert run_job(app, pay - w.DAY)["sent"] == 1
    assert run_job(app, pay)["sent"] == 0
    data = open_message(app, phone, push_service.received[0], push_service.origin)
    from api.household import situation
    from api.store import decisions as decisions_store
    latest = situation.latest_decisions(decisions_store.for_year(app.state.store.db(), hid, 2026))
    total = sum(m["voorschot"] for d in latest.values() for m in d["months"] if m["month"] == 12)
    assert data["title"] == "Morgen krijg je je voorschot"
    assert f"voor december: € {total // 100}" in data["body"]
    assert push_service.received[0]["headers"]["urgency"] == "low"


def test_partner_moves_in_and_out(app, client, new_client):
    hid = changed(client, app, "single_tenant", {
        "kind": "partner", "date": "2026-11-29", "action": "moves_in",
        "partner": {"given_name": "Joris", "birth_date": "1994-02-02", "income": 2_000_000}})
    (row,) = due_on(app, hid, D(2026, 12, 1))
    assert row["kind"] == "partner_change" and "Sinds 29 november is Joris je toeslagpartner" in row["body"]
    assert row["url"] == "/#/wijzigen/inkomen" and "2.000.000" not in row["body"] and "20.000" not in row["body"]

    other = new_client()
    enrol(other, app, "couple_three_children")
    couple = household_id(app, "couple_three_children")
    r = other.post("/api/changes", json={"change": {"kind": "partner", "date": "2026-11-29", "action": "moves_out"}})
    assert r.status_code == 201, r.text
    run_job(app, D(2026, 12, 2))
    rows = [x for x in reminder_rows(app, couple) if x["kind"] == "partner_change"]
    assert len(rows) == 1
    assert rows[0]["title"] == "Kijk rustig of alles nog klopt" and "Neem de tijd" in rows[0]["body"]
    assert "€" not in rows[0]["body"]


def test_rent_reported_by_the_landlord(app, client):
    from api.feeds import schemas as fs
    from api.feeds.service import FeedService
    from api.store import feeds as feeds_store

    enrol(client, app, "single_tenant")
    hid = household_id(app, "single_tenant")
    with app.state.store.write() as db:
        feeds_store.add_organisation(db, "woningcorporatie-oost", "Woningcorporatie Oost", "2026-01-01")
        sanne = next(p["id"] for p in households_store.persons(db, hid) if p["role"] == "applicant")
        feeds_store.add_link(db, "woningcorporatie-oost", sanne, "rent", "ref_rent_sanne", "2026-01-01")
        FeedService(app.state.store, app.state.settings).receive_in(
            db, "woningcorporatie-oost", "rent", [fs.RentReport(person_ref="ref_rent_sanne", month="2026-11",
                                                                rent=72_000, service_costs=4_500)])
    run_job(app, D(2026, 11, 29))
    rows = [r for r in reminder_rows(app, hid) if r["kind"] == "home_change"]
    assert len(rows) == 1
    r = rows[0]
    assert r["title"] == "Je verhuurder gaf een nieuwe huur door" and r["url"] == "/#/wijzigen/huur"
    ht = r["data"]["effect"]["huurtoeslag"]
    # the preview of the change the report implies (a HomeChange), as POST /api/changes/preview gives it
    pv = client.post("/api/changes/preview", json={"change": {"kind": "home", "date": "2026-11-01", "rent": 72_000,
                                                              "service_costs": 4_500}}).json()
    h = pv["toeslagen"]["huurtoeslag"]
    assert ht["difference"] == h["after"]["months"][10] - h["before"]["months"][10] != 0
    assert f"€ {abs(ht['difference']) // 100} per maand hoger" in r["body"]
    assert "720" not in r["body"]  # the rent itself is not in the text
    # the same report again: nothing new
    assert run_job(app, D(2026, 11, 30))["due"] == 0


def test_a_move_recorded_in_advance(app, client):
    hid = changed(client, app, "single_tenant", {
        "kind": "address", "date": "2026-12-20", "renting": True, "rent": 75_000,
        "address": {"street": "Nieuwe Gracht", "house_number": "1", "postcode": "3512 LC", "city": "Utrecht"}})
    (row,) = due_on(app, hid, D(2026, 12, 6))
    assert row["title"] == "Je verhuist binnenkort" and "20 december" in row["body"]
    assert row["url"] == "/#/wijzigen/verhuizen"


# -- the payload, the scheduler and the CLI ---------------------------------------------------------

def test_payload_format_is_stable():
    data = json.loads(payload("Titel", "Tekst", "/#/overzicht", "toeslagen:x:1"))
    assert data == {"title": "Titel", "body": "Tekst", "url": "/#/overzicht", "tag": "toeslagen:x:1"}
    for bad in ("https://evil.nl/", "//evil.nl/", "#/overzicht"):
        with pytest.raises(ValueError):
            payload("t", "b", bad, "x")
    with pytest.raises(ValueError):
        payload("t", "b" * 4000, "/#/", "x")


def test_reminders_job_is_scheduled_and_has_a_cli(app, db_path, monkeypatch, capsys):
    assert "reminders" in [j.name for j in registry.jobs()]
    monkeypatch.setenv("TOESLAGEN_DB", str(db_path))
    monkeypatch.setenv("TOESLAGEN_VAPID_SUBJECT", SUBJECT)
    assert cli.main(["reminders", "--today", "2026-09-20"]) == 0
    out = capsys.readouterr().out
    assert "cards=1" in out and "sent=0" in out
    assert cli.main(["reminders", "--today", "2026-09-20"]) == 0
    assert "due=0" in capsys.readouterr().out
    assert cli.main(["reminders", "--shard", "0/2", "--today", "2026-09-20"]) == 0
    assert cli.main(["reminders", "--shard", "2/2"]) == 2


def test_shards_split_the_households(app):
    hids = [make_household(app, f"S{i}", children=[(f"K{i}", "2014-06-10")])[0] for i in range(8)]
    run_job(app, D(2026, 5, 20), shard=(0, 2))
    assert {h for h in hids if reminder_rows(app, h)} == {h for h in hids if due.in_shard(h, (0, 2))}
    run_job(app, D(2026, 5, 20), shard=(1, 2))
    assert {h for h in hids if reminder_rows(app, h)} == set(hids)


def test_outcome_of_unreachable_push_service(app):
    from api.push.sender import Sender

    keys = app.state.push.keys()
    s = Sender(keys, SUBJECT, timeout=2)
    dev = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    out = s.send({"endpoint": "http://127.0.0.1:9/push/x", "p256dh": b64url(dev), "auth": b64url(os.urandom(16))},
                 payload("t", "b", "/#/", "x"), ttl=60)
    assert out == Outcome("failed", None)
    s.close()


def test_one_failing_household_does_not_stop_the_others(app, monkeypatch):
    bad = make_household(app, "Kapot", children=[("Kees", "2014-06-10")])[0]
    good = make_household(app, "Heel", children=[("Lien", "2014-06-11")])[0]
    real = due.due_for

    def flaky(store, db, settings, today, hid, *rest):
        if hid == bad:
            raise KeyError("Kees")
        return real(store, db, settings, today, hid, *rest)

    monkeypatch.setattr(due, "due_for", flaky)
    counts = run_job(app, D(2026, 5, 20))
    assert counts["errors"] == 1 and reminder_rows(app, bad) == [] and len(reminder_rows(app, good)) == 1
    monkeypatch.setattr(due, "due_for", real)
    assert run_job(app, D(2026, 5, 21))["cards"] == 1 and len(reminder_rows(app, bad)) == 1

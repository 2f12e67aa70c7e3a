"""Isolation (issue #8): an authorisation matrix over EVERY route of the app.

The routes come from `app.routes` (each path and method, Litestar's automatic OPTIONS handlers too); a
route that is not classified below fails the test, so a new route is covered as soon as it exists.

Identities: household A's session ("single_parent"), household B's session ("couple_three_children",
given a childcare contract with another organisation here, so both have contracts, reports, an
adoption, a prompt, a push subscription), A's enrolment session (activation done, no passkey yet), no
session, and per data type two feed tokens: organisation "a" (linked to A's persons) and "b" (linked
to B's). Every household route that names an object is also sent with the OTHER household's object
ids.

What must hold, proved with database snapshots (every row of every table, rate limits and WebAuthn
challenges apart):
- a household route without a full session (no session, enrolment, a feed token) is a 401 problem
  and writes nothing at all;
- a household route with A's session (own or B's ids) never answers with anything of B (ids, names,
  BSNs, address, endpoints) and never changes a row of B; with B's ids it is a 4xx; and the other way
  round for B;
- a feed route without its bearer token (household sessions, no session) is a 401 and writes nothing;
  a token of another data type is a 403 and writes nothing; a token about a person of another
  organisation (by reference or BSN) is a 404 and writes nothing; a token's own reports change only
  the household they are about;
- public routes (ping, VAPID key, schema, static files, activation, login) answer nobody's household
  data and change no household row;
- an Idempotency-Key is per household / per organisation: B (or organisation b) reusing A's key gets
  its own answer, never A's stored one.
"""

from __future__ import annotations

import base64
import json
import re
import time

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from litestar.testing import TestClient

from api.demo import BSN, KOO_ID, LRK_DAGOPVANG
from api.util import iso, new_id

from .common import (
    CSRF,
    ORIGIN,
    app_on,
    enrol,
    household_id,
    household_rows,
    link,
    make_feed_token,
    mint_session,
    problem_errors,
    snapshot,
)
from .conftest import demo_database

LRK_B = "318400127753"
CHILDCARE_B = "kinderopvang-b"

# -- every route, classified ------------------------------------------------------------------------

PUBLIC = {
    ("GET", "/api/ping"), ("GET", "/api/push/key"), ("POST", "/api/activation"), ("POST", "/api/login/options"),
    ("POST", "/api/login/verify"), ("GET", "/schema"), ("GET", "/schema/openapi.json"),
    ("GET", "/schema/{path:str}"), ("GET", "/"), ("HEAD", "/"), ("GET", "/{file_path:path}"),
    ("HEAD", "/{file_path:path}"),
}
LOGOUT = {("POST", "/api/logout")}
ENROLMENT = {("POST", "/api/passkeys/register/options"), ("POST", "/api/passkeys/register/verify")}
HOUSEHOLD_READS = {
    ("GET", "/api/household"), ("GET", "/api/overview"), ("GET", "/api/history"), ("GET", "/api/messages"),
    ("GET", "/api/passkeys"), ("GET", "/api/childcare"), ("GET", "/api/prompts"), ("GET", "/api/income"),
    ("GET", "/api/push/settings"), ("GET", "/api/push/subscriptions"), ("GET", "/api/years"),
}
HOUSEHOLD_WRITES = {
    ("POST", "/api/changes/preview"), ("POST", "/api/changes"), ("POST", "/api/applications"),
    ("POST", "/api/childcare/adopt/preview"), ("POST", "/api/childcare/adopt"), ("POST", "/api/childcare/undo"),
    ("POST", "/api/childcare/correct"), ("POST", "/api/childcare/dispute"),
    ("POST", "/api/prompts/{prompt_id:int}/dismiss"), ("POST", "/api/income/cautious/preview"),
    ("POST", "/api/income/cautious"), ("POST", "/api/push/subscriptions"), ("DELETE", "/api/push/subscriptions"),
    ("PUT", "/api/push/settings"), ("DELETE", "/api/passkeys/{passkey_id:str}"),
    ("POST", "/api/years/final-income/preview"), ("POST", "/api/years/final-income"),
    ("POST", "/api/repayments/arrangement"),
}
FEEDS = {("POST", "/feeds/childcare-hours"): "childcare_hours", ("POST", "/feeds/income"): "income",
         ("POST", "/feeds/insurance"): "insurance", ("POST", "/feeds/rent"): "rent",
         ("POST", "/feeds/income-final"): "income"}


def classify(method: str, path: str) -> str | None:
    key = (method, path)
    if method == "OPTIONS":
        return "options"
    for name, group in (("public", PUBLIC), ("logout", LOGOUT), ("enrolment", ENROLMENT),
                        ("read", HOUSEHOLD_READS), ("write", HOUSEHOLD_WRITES), ("feed", FEEDS)):
        if key in group:
            return name
    return None


def app_routes(app) -> list[tuple[str, str]]:
    out = set()
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            for method in handler.http_methods:
                out.add((method, route.path))
    return sorted(out)


# -- the world: two households with objects of every kind ---------------------------------------------

def _p256dh() -> str:
    point = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return base64.urlsafe_b64encode(point).rstrip(b"=").decode()


def _subscription(endpoint: str) -> dict:
    return {"endpoint": endpoint, "keys": {"p256dh": _p256dh(), "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}


class World:
    def __init__(self, db):
        self.db = db
        self.app, self.settings = app_on(self.db)
        self.store = self.app.state.store
        self.cookie_name = self.settings.session_cookie_name
        self.hh = {"A": household_id(self.store, "single_parent"), "B": household_id(self.store, "couple_three_children")}
        self.client = TestClient(self.app, base_url=ORIGIN)
        self.client.__enter__()
        for _who, key in (("A", "single_parent"), ("B", "couple_three_children")):
            enrol(self.client, self.store, self.settings, key)
            self.client.cookies.clear()
        self._childcare_for_b()
        self.tokens = {}
        self.refs = {}
        self.bsns = {}
        self._feeds()
        self._objects()
        self.markers = {w: self._markers(w) for w in ("A", "B")}

    def close(self):
        self.client.__exit__(None, None, None)
        self.store.close()

    def q(self, sql, args=()):
        return self.store.db().execute(sql, args).fetchall()

    def _childcare_for_b(self):
        """B's youngest (Lucas) goes to the bso of another organisation, which reported more hours."""
        from api.childcare import card as childcare
        from api.feeds import schemas as fs
        from api.feeds.service import FeedService
        from api.store import feeds as feeds_store
        from api.store import households as households_store

        now = iso(self.settings.now())
        lucas = self.q("SELECT id FROM persons WHERE household_id = ? AND given_name = 'Lucas'", (self.hh["B"],))[0][0]
        with self.store.write() as db:
            feeds_store.add_organisation(db, CHILDCARE_B, "BSO De Regenboog", now)
            cid = new_id("ctr")
            households_store.add_contract(db, {
                "id": cid, "household_id": self.hh["B"], "child_id": lucas, "organisation_id": CHILDCARE_B,
                "location_name": "BSO De Regenboog West", "lrk_number": LRK_B, "kind": "bso",
                "start_date": "2025-09-01", "end_date": None, "created_at": now})
            households_store.add_terms(db, cid, "2025-09-01", 40, 950, now)
            ref = "ref_" + new_id("x")[2:]
            feeds_store.add_link(db, CHILDCARE_B, lucas, "childcare_hours", ref, now)
            reports = [fs.ChildcareHoursReport(child_ref=ref, lrk_number=LRK_B, month=f"2026-{m:02d}", hours=70,
                                               hourly_rate=950) for m in (9, 10, 11)]
            FeedService(self.store, self.settings).receive_in(db, CHILDCARE_B, "childcare_hours", reports)
            childcare.refresh(db, self.hh["B"], self.settings.today_date(), now)

    def _feeds(self):
        persons = {w: self.q("SELECT id, role, bsn FROM persons WHERE household_id = ?", (self.hh[w],)) for w in "AB"}
        for data_type in ("childcare_hours", "income", "insurance", "rent"):
            for w in "AB":
                if data_type == "childcare_hours":
                    org = KOO_ID if w == "A" else CHILDCARE_B
                    who = [p for p in persons[w] if p[1] == "child"]
                    if w == "B":
                        who = [p for p in who if p[0] == self.q(
                            "SELECT child_id FROM childcare_contracts WHERE household_id = ?", (self.hh["B"],))[0][0]]
                else:
                    org = f"{data_type}-{w.lower()}"
                    who = [p for p in persons[w] if p[1] == "applicant"]
                self.tokens[(data_type, w)] = make_feed_token(self.store, self.settings, org, data_type)
                self.refs[(data_type, w)] = link(self.store, self.settings, org, who[0][0], data_type)
                self.bsns[(data_type, w)] = who[0][2]

    def session(self, who: str, kind: str = "full") -> str:
        return mint_session(self.store, self.settings, self.hh[who], kind)

    def call(self, method, url, *, cookie=None, bearer=None, body=None, key=None):
        headers = dict(CSRF)
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        if key:
            headers["Idempotency-Key"] = key
        self.client.cookies.clear()
        if cookie:
            headers["Cookie"] = f"{self.cookie_name}={cookie}"
        kw = {"headers": headers}
        if body is not None:
            kw["content"] = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return self.client.request(method, url, **kw)

    def _objects(self):
        """A prompt, an adoption and a push subscription for each household, through the API."""
        from api.prompts.service import PromptDraft, raise_prompt
        from api.store import ledger as ledger_store

        self.objects = {}
        for w in "AB":
            cookie = self.session(w)
            contract = self.q("SELECT id FROM childcare_contracts WHERE household_id = ? ORDER BY start_date, id",
                              (self.hh[w],))[0][0]
            with self.store.write() as db:
                raise_prompt(db, self.hh[w], PromptDraft(kind="isolation", toeslag="", subject=w, fingerprint="f",
                                                         amount=None, title="Test", body="Test", action=None, data={}),
                             iso(self.settings.now()))
            r = self.call("POST", "/api/childcare/adopt", cookie=cookie,
                          body={"contract": contract, "from_month": "2026-10", "mode": "reported"})
            assert r.status_code == 201, r.text
            endpoint = f"https://fcm.googleapis.com/fcm/send/{w}-{new_id('e')}"
            r = self.call("POST", "/api/push/subscriptions", cookie=cookie, body=_subscription(endpoint))
            assert r.status_code == 201, r.text
            hh = self.hh[w]
            correction = new_id("cor")  # a terugvordering to ask a betalingsregeling for
            with self.store.write() as db:
                ledger_store.add_correction(db, {
                    "id": correction, "household_id": hh, "toeslag": "zorgtoeslag", "year": 2026,
                    "kind": "terugvordering", "amount": -12_300, "decided_on": "2026-11-01", "due_on": None,
                    "decision_id": None, "created_at": iso(self.settings.now())})
            self.objects[w] = {
                "correction": correction,
                "contract": contract,
                "child": self.q("SELECT child_id FROM childcare_contracts WHERE id = ?", (contract,))[0][0],
                "report": self.q("SELECT id FROM feed_reports WHERE household_id = ? AND contract_id = ? AND "
                                 "replaced_by IS NULL ORDER BY month DESC", (hh, contract))[0][0],
                "adoption": self.q("SELECT event_id FROM childcare_adoptions WHERE household_id = ?", (hh,))[0][0],
                "prompt": self.q("SELECT id FROM prompts WHERE household_id = ? AND kind = 'isolation'", (hh,))[0][0],
                "passkey": self.q("SELECT id FROM passkeys WHERE household_id = ?", (hh,))[0][0],
                "endpoint": endpoint,
            }

    def _markers(self, w: str) -> list[str]:
        hh = self.hh[w]
        out = [hh, self.q("SELECT label FROM households WHERE id = ?", (hh,))[0][0]]
        for pid, name, bsn in self.q("SELECT id, given_name, bsn FROM persons WHERE household_id = ?", (hh,)):
            out += [pid, name, bsn]
        out += [r[0] for r in self.q("SELECT id FROM childcare_contracts WHERE household_id = ?", (hh,))]
        out += [r[0] for r in self.q("SELECT location_name FROM childcare_contracts WHERE household_id = ?", (hh,))]
        out += [r[0] for r in self.q("SELECT street FROM homes WHERE household_id = ?", (hh,))]
        out += [r[0] for r in self.q("SELECT id FROM passkeys WHERE household_id = ?", (hh,))]
        out += [r[0] for r in self.q("SELECT credential_id FROM passkeys WHERE household_id = ?", (hh,))]
        out += [r[0] for r in self.q("SELECT ref FROM org_links l JOIN persons p ON p.id = l.person_id "
                                     "WHERE p.household_id = ?", (hh,))]
        out += [self.objects[w]["endpoint"], self.objects[w]["endpoint"].rsplit("/", 1)[-1]]
        return sorted({m for m in out if m})


@pytest.fixture(scope="module")
def world(request, store_kind, tmp_path_factory):
    w = World(demo_database(request, store_kind, tmp_path_factory.mktemp("isolation") / "iso.db"))
    yield w
    w.close()


# -- requests per route --------------------------------------------------------------------------------

def household_requests(method: str, path: str, ids: dict, world: World) -> list[tuple[str, str, object]]:
    """(variant, url, body) for a household route; `ids` are the objects the request names (the actor's
    own, or the other household's)."""
    c, child, rep, ado, prm, pk, ep = (ids[k] for k in ("contract", "child", "report", "adoption", "prompt",
                                                         "passkey", "endpoint"))
    change_kinds = [
        ("income", {"change": {"kind": "income", "date": "2026-12-01", "income": 3_100_000}}),
        ("childcare", {"change": {"kind": "childcare", "date": "2026-12-01", "contract_id": c,
                                  "hours_per_month": 101}}),
        ("child", {"change": {"kind": "child", "date": "2026-12-01", "action": "moves_out", "child_id": child}}),
    ]
    table = {
        ("GET", "/api/household"): [("", "/api/household", None)],
        ("GET", "/api/overview"): [("", "/api/overview", None)],
        ("GET", "/api/history"): [("", "/api/history?year=2026", None)],
        ("GET", "/api/messages"): [("", "/api/messages", None)],
        ("GET", "/api/passkeys"): [("", "/api/passkeys", None)],
        ("GET", "/api/childcare"): [("", "/api/childcare", None)],
        ("GET", "/api/prompts"): [("", "/api/prompts", None)],
        ("GET", "/api/income"): [("", "/api/income", None)],
        ("GET", "/api/push/settings"): [("", "/api/push/settings", None)],
        ("GET", "/api/push/subscriptions"): [("", "/api/push/subscriptions", None)],
        ("POST", "/api/changes/preview"): [(k, "/api/changes/preview", b) for k, b in change_kinds],
        ("POST", "/api/changes"): [(k, "/api/changes", b) for k, b in change_kinds],
        ("POST", "/api/applications"): [("", "/api/applications", {"toeslag": "kinderopvangtoeslag"})],
        ("POST", "/api/childcare/adopt/preview"): [("", "/api/childcare/adopt/preview",
                                                    {"contract": c, "from_month": "2026-10", "mode": "average"})],
        ("POST", "/api/childcare/adopt"): [("", "/api/childcare/adopt",
                                            {"contract": c, "from_month": "2026-10", "mode": "average"})],
        ("POST", "/api/childcare/undo"): [("", "/api/childcare/undo", {"event_id": ado})],
        ("POST", "/api/childcare/correct"): [("", "/api/childcare/correct",
                                              {"contract": c, "month": "2026-09", "hours": 77, "hourly_rate": 999})],
        ("POST", "/api/childcare/dispute"): [("", "/api/childcare/dispute", {"report_id": rep, "reason": "Klopt niet"})],
        ("POST", "/api/prompts/{prompt_id:int}/dismiss"): [("", f"/api/prompts/{prm}/dismiss", {"reason": "Klopt"})],
        ("POST", "/api/income/cautious/preview"): [("", "/api/income/cautious/preview",
                                                    {"mode": "percentage", "percentage": 10})],
        ("POST", "/api/income/cautious"): [("", "/api/income/cautious", {"mode": "percentage", "percentage": 10})],
        ("POST", "/api/push/subscriptions"): [("", "/api/push/subscriptions", _subscription(ep + "-2"))],
        ("DELETE", "/api/push/subscriptions"): [("", "/api/push/subscriptions", {"endpoint": ep})],
        ("PUT", "/api/push/settings"): [("", "/api/push/settings", {
            "kinds": {"child_age": True, "childcare_contract_end": False, "home_change": True, "partner_change": True,
                      "january_check": True, "payment_day": True, "prompts": False},
            "quiet_hours": {"start": "22:00", "end": "07:00"}})],
        ("DELETE", "/api/passkeys/{passkey_id:str}"): [("", f"/api/passkeys/{pk}", None)],
        ("GET", "/api/years"): [("", "/api/years", None)],
        ("POST", "/api/years/final-income/preview"): [("", "/api/years/final-income/preview",
                                                       {"year": 2025, "final_income": 3_000_000})],
        ("POST", "/api/years/final-income"): [("", "/api/years/final-income", {"year": 2025, "final_income": 3_000_000})],
        ("POST", "/api/repayments/arrangement"): [("", "/api/repayments/arrangement", {"correction_id": ids["correction"]})],
    }
    return table[(method, path)]


NAMES_OBJECTS = {("POST", "/api/changes/preview"), ("POST", "/api/changes"), ("POST", "/api/childcare/adopt/preview"),
                 ("POST", "/api/childcare/adopt"), ("POST", "/api/childcare/undo"), ("POST", "/api/childcare/correct"),
                 ("POST", "/api/childcare/dispute"), ("POST", "/api/prompts/{prompt_id:int}/dismiss"),
                 ("DELETE", "/api/push/subscriptions"), ("DELETE", "/api/passkeys/{passkey_id:str}"),
                 ("POST", "/api/repayments/arrangement")}


def public_requests(method: str, path: str) -> list[tuple[str, object]]:
    return {
        ("GET", "/api/ping"): [("/api/ping", None)],
        ("GET", "/api/push/key"): [("/api/push/key", None)],
        ("POST", "/api/activation"): [("/api/activation", {"code": "ABCD-EFGH-JKMN-PQRS"})],
        ("POST", "/api/login/options"): [("/api/login/options", None)],
        ("POST", "/api/login/verify"): [("/api/login/verify", {"credential": {
            "id": "AAAA", "rawId": "AAAA", "type": "public-key",
            "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA"}}})],
        ("GET", "/schema"): [("/schema", None)],
        ("GET", "/schema/openapi.json"): [("/schema/openapi.json", None)],
        ("GET", "/schema/{path:str}"): [("/schema/other", None)],
        ("GET", "/"): [("/", None)],
        ("HEAD", "/"): [("/", None)],
        ("GET", "/{file_path:path}"): [("/manifest.webmanifest", None), ("/rules/shared_rules/money.py", None)],
        ("HEAD", "/{file_path:path}"): [("/manifest.webmanifest", None)],
    }[(method, path)]


def feed_body(data_type: str, ref: str | None = None, bsn: str | None = None, month: str = "2026-10",
              path: str = "") -> dict:
    who = ({"child_ref": ref} if data_type == "childcare_hours" else {"person_ref": ref}) if ref else {"bsn": bsn}
    if path.endswith("/income-final"):  # the income feed's final mark: a past year's toetsingsinkomen
        return {"reports": [{**who, "year": 2025, "income": 3_000_000, "final": True}]}
    r = {"childcare_hours": {"lrk_number": LRK_DAGOPVANG, "hours": 123, "hourly_rate": 1000},
         "income": {"wages": 271_828}, "insurance": {"insured": False},
         "rent": {"rent": 77_700, "service_costs": 1_000}}[data_type]
    return {"reports": [{**who, "month": month, **r}]}


def concrete(path: str) -> str:
    return (path.replace("{prompt_id:int}", "1").replace("{passkey_id:str}", "pk_x")
            .replace("{path:str}", "x").replace("{file_path:path}", "manifest.webmanifest"))


# -- the matrix ----------------------------------------------------------------------------------------

def test_every_route_is_classified(world):
    routes = app_routes(world.app)
    unclassified = [r for r in routes if classify(*r) is None]
    assert not unclassified, f"classify these routes in test_isolation.py: {unclassified}"
    # and every operation of the OpenAPI schema is one of them
    schema = world.client.get("/schema/openapi.json").json()
    plain = {(m, re.sub(r"\{(\w+):[^}]+\}", r"{\1}", p)) for m, p in routes}
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    assert documented <= plain, documented - plain


def test_authorisation_matrix(world):
    started = time.monotonic()
    stats = {"cells": 0, "requests": 0, "writes_checked": 0}
    leaks: list[str] = []
    db = world.db

    def body_of(r) -> str:
        return r.content.decode("utf-8", "replace")

    def no_markers(r, of: list[str], cell: str) -> None:
        text = body_of(r) + " ".join(f"{k}: {v}" for k, v in r.headers.items() if k.lower() != "set-cookie")
        found = [m for m in of if m in text]
        if found:
            leaks.append(f"{cell}: answer holds {found[:5]}")

    def problem_ok(r, cell: str) -> None:
        errs = problem_errors(r.status_code, r.headers.get("content-type", ""), r.content)
        if errs or r.status_code >= 500:
            leaks.append(f"{cell}: {r.status_code} {errs} {r.text[:200]}")

    def cell(name: str):
        stats["cells"] += 1
        return name

    all_markers = world.markers["A"] + world.markers["B"]
    outsiders = {
        "anon": {"cookie": None},
        "A-enrolment": {"cookie": world.session("A", "enrolment")},
        **{f"feed:{t}": {"bearer": world.tokens[(t, "A")]} for t in ("childcare_hours", "income", "insurance", "rent")},
    }

    for method, path in app_routes(world.app):
        kind = classify(method, path)
        # -- OPTIONS: an Allow header for everybody, no data, no writes ------------------------------
        if kind == "options":
            for who, auth in {**outsiders, "A": {"cookie": world.session("A")}}.items():
                c = cell(f"{who} OPTIONS {path}")
                before = snapshot(db)
                r = world.call("OPTIONS", concrete(path), **auth)
                stats["requests"] += 1
                assert r.status_code == 204, (c, r.status_code, r.text)
                assert not r.content and "allow" in r.headers, c
                assert snapshot(db) == before, c
            continue

        # -- public routes ---------------------------------------------------------------------------
        if kind == "public":
            for url, body in public_requests(method, path):
                for who, auth in {**outsiders, "A": {"cookie": world.session("A")},
                                  "B": {"cookie": world.session("B")}}.items():
                    c = cell(f"{who} {method} {url}")
                    before = {w: household_rows(db, world.hh[w]) for w in "AB"}
                    r = world.call(method, url, body=body, **auth)
                    stats["requests"] += 1
                    problem_ok(r, c)
                    no_markers(r, all_markers, c)
                    after = {w: household_rows(db, world.hh[w]) for w in "AB"}
                    if url.startswith("/api/login/verify") or url.startswith("/api/activation"):
                        assert r.status_code in (400, 422), (c, r.status_code)
                    assert after == before, c
                    stats["writes_checked"] += 1
            continue

        # -- logout: ends the caller's own session and nothing else ------------------------------------
        if kind == "logout":
            for who, auth in outsiders.items():
                c = cell(f"{who} {method} {path}")
                before = snapshot(db)
                r = world.call(method, path, **auth)
                stats["requests"] += 1
                assert r.status_code == 204, c
                after = snapshot(db)
                if who == "A-enrolment":  # its own session is gone, nothing else changed
                    before.pop("sessions"), after.pop("sessions")
                    outsiders["A-enrolment"] = {"cookie": world.session("A", "enrolment")}
                assert after == before, c
            for w, other in (("A", "B"), ("B", "A")):
                c = cell(f"{w} {method} {path}")
                mine = world.session(w)
                before = household_rows(db, world.hh[other])
                r = world.call(method, path, cookie=mine)
                stats["requests"] += 1
                assert r.status_code == 204, c
                assert household_rows(db, world.hh[other]) == before, c
                assert world.call("GET", "/api/overview", cookie=mine).status_code == 401, c
            continue

        # -- enrolment routes: any session of the household itself --------------------------------------
        if kind == "enrolment":
            for who in ("anon", *[k for k in outsiders if k.startswith("feed:")]):
                c = cell(f"{who} {method} {path}")
                before = snapshot(db)
                body = {"credential": {"id": "AAAA", "rawId": "AAAA", "response": {
                    "clientDataJSON": "e30", "attestationObject": "AAAA"}}} if path.endswith("verify") else None
                r = world.call(method, path, body=body, **outsiders[who])
                stats["requests"] += 1
                assert r.status_code == 401, (c, r.status_code)
                problem_ok(r, c)
                assert snapshot(db) == before, c
            for w, other in (("A", "B"), ("B", "A")):
                c = cell(f"{w} {method} {path}")
                before = household_rows(db, world.hh[other])
                body = {"credential": {"id": "AAAA", "rawId": "AAAA", "response": {
                    "clientDataJSON": "e30", "attestationObject": "AAAA"}}} if path.endswith("verify") else None
                r = world.call(method, path, body=body, cookie=world.session(w))
                stats["requests"] += 1
                problem_ok(r, c)
                no_markers(r, world.markers[other], c)
                assert household_rows(db, world.hh[other]) == before, c
            continue

        # -- household routes ----------------------------------------------------------------------------
        if kind in ("read", "write"):
            for variant, url, body in household_requests(method, path, world.objects["A"], world):
                for who, auth in outsiders.items():
                    c = cell(f"{who} {method} {url} {variant}")
                    before = snapshot(db)
                    r = world.call(method, url, body=body, key=f"iso-{stats['requests']}", **auth)
                    stats["requests"] += 1
                    assert r.status_code == 401, (c, r.status_code, r.text)
                    problem_ok(r, c)
                    no_markers(r, all_markers, c)
                    assert snapshot(db) == before, c
                    stats["writes_checked"] += 1
            for actor, other in (("A", "B"), ("B", "A")):
                cookie = world.session(actor)
                targets = [("own", world.objects[actor])]
                if (method, path) in NAMES_OBJECTS:
                    targets.append(("foreign", world.objects[other]))
                for target, ids in targets:
                    for variant, url, body in household_requests(method, path, ids, world):
                        c = cell(f"{actor} {method} {url} {variant} ({target} ids)")
                        before_other = household_rows(db, world.hh[other])
                        before_all = snapshot(db) if target == "foreign" else None
                        r = world.call(method, url, body=body, cookie=cookie, key=f"iso-{stats['requests']}")
                        stats["requests"] += 1
                        problem_ok(r, c)
                        no_markers(r, world.markers[other], c)
                        if kind == "read":
                            assert r.status_code == 200, (c, r.status_code, r.text)
                            if url in ("/api/household", "/api/overview"):  # and it is the actor's own
                                assert any(m in r.text for m in world.markers[actor]), c
                        after_other = household_rows(db, world.hh[other])
                        assert after_other == before_other, f"{c}: {other}'s rows changed"
                        stats["writes_checked"] += 1
                        if target == "foreign" and variant != "income":
                            # naming another household's object: refused, and nothing written anywhere
                            assert 400 <= r.status_code < 500, (c, r.status_code, r.text)
                            assert snapshot(db) == before_all, f"{c}: a write"
            continue

        # -- feed routes ---------------------------------------------------------------------------------
        if kind == "feed":
            own_type = FEEDS[(method, path)]
            sessions = {"anon": {}, "A": {"cookie": world.session("A")}, "B": {"cookie": world.session("B")},
                        "A-enrolment": outsiders["A-enrolment"]}
            body_a = feed_body(own_type, ref=world.refs[(own_type, "A")], path=path)
            for who, auth in sessions.items():
                c = cell(f"{who} {method} {path}")
                before = snapshot(db)
                r = world.call(method, path, body=body_a, **auth)
                stats["requests"] += 1
                assert r.status_code == 401, (c, r.status_code)
                problem_ok(r, c)
                assert snapshot(db) == before, c
            for other_type in FEEDS.values():
                if other_type == own_type:
                    continue
                for org in "AB":
                    c = cell(f"feed:{other_type}/{org} {method} {path}")
                    before = snapshot(db)
                    r = world.call(method, path, body=body_a, bearer=world.tokens[(other_type, org)])
                    stats["requests"] += 1
                    assert r.status_code == 403, (c, r.status_code)
                    problem_ok(r, c)
                    assert snapshot(db) == before, c
            for org, other in (("A", "B"), ("B", "A")):
                token = world.tokens[(own_type, org)]
                # the other organisation's person, by reference and by BSN: unknown, nothing written
                for how, body in (("ref", feed_body(own_type, ref=world.refs[(own_type, other)], path=path)),
                                  ("bsn", feed_body(own_type, bsn=world.bsns[(own_type, other)], path=path)),
                                  ("bsn of a person never linked",
                                   feed_body(own_type, bsn=BSN["mark" if org == "A" else "sanne"], path=path))):
                    c = cell(f"feed:{own_type}/{org} {method} {path} about {other} by {how}")
                    before = snapshot(db)
                    r = world.call(method, path, body=body, bearer=token, key=f"iso-{stats['requests']}")
                    stats["requests"] += 1
                    assert r.status_code == 404, (c, r.status_code, r.text)
                    problem_ok(r, c)
                    no_markers(r, all_markers, c)
                    assert snapshot(db) == before, c
                # its own person: accepted, and only that household changes
                c = cell(f"feed:{own_type}/{org} {method} {path} about {org}")
                before_other = household_rows(db, world.hh[other])
                body = feed_body(own_type, ref=world.refs[(own_type, org)], path=path)
                if own_type == "childcare_hours" and org == "B":
                    body["reports"][0]["lrk_number"] = LRK_B
                r = world.call(method, path, body=body, bearer=token, key=f"iso-{stats['requests']}")
                stats["requests"] += 1
                assert r.status_code == 200, (c, r.status_code, r.text)
                no_markers(r, world.markers[other], c)
                assert household_rows(db, world.hh[other]) == before_other, c
            continue
        raise AssertionError(f"unhandled class {kind} for {method} {path}")

    print(f"\nisolation matrix: {len(app_routes(world.app))} route/method pairs, {stats['cells']} cells, "
          f"{stats['requests']} requests, {stats['writes_checked']} snapshot comparisons, "
          f"{time.monotonic() - started:.1f} s; leaks: {len(leaks)}")
    assert not leaks, "\n".join(leaks)


def test_idempotency_keys_are_per_household_and_per_organisation(world):
    """B (organisation b) sending the key A (organisation a) used gets its own answer, not A's replay."""
    key = "shared-key-1"
    a, b = world.session("A"), world.session("B")
    ra = world.call("POST", "/api/changes", cookie=a, key=key,
                    body={"change": {"kind": "income", "date": "2026-12-01", "income": 2_900_000}})
    assert ra.status_code == 201, ra.text
    before_a = household_rows(world.db, world.hh["A"])
    rb = world.call("POST", "/api/changes", cookie=b, key=key,
                    body={"change": {"kind": "income", "date": "2026-12-01", "income": 2_900_000}})
    assert rb.status_code == 201, rb.text
    assert "idempotent-replayed" not in rb.headers
    assert rb.json()["event_id"] != ra.json()["event_id"]
    for m in world.markers["A"]:
        assert m not in rb.text
    assert household_rows(world.db, world.hh["A"]) == before_a
    # a replay by A is A's own first answer
    ra2 = world.call("POST", "/api/changes", cookie=a, key=key,
                     body={"change": {"kind": "income", "date": "2026-12-01", "income": 2_900_000}})
    assert ra2.headers.get("idempotent-replayed") == "true" and ra2.json() == ra.json()
    # feeds: the same key at two organisations of one data type
    for data_type in ("income", "rent"):
        fa = world.call("POST", f"/feeds/{data_type}", bearer=world.tokens[(data_type, "A")], key=key,
                        body=feed_body(data_type, ref=world.refs[(data_type, "A")], month="2026-08"))
        fb = world.call("POST", f"/feeds/{data_type}", bearer=world.tokens[(data_type, "B")], key=key,
                        body=feed_body(data_type, ref=world.refs[(data_type, "B")], month="2026-08"))
        assert fa.status_code == fb.status_code == 200, (fa.text, fb.text)
        assert "idempotent-replayed" not in fb.headers
        assert fa.json()["organisation_id"] != fb.json()["organisation_id"]
        assert world.refs[(data_type, "A")] not in fb.text

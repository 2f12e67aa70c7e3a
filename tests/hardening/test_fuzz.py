"""Fuzz (issue #8): schemathesis over /schema/openapi.json of the in-process app (ASGI, no network).

Identities: the demo household "single_parent" (session cookie from an enrolment with the soft passkey
authenticator, CSRF header set) over every /api operation, and a bearer token per feed (childcare_hours,
income, insurance, rent) over its own feed route (and, briefly, over the other three: 403). Positive
(schema-valid) and negative (schema-invalid) cases. To reach past the "unknown id" answers, a seeded
share of the generated cases gets real ids of the household (contracts, children, reports, adoptions,
prompts), dates in the current year, the organisation's own person references and an Idempotency-Key
from a small pool (so replays and key reuse with another body happen too; otherwise the key is the one
schemathesis generates from the documented header, or none). The credentials and X-Requested-With are
set here, but a negative case that leaves out the required X-Requested-With goes without it (a 403);
login and passkey registration get a clientDataJSON with a live challenge, so the rest of the credential reaches
py_webauthn's parsers. Whole floats (134.0, an "integer" to JSON Schema) are sent as integers in the
positive cases (the API's decoder is strict); objects whose Struct forbids unknown fields are closed in
the schema itself (additionalProperties: false), so positive cases do not add keys.

Checks on every response: status < 500; every 4xx is application/problem+json with type, title,
status (equal to the HTTP status) and detail; and the schema tells the truth: the status is one the
operation documents, and the body validates against the documented Problem schema. Hypothesis runs
derandomized (fixed seed), without its example database and without shrinking, so a run is
repeatable and bounded in time.
"""

from __future__ import annotations

import base64
import json
import os
import random
import time
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import seed as hypothesis_seed
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from litestar.testing import TestClient
from schemathesis import GenerationMode

from api.demo import EMPLOYER_ID, KOO_ID, LRK_BSO, LRK_DAGOPVANG
from tests.api.problem_schema import conformance_errors, problem_validator

from .common import (
    CSRF,
    ORIGIN,
    app_on,
    connect,
    enrol,
    household_id,
    link,
    make_feed_token,
    mint_session,
    problem_errors,
)
from .conftest import demo_database

# examples per (operation, mode); hypothesis stops earlier for operations with little to vary
HOUSEHOLD = {GenerationMode.POSITIVE: 40, GenerationMode.NEGATIVE: 16}
FEED_OWN = {GenerationMode.POSITIVE: 90, GenerationMode.NEGATIVE: 30}
FEED_OTHER = {GenerationMode.POSITIVE: 4, GenerationMode.NEGATIVE: 0}
MIN_REQUESTS = 2000
TIME_BUDGET = float(os.environ.get("FUZZ_BUDGET", "150"))  # seconds; the run takes ~35 s here


# Local bug hunting only: FUZZ_SEED=<n> explores another seed, FUZZ_SCALE=<k> multiplies the examples.
SEED = os.environ.get("FUZZ_SEED")
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))


def _hyp(n: int):
    return hsettings(max_examples=max(1, int(n * SCALE)), derandomize=SEED is None, database=None, deadline=None,
                     phases=[Phase.generate], suppress_health_check=list(HealthCheck), report_multiple_bugs=False)


class Pools:
    """Real ids of the household and references of the organisations, re-read from the store."""

    def __init__(self, db_path, hh: str, refs: dict[str, list[str]], bsns: dict[str, list[str]]):
        self.db_path = db_path
        self.hh = hh
        self.refs = refs
        self.bsns = bsns
        self.refresh()

    def refresh(self) -> None:
        c = connect(self.db_path)
        try:
            q = lambda sql: [r[0] for r in c.execute(sql, (self.hh,)).fetchall()]  # noqa: E731
            self.contracts = q("SELECT id FROM childcare_contracts WHERE household_id = ?")
            self.children = q("SELECT id FROM persons WHERE household_id = ? AND role = 'child'")
            self.reports = q("SELECT id FROM feed_reports WHERE household_id = ? AND contract_id IS NOT NULL")
            self.adoptions = q("SELECT event_id FROM childcare_adoptions WHERE household_id = ?")
            self.prompts = q("SELECT id FROM prompts WHERE household_id = ?")
            self.passkeys = q("SELECT id FROM passkeys WHERE household_id = ?")
            self.credentials = q("SELECT credential_id FROM passkeys WHERE household_id = ?")
        finally:
            c.close()


def integral(body):
    """JSON Schema counts 134.0 as an integer; the API's strict decoder does not (a 400). Positive cases
    send whole numbers as integers."""
    if isinstance(body, dict):
        return {k: integral(v) for k, v in body.items()}
    if isinstance(body, list):
        return [integral(v) for v in body]
    if isinstance(body, float) and body.is_integer() and abs(body) < 2**53:
        return int(body)
    return body


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def steer_passkey(body, rng: random.Random, challenge: str, kind: str, credential_id: str | None, hh: str) -> None:
    """A clientDataJSON with a live challenge (and, for login, the household's real credential id), so
    the rest of the generated credential reaches py_webauthn's parsers instead of stopping earlier."""
    cred = body.get("credential") if isinstance(body, dict) else None
    if not isinstance(cred, dict) or not isinstance(cred.get("response"), dict):
        return
    client = {"type": kind if rng.random() < 0.8 else "webauthn.other", "challenge": challenge,
              "origin": "http://localhost:8000" if rng.random() < 0.8 else "https://evil.example"}
    cred["response"]["clientDataJSON"] = _b64url(json.dumps(client).encode())
    if credential_id and rng.random() < 0.8:
        cred["rawId"] = cred["id"] = credential_id
    if kind == "webauthn.get" and rng.random() < 0.5:
        cred["response"]["userHandle"] = _b64url(hh.encode())
    for field in ("attestationObject", "authenticatorData", "signature"):
        if field in cred["response"] and rng.random() < 0.5:
            cred["response"][field] = _b64url(rng.randbytes(rng.choice([1, 16, 37, 64, 200])))


def _month(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 11):02d}"


def steer_household(body, rng: random.Random, pools: Pools):
    """Real ids and plausible dates in a generated body (in place), each with some probability."""
    if isinstance(body, list):
        for v in body:
            steer_household(v, rng, pools)
        return
    if not isinstance(body, dict):
        return
    for k, v in list(body.items()):
        if isinstance(v, (dict, list)):
            steer_household(v, rng, pools)
            continue
        if rng.random() < 0.25:
            continue
        if k in ("contract_id", "contract") and pools.contracts:
            body[k] = rng.choice(pools.contracts)
        elif k == "child_id" and pools.children:
            body[k] = rng.choice(pools.children)
        elif k == "report_id" and pools.reports:
            body[k] = rng.choice(pools.reports)
        elif k == "event_id" and pools.adoptions:
            body[k] = rng.choice(pools.adoptions)
        elif k == "date" and isinstance(v, str):
            body[k] = f"2026-{rng.randint(1, 12):02d}-{rng.choice([1, 1, 1, 15, 28]):02d}"
        elif k in ("from_month", "month") and isinstance(v, str):
            body[k] = _month(rng)
        elif k == "birth_date" and isinstance(v, str):
            body[k] = f"{rng.choice([1950, 1985, 2010, 2020, 2026])}-{rng.randint(1, 11):02d}-01"


def steer_feed(body, rng: random.Random, data_type: str, pools: Pools) -> None:
    if not isinstance(body, dict) or not isinstance(body.get("reports"), list):
        return
    ref_key = "child_ref" if data_type == "childcare_hours" else "person_ref"
    for r in body["reports"]:
        if not isinstance(r, dict) or rng.random() < 0.2:
            continue
        if rng.random() < 0.8:
            r[ref_key] = rng.choice(pools.refs[data_type])
            r.pop("bsn", None)
        else:
            r["bsn"] = rng.choice(pools.bsns[data_type])
            r.pop(ref_key, None)
        r["month"] = _month(rng)
        if data_type == "childcare_hours":
            r["lrk_number"] = rng.choice([LRK_DAGOPVANG, LRK_BSO])
            r["hours"] = rng.randint(0, 300) if isinstance(r.get("hours"), int) else r.get("hours")
    if len(body["reports"]) > 20:  # keep a batch small: the budget is requests, not rows
        body["reports"] = body["reports"][:20]


@pytest.fixture(scope="module")
def fuzz_env(request, store_kind, tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    db = demo_database(request, store_kind, folder / "fuzz.db")
    app, settings = app_on(db)
    store = app.state.store
    with TestClient(app, base_url=ORIGIN) as c:
        enrol(c, store, settings, "single_parent")
        cookie = c.cookies.get(settings.session_cookie_name)
    assert cookie
    hh = household_id(store, "single_parent")
    tenant = household_id(store, "single_tenant")
    # a token per data type; insurance and rent come from organisations made here, linked to the household
    tokens = {"childcare_hours": make_feed_token(store, settings, KOO_ID, "childcare_hours"),
              "income": make_feed_token(store, settings, EMPLOYER_ID, "income")}
    persons = store.db().execute("SELECT id, role, bsn FROM persons WHERE household_id = ?", (hh,)).fetchall()
    adults = [p for p in persons if p[1] in ("applicant", "partner")]
    refs: dict[str, list[str]] = {}
    bsns: dict[str, list[str]] = {}
    for data_type, org in (("insurance", "zorgverzekeraar-fuzz"), ("rent", "verhuurder-fuzz"),
                           ("income", EMPLOYER_ID)):
        if data_type not in tokens:
            tokens[data_type] = make_feed_token(store, settings, org, data_type)
        who = persons if data_type == "insurance" else adults
        refs[data_type] = [link(store, settings, org, p[0], data_type) for p in who]
        bsns[data_type] = [p[2] for p in who]
    kids = [p for p in persons if p[1] == "child"]
    refs["childcare_hours"] = [link(store, settings, KOO_ID, p[0], "childcare_hours") for p in kids]
    bsns["childcare_hours"] = [p[2] for p in kids]
    # the income organisation also reaches the single tenant (the demo's link): a batch may touch two households
    refs["income"].append(link(store, settings, EMPLOYER_ID,
                               store.db().execute("SELECT id FROM persons WHERE household_id = ? AND role = "
                                                  "'applicant'", (tenant,)).fetchone()[0], "income"))
    # The lifespan already ran (in the TestClient above). Schemathesis would run it again in its own
    # portal and end it at teardown, which Litestar refuses (anyio: "exit a cancel scope that isn't the
    # current task's"); an app that rejects the lifespan scope is served without one.
    async def without_lifespan(scope, receive, send):
        if scope["type"] == "lifespan":
            raise RuntimeError("no lifespan")
        await app(scope, receive, send)

    with TestClient(app, base_url=ORIGIN) as c:
        raw = c.get("/schema/openapi.json").json()
    schema = schemathesis.openapi.from_dict(raw)
    schema.app = without_lifespan
    schema.location = "/schema/openapi.json"
    yield {"app": app, "settings": settings, "store": store, "cookie": cookie, "tokens": tokens, "schema": schema,
           "raw": raw, "pools": Pools(db, hh, refs, bsns), "db": db}
    store.close()


def test_fuzz_openapi(fuzz_env):
    env = fuzz_env
    app, settings, store, pools = env["app"], env["settings"], env["store"], env["pools"]
    cookie_name = settings.session_cookie_name
    hh = pools.hh
    operations = [r.ok() for r in env["schema"].get_all_operations()]
    assert len(operations) >= 30, [o.label for o in operations]
    started = time.monotonic()
    sent = Counter()
    statuses = Counter()
    per_op = Counter()
    failures: list[str] = []
    idem_pool = [f"fuzz-key-{i}" for i in range(8)]
    validator = problem_validator(env["raw"])

    def check(op, who: str, case, response, positive: bool) -> None:
        label = op.label
        sent[who] += 1
        per_op[(who, label, response.status_code)] += 1
        if os.environ.get("FUZZ_DEBUG") and response.status_code >= 400 and positive:
            print("DBG", who, label, response.status_code, repr(case.body)[:300], response.content[:200])
        statuses[response.status_code // 100 * 100] += 1
        ctype = (response.headers.get("content-type") or [""])[0]
        errors = problem_errors(response.status_code, ctype, response.content)
        errors += [e for e in conformance_errors(env["raw"], validator, op.method, op.path, response.status_code,
                                                 ctype, response.content) if e not in errors]
        if response.status_code >= 500:
            errors.insert(0, "server error")
        if errors and len(failures) < 50:
            failures.append(f"{who} {label} -> {response.status_code} {errors}: body={case.body!r:.300} "
                            f"path={case.path_parameters!r} query={case.query!r} answer={response.content[:300]!r}")

    def run(op, mode: GenerationMode, n: int, who: str, headers_for) -> None:
        if n <= 0 or time.monotonic() - started > TIME_BUDGET:
            return
        strategy = st.tuples(op.as_strategy(generation_mode=mode), st.integers(0, 2**32 - 1))

        @_hyp(n)
        @given(strategy)
        def one(pair):
            if time.monotonic() - started > TIME_BUDGET:
                return
            case, seed = pair
            rng = random.Random(seed)
            positive = mode is GenerationMode.POSITIVE
            headers = headers_for(op, case, rng, positive)
            response = case.call(headers=headers)
            check(op, who, case, response, positive)

        if SEED is not None:
            one = hypothesis_seed(int(SEED))(one)
        try:
            one()
        except Unsatisfiable:
            # nothing to make invalid: no body and no required parameter or credential (ping, the VAPID key)
            if mode is not GenerationMode.NEGATIVE or op.body or any(p.is_required for p in op.iter_parameters()):
                raise

    # -- the household -------------------------------------------------------------------------
    def household_headers(op, case, rng, positive):
        if positive:
            case.body = integral(case.body)
            steer_household(case.body, rng, pools)
            if op.path in ("/api/login/verify", "/api/passkeys/register/verify") and rng.random() < 0.7:
                login = op.path == "/api/login/verify"
                challenge = live_challenge(login)
                steer_passkey(case.body, rng, challenge, "webauthn.get" if login else "webauthn.create",
                              pools.credentials[0] if login else None, hh)
            if case.path_parameters and "prompt_id" in case.path_parameters and pools.prompts and rng.random() < 0.7:
                case.path_parameters["prompt_id"] = rng.choice(pools.prompts)
            if case.path_parameters and "passkey_id" in case.path_parameters and rng.random() < 0.3:
                case.path_parameters["passkey_id"] = rng.choice(pools.passkeys)
        token = env["cookie"]
        if op.path == "/api/logout" or op.path.startswith("/api/passkeys/{"):
            # logging out (or removing the passkey the session belongs to) would end the fuzz session
            token = mint_session(store, settings, hh)
        case.cookies = {k: v for k, v in (case.cookies or {}).items() if k != cookie_name}
        headers = {**CSRF, "Cookie": f"{cookie_name}={token}"}
        if op.method.upper() in ("POST", "PUT", "DELETE") and rng.random() < 0.5:
            headers["Idempotency-Key"] = rng.choice(idem_pool)
        return headers

    from api.auth.sessions import SessionInfo
    from api.util import iso, sha256_hex

    fuzz_session = SessionInfo(token_hash=sha256_hex(env["cookie"]), household_id=hh, kind="full",
                               passkey_id=pools.passkeys[0], created_at=iso(settings.now()))

    def live_challenge(login: bool) -> str:
        if login:
            opts = app.state.auth.login_options()
        else:
            opts = app.state.auth.registration_options(fuzz_session)
        return opts.public_key.challenge

    household_ops = [o for o in operations if o.path.startswith("/api/")]
    for op in household_ops:
        for mode, n in HOUSEHOLD.items():
            run(op, mode, n, "household", household_headers)
        pools.refresh()
    # the fuzz session is still the household's (nothing above may end it)
    with TestClient(app, base_url=ORIGIN) as c:
        r = c.get("/api/overview", headers={"Cookie": f"{cookie_name}={env['cookie']}"})
        assert r.status_code == 200, r.text

    # -- each feed ------------------------------------------------------------------------------
    feed_ops = {o.path: o for o in operations if o.path.startswith("/feeds/")}
    assert sorted(feed_ops) == ["/feeds/childcare-hours", "/feeds/income", "/feeds/income-final", "/feeds/insurance",
                                "/feeds/rent"]
    for data_type, token in env["tokens"].items():
        def feed_headers(op, case, rng, positive, data_type=data_type, token=token):
            if positive and op.path == "/feeds/" + data_type.replace("_", "-"):
                case.body = integral(case.body)
                steer_feed(case.body, rng, data_type, pools)
            headers = {"Authorization": f"Bearer {token}"}
            case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
            if rng.random() < 0.5:
                headers["Idempotency-Key"] = rng.choice(idem_pool)
            return headers

        for path, op in feed_ops.items():
            own = path == "/feeds/" + data_type.replace("_", "-")
            for mode, n in (FEED_OWN if own else FEED_OTHER).items():
                run(op, mode, n, f"feed:{data_type}", feed_headers)

    elapsed = time.monotonic() - started
    total = sum(sent.values())
    print(f"\nfuzz: {total} requests in {elapsed:.1f} s over {len(operations)} operations; per identity "
          f"{dict(sent)}; by status class {dict(sorted(statuses.items()))}; failures {len(failures)}")
    for (who, label, status), n in sorted(per_op.items()):
        print(f"  {who:22} {label:40} {status} x{n}")
    assert not failures, "\n".join(failures)
    assert statuses[500] == 0
    assert total >= MIN_REQUESTS, (total, dict(sent))
    # the fuzz did reach real work, not only refusals
    assert statuses[200] >= 300, dict(statuses)

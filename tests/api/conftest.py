"""Fixtures: a real database, copied per test from a demo seeded once per session: a SQLite file in a
temp folder, and (when a PostgreSQL server binary is installed) a database in the throwaway cluster
made once with CREATE DATABASE … TEMPLATE and put back to the template's rows for every later test
(tests/pgcluster.py, Cluster.checkout). Every test that uses `db_path` (through
`settings`, `app`, `client`) runs on each store. Also the app, a TestClient per household, and
helpers for the passkey ceremonies."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest
from litestar.testing import TestClient

from api import demo
from api.app import create_app
from api.settings import Settings
from api.store import Store
from api.store.migrate import migrate
from tests.conftest import copy_database, stores

from .soft_authenticator import SoftAuthenticator

TODAY = dt.date(2026, 11, 29)
ORIGIN = "http://localhost:8000"
CSRF = {"X-Requested-With": "fetch"}


def pytest_configure(config):
    # http://localhost:8000 is the real origin the passkeys are bound to
    config.addinivalue_line("filterwarnings", "ignore:The base_url .* might cause issues:UserWarning")


class FakeClock:
    def __init__(self, start: dt.datetime):
        self.current = start

    def __call__(self) -> dt.datetime:
        return self.current

    def advance(self, **kw) -> None:
        self.current += dt.timedelta(**kw)


def make_settings(db_path: Path, clock: FakeClock, **kw) -> Settings:
    return Settings(db_path=db_path, today=TODAY, clock=clock, origins=(ORIGIN,), rp_id="localhost", **kw)


def seed(settings: Settings) -> None:
    """A migrated database at settings.db_path with the demo households, seeded as on settings' day."""
    migrate(settings.db_path)
    store = Store(settings.db_path)
    demo.seed(store, settings)
    store.close()


def seeded_app(settings: Settings):
    """The app on a new demo database (seed) at settings.db_path."""
    seed(settings)
    return create_app(settings)


def seed_template(tmp_path_factory, name: str, today: dt.date = TODAY, cluster=None) -> Path | str:
    """A migrated demo database seeded as on `today` (09:00 UTC): a SQLite file checkpointed so it can
    be copied, or (given a cluster) a PostgreSQL database to use as a TEMPLATE; returns its path/URL."""
    if cluster is None:
        path = tmp_path_factory.mktemp(name) / "demo.db"
    else:
        path = cluster.create_database()
    clock = FakeClock(dt.datetime(today.year, today.month, today.day, 9, 0, tzinfo=dt.UTC))
    seed(make_settings(path, clock).with_(today=today))
    if cluster is None:
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


_TEMPLATES: dict = {}


def template(request, name: str, today: dt.date = TODAY) -> Path | str:
    """The seeded template `name` for this test's store, made once per session and store."""
    kind = request.getfixturevalue("store_kind")
    key = (name, kind)
    if key not in _TEMPLATES:
        cluster = request.getfixturevalue("pg_cluster") if kind == "postgresql" else None
        _TEMPLATES[key] = seed_template(request.getfixturevalue("tmp_path_factory"), name, today, cluster)
    return _TEMPLATES[key]


def copy_of(request, tmp_path: Path, source: Path | str, name: str = "toeslagen.db") -> Path | str:
    """A fresh copy of a template for one test: a file copy on SQLite; on PostgreSQL a database of the
    cluster put back to the template's rows (pgcluster.Cluster.checkout)."""
    return copy_database(request, request.getfixturevalue("store_kind"), source, tmp_path / name)


@pytest.fixture(params=stores())
def store_kind(request) -> str:
    return request.param


@pytest.fixture
def seeded_template(request, store_kind) -> Path | str:
    return template(request, "template")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(dt.datetime(2026, 11, 29, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def db_path(request, tmp_path, store_kind, seeded_template) -> Path | str:
    return copy_of(request, tmp_path, seeded_template)


@pytest.fixture
def settings(db_path, clock, tmp_path) -> Settings:
    pwa = tmp_path / "pwa"
    (pwa / "vendor").mkdir(parents=True)
    (pwa / "index.html").write_text("<!doctype html><title>Toeslagen</title>")
    (pwa / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (pwa / "manifest.webmanifest").write_text("{}")
    (pwa / "app.3f9a1c2e.js").write_text("export {};")
    (pwa / "vendor" / "micropython.wasm").write_bytes(b"\0asm\1\0\0\0")
    (pwa / "vendor" / "rules.mpypack").write_bytes(b"TRB1" + bytes(64))
    return make_settings(db_path, clock, pwa_dir=pwa)


@pytest.fixture
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    with TestClient(app, base_url=ORIGIN) as c:
        c.headers.update(CSRF)
        yield c


@pytest.fixture
def new_client(app, client):
    """Makes extra clients (other browsers / other households) on the same app. They do not run the
    app's lifespan again (the first client did)."""

    def make() -> TestClient:
        c = TestClient(app, base_url=ORIGIN)
        c.headers.update(CSRF)
        return c

    return make


def enrolled_on(request, tmp_path: Path, settings: Settings, day: dt.date, demo_key: str):
    """(app, client) on a demo seeded on `day` (a template of its own, copied for this test), the clock at
    9:00 that day and `demo_key` enrolled: for a test about a date other than TODAY (yield from it)."""
    path = copy_of(request, tmp_path, template(request, day.isoformat(), day), f"{day.isoformat()}.db")
    clock = FakeClock(dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.UTC))
    app = create_app(settings.with_(db_path=path, today=day, clock=clock))
    with TestClient(app, base_url=ORIGIN) as c:
        c.headers.update(CSRF)
        enrol(c, app, demo_key)
        yield app, c


def household_id(app, demo_key: str) -> str:
    from api.store import households

    return households.by_demo_key(app.state.store.db(), demo_key)["id"]


def issue_code(app, demo_key: str) -> str:
    with app.state.store.write() as db:
        return app.state.auth.issue_code(db, household_id(app, demo_key))


def enrol(client: TestClient, app, demo_key: str, authenticator: SoftAuthenticator | None = None) -> SoftAuthenticator:
    """Activation code → enrolment session → passkey registration → full session."""
    authenticator = authenticator or SoftAuthenticator()
    r = client.post("/api/activation", json={"code": issue_code(app, demo_key)})
    assert r.status_code == 200, r.text
    r = client.post("/api/passkeys/register/options")
    assert r.status_code == 200, r.text
    cred = authenticator.create(r.json()["publicKey"])
    r = client.post("/api/passkeys/register/verify", json={"credential": cred, "label": "Telefoon"})
    assert r.status_code == 201, r.text
    return authenticator


def login(client: TestClient, authenticator: SoftAuthenticator) -> dict:
    r = client.post("/api/login/options")
    assert r.status_code == 200, r.text
    r = client.post("/api/login/verify", json={"credential": authenticator.get(r.json()["publicKey"])})
    assert r.status_code == 200, r.text
    return r.json()


def is_problem(r, status: int | None = None) -> dict:
    assert r.headers["content-type"].startswith("application/problem+json"), (r.status_code, r.text)
    body = r.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert body["status"] == r.status_code
    if status is not None:
        assert r.status_code == status, r.text
    return body


DATA_TABLES = ("households", "persons", "homes", "childcare_contracts", "childcare_terms", "estimates",
               "applications", "events", "decisions", "decision_months", "payments", "idempotency_records",
               "feed_reports", "org_links", "organisations", "childcare_adoptions", "childcare_disputes")


def fingerprint(app) -> dict:
    """Every row of every data table: compare before/after to prove nothing changed. Sorted in
    Python: decision_months is a WITHOUT ROWID table."""
    db = app.state.store.db()
    return {t: sorted(db.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in DATA_TABLES}


def stores_nothing(client, app, path: str, body: dict) -> dict:
    """POST a preview: a 200 and every data table as before. Its answer."""
    before = fingerprint(app)
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    assert fingerprint(app) == before
    return r.json()


def refused_without_a_trace(client, app, paths: tuple[str, ...], body, status: int, field: str | None) -> None:
    """Each of `paths` (a preview and its submit) answers `body` with a problem: `status`, naming
    `field` (when given), with a title and a detail; and every data table is as before."""
    before = fingerprint(app)
    for path in paths:
        problem = is_problem(client.post(path, json=body, headers={"Idempotency-Key": "refused-1"}), status)
        if field:
            assert problem["field"] == field, problem
        assert problem["detail"] and problem["title"]
    assert fingerprint(app) == before

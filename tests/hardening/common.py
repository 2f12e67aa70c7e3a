"""Shared helpers of the hardening tests (issue #8) and bench/bench_load.py: a seeded temp database,
settings with a fixed day, sessions and feed tokens, problem+json checks, database snapshots, and a
REAL uvicorn server in its own process (tests/hardening/serve.py) that can be killed with SIGKILL."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from api import demo
from api.settings import Settings
from api.store import Store
from api.store.dialect import is_postgres
from api.store.migrate import migrate
from tests.api.soft_authenticator import SoftAuthenticator  # for the tests that import it from here

# The repository's root: pytest imports this module as `tests.hardening.common` from it (rootdir), the
# server below runs as `python -m tests.hardening.serve` with it as the working directory, and
# bench/bench_load.py puts it on sys.path itself (every bench script does, as it runs by path).
ROOT = Path(__file__).resolve().parents[2]

TODAY = dt.date(2026, 11, 29)
NOON = dt.datetime(2026, 11, 29, 11, 0, tzinfo=dt.UTC)
ORIGIN = "http://localhost:8000"
CSRF = {"X-Requested-With": "fetch"}
PROBLEM = "application/problem+json"
DATA_TYPES = ("childcare_hours", "income", "insurance", "rent")


def fixed_clock(at: dt.datetime = NOON):
    return lambda: at


def make_settings(db_path: Path, *, origin: str = ORIGIN, today: dt.date = TODAY, clock=None, **kw) -> Settings:
    kw.setdefault("activation_rate", (100_000, 60))
    kw.setdefault("login_rate", (100_000, 60))
    db_path = db_path if str(db_path).startswith("postgresql://") else Path(db_path)
    return Settings(db_path=db_path, today=today, clock=clock, origins=(origin,), rp_id="localhost", **kw)


def seed_db(path: Path | str, settings: Settings | None = None) -> Path | str:
    """Migrated and seeded with the demo households; on SQLite checkpointed so the file alone is the
    database. `path` may be a postgresql:// URL of an empty database."""
    settings = settings or make_settings(path, clock=fixed_clock())
    migrate(path)
    store = Store(path)
    try:
        demo.seed(store, settings)
    finally:
        store.close()
    if not is_postgres(path):
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return path


def app_on(db: Path | str, **kw):
    """The app on the database `db` (a path or a postgresql:// URL, already seeded), with the test origin
    and a fixed clock unless `kw` (make_settings' arguments) says otherwise: (app, settings)."""
    from api.app import create_app

    kw.setdefault("clock", fixed_clock())
    settings = make_settings(db, **kw)  # type: ignore[arg-type]
    return create_app(settings), settings


def seeded_app(path: Path, **kw):
    """The app on a new demo database at `path` (seed_db): (app, settings)."""
    return app_on(seed_db(path), **kw)


def fake_bsn(n: int) -> str:
    """The n-th elfproef-valid 9-digit number from 200000000 on (fictional, like the demo's)."""
    from api.util import bsn_valid

    x = 200_000_000 + n * 37
    while True:
        s = f"{x:09d}"
        if bsn_valid(s):
            return s
        x += 1


def add_demo_copies(path: Path, settings: Settings, copies: int, *, start: int = 1) -> list[str]:
    """More households like the three demo ones (demo keys "<key>_<i>", each person its own BSN), made
    with the demo's own seeding function, so a test can spread load over many households. Returns the
    new demo keys."""
    from api.store import households as households_store

    today = settings.today_date()
    now = settings.now().isoformat(timespec="seconds")
    store = Store(path)
    keys = []
    demo_bsn = dict(demo.BSN)  # demo._household reads demo.BSN[key]: extended here, restored below
    try:
        with store.write() as db:
            assert households_store.by_demo_key(db, demo.HOUSEHOLDS[0]["key"]) is not None, "seed the demo first"
            for i in range(start, start + copies):
                for spec in demo.HOUSEHOLDS:
                    persons = []
                    for key, role, name, birth, income, assets in spec["persons"]:
                        copy_key = f"{key}_{i}"
                        if copy_key not in demo.BSN:
                            demo.BSN[copy_key] = fake_bsn(len(demo.BSN))
                        persons.append((copy_key, role, name, birth, income, assets))
                    copy = {**spec, "key": f"{spec['key']}_{i}", "label": f"{spec['label']} {i}", "persons": persons}
                    contracts = [(f"{c[0]}_{i}", *c[1:]) for c in spec.get("contracts", [])]
                    if contracts:
                        copy["contracts"] = contracts
                    demo._household(db, copy, today.year, today, now, {})
                    keys.append(copy["key"])
    finally:
        demo.BSN.clear()
        demo.BSN.update(demo_bsn)
        store.close()
    if not str(path).startswith("postgresql://"):
        conn = sqlite3.connect(path)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.close()
    return keys


def household_id(store: Store, demo_key: str) -> str:
    from api.store import households

    return households.by_demo_key(store.db(), demo_key)["id"]


def mint_session(store: Store, settings: Settings, hh_id: str, kind: str = "full") -> str:
    """A session made through the service layer (api.auth.sessions), as login would make it."""
    from api.auth.sessions import Sessions
    from api.store import auth as auth_store

    with store.write() as db:
        pk = auth_store.passkeys(db, hh_id)
        return Sessions(store, settings).create(db, hh_id, kind, pk[0]["id"] if pk and kind == "full" else None)


def make_feed_token(store: Store, settings: Settings, org_id: str, data_type: str, name: str | None = None) -> str:
    from api.feeds.service import create_token
    from api.store import feeds as feeds_store
    from api.util import iso

    now = iso(settings.now())
    with store.write() as db:
        if feeds_store.organisation(db, org_id) is None:
            feeds_store.add_organisation(db, org_id, name or org_id, now)
        return create_token(db, org_id, data_type, now)


def link(store: Store, settings: Settings, org_id: str, person_id: str, data_type: str) -> str:
    """Lets `org_id` report `data_type` about a person; returns the pseudonymous reference."""
    from api.feeds.service import new_ref
    from api.store import feeds as feeds_store
    from api.util import iso

    with store.write() as db:
        existing = feeds_store.link_for_person(db, org_id, person_id, data_type)
        if existing:
            return existing["ref"]
        ref = new_ref()
        feeds_store.add_link(db, org_id, person_id, data_type, ref, iso(settings.now()))
        return ref


def enrol(client, store: Store, settings: Settings, demo_key: str, origin: str = ORIGIN,
          rp_id: str = "localhost") -> SoftAuthenticator:
    """Activation code → enrolment session → passkey (soft authenticator) → full session cookie."""
    from api.auth.service import AuthService
    from api.auth.sessions import Sessions

    auth = AuthService(store, settings, Sessions(store, settings))
    with store.write() as db:
        code = auth.issue_code(db, household_id(store, demo_key))
    authenticator = SoftAuthenticator(origin=origin, rp_id=rp_id)
    r = client.post("/api/activation", json={"code": code}, headers=CSRF)
    assert r.status_code == 200, r.text
    r = client.post("/api/passkeys/register/options", headers=CSRF)
    assert r.status_code == 200, r.text
    cred = authenticator.create(r.json()["publicKey"])
    r = client.post("/api/passkeys/register/verify", json={"credential": cred, "label": "Telefoon"}, headers=CSRF)
    assert r.status_code == 201, r.text
    return authenticator


def problem_errors(status: int, content_type: str, body: bytes) -> list[str]:
    """What is wrong with an error response (empty: a proper RFC 9457 problem)."""
    if status < 400:
        return []
    out = []
    if not (content_type or "").startswith(PROBLEM):
        out.append(f"content-type {content_type!r}")
        return out
    try:
        p = json.loads(body)
    except ValueError:
        return ["body is no JSON"]
    if not isinstance(p, dict):
        return ["body is no object"]
    missing = {"type", "title", "status", "detail"} - p.keys()
    if missing:
        out.append(f"missing {sorted(missing)}")
    if p.get("status") != status:
        out.append(f"status {p.get('status')!r} in body, {status} on the wire")
    for k in ("type", "title", "detail"):
        if k in p and not (isinstance(p[k], str) and p[k]):
            out.append(f"{k} is not a non-empty string")
    return out


# -- snapshots --------------------------------------------------------------------------------------

VOLATILE = {"rate_limits", "webauthn_challenges", "schema_migrations", "sqlite_sequence"}


def connect(db_path: Path | str):
    """Its own connection to the database of a test, SQLite file or PostgreSQL URL: sqlite3, or the
    store's PostgreSQL connection (the same `?` placeholders, `execute(...).fetchall()`, `close()`)."""
    if is_postgres(db_path):
        from api.store.db import connect as store_connect

        return store_connect(str(db_path))
    return sqlite3.connect(db_path)


def query(db_path: Path | str, sql: str, params=()) -> list[tuple]:
    conn = connect(db_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def tables(conn) -> list[str]:
    if isinstance(conn, sqlite3.Connection):
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
    else:
        sql = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    return [r[0] for r in conn.execute(sql).fetchall() if r[0] not in VOLATILE]


_PG_SCHEMA: dict[str, tuple[list[str], list[str]]] = {}


def _schema(conn, db_path) -> tuple[list[str], list[str]]:
    """(tables, the tables with a household_id column). Read once per PostgreSQL database: the tests do
    not change the schema, and PostgreSQL's catalog views take tens of milliseconds a query."""
    if isinstance(conn, sqlite3.Connection):
        names = tables(conn)
        return names, [t for t in names if "household_id" in [c[1] for c in conn.execute(f"PRAGMA table_info({t})")]]
    key = str(db_path)
    if key not in _PG_SCHEMA:
        names = tables(conn)
        found = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.columns"
                                            " WHERE table_schema = 'public' AND column_name = 'household_id'").fetchall()}
        _PG_SCHEMA[key] = (names, [t for t in names if t in found])
    return _PG_SCHEMA[key]


def _read(conn, queries: dict[str, tuple[str, tuple]]) -> dict[str, object]:
    """name -> every row of a query, in an order of their own (equal results compare equal). On
    PostgreSQL all queries go in one statement, each as a JSON array sorted by the row's text: the
    isolation matrix takes thousands of snapshots, and one round trip per table made it take minutes."""
    if isinstance(conn, sqlite3.Connection):
        return {name: sorted(map(repr, conn.execute(sql, params).fetchall())) for name, (sql, params) in queries.items()}
    names = list(queries)
    sql = "SELECT " + ", ".join(f"(SELECT coalesce(json_agg(r ORDER BY r::text), '[]')::text FROM ({queries[n][0]}) r)"
                                for n in names)
    params = tuple(p for n in names for p in queries[n][1])
    return dict(zip(names, conn.execute(sql, params).fetchone(), strict=True))


_PG_LAST: dict[tuple, tuple[int, dict]] = {}


def _unchanged_since(conn, key: tuple, read):
    """On PostgreSQL: `read()`'s result as last time when no transaction wrote anything since (no new
    transaction id was handed out: a read-only transaction gets none). Most requests of the isolation
    matrix are refused and write nothing; reading every table again for each took most of its time."""
    if isinstance(conn, sqlite3.Connection):
        return read()
    xmax = conn.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").fetchone()[0]
    last = _PG_LAST.get(key)
    if last is not None and last[0] == xmax:
        return last[1]
    result = read()
    _PG_LAST[key] = (xmax, result)
    return result


def snapshot(db_path: Path | str, skip: set[str] = frozenset()) -> dict[str, object]:
    """Every row of every table (rate limits and WebAuthn challenges apart), read on its own connection."""
    conn = connect(db_path)
    try:
        return _unchanged_since(conn, (str(db_path), "all", tuple(sorted(skip))), lambda: _read(
            conn, {t: (f"SELECT * FROM {t}", ()) for t in _schema(conn, db_path)[0] if t not in skip}))
    finally:
        conn.close()


def household_rows(db_path: Path | str, hh_id: str) -> dict[str, object]:
    """Every row that belongs to one household: tables with a household_id column, plus the rows hanging
    off its persons, contracts and decisions (org links, terms, decision months)."""
    conn = connect(db_path)
    try:
        names, with_household = _schema(conn, db_path)
        queries = {t: (f"SELECT * FROM {t} WHERE household_id = ?", (hh_id,)) for t in with_household}
        queries["org_links"] = (
            "SELECT l.* FROM org_links l JOIN persons p ON p.id = l.person_id WHERE p.household_id = ?", (hh_id,))
        queries["childcare_terms"] = (
            "SELECT t.* FROM childcare_terms t JOIN childcare_contracts c ON c.id = t.contract_id "
            "WHERE c.household_id = ?", (hh_id,))
        if "decision_months" in names:
            queries["decision_months"] = (
                "SELECT m.* FROM decision_months m JOIN decisions d ON d.id = m.decision_id WHERE d.household_id = ?",
                (hh_id,))
        queries["households"] = ("SELECT * FROM households WHERE id = ?", (hh_id,))
        return _unchanged_since(conn, (str(db_path), hh_id), lambda: _read(conn, queries))
    finally:
        conn.close()


def integrity(db_path: Path) -> tuple[str, list]:
    conn = sqlite3.connect(db_path)
    try:
        ok = "\n".join(r[0] for r in conn.execute("PRAGMA integrity_check").fetchall())
        fks = conn.execute("PRAGMA foreign_key_check").fetchall()
        return ok, fks
    finally:
        conn.close()


# -- a real server process --------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerProcess:
    """`python -m tests.hardening.serve` (create_app + uvicorn, one worker) on 127.0.0.1."""

    def __init__(self, db_path: Path, *, today: dt.date = TODAY, port: int | None = None, log_path: Path | None = None,
                 extra: list[str] | None = None, env: dict | None = None):
        self.db_path = db_path if str(db_path).startswith("postgresql://") else Path(db_path)
        self.today = today
        self.port = port or free_port()
        self.log_path = log_path
        self.extra = extra or []
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    @property
    def origin(self) -> str:
        return f"http://localhost:{self.port}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> ServerProcess:
        cmd = [sys.executable, "-m", "tests.hardening.serve", "--db", str(self.db_path), "--port", str(self.port),
               "--today", self.today.isoformat(), *self.extra]
        env = {**os.environ, "PYTHONUNBUFFERED": "1", **self.env}  # `-m` from ROOT: api and tests import
        if self.log_path is None:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        else:
            # the child gets its own copy of the descriptor: ours can close as soon as it has started
            with open(self.log_path, "ab") as log:
                self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}")
            try:
                with urllib.request.urlopen(self.base + "/api/ping", timeout=1) as r:
                    if r.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.05)
        raise RuntimeError("server did not start")

    def kill9(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.kill9()

    def rss_kb(self) -> int:
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        return 0

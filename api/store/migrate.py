"""Numbered migrations: api/store/migrations/NNNN_name.sql, applied once each, in order, on SQLite or
PostgreSQL. A migration is written once in the SQL both understand; PostgreSQL runs it through
dialect.migration() (a few mechanical translations), or runs `NNNN_name.pg.sql` instead when a
migration ships one."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from . import dialect
from .db import Handle, connect

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# pg_advisory_lock key: nodes that start together migrate one after the other
MIGRATE_LOCK = dialect.WRITE_LOCK + 1


def available() -> list[tuple[int, Path]]:
    found = []
    for p in sorted(MIGRATIONS_DIR.iterdir()):
        m = _NAME.match(p.name)
        if m:
            found.append((int(m.group(1)), p))
    versions = [v for v, _ in found]
    if len(set(versions)) != len(versions):
        raise RuntimeError("two migrations share a number")
    return found


def script(file: Path, dialect_name: str) -> str:
    """The SQL of one migration as `dialect_name` runs it."""
    if dialect_name == "postgresql":
        override = file.with_name(file.name[:-len(".sql")] + ".pg.sql")
        if override.exists():
            return override.read_text(encoding="utf-8")
        return dialect.migration(file.read_text(encoding="utf-8"))
    return file.read_text(encoding="utf-8")


def applied(db: Handle) -> set[int]:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {r[0] for r in db.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(path: Path | str) -> list[str]:
    """Bring the database at `path` (a file, or a postgresql:// URL) up to date, creating a SQLite file
    when missing. Returns what was applied."""
    postgres = dialect.is_postgres(path)
    if not postgres:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        if postgres:
            db.execute(f"SELECT pg_advisory_lock({MIGRATE_LOCK})")
        done = applied(db)
        ran = []
        for version, file in available():
            if version in done:
                continue
            sql = script(file, "postgresql" if postgres else "sqlite")
            now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
            try:
                db.conn.executescript(
                    ("BEGIN;\n" if postgres else "BEGIN IMMEDIATE;\n") + sql + "\n"
                    f"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({version}, '{file.name}', '{now}');\n"
                    "COMMIT;"
                )
            except Exception:
                if db.conn.in_transaction:
                    db.execute("ROLLBACK")
                raise
            ran.append(file.name)
        return ran
    finally:
        if postgres and not db.conn.in_transaction:
            db.execute(f"SELECT pg_advisory_unlock({MIGRATE_LOCK})")
        db.close()

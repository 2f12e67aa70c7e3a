"""Numbered migrations: api/store/migrations/NNNN_name.sql, applied once each, in order."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import sqlite_utils

from .db import connect

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


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


def applied(db: sqlite_utils.Database) -> set[int]:
    db.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    return {r[0] for r in db.execute("SELECT version FROM schema_migrations").fetchall()}


def migrate(path: Path | str) -> list[str]:
    """Bring the database at `path` up to date (creating it when missing). Returns what was applied."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = connect(path)
    try:
        done = applied(db)
        ran = []
        for version, file in available():
            if version in done:
                continue
            sql = file.read_text(encoding="utf-8")
            now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
            try:
                db.conn.executescript(
                    "BEGIN IMMEDIATE;\n" + sql + "\n"
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
        db.close()

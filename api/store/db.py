"""The SQLite connection: WAL, foreign keys on, one connection per thread, explicit transactions."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import sqlite_utils


class Rollback(Exception):
    """Raise inside `Store.write()` to undo the transaction on purpose (a dry run)."""


def connect(path: Path | str) -> sqlite_utils.Database:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return sqlite_utils.Database(conn)


class Store:
    """Hands out one sqlite-utils Database per thread; writes run in BEGIN IMMEDIATE transactions."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[sqlite_utils.Database] = []
        self._lock = threading.Lock()

    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = connect(self.path)
            self._local.db = db
            with self._lock:
                self._all.append(db)
        return db

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a transaction that
        reads and then writes never fails on a lock upgrade."""
        db = self.db()
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except Rollback:
            db.execute("ROLLBACK")
        except BaseException:
            if db.conn.in_transaction:
                db.execute("ROLLBACK")
            raise
        else:
            db.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """A consistent snapshot for several reads."""
        db = self.db()
        if db.conn.in_transaction:
            yield db
            return
        db.execute("BEGIN")
        try:
            yield db
        finally:
            if db.conn.in_transaction:
                db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            for db in self._all:
                try:
                    db.close()
                except Exception:  # pragma: no cover - closing a connection of a dead thread
                    pass
            self._all.clear()
        self._local = threading.local()


# -- small query helpers (db.query() wraps every read in a savepoint; these are lighter) ---------

def rows(db: sqlite_utils.Database, sql: str, params: Any = ()) -> list[dict]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def row(db: sqlite_utils.Database, sql: str, params: Any = ()) -> dict | None:
    cur = db.execute(sql, params)
    r = cur.fetchone()
    if r is None:
        return None
    return dict(zip([d[0] for d in cur.description], r))


def scalar(db: sqlite_utils.Database, sql: str, params: Any = ()) -> Any:
    r = db.execute(sql, params).fetchone()
    return None if r is None else r[0]

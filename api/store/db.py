"""The store's connections: SQLite (a file: WAL, foreign keys on; one connection per thread) or
PostgreSQL (a postgresql:// URL: a psycopg pool, a connection borrowed per transaction), explicit
transactions. `TOESLAGEN_DB` picks one; the dialect points are in store/dialect.py."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import sqlite_utils

from . import dialect

if TYPE_CHECKING:
    from .pg import AsyncReader, Pool


def _integrity_errors() -> tuple[type[Exception], ...]:
    import psycopg

    return (sqlite3.IntegrityError, psycopg.IntegrityError)


# A constraint or an append-only trigger refused the statement (either store).
IntegrityError = _integrity_errors()


class Cursor(Protocol):
    """What `Handle.execute()` returns: sqlite3.Cursor, or pg.PgCursor."""

    @property
    def description(self) -> Any: ...
    @property
    def rowcount(self) -> int: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class HandleConn(Protocol):
    """`Handle.conn`: sqlite3.Connection, or pg._Conn (the members of it the store uses)."""

    @property
    def in_transaction(self) -> bool: ...
    def executemany(self, sql: str, params: Any, /) -> object: ...
    def executescript(self, sql: str, /) -> object: ...
    def close(self) -> None: ...


class Handle(Protocol):
    """The `db` handle of either store: sqlite-utils' `Database` on SQLite, `pg.PgDatabase` on PostgreSQL
    (which offers just this part of `Database`, see store/pg.py). `connect()` returns one. `Store`'s
    `db()`/`write()`/`read()` are still typed as sqlite_utils.Database, because that is what the domain
    modules annotate their `db` parameters with; code that must run on both stores may use only this."""

    @property
    def conn(self) -> HandleConn: ...
    def execute(self, sql: str, params: Any = ..., /) -> Cursor: ...
    def close(self) -> None: ...


class Rollback(Exception):
    """Raise inside `Store.write()` to undo the transaction on purpose (a dry run)."""


def connect(path: Path | str) -> Handle:
    """One connection, outside any Store (migrations, tools): SQLite file or PostgreSQL URL."""
    if dialect.is_postgres(path):
        from .pg import connect as pg_connect

        return pg_connect(str(path))
    return sqlite_utils.Database(_sqlite(path))


def _sqlite(path: Path | str) -> sqlite3.Connection:
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=5.0)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


# Connections for the reads on the event loop (Store.fetch), per process: each read holds one for one
# round trip, so a few serve hundreds of requests a second.
ASYNC_READERS = 4


def connections_per_process() -> int:
    """The size of one API process's PostgreSQL pool. A request thread holds a connection only inside a
    transaction (and for a statement outside one: pg.PgDatabase), not while it waits between requests,
    so the pool is sized for the transactions that run at once, not for the threads (anyio's 40, the
    executor's, the jobs thread: 50 on 2 cores, when each thread kept its own connection). One process
    runs Python on one core at a time (the GIL), so few of its transactions make progress together; the
    others wait for a household's lock or their turn on the CPU, holding a connection. 4 per core plus 8
    covers that; a request beyond it waits for a connection to come back (the pool serves waiters in
    turn, up to pg.BORROW_WAIT), it does not fail."""
    return 4 * (os.cpu_count() or 1) + 8


# SQLSTATEs of a PostgreSQL transaction that lost a deadlock or a serialization check: it was rolled
# back whole, so running it again from the start is safe (nothing of the first attempt stays).
RETRYABLE = ("40001", "40P01")  # serialization_failure, deadlock_detected


def retryable(e: BaseException) -> bool:
    return getattr(e, "sqlstate", None) in RETRYABLE


# How long a write waits for the other writers of this process before it gives up ("database is locked").
WRITE_WAIT = 30.0


class Store:
    """Hands out one sqlite-utils Database per thread (on PostgreSQL: a pg.PgDatabase per thread, which
    borrows a pool connection per transaction);
    writes run in BEGIN IMMEDIATE transactions (PostgreSQL: BEGIN plus advisory locks, see `write`).

    On SQLite the writers of one process take turns on a lock before BEGIN IMMEDIATE. SQLite has one writer at a
    time anyway, but its busy handler polls instead of queueing: with a few dozen request threads
    waiting, one of them could poll past busy_timeout while the others kept winning, and its request
    failed with "database is locked" (a 500 under load). Other processes (the scan, the CLI) still
    meet the busy_timeout.

    The connection of a thread that has ended is closed when the next thread opens one: the worker
    threads of anyio end after 10 s idle and new ones start under load, and every new one opened a
    connection that was never closed (file handles and page cache piling up for as long as the
    server ran)."""

    def __init__(self, path: Path | str, *, pool_size: int | None = None):
        self.dialect = "postgresql" if dialect.is_postgres(path) else "sqlite"
        # a file for SQLite; the URL (kept as given) for PostgreSQL
        self.path: str | Path = str(path) if self.dialect == "postgresql" else Path(path)
        self._local = threading.local()
        self._all: list[tuple[threading.Thread, sqlite_utils.Database]] = []
        self._lock = threading.Lock()
        self._writer = threading.RLock()
        self._pool: Pool | None = None
        self._pool_size = pool_size or connections_per_process()
        self._reader: tuple[asyncio.AbstractEventLoop, AsyncReader] | None = None

    def _open(self) -> sqlite_utils.Database:
        if isinstance(self.path, Path):  # SQLite
            self.path.parent.mkdir(parents=True, exist_ok=True)
            return sqlite_utils.Database(_sqlite(self.path))
        from .pg import PgDatabase, Pool

        with self._lock:
            if self._pool is None:
                self._pool = Pool(self.path, self._pool_size)
            pool = self._pool
        # PgDatabase is the `Handle` part of sqlite_utils.Database: the type the domain modules take; it
        # borrows a connection of the pool per transaction (and per statement outside one)
        return cast(sqlite_utils.Database, PgDatabase(None, pool=pool))

    def db(self) -> sqlite_utils.Database:
        db = getattr(self._local, "db", None)
        if db is None:
            with self._lock:  # first give back what threads that have ended held (a pool has a size)
                alive = []
                for thread, other in self._all:
                    if thread.is_alive():
                        alive.append((thread, other))
                    else:  # its thread is gone: nobody uses it any more
                        _close(other)
                self._all = alive
            db = self._open()
            self._local.db = db
            with self._lock:
                alive = list(self._all)
                alive.append((threading.current_thread(), db))
                self._all = alive
        return db

    def connections(self) -> int:
        """How many connections this store holds open: SQLite's, one per thread; PostgreSQL's pool."""
        with self._lock:
            return self._pool.opened() if self._pool is not None else len(self._all)

    @contextmanager
    def write(self, household: str | list[str] | None = None) -> Iterator[sqlite_utils.Database]:
        """One write transaction. BEGIN IMMEDIATE takes the write lock up front, so a transaction that
        reads and then writes never fails on a lock upgrade.

        `household`: the one household this transaction writes (and reads to decide what to write), or
        the list of them (a scan batch). On PostgreSQL it then waits only for other writes of those
        households (and for writes that are not tied to households), see dialect.write_locks; without
        it, it runs alone as on SQLite. On
        PostgreSQL the process-wide turn-taking lock is not taken: the advisory locks queue waiters
        fairly, and it would make the writes of different households of one node wait in line."""
        db = self.db()
        sqlite = self.dialect == "sqlite"
        if sqlite and not self._writer.acquire(timeout=WRITE_WAIT):
            raise sqlite3.OperationalError("database is locked")
        try:
            try:
                # BEGIN and the locks in one round trip on PostgreSQL (run in order: BEGIN, global, household)
                execute_all(db, [(dialect.BEGIN_WRITE[self.dialect], ()),
                                 *dialect.write_locks(self.dialect, household)])
                yield db
            except Rollback:
                db.execute("ROLLBACK")
            except BaseException:
                if db.conn.in_transaction:
                    db.execute("ROLLBACK")
                raise
            else:
                db.execute("COMMIT")
        finally:
            if sqlite:
                self._writer.release()

    def run_write(self, fn: Callable[[sqlite_utils.Database], object], *, household: str | list[str] | None = None,
                  attempts: int = 3) -> object:
        """`fn(db)` in one write transaction (`write`), returning what it returns. On PostgreSQL a
        transaction that lost a deadlock or a serialization check is rolled back whole and `fn` runs
        again (up to `attempts` times): `fn` must get everything it writes from `db` (and its
        arguments), so a second run is the first run over. The household locks keep these rare (two
        transactions only meet on rows outside their households), but a request must not fail on one."""
        for attempt in range(attempts):
            try:
                with self.write(household=household) as db:
                    return fn(db)
            except Exception as e:
                if attempt + 1 < attempts and retryable(e):
                    continue
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """A consistent snapshot for several reads."""
        db = self.db()
        if db.conn.in_transaction:
            yield db
            return
        db.execute(dialect.BEGIN_READ[self.dialect])
        try:
            yield db
        finally:
            if db.conn.in_transaction:
                db.execute("COMMIT")

    def select(self, queries: Mapping[str, tuple[str, Sequence[Any]]]) -> dict[str, list[dict]]:
        """`select_many` from one snapshot. On PostgreSQL the one statement is its own snapshot: no
        transaction around it (BEGIN and COMMIT would be two more round trips); on SQLite the queries run
        in a read transaction (or in the one this thread is in)."""
        if self.dialect == "postgresql":
            return select_many(self.db(), queries)
        with self.read() as db:
            return select_many(db, queries)

    async def fetch(self, query: tuple[str, Sequence[Any]]) -> list[dict]:
        """The rows of one read, `rows` as gives them, on the event loop without a worker thread: for the
        small reads every request makes (its session, a stored overview), where the hop to a worker thread
        and back cost more than the read. SQLite reads in the loop's own thread (a local read of a few
        rows by key: tens of microseconds; a read never waits for a writer in WAL mode); PostgreSQL
        through an asyncio connection (pg.AsyncReader). Only single statements: no transaction."""
        sql, params = query
        if self.dialect == "sqlite":
            return rows(self.db(), sql, params)
        loop = asyncio.get_running_loop()
        if self._reader is None or self._reader[0] is not loop:
            from .pg import AsyncReader

            assert isinstance(self.path, str)
            self._reader = (loop, AsyncReader(self.path, ASYNC_READERS))
        return await self._reader[1].rows(sql, params)

    async def aclose(self) -> None:
        """Closes the event loop's connections (the app's shutdown; `close` closes the others)."""
        reader, self._reader = self._reader, None
        if reader is not None and reader[0] is asyncio.get_running_loop():
            await reader[1].close()

    def close(self) -> None:
        with self._lock:
            for _, db in self._all:
                _close(db)
            self._all.clear()
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            self._reader = None  # its loop closes it (aclose); a loop that has ended took its connections along
        self._local = threading.local()


def _close(db: sqlite_utils.Database) -> None:
    with contextlib.suppress(Exception):  # pragma: no cover - closing a connection of a dead thread
        db.close()


# -- small query helpers (db.query() wraps every read in a savepoint; these are lighter) ---------

def rows(db: Handle, sql: str, params: Any = ()) -> list[dict]:
    cur = db.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]


def row(db: Handle, sql: str, params: Any = ()) -> dict | None:
    cur = db.execute(sql, params)
    r = cur.fetchone()
    if r is None:
        return None
    return dict(zip([d[0] for d in cur.description], r, strict=True))


def execute_all(db: Handle, statements: list[tuple[str, Any]]) -> list[Cursor]:
    """Statements that do not need each other's results, in order: on PostgreSQL in one round trip
    (pg.PgDatabase.execute_all, a pipeline); on SQLite, which has no round trips, one after the other."""
    pipelined = getattr(db, "execute_all", None)
    if pipelined is None:
        return [db.execute(sql, params) for sql, params in statements]
    return cast(list[Cursor], pipelined(statements))


def select_many(db: Handle, queries: Mapping[str, tuple[str, Sequence[Any]]]) -> dict[str, list[dict]]:
    """The rows of several queries (`name: (sql, params)`), by name, each as `rows` gives them. PostgreSQL
    runs them as ONE statement (pg.PgDatabase.select_many): a read of many small tables then costs one
    round trip instead of one per table, which on PostgreSQL is most of a read's cost. SQLite runs them
    one after the other (an in-process call each): inside a transaction for one snapshot (Store.select)."""
    many = getattr(db, "select_many", None)
    if many is not None:
        return many(queries)
    return {name: rows(db, sql, params) for name, (sql, params) in queries.items()}


def scalar(db: Handle, sql: str, params: Any = ()) -> Any:
    r = db.execute(sql, params).fetchone()
    return None if r is None else r[0]

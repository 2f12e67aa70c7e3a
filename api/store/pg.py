"""PostgreSQL behind the same small surface the store modules use on SQLite.

The aggregate modules call `db.execute(sql, params)` (and read `fetchone`, `fetchall`,
`description`, `rowcount` off what it returns), `db.conn.executemany`, `db.conn.in_transaction` and
`db.close()`: that is all of sqlite-utils' `Database` the application uses. `PgDatabase` offers
exactly that over one psycopg 3 connection (autocommit; explicit BEGIN/COMMIT as on SQLite),
translating `?` placeholders (store/dialect.py). Why a wrapper and not an ORM or a second set of
queries: the SQL is already written once in the portable subset, so a 100-line adapter keeps one copy
of every query, and the tests show where the two databases differ.

Values: a Python bool is sent as an integer (the schema's flags are 0/1 integers, as on SQLite);
`numeric` results (PostgreSQL's sum() of bigints) come back as int when whole."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

import msgspec
import psycopg
from psycopg.adapt import Loader
from psycopg.types.numeric import IntDumper

from . import dialect

R = TypeVar("R")


class _BoolAsInt(IntDumper):
    def dump(self, obj):
        return b"1" if obj else b"0"


class _NumericLoader(Loader):
    def load(self, data):
        d = Decimal(bytes(data).decode())
        return int(d) if d == d.to_integral_value() else float(d)


def configure(conn: psycopg.Connection) -> None:
    conn.adapters.register_dumper(bool, _BoolAsInt)
    conn.adapters.register_loader("numeric", _NumericLoader)


class PgCursor:
    """What `db.execute()` returns: the rows of one statement (a hidden `rowid` column left out), read
    off the connection at once, so that the connection can go back to the pool before they are used."""

    __slots__ = ("_at", "_rows", "description", "rowcount")

    def __init__(self, cur: psycopg.Cursor):
        self.rowcount = cur.rowcount
        desc = cur.description
        rows = cur.fetchall() if desc is not None else []
        if desc is not None:
            names = [d.name for d in desc]
            if "rowid" in names:
                skip = names.index("rowid")
                desc = [d for i, d in enumerate(desc) if i != skip]
                rows = [r[:skip] + r[skip + 1:] for r in rows]
        self.description = desc
        self._rows = rows
        self._at = 0

    def fetchone(self):
        if self._at >= len(self._rows):
            return None
        self._at += 1
        return self._rows[self._at - 1]

    def fetchall(self):
        rows = self._rows[self._at:] if self._at else self._rows
        self._rows, self._at = [], 0
        return rows

    def __iter__(self):
        return iter(self.fetchall())


class _Conn:
    """`db.conn`: the few sqlite3.Connection members the store uses. `raw` is the psycopg connection
    the handle holds now: None for a pooled handle outside a transaction (PgDatabase)."""

    def __init__(self, db: PgDatabase, raw: psycopg.Connection | None):
        self._db = db
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        # UNKNOWN (a lost connection) is no transaction: there is nothing left to roll back
        return self.raw is not None and self.raw.info.transaction_status in _IN_TRANSACTION

    def executemany(self, sql: str, params: Iterable[Any]) -> None:
        params = list(params)

        def run(raw: psycopg.Connection) -> None:
            with raw.cursor() as cur:
                cur.executemany(dialect.placeholders(sql), params)

        self._db.run(run, [sql])

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        """Many rows with COPY … FROM STDIN: for generated data sets, several times faster than
        executemany (one stream, no statement per row). `table` and `columns` are trusted names."""
        def run(raw: psycopg.Connection) -> None:
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
                for r in rows:
                    cp.write_row(r)

        self._db.run(run, ["COPY"])

    def executescript(self, sql: str) -> None:
        # no parameters: psycopg sends it as one simple query, many statements
        self._db.run(lambda raw: raw.execute(sql), [sql])

    def close(self) -> None:
        self._db.close()


_IN_TRANSACTION = (psycopg.pq.TransactionStatus.ACTIVE, psycopg.pq.TransactionStatus.INTRANS,
                   psycopg.pq.TransactionStatus.INERROR)

# How long a request waits for a connection of the pool: while every connection is in use it waits for
# one to come back (the pool serves waiters in turn); after its own was lost (PostgreSQL restarted, a
# network cut) it waits RECONNECT_WAIT, short, so a request during an outage soon gets its 503
# (web/problems.py) instead of hanging.
BORROW_WAIT = 30.0
RECONNECT_WAIT = 3.0


class PgDatabase:
    """One thread's handle. Outside a pool (`connect`) it keeps its connection. With a pool (the Store's)
    it holds a connection only while it needs one: a statement outside a transaction borrows one for
    that statement, and BEGIN keeps the one it ran on until COMMIT or ROLLBACK, so a transaction's
    statements all run on one connection and the read-check-write of a request stays one transaction.
    A thread that waits between requests (most of anyio's worker threads, most of the time) holds
    none, so a process needs connections for the transactions that run at once, not for its threads."""

    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection | None, pool: Pool | None = None):
        self.conn = _Conn(self, raw)
        self._pool = pool

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        args = tuple(params) if params is not None else ()

        def run(raw: psycopg.Connection) -> PgCursor:
            cur = raw.cursor()
            cur.execute(dialect.placeholders(sql), args)
            return PgCursor(cur)

        return self.run(run, [sql])

    def execute_all(self, statements: list[tuple[str, Any]]) -> list[PgCursor]:
        """Several statements that do not need each other's results, sent in one round trip (a psycopg
        pipeline: the server still runs them one after the other, in order); their cursors, in order.
        Inside a transaction they are part of it; outside one the pipeline is one implicit transaction."""
        def run(raw: psycopg.Connection) -> list[PgCursor]:
            cursors = []
            with raw.pipeline():
                for sql, params in statements:
                    cur = raw.cursor()
                    cur.execute(dialect.placeholders(sql), tuple(params) if params is not None else ())
                    cursors.append(cur)
            return [PgCursor(c) for c in cursors]

        return self.run(run, [sql for sql, _ in statements])

    def run(self, fn: Callable[[psycopg.Connection], R], sqls: list[str]) -> R:
        """`fn(connection)` on the connection this handle holds, or on one borrowed for it (given back
        afterwards unless `fn` left a transaction open: BEGIN). A connection the server dropped
        (a restart, a network cut) shows on the first statement after it: outside a transaction BEGIN and
        plain reads did nothing yet and run again on a checked connection; anything else (a write, a
        statement inside a transaction) raises (503, the client retries with its Idempotency-Key)."""
        if self._pool is None:
            assert self.conn.raw is not None
            return fn(self.conn.raw)
        idle = not self.conn.in_transaction
        try:
            try:
                return fn(self._hold(RECONNECT_WAIT))
            except psycopg.OperationalError:
                raw = self.conn.raw
                if raw is None or not raw.broken or not (idle and all(_safe_to_repeat(s) for s in sqls)):
                    raise
                # the server went away under it: the pool's other idle connections are likely gone too,
                # so they are checked (and replaced) before the statement runs again on one of them
                self._give_back()
                self._pool.check()
                return fn(self._hold(RECONNECT_WAIT))
        finally:
            if not self.conn.in_transaction:
                self._give_back()

    def select_many(self, queries: Mapping[str, tuple[str, Sequence[Any]]]) -> dict[str, list[dict]]:
        """db.select_many in one statement: each query's rows aggregated as a JSON array, the arrays in one
        JSON object. One statement sees one snapshot, so no transaction is needed around it. A row comes
        back as `rows` gives it: its columns in order, a hidden `rowid` left out; the tables this is used
        for hold integers, text and NULL, which JSON carries unchanged (not bytea, numeric or timestamps).
        Order: json_agg takes the rows in the order the subquery sorted them (PostgreSQL never flattens a
        subquery with ORDER BY into the outer query; its manual names this form for ordered aggregates)."""
        parts: list[str] = []
        args: list[Any] = []
        for name, (sql, params) in queries.items():
            if not name.isidentifier():
                raise ValueError(f"query name {name!r}")
            parts.append(f"'{name}', (SELECT coalesce(json_agg(q), '[]'::json) FROM ({sql}) AS q)")
            args.extend(params)
        # as text, decoded by msgspec (a third faster than psycopg's json.loads on these ~10 KB)
        text = self.execute(f"SELECT json_build_object({', '.join(parts)})::text", args).fetchone()[0]
        found = msgspec.json.decode(text)
        for rows in found.values():
            for r in rows:
                r.pop("rowid", None)
        return found

    def _hold(self, wait: float) -> psycopg.Connection:
        assert self._pool is not None
        if self.conn.raw is None:
            self.conn.raw = self._pool.borrow(wait)
        return self.conn.raw

    def _give_back(self) -> None:
        """The connection back to the pool (which throws a lost one away and rolls back anything left open)."""
        raw, self.conn.raw = self.conn.raw, None
        if raw is not None and self._pool is not None:
            self._pool.give_back(raw)

    def close(self) -> None:
        if self._pool is None:
            if self.conn.raw is not None:
                self.conn.raw.close()
        else:
            self._give_back()


def _safe_to_repeat(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head.startswith("BEGIN") or head == "SELECT"


class Pool:
    """The connections of one process: opened on demand up to `size` (the transactions that run at once,
    PgDatabase), kept open while idle; psycopg_pool's ConnectionPool, which serves waiters in turn, plus
    a count of the connections lent out, to tell the two reasons a borrower waits apart.

    No check on hand-out (it would cost a round trip per borrowed connection, that is per transaction):
    a lost connection shows on its first statement, and PgDatabase.run then checks the idle ones.
    reconnect_timeout: the pool's attempts to connect back off exponentially (1, 2, 4, … s) until they
    give up; after a long outage the default (5 minutes) left the next attempt up to two minutes away
    while the server was back. Giving up after 10 s lets the next request start afresh."""

    def __init__(self, url: str, size: int):
        from psycopg_pool import ConnectionPool

        self.size = size
        self._lent = 0
        self._lock = threading.Lock()
        self._pool: ConnectionPool = ConnectionPool(
            url, min_size=1, max_size=size, kwargs={"autocommit": True}, configure=configure, open=True,
            name="toeslagen", reconnect_timeout=10.0)

    def borrow(self, wait: float) -> psycopg.Connection:
        """A connection; waits `wait` seconds for the pool to open one (PoolTimeout, an OperationalError,
        after that: the server is unreachable), but up to BORROW_WAIT while every connection is lent out
        (they come back as their transactions end)."""
        from psycopg_pool import PoolTimeout

        try:
            raw = self._pool.getconn(timeout=wait)
        except PoolTimeout:
            with self._lock:
                busy = self._lent >= self.size
            if not busy:
                raise
            raw = self._pool.getconn(timeout=BORROW_WAIT)
        with self._lock:
            self._lent += 1
        return raw

    def give_back(self, raw: psycopg.Connection) -> None:
        with self._lock:
            self._lent -= 1
        self._pool.putconn(raw)

    def check(self) -> None:
        """Tests the idle connections, replacing the lost ones (after a restart of the server)."""
        self._pool.check()

    def opened(self) -> int:
        """How many connections are open (or being opened) now."""
        return int(self._pool.get_stats().get("pool_size", 0))

    def close(self) -> None:
        self._pool.close()


class AsyncReader:
    """Reads on the event loop (Store.fetch): the session of every request and the stored overview.
    Through the worker threads, each such read paid two thread hops, which cost more of the process's one
    core than the read itself (measured: a session and a stored overview at 21 % of hello-world through
    a thread, 32 % on the loop). A few psycopg asyncio connections in autocommit (each read is one
    statement, its own snapshot), opened on demand and kept while idle, at most `size` in use at once.
    No pool with tasks of its own (psycopg_pool's AsyncConnectionPool): its tasks outlived the event loops
    of the test client, which start and end per request. Made for one event loop (its connections belong
    to it); Store.fetch makes another for another loop.

    A lost connection (a restart) shows on its first statement: the idle ones are then dropped and the
    read runs once more on a new connection, as PgDatabase.run does for plain reads. While the server
    cannot be reached, connecting fails after RECONNECT_WAIT (503)."""

    def __init__(self, url: str, size: int):
        self.url = url
        self.size = size
        self._idle: list[psycopg.AsyncConnection] = []
        self._turns: asyncio.Semaphore | None = None

    async def rows(self, sql: str, params: Sequence[Any]) -> list[dict]:
        if self._turns is None:
            self._turns = asyncio.Semaphore(self.size)
        args = tuple(params)
        async with asyncio.timeout(BORROW_WAIT):  # in turn while all are in use, as Pool.borrow waits
            await self._turns.acquire()
        try:
            for attempt in range(2):
                conn = self._idle.pop() if self._idle else await self._connect()
                try:
                    cur = await conn.execute(dialect.placeholders(sql), args)
                    names = [d.name for d in cur.description or ()]
                    found = [dict(zip(names, r, strict=True)) for r in await cur.fetchall()]
                except psycopg.OperationalError:
                    broken = conn.broken
                    await conn.close()
                    if attempt or not broken:
                        raise
                    stale, self._idle = self._idle, []  # the server went away: the idle ones are lost too
                    for c in stale:
                        await c.close()
                    continue
                except BaseException:
                    await conn.close()
                    raise
                self._idle.append(conn)
                return found
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            self._turns.release()

    async def _connect(self) -> psycopg.AsyncConnection:
        conn = await psycopg.AsyncConnection.connect(self.url, autocommit=True, connect_timeout=int(RECONNECT_WAIT))
        configure(conn)  # type: ignore[arg-type]  # the same adapters on an asyncio connection
        return conn

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        for conn in idle:
            await conn.close()


def connect(url: str) -> PgDatabase:
    raw = psycopg.connect(url, autocommit=True)
    configure(raw)
    return PgDatabase(raw)

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

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import msgspec
import psycopg
from psycopg.adapt import Loader
from psycopg.types.numeric import IntDumper

from . import dialect

if TYPE_CHECKING:
    from psycopg_pool import ConnectionPool


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
    """What `db.execute()` returns: the rows of one statement (a hidden `rowid` column left out)."""

    __slots__ = ("_cur", "_skip", "description", "rowcount")

    def __init__(self, cur: psycopg.Cursor):
        self._cur = cur
        self.rowcount = cur.rowcount
        desc = cur.description
        self._skip = None
        if desc is not None:
            names = [d.name for d in desc]
            if "rowid" in names:
                self._skip = names.index("rowid")
                desc = [d for i, d in enumerate(desc) if i != self._skip]
        self.description = desc

    def _strip(self, r):
        if r is None or self._skip is None:
            return r
        return r[:self._skip] + r[self._skip + 1:]

    def fetchone(self):
        return self._strip(self._cur.fetchone())

    def fetchall(self):
        rows = self._cur.fetchall()
        if self._skip is None:
            return rows
        return [self._strip(r) for r in rows]

    def __iter__(self):
        return iter(self.fetchall())


class _Conn:
    """`db.conn`: the few sqlite3.Connection members the store uses."""

    def __init__(self, raw: psycopg.Connection):
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        # UNKNOWN (a lost connection) is no transaction: there is nothing left to roll back
        return self.raw.info.transaction_status in _IN_TRANSACTION

    def executemany(self, sql: str, params: Iterable[Any]) -> None:
        with self.raw.cursor() as cur:
            cur.executemany(dialect.placeholders(sql), list(params))

    def copy_rows(self, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> None:
        """Many rows with COPY … FROM STDIN: for generated data sets, several times faster than
        executemany (one stream, no statement per row). `table` and `columns` are trusted names."""
        with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
            for r in rows:
                cp.write_row(r)

    def executescript(self, sql: str) -> None:
        self.raw.execute(sql)  # no parameters: psycopg sends it as one simple query, many statements

    def close(self) -> None:
        self.raw.close()


_IN_TRANSACTION = (psycopg.pq.TransactionStatus.ACTIVE, psycopg.pq.TransactionStatus.INTRANS,
                   psycopg.pq.TransactionStatus.INERROR)

# How long a request waits for a new connection after its own was lost (PostgreSQL restarted, a network
# cut): short, so a request during an outage soon gets its 503 (web/problems.py) instead of hanging.
RECONNECT_WAIT = 3.0


class PgDatabase:
    dialect = "postgresql"

    def __init__(self, raw: psycopg.Connection, pool: ConnectionPool | None = None):
        self.conn = _Conn(raw)
        self._pool = pool
        self._pooled = pool is not None  # False once a lost connection went back and no new one came

    def execute(self, sql: str, params: Any = ()) -> PgCursor:
        args = tuple(params) if params is not None else ()
        if self._pool is not None and (self.conn.raw.broken or not self._pooled):
            self._reconnect()
        idle = not self.conn.in_transaction
        try:
            cur = self.conn.raw.cursor()
            cur.execute(dialect.placeholders(sql), args)
        except psycopg.OperationalError:
            # A connection of the pool is held by its thread for as long as the thread lives, so the pool's
            # check on handing it out does not see a server restart: the first statement afterwards does.
            # Outside a transaction, BEGIN and a plain read did nothing yet and run again on a new connection;
            # anything else (a write, a statement inside a transaction) raises (503, the client retries).
            if self._pool is None or not self.conn.raw.broken:
                raise
            self._reconnect()
            if not (idle and _safe_to_repeat(sql)):
                raise
            cur = self.conn.raw.cursor()
            cur.execute(dialect.placeholders(sql), args)
        return PgCursor(cur)

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

    def _reconnect(self) -> None:
        """Gives the lost connection back (the pool throws it away) and takes a checked new one; raises
        psycopg_pool.PoolTimeout (an OperationalError) while the server is unreachable."""
        assert self._pool is not None
        if self._pooled:
            self._pooled = False
            self._pool.putconn(self.conn.raw)
        self.conn.raw = self._pool.getconn(timeout=RECONNECT_WAIT)
        self._pooled = True

    def close(self) -> None:
        if self._pool is None or not self._pooled:
            self.conn.close()
        else:  # back to the pool (which rolls back anything left open)
            self._pool.putconn(self.conn.raw)


def _safe_to_repeat(sql: str) -> bool:
    head = sql.lstrip()[:6].upper()
    return head.startswith("BEGIN") or head == "SELECT"


def open_pool(url: str, size: int) -> ConnectionPool:
    """The connections of one process: opened on demand up to `size` (one per request thread)."""
    from psycopg_pool import ConnectionPool

    # check: a connection handed out is alive (one round trip, only when a thread takes one); a lost one
    # is replaced. reconnect_timeout: the pool's attempts to connect back off exponentially (1, 2, 4, … s)
    # until they give up; after a long outage the default (5 minutes) left the next attempt up to two
    # minutes away while the server was back. Giving up after 10 s lets the next request start afresh.
    return ConnectionPool(url, min_size=1, max_size=size, kwargs={"autocommit": True}, configure=configure,
                          open=True, name="toeslagen", check=ConnectionPool.check_connection,
                          reconnect_timeout=10.0)


def connect(url: str) -> PgDatabase:
    raw = psycopg.connect(url, autocommit=True)
    configure(raw)
    return PgDatabase(raw)

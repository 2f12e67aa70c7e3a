"""The few points where SQLite and PostgreSQL disagree, in one place.

Every query and every migration is written once, in the subset both databases speak (`?`
placeholders, `INSERT … ON CONFLICT … DO …`, `RETURNING`, partial indexes, `SAVEPOINT`). For
PostgreSQL this module translates, mechanically:

- queries: `?` placeholders become psycopg's `%s` (and a literal `%` becomes `%%`);
- migrations: `INTEGER` becomes `BIGINT` (SQLite's integers are 64-bit: cents, epoch ms), `INTEGER
  PRIMARY KEY [AUTOINCREMENT]` an identity column, `BLOB` `BYTEA`, `x NOT GLOB '…'` a regular
  expression, `WITHOUT ROWID` is dropped (a PostgreSQL table is a heap either way), and an append-only
  trigger `BEFORE UPDATE|DELETE ON t BEGIN SELECT RAISE(ABORT, 'why'); END` becomes a PL/pgSQL
  function and trigger;
- `rowid`: a table without an integer primary key gets a `rowid` identity column on PostgreSQL, so
  that `ORDER BY rowid` (insertion order, used where timestamps tie) means the same on both; the
  PostgreSQL cursor leaves that column out of `SELECT *` (store/pg.py).

A migration that needs more than this can ship `NNNN_name.pg.sql` beside `NNNN_name.sql`; PostgreSQL
then runs that file instead (store/migrate.py).

Write transactions: SQLite's `BEGIN IMMEDIATE` lets one writer at a time in. On PostgreSQL a write
transaction takes the same promise with transaction-scoped advisory locks, released at COMMIT/ROLLBACK,
on every node (`write_locks`): a write for one household takes that household's lock, and the global
lock (WRITE_LOCK) shared; any other write takes the global lock exclusively. So the writes of one
household still run one at a time, a write that is not tied to one household (jobs, sessions, rate
limits, tools) still runs alone, and the domains' read-check-write code (idempotency records, the
household version, single-use challenges) keeps exactly the semantics it was written and tested for;
writes of different households run side by side, and reads (most of the traffic) run beside all of
them on MVCC snapshots without waiting. The locks are always taken in the same order (global, then
household) and before any row lock, so they cannot deadlock with each other."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence

# pg_advisory_xact_lock key of the one-writer-at-a-time lock (any constant; "TOES").
WRITE_LOCK = 0x544F4553
BEGIN_WRITE = {"sqlite": "BEGIN IMMEDIATE", "postgresql": "BEGIN"}
# The two-key advisory lock space (int4, int4) of households: (HOUSEHOLD_LOCK, hashtext(id)). Two
# households whose ids hash alike only wait for each other; the one-key space of WRITE_LOCK is apart.
HOUSEHOLD_LOCK = 0x48480000  # "HH"
# A read transaction sees one snapshot for all its statements (SQLite: a deferred BEGIN does that).
BEGIN_READ = {"sqlite": "BEGIN", "postgresql": "BEGIN ISOLATION LEVEL REPEATABLE READ"}


def write_locks(dialect: str, household: str | list[str] | None) -> list[tuple[str, tuple]]:
    """The statements that take a write transaction's locks after BEGIN (see the module's note).
    `household`: one id, or a list (a scan batch: the households it writes, locked in one statement, in
    the order of their keys, so two such transactions cannot deadlock either)."""
    if dialect != "postgresql":
        return []  # BEGIN IMMEDIATE took SQLite's one write lock
    if household is None:
        return [(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})", ())]
    shared = (f"SELECT pg_advisory_xact_lock_shared({WRITE_LOCK})", ())
    if isinstance(household, str):
        return [shared, (f"SELECT pg_advisory_xact_lock({HOUSEHOLD_LOCK}, hashtext(?))", (household,))]
    if not household:
        return [shared]
    return [shared, (f"SELECT count(pg_advisory_xact_lock({HOUSEHOLD_LOCK}, k)) FROM"
                     " (SELECT DISTINCT hashtext(id) AS k FROM unnest(?::text[]) AS u(id) ORDER BY k) AS t",
                     (list(household),))]


def any_of(db: object, column: str, values: Sequence[object]) -> tuple[str, list[object]]:
    """`column IN (?, ?, …)` for a list of values, with its parameters. On PostgreSQL it is
    `column = ANY(?)` with the list as one array parameter: a batch of 1,000 households as 1,000
    placeholders made a statement too long for psycopg's query cache and for the server's prepared
    statements, so parsing it cost more than running it (bench_drift_scan: 1.6 s of a 5.4 s read)."""
    if getattr(db, "dialect", "sqlite") == "postgresql":
        if all(isinstance(v, str) for v in values):
            joined = ",".join(values)  # type: ignore[arg-type]
            if joined.count(",") == len(values) - 1:  # ids (no comma in any): one text the server splits,
                return f"{column} = ANY(string_to_array(?, ','))", [joined]  # no per-element quoting here
        return f"{column} = ANY(?)", [list(values)]
    return f"{column} IN ({', '.join('?' * len(values))})", list(values)


def is_postgres(target: object) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


@functools.lru_cache(maxsize=4096)
def placeholders(sql: str) -> str:
    """`?` → `%s` and `%` → `%%`, outside string literals and quoted identifiers."""
    out = []
    quote = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
            if ch == "%":
                ch = "%%"
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "?":
            ch = "%s"
        elif ch == "%":
            ch = "%%"
        out.append(ch)
    return "".join(out)


# -- migrations ---------------------------------------------------------------------------------

_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+(\w+)\s+BEFORE\s+(UPDATE|DELETE|INSERT)\s+ON\s+(\w+)\s*(?:FOR\s+EACH\s+ROW\s*)?"
    r"BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'([^']*)'\s*\)\s*;\s*END\s*;", re.I)
_GLOB = re.compile(r"(\w+)\s+(NOT\s+)?GLOB\s+'([^']*)'", re.I)
_CREATE_TABLE = re.compile(r"CREATE\s+TABLE\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)\s*\(", re.I)


def _trigger(m: re.Match) -> str:
    name, op, table, message = m.groups()
    return (f"CREATE FUNCTION {name}_refuse() RETURNS trigger LANGUAGE plpgsql AS $$"
            f" BEGIN RAISE EXCEPTION '{message}' USING ERRCODE = 'restrict_violation'; END $$;\n"
            f"CREATE TRIGGER {name} BEFORE {op.upper()} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}_refuse();")


def _glob_to_regex(pattern: str) -> str:
    out = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = pattern.index("]", i + 1)
            body = pattern[i + 1:j]
            out.append("[" + ("^" + body[1:] if body.startswith("^") else body) + "]")
            i = j
        else:
            out.append(re.escape(c))
        i += 1
    return "^" + "".join(out) + "$"


def _glob(m: re.Match) -> str:
    column, negated, pattern = m.groups()
    return f"{column} {'!~' if negated else '~'} '{_glob_to_regex(pattern)}'"


def _scan(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth) for each character of `text` from `start` that stands outside a
    quoted string and a `--` comment (which may hold an apostrophe); depth counts the parentheses
    opened since `start`, a ')' reported with the depth after it."""
    depth, i, quote, n = 0, start, None, len(text)
    while i < n:
        ch = text[i]
        if quote:
            if ch == quote:
                quote = None
        elif text.startswith("--", i):
            j = text.find("\n", i)
            i = n if j < 0 else j
            continue
        elif ch in ("'", '"'):
            quote = ch
        else:
            if ch == "(":
                depth += 1
            elif ch == ")":
                depth -= 1
            yield i, ch, depth
        i += 1


def _split_top_level(body: str) -> list[str]:
    parts, start = [], 0
    for i, ch, depth in _scan(body):
        if ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def _strip_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def _add_rowid(sql: str) -> str:
    """A `rowid` identity column for every created table that has no integer primary key (SQLite
    gives those tables an implicit rowid) and is not WITHOUT ROWID."""
    out, pos = [], 0
    for m in _CREATE_TABLE.finditer(sql):
        # the closing parenthesis of the column list
        end = next(i for i, ch, depth in _scan(sql, m.end()) if ch == ")" and depth < 0)
        body = sql[m.end():end]
        rest = sql[end + 1:end + 41]
        has_int_pk = any(re.match(r"\s*\w+\s+INTEGER\s+PRIMARY\s+KEY\b", _strip_comments(col), re.I)
                         for col in _split_top_level(_strip_comments(body)))
        out.append(sql[pos:end])
        if not has_int_pk and not re.match(r"\s*WITHOUT\s+ROWID", rest, re.I):
            out.append(",\n    rowid BIGINT GENERATED ALWAYS AS IDENTITY")
        out.append(")")
        pos = end + 1
    out.append(sql[pos:])
    return "".join(out)


def migration(sql: str) -> str:
    """A migration written for SQLite (the common subset), as PostgreSQL runs it."""
    sql = _TRIGGER.sub(_trigger, sql)
    sql = _add_rowid(sql)
    sql = re.sub(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
                 sql, flags=re.I)
    sql = re.sub(r"\bINTEGER\b", "BIGINT", sql)
    sql = re.sub(r"\bBLOB\b", "BYTEA", sql)
    sql = re.sub(r"\)\s*WITHOUT\s+ROWID", ")", sql, flags=re.I)
    sql = _GLOB.sub(_glob, sql)
    return sql

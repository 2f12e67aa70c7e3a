"""Migrations on a database that already holds data: 0006 rebuilds decision_months as a WITHOUT ROWID
table and must keep every row and every constraint."""

from __future__ import annotations

import sqlite3

import pytest

from api.store.migrate import available, migrate


def _apply_until(path, last: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                 " applied_at TEXT NOT NULL)")
    for version, file in available():
        if version > last:
            break
        conn.executescript(file.read_text(encoding="utf-8"))
        conn.execute("INSERT INTO schema_migrations VALUES (?, ?, '2026-01-01T00:00:00+00:00')", (version, file.name))
    conn.commit()
    conn.close()


def test_0006_keeps_decision_months_and_their_constraints(tmp_path):
    path = tmp_path / "old.db"
    _apply_until(path, 5)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO households (id, label, created_at) VALUES ('hh_1', 'Test', '2026-01-01')")
    conn.execute("INSERT INTO decisions (id, household_id, toeslag, year, decided_at, reason, effective_month,"
                 " entitled, per_year, new_monthly, rules_version) VALUES ('dec_1', 'hh_1', 'zorgtoeslag', 2026,"
                 " '2026-01-01T00:00:00+00:00', 'initial', 1, 1, 120000, 10000, 'x')")
    months = [("dec_1", m, 10_000 + m, 10_000, f"2026-{m:02d}-20") for m in range(12, 0, -1)]
    conn.executemany("INSERT INTO decision_months VALUES (?, ?, ?, ?, ?)", months)
    conn.commit()
    conn.close()

    assert migrate(path) == [f.name for v, f in available() if v > 5]

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys=ON")
    # the same rows, now stored (and read back) in primary-key order
    assert conn.execute("SELECT * FROM decision_months").fetchall() == sorted(months)
    with pytest.raises(sqlite3.OperationalError):
        conn.execute("SELECT rowid FROM decision_months")                    # clustered: no rowid
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO decision_months VALUES ('dec_1', 1, 0, 0, '2026-01-20')")   # primary key
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO decision_months VALUES ('dec_1', 13, 0, 0, '2026-01-20')")  # month check
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO decision_months VALUES ('dec_none', 1, 0, 0, '2026-01-20')")  # foreign key
    plan = conn.execute("EXPLAIN QUERY PLAN SELECT person_id, month, wages FROM feed_reports WHERE household_id = ?"
                        " AND data_type = 'income' AND replaced_by IS NULL AND month >= '2026-01'", ("hh_1",)).fetchall()
    assert "COVERING INDEX feed_reports_current_wages" in " ".join(r[-1] for r in plan)
    conn.close()


def test_0008_turns_the_recorded_corrections_into_ledger_lines(tmp_path):
    """The corrections recorded before the ledger (payments rows of kind 'correction', one per month)
    become one dated line per decision and toeslag; the rows themselves stay (shared_rules' paid input)."""
    path = tmp_path / "old.db"
    _apply_until(path, 7)
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO households (id, label, created_at) VALUES ('hh_1', 'Test', '2026-01-01')")
    for dec, reason in (("dec_1", "initial"), ("dec_2", "change"), ("dec_3", "change")):
        conn.execute("INSERT INTO decisions (id, household_id, toeslag, year, decided_at, reason, effective_month,"
                     " entitled, per_year, new_monthly, rules_version) VALUES (?, 'hh_1', 'huurtoeslag', 2026,"
                     " '2026-06-03T10:00:00+00:00', ?, 7, 1, 300000, 25000, 'x')", (dec, reason))
    rows = [("hh_1", "huurtoeslag", 2026, m, "voorschot", 32_500, f"2026-{m:02d}-20", "dec_1") for m in range(1, 7)]
    rows += [("hh_1", "huurtoeslag", 2026, m, "correction", -6_400, "2026-06-03", "dec_2") for m in range(1, 7)]
    rows += [("hh_1", "huurtoeslag", 2026, m, "correction", 1_000, "2026-06-10", "dec_3") for m in (1, 2)]
    conn.executemany("INSERT INTO payments (household_id, toeslag, year, month, kind, amount, payment_date, decision_id)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()

    assert "0008_ledger.sql" in migrate(path)

    conn = sqlite3.connect(path)
    got = conn.execute("SELECT id, toeslag, year, kind, amount, decided_on, status, decision_id FROM ledger_corrections"
                       " ORDER BY decided_on").fetchall()
    assert got == [("cor_dec_2", "huurtoeslag", 2026, "terugvordering", -38_400, "2026-06-03", "open", "dec_2"),
                   ("cor_dec_3", "huurtoeslag", 2026, "nabetaling", 2_000, "2026-06-10", "open", "dec_3")]
    assert conn.execute("SELECT count(*) FROM payments WHERE kind = 'correction'").fetchone()[0] == 8
    with pytest.raises(sqlite3.IntegrityError):  # a line of nothing is not a correction
        conn.execute("INSERT INTO ledger_corrections (id, household_id, toeslag, year, kind, amount, decided_on,"
                     " created_at) VALUES ('cor_x', 'hh_1', 'zorgtoeslag', 2026, 'nabetaling', 0, '2026-06-10', 'x')")
    conn.close()


# -- both stores end with the same schema (issue #16) ------------------------------------------------

def _sqlite_schema(path) -> dict:
    conn = sqlite3.connect(path)
    out = {}
    for (t,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"):
        cols = {c[1]: (bool(c[3]) or c[5] > 0, c[5] > 0) for c in conn.execute(f"PRAGMA table_info({t})")}
        pk = tuple(c[1] for c in sorted(conn.execute(f"PRAGMA table_info({t})"), key=lambda c: c[5]) if c[5])
        fks = {(f[3], f[2], f[4]) for f in conn.execute(f"PRAGMA foreign_key_list({t})")}
        uniques = set()
        for ix in conn.execute(f"PRAGMA index_list({t})"):
            if ix[2] and ix[3] != "pk":
                cols_ix = tuple(r[2] for r in conn.execute(f"PRAGMA index_info('{ix[1]}')"))
                uniques.add((cols_ix, bool(ix[4])))
        out[t] = {"columns": {c: v[0] for c, v in cols.items()}, "pk": pk, "fks": fks, "unique": uniques}
    conn.close()
    return out


def _pg_schema(url) -> dict:
    import psycopg

    out = {}
    with psycopg.connect(url) as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
        for t in tables:
            cols = {c: nullable == "NO" for c, nullable in conn.execute(
                "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_name = %s"
                " AND column_name <> 'rowid'", (t,))}
            pk = tuple(r[0] for r in conn.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary"
                " ORDER BY array_position(i.indkey::int2[], a.attnum)", (t,)))
            fks = {(r[0], r[1], r[2]) for r in conn.execute(
                "SELECT a.attname, cl.relname, fa.attname FROM pg_constraint c"
                " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]"
                " JOIN pg_class cl ON cl.oid = c.confrelid"
                " JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]"
                " WHERE c.conrelid = %s::regclass AND c.contype = 'f'", (t,))}
            uniques = set()
            for indkey, partial in conn.execute(
                    "SELECT i.indkey::int2[], i.indpred IS NOT NULL FROM pg_index i WHERE i.indrelid = %s::regclass"
                    " AND i.indisunique AND NOT i.indisprimary", (t,)):
                names = tuple(conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass"
                                           " AND attnum = %s", (t, n)).fetchone()[0] for n in indkey)
                uniques.add((names, partial))
            out[t] = {"columns": cols, "pk": pk, "fks": fks, "unique": uniques}
    return out


def test_fresh_sqlite_and_postgresql_end_with_the_same_schema(tmp_path, pg_cluster):
    path = tmp_path / "fresh.db"
    migrate(path)
    url = pg_cluster.create_database()
    assert migrate(url) == [f.name for _, f in available()]
    lite, pg = _sqlite_schema(path), _pg_schema(url)
    assert sorted(lite) == sorted(pg)
    for table in lite:
        assert lite[table] == pg[table], table


def test_postgresql_checks_and_append_only_events(pg_cluster):
    import psycopg

    url = pg_cluster.create_database()
    migrate(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("INSERT INTO households (id, label, created_at) VALUES ('hh_1', 'Test', '2026-01-01')")
        with pytest.raises(psycopg.errors.CheckViolation):   # the GLOB check, as a regular expression
            conn.execute("INSERT INTO persons (id, household_id, role, given_name, birth_date, bsn, member_from,"
                         " created_at) VALUES ('p', 'hh_1', 'applicant', 'A', '1990-01-01', '12345678x',"
                         " '2026-01-01', '2026-01-01')")
        conn.execute("INSERT INTO events (household_id, occurred_at, actor, source, kind, what, summary)"
                     " VALUES ('hh_1', '2026-01-01', 'parent', 'parent', 'change.income', '{}', 'x')")
        with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
            conn.execute("UPDATE events SET summary = 'y'")
        with pytest.raises(psycopg.errors.RestrictViolation, match="append-only"):
            conn.execute("DELETE FROM events")
        assert conn.execute("SELECT summary FROM events").fetchall() == [("x",)]
        # a 64-bit integer (epoch milliseconds, cents) fits, as on SQLite
        conn.execute("INSERT INTO rate_limits (bucket, window_start, hits) VALUES ('b', 1800000000000, 1)")


def test_an_existing_postgresql_database_migrates_in_place(pg_cluster):
    import psycopg

    from api.store import dialect
    from api.store.migrate import script

    url = pg_cluster.create_database()
    with psycopg.connect(url, autocommit=True) as conn:   # the state of a database made before 0006
        conn.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
                     " applied_at TEXT NOT NULL)")
        for version, file in available():
            if version > 5:
                break
            conn.execute(script(file, "postgresql"))
            conn.execute("INSERT INTO schema_migrations VALUES (%s, %s, '2026-01-01')", (version, file.name))
        conn.execute("INSERT INTO households (id, label, created_at) VALUES ('hh_1', 'Test', '2026-01-01')")
        conn.execute("INSERT INTO decisions (id, household_id, toeslag, year, decided_at, reason, effective_month,"
                     " entitled, per_year, new_monthly, rules_version) VALUES ('dec_1', 'hh_1', 'zorgtoeslag', 2026,"
                     " '2026-01-01T00:00:00+00:00', 'initial', 1, 1, 120000, 10000, 'x')")
        months = [("dec_1", m, 10_000 + m, 10_000, f"2026-{m:02d}-20") for m in range(12, 0, -1)]
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO decision_months VALUES (%s, %s, %s, %s, %s)", months)
    assert migrate(url) == [f.name for v, f in available() if v > 5]
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT * FROM decision_months ORDER BY decision_id, month").fetchall() == sorted(months)
        with pytest.raises(psycopg.errors.UniqueViolation):
            conn.execute("INSERT INTO decision_months VALUES ('dec_1', 1, 0, 0, '2026-01-20')")
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("INSERT INTO decision_months VALUES ('dec_none', 1, 0, 0, '2026-01-20')")
    assert dialect.is_postgres(url)


def test_a_migration_written_once_is_translated_for_postgresql():
    from api.store import dialect

    sql = dialect.migration(
        "CREATE TABLE ledger (id INTEGER PRIMARY KEY AUTOINCREMENT, hh TEXT NOT NULL, amount INTEGER NOT NULL,\n"
        "    code TEXT CHECK (code NOT GLOB '*[^0-9]*'), blob BLOB);\n"
        "CREATE TABLE pairs (a TEXT, b INTEGER, PRIMARY KEY (a, b)) WITHOUT ROWID;\n"
        "CREATE TABLE named (id TEXT PRIMARY KEY, note TEXT -- the household's note\n);\n"
        "CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'append-only'); END;")
    assert "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY" in sql
    assert "amount BIGINT NOT NULL" in sql and "BYTEA" in sql and "code !~ '^.*[^0-9].*$'" in sql
    assert "WITHOUT ROWID" not in sql and sql.count("rowid BIGINT GENERATED ALWAYS AS IDENTITY") == 1
    assert "EXECUTE FUNCTION ledger_no_update_refuse()" in sql

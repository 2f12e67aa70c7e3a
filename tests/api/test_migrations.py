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

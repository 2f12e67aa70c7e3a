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

    assert migrate(path) == ["0008_ledger.sql"]

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

"""Leases of the scheduled jobs (job_leases): which node runs a job now, and when it last ran. The
lease is taken by a conditional UPDATE, so of any number of nodes asking at once exactly one gets
rowcount 1 (SQLite: one writer at a time; PostgreSQL: the UPDATE re-checks its WHERE on the row
version it locks)."""

from __future__ import annotations

from .db import Handle, row


def take(db: Handle, name: str, holder: str, now: str, due_before: str, until: str) -> bool:
    """Leases job `name` to `holder` until `until` when it last started before `due_before` (or never)
    and no lease is running; False when another node has it or it is not due."""
    db.execute("INSERT INTO job_leases (name) VALUES (?) ON CONFLICT (name) DO NOTHING", (name,))
    cur = db.execute(
        "UPDATE job_leases SET holder = ?, leased_until = ?, last_started_at = ?, runs = runs + 1"
        " WHERE name = ? AND (leased_until IS NULL OR leased_until < ?)"
        " AND (last_started_at IS NULL OR last_started_at < ?)",
        (holder, until, now, name, now, due_before))
    return cur.rowcount == 1


def release(db: Handle, name: str, holder: str, now: str) -> None:
    db.execute("UPDATE job_leases SET holder = NULL, leased_until = NULL, last_finished_at = ?"
               " WHERE name = ? AND holder = ?", (now, name, holder))


def lease(db: Handle, name: str) -> dict | None:
    return row(db, "SELECT * FROM job_leases WHERE name = ?", (name,))

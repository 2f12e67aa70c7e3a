"""Idempotency records: the first response to (scope, key) is kept verbatim."""

from __future__ import annotations

from .db import Handle, row


def get(db: Handle, scope: str, key: str) -> dict | None:
    return row(db, "SELECT * FROM idempotency_records WHERE scope = ? AND key = ?", (scope, key))


def put(db: Handle, scope: str, key: str, request_hash: str, status_code: int, body: bytes, now: str) -> None:
    db.execute(
        "INSERT INTO idempotency_records (scope, key, request_hash, status_code, response_body, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (scope, key, request_hash, status_code, body, now),
    )


def purge(db: Handle, before: str) -> None:
    db.execute("DELETE FROM idempotency_records WHERE created_at < ?", (before,))

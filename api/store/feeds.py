"""Partner organisations, their feed tokens, which persons they may report on, and their reports."""

from __future__ import annotations

from .db import Handle, row, rows


def organisation(db: Handle, org_id: str) -> dict | None:
    return row(db, "SELECT * FROM organisations WHERE id = ?", (org_id,))


def add_organisation(db: Handle, org_id: str, name: str, now: str) -> None:
    db.execute("INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)", (org_id, name, now))


def add_token(db: Handle, token_id: str, org_id: str, data_type: str, token_hash: str, now: str) -> None:
    db.execute(
        "INSERT INTO feed_tokens (id, organisation_id, data_type, token_hash, created_at) VALUES (?, ?, ?, ?, ?)",
        (token_id, org_id, data_type, token_hash, now),
    )


def token(db: Handle, token_hash: str) -> dict | None:
    return row(db, "SELECT * FROM feed_tokens WHERE token_hash = ? AND revoked_at IS NULL", (token_hash,))


def add_link(db: Handle, org_id: str, person_id: str, data_type: str, ref: str, now: str) -> None:
    db.execute(
        "INSERT INTO org_links (organisation_id, person_id, data_type, ref, created_at) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (organisation_id, person_id, data_type) DO NOTHING",
        (org_id, person_id, data_type, ref, now),
    )


def links(db: Handle, org_id: str) -> list[dict]:
    return rows(
        db,
        "SELECT l.ref, l.data_type, p.given_name, p.role FROM org_links l JOIN persons p ON p.id = l.person_id"
        " WHERE l.organisation_id = ? ORDER BY l.data_type, l.ref",
        (org_id,),
    )


def link_for_person(db: Handle, org_id: str, person_id: str, data_type: str) -> dict | None:
    return row(
        db,
        "SELECT * FROM org_links WHERE organisation_id = ? AND person_id = ? AND data_type = ?",
        (org_id, person_id, data_type),
    )


# the persons `org_id` may report `data_type` about (a link), then narrowed by reference or by BSN
_LINKED = ("SELECT p.* FROM org_links l JOIN persons p ON p.id = l.person_id"
           " WHERE l.organisation_id = ? AND l.data_type = ? AND ")


def linked_person_by_ref(db: Handle, org_id: str, data_type: str, ref: str) -> dict | None:
    """The person behind `ref`, only when `org_id` may report `data_type` about them."""
    return row(db, _LINKED + "l.ref = ?", (org_id, data_type, ref))


def linked_person_by_bsn(db: Handle, org_id: str, data_type: str, bsn: str) -> dict | None:
    """The person with this BSN (the latest made), only when `org_id` may report `data_type` about them."""
    return row(db, _LINKED + "p.bsn = ? ORDER BY p.created_at DESC LIMIT 1", (org_id, data_type, bsn))


def current_report(db: Handle, org_id: str, person_id: str, data_type: str, month: str) -> dict | None:
    return row(
        db,
        "SELECT * FROM feed_reports WHERE organisation_id = ? AND person_id = ? AND data_type = ? AND month = ?"
        " AND replaced_by IS NULL",
        (org_id, person_id, data_type, month),
    )


REPORT_COLUMNS = ("organisation_id", "person_id", "household_id", "data_type", "month", "contract_id", "hours",
                  "hourly_rate", "wages", "insured", "rent", "service_costs", "payload_hash", "received_at",
                  "holiday_allowance", "one_off")


def add_report(db: Handle, report: dict, replaces: int | None) -> int:
    """Stores a report; the report it replaces is kept, pointing at its successor."""
    if replaces is not None:
        # free the "current" slot first (partial unique index), then point the old one at the new one
        db.execute("UPDATE feed_reports SET replaced_by = -1 WHERE id = ?", (replaces,))
    cur = db.execute(
        f"INSERT INTO feed_reports ({', '.join(REPORT_COLUMNS)}) VALUES ({', '.join('?' * len(REPORT_COLUMNS))}) RETURNING id",
        tuple(report.get(c) for c in REPORT_COLUMNS),
    )
    new_id = cur.fetchone()[0]  # RETURNING: both databases (no lastrowid on PostgreSQL)
    if replaces is not None:
        db.execute("UPDATE feed_reports SET replaced_by = ? WHERE id = ?", (new_id, replaces))
    return new_id


def reports_for_household(db: Handle, household_id: str, year: int | None = None) -> list[dict]:
    sql = "SELECT * FROM feed_reports WHERE household_id = ? AND replaced_by IS NULL"
    params: list = [household_id]
    if year is not None:
        sql += " AND month LIKE ?"
        params.append(f"{year}-%")
    return rows(db, sql + " ORDER BY data_type, month, person_id, id", params)


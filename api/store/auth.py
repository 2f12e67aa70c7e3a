"""Identity: activation codes, passkeys, sessions and WebAuthn challenges. Secrets are stored hashed."""

from __future__ import annotations

from .db import Handle, row, rows

# -- activation codes -----------------------------------------------------------------------------

def add_activation_code(db: Handle, household_id: str, code_hash: str, now: str, expires_at: str) -> None:
    db.execute(
        "INSERT INTO activation_codes (household_id, code_hash, created_at, expires_at) VALUES (?, ?, ?, ?)",
        (household_id, code_hash, now, expires_at),
    )


def activation_code(db: Handle, code_hash: str) -> dict | None:
    return row(db, "SELECT * FROM activation_codes WHERE code_hash = ?", (code_hash,))


def use_activation_code(db: Handle, code_id: int, now: str) -> bool:
    """Marks the code used; False when someone else used it first (single use, race-safe)."""
    cur = db.execute("UPDATE activation_codes SET used_at = ? WHERE id = ? AND used_at IS NULL", (now, code_id))
    return cur.rowcount == 1


# -- passkeys -------------------------------------------------------------------------------------

def add_passkey(db: Handle, pk: dict) -> None:
    cols = ("id", "household_id", "credential_id", "public_key", "sign_count", "transports", "aaguid",
            "device_type", "backed_up", "label", "created_at", "last_used_at")
    db.execute(
        f"INSERT INTO passkeys ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        tuple(pk.get(c) for c in cols),
    )


def passkey_by_credential(db: Handle, credential_id: str) -> dict | None:
    return row(db, "SELECT * FROM passkeys WHERE credential_id = ?", (credential_id,))


def passkeys(db: Handle, household_id: str) -> list[dict]:
    return rows(db, "SELECT * FROM passkeys WHERE household_id = ? ORDER BY created_at, rowid", (household_id,))


def passkey(db: Handle, household_id: str, passkey_id: str) -> dict | None:
    return row(db, "SELECT * FROM passkeys WHERE id = ? AND household_id = ?", (passkey_id, household_id))


def update_sign_count(db: Handle, passkey_id: str, sign_count: int, now: str) -> None:
    db.execute("UPDATE passkeys SET sign_count = ?, last_used_at = ? WHERE id = ?", (sign_count, now, passkey_id))


def delete_passkey(db: Handle, household_id: str, passkey_id: str) -> bool:
    cur = db.execute("DELETE FROM passkeys WHERE id = ? AND household_id = ?", (passkey_id, household_id))
    return cur.rowcount == 1


# -- sessions -------------------------------------------------------------------------------------

def add_session(db: Handle, token_hash: str, household_id: str, kind: str, passkey_id: str | None,
                now: str, expires_at: str) -> None:
    db.execute(
        "INSERT INTO sessions (token_hash, household_id, kind, passkey_id, created_at, expires_at, last_seen_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (token_hash, household_id, kind, passkey_id, now, expires_at, now),
    )


def session_query(token_hash: str, along: tuple[str, str] | None = None) -> tuple[str, tuple[object, ...]]:
    """The session; `along`: (columns, joins) a route reads with it in the same statement, joined on
    `s.household_id` (store/overviews.py: the stored overview), so the route costs one read."""
    if along is None:
        return "SELECT * FROM sessions WHERE token_hash = ?", (token_hash,)
    columns, joins = along
    return f"SELECT s.*, {columns} FROM sessions s {joins} WHERE s.token_hash = ?", (token_hash,)


def session(db: Handle, token_hash: str) -> dict | None:
    return row(db, *session_query(token_hash))


def touch_session(db: Handle, token_hash: str, now: str) -> None:
    db.execute("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?", (now, token_hash))


def delete_session(db: Handle, token_hash: str) -> None:
    db.execute("DELETE FROM sessions WHERE token_hash = ?", (token_hash,))


def delete_expired_sessions(db: Handle, now: str) -> int:
    return db.execute("DELETE FROM sessions WHERE expires_at <= ?", (now,)).rowcount


# -- WebAuthn challenges --------------------------------------------------------------------------

def add_challenge(db: Handle, challenge: str, kind: str, household_id: str | None, session_hash: str | None,
                  now: str, expires_at: str) -> None:
    db.execute(
        "INSERT INTO webauthn_challenges (challenge, kind, household_id, session_hash, created_at, expires_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (challenge, kind, household_id, session_hash, now, expires_at),
    )


def take_challenge(db: Handle, challenge: str, kind: str, now: str) -> dict | None:
    """Returns the challenge and marks it used, once; None when unknown, used or expired."""
    ch = row(db, "SELECT * FROM webauthn_challenges WHERE challenge = ? AND kind = ?", (challenge, kind))
    if ch is None or ch["used_at"] is not None or ch["expires_at"] <= now:
        return None
    cur = db.execute(
        "UPDATE webauthn_challenges SET used_at = ? WHERE challenge = ? AND used_at IS NULL", (now, challenge)
    )
    return ch if cur.rowcount == 1 else None


def purge_challenges(db: Handle, before: str) -> None:
    db.execute("DELETE FROM webauthn_challenges WHERE expires_at < ?", (before,))


def delete_sessions_of_passkey(db: Handle, passkey_id: str) -> int:
    return db.execute("DELETE FROM sessions WHERE passkey_id = ?", (passkey_id,)).rowcount


def end_activation_codes(db: Handle, household_id: str, now: str) -> int:
    """Ends the household's unused codes (they expire now); returns how many there were."""
    return db.execute(
        "UPDATE activation_codes SET expires_at = ? WHERE household_id = ? AND used_at IS NULL AND expires_at > ?",
        (now, household_id, now),
    ).rowcount


def delete_enrolment_sessions(db: Handle, household_id: str) -> int:
    return db.execute("DELETE FROM sessions WHERE household_id = ? AND kind = 'enrolment'", (household_id,)).rowcount

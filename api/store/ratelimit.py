"""Fixed-window rate-limit counters, shared by every API node through the store."""

from __future__ import annotations

from .db import Handle


def hit(db: Handle, bucket: str, window_start: int) -> int:
    """Counts one hit in the window and returns the hits so far (this one included)."""
    db.execute(
        "INSERT INTO rate_limits (bucket, window_start, hits) VALUES (?, ?, 1)"
        " ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_limits.hits + 1",
        (bucket, window_start),
    )
    return db.execute(
        "SELECT hits FROM rate_limits WHERE bucket = ? AND window_start = ?", (bucket, window_start)
    ).fetchone()[0]


def purge(db: Handle, before_window: int) -> None:
    db.execute("DELETE FROM rate_limits WHERE window_start < ?", (before_window,))

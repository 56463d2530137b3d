"""Pipeline stage kinds (open, won, lost, closed): shared names that import nothing of the project."""

from __future__ import annotations

ENDING_KINDS = ("won", "lost", "closed")


def normal_kind(kind: str | None) -> str:
    """Kinds compare case-insensitively; anything unknown counts as open (it ends nothing)."""
    kind = (kind or "").strip().lower()
    return kind if kind in ENDING_KINDS else "open"

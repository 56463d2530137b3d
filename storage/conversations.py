"""Conversations: the writes every screen shares (complete, reschedule, trash) and, next to
them, saving the conversation form (SPEC §3).

Every edit bumps ``sequence`` and ``updated_at`` so calendar clients see a new revision.
"""

from __future__ import annotations

import datetime as dt

from storage.models import Conversation, db, utcnow


def _edit(conversation_id: int, **fields) -> int:
    """Update one conversation and mark it edited. Returns rows changed (0 or 1)."""
    fields.update(sequence=Conversation.sequence + 1, updated_at=utcnow())
    return Conversation.update(**fields).where(Conversation.id == conversation_id).execute()


def set_completed(conversation_id: int, completed: bool, today: dt.date) -> None:
    """Completing records completed on = today; un-completing clears it (SPEC §3)."""
    with db.atomic():
        _edit(conversation_id, completed=completed, completed_on=today if completed else None)


def set_follow_up(conversation_id: int, follow_up: dt.date | None) -> None:
    """Snooze or reschedule: move the follow-up date."""
    with db.atomic():
        _edit(conversation_id, follow_up=follow_up)


def delete(conversation_id: int) -> None:
    """Move a conversation to the trash; ``restore`` undoes it."""
    with db.atomic():
        _edit(conversation_id, deleted_at=utcnow())


def restore(conversation_id: int) -> None:
    with db.atomic():
        _edit(conversation_id, deleted_at=None)

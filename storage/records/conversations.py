"""Conversations: the writes every screen shares (complete, reschedule, trash) and, next to
them, saving the conversation form with the rules of docs/data.md#the-conversation-form.

Every edit bumps ``sequence`` and ``updated_at`` so calendar clients see a new revision.
Every write is ``@retrying`` (storage/db/retry.py): one transaction, retried on a lock, a
conflict or a dropped connection, else ``DatabaseBusy``/``ConnectionLost`` with nothing written.

The form hands over what the user typed as a ``ConversationInput`` (text for dates, times and
minutes; ids for the pick lists). ``save`` checks it all first and raises ``ValidationError``
naming every bad field, so nothing is written until everything is valid:

- an empty Date becomes today and an empty Employee the current one;
- an empty Time End becomes now, when the conversation is dated today and now is not before
  Time Begin (for a call logged afterwards, "now" would be a wrong end time);
- Duration is Time End − Time Begin in minutes unless the user typed one;
- Time End before Time Begin, a negative duration, an impossible date or time is an error;
- a new conversation needs a note or a follow-up date (nothing empty is saved);
- Completed records completed on = today; un-completing clears it;
- the follow-up date first saved is the promised one: moving it later never changes that;
- a new conversation that ``follows`` an earlier one is a follow-up: I.F. is set and the
  earlier one is completed on the new conversation's date, in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from storage import limits
from storage.db.cycle_store import ensure_fresh
from storage.db.models import Conversation, Customer, Employee, utcnow
from storage.db.retry import retrying
from storage.errors import ChangedMeanwhile, ValidationError
from storage.parsing import (
    format_date,
    format_time,
    minutes_between,
    parse_date,
    parse_minutes,
    parse_time,
)


def _edit(conversation_id: int, **fields) -> int:
    """Update one conversation and mark it edited. Returns rows changed (0 or 1).

    Moving the follow-up date keeps the promised one (docs/data.md#the-conversation-form): it becomes the date the
    conversation had before, unless it already holds one (SQL reads the old row's values);
    a conversation that had no follow-up date promises the first one it gets."""
    if "follow_up" in fields:
        C = Conversation
        fields["promised_follow_up"] = fn.COALESCE(C.promised_follow_up, C.follow_up)
    fields.update(sequence=Conversation.sequence + 1, updated_at=utcnow())
    return Conversation.update(**fields).where(Conversation.id == conversation_id).execute()


@retrying
def set_completed(conversation_id: int, completed: bool, today: dt.date) -> None:
    """Completing records completed on = today; un-completing clears it (docs/data.md#the-conversation-form)."""
    _edit(conversation_id, completed=completed, completed_on=today if completed else None)


@retrying
def set_follow_up(conversation_id: int, follow_up: dt.date | None) -> None:
    """Snooze or reschedule: move the follow-up date."""
    _edit(conversation_id, follow_up=follow_up)


@retrying
def toggle_completed(conversation_id: int, today: dt.date) -> bool:
    """Flip Completed (docs/data.md#the-conversation-form); returns the new state."""
    completed = not Conversation.get_by_id(conversation_id).completed
    _edit(conversation_id, completed=completed, completed_on=today if completed else None)
    return completed


@retrying
def delete(conversation_id: int) -> None:
    """Move a conversation to the trash; ``restore`` undoes it."""
    _edit(conversation_id, deleted_at=utcnow())
    ensure_fresh()


@retrying
def restore(conversation_id: int) -> None:
    _edit(conversation_id, deleted_at=None)
    ensure_fresh()


EMPTY_CONVERSATION = "a new conversation needs a note or a follow-up date"


@dataclass
class ConversationInput:
    """The conversation form's fields as typed, in the original's order (docs/data.md#the-conversation-form)."""

    customer_id: int
    employee_id: int | None = None
    date: str = ""
    follow_up: str = ""
    note: str = ""
    with_whom: str = ""
    topic_id: int | None = None
    method_id: int | None = None
    completed: bool = False
    is_follow_up: bool = False
    pipeline_stage_id: int | None = None
    time_begin: str = ""
    time_end: str = ""
    duration: str = ""
    duration_typed: bool = False  # False: Duration is computed from the times when it can be
    follows_id: int | None = None
    sequence: int | None = None  # the revision the form loaded (edit), to notice others' saves

    @classmethod
    def from_conversation(cls, conv: Conversation) -> ConversationInput:
        """The form's fields for an existing conversation."""
        computed = minutes_between(conv.time_begin, conv.time_end) if conv.time_begin and conv.time_end else None
        return cls(
            customer_id=conv.customer_id,
            employee_id=conv.employee_id,
            date=format_date(conv.date),
            follow_up=format_date(conv.follow_up),
            note=conv.note,
            with_whom=conv.with_whom,
            topic_id=conv.topic_id,
            method_id=conv.method_id,
            completed=conv.completed,
            is_follow_up=conv.is_follow_up,
            pipeline_stage_id=conv.pipeline_stage_id,
            time_begin=format_time(conv.time_begin),
            time_end=format_time(conv.time_end),
            duration="" if conv.duration_minutes is None else str(conv.duration_minutes),
            duration_typed=conv.duration_minutes is not None and conv.duration_minutes != computed,
            follows_id=conv.follows_id,
            sequence=conv.sequence,
        )


def input_for(conversation_id: int) -> ConversationInput:
    """The form's fields for a saved conversation (edit)."""
    return ConversationInput.from_conversation(Conversation.get_by_id(conversation_id))


def follow_up_input(earlier_id: int) -> ConversationInput:
    """A new conversation prefilled as the follow-up of ``earlier_id`` (log follow-up)."""
    earlier = Conversation.get_by_id(earlier_id)
    return ConversationInput(
        customer_id=earlier.customer_id,
        with_whom=earlier.with_whom,
        topic_id=earlier.topic_id,
        method_id=earlier.method_id,
        pipeline_stage_id=earlier.pipeline_stage_id,
        is_follow_up=True,
        follows_id=earlier.id,
    )


def validate(form: ConversationInput, now: dt.datetime, default_employee_id: int, new: bool = False) -> dict:
    """The model fields for ``form``, or ValidationError naming every bad field.

    ``now`` is local time to the minute (``ctx.now()``); its date is today. A ``new``
    conversation needs a note or a follow-up date (docs/data.md#the-conversation-form: nothing empty is saved).
    """
    today = now.date()
    errors: dict[str, str] = {}

    def read(name: str, parse, *args):
        try:
            return parse(getattr(form, name), *args)
        except ValueError as exc:
            errors[name] = str(exc)
            return None

    date = read("date", parse_date, today)
    follow_up = read("follow_up", parse_date, today)
    begin = read("time_begin", parse_time, now)
    end = read("time_end", parse_time, now)
    duration = read("duration", parse_minutes)
    if "date" not in errors and date is None:
        date = today
    now_time = now.time().replace(second=0, microsecond=0)
    if "time_end" not in errors and end is None and date == today and (begin is None or begin <= now_time):
        end = now_time
    if begin and end and "time_end" not in errors and end < begin:
        errors["time_end"] = f"Time End is before Time Begin ({format_time(begin)})"
    typed = form.duration_typed and duration is not None
    if not typed and begin and end and end >= begin:
        duration = minutes_between(begin, end)
    errors.update(
        limits.check_texts(
            {"note": form.note, "with_whom": form.with_whom.strip()},
            {"note": limits.NOTE_MAX, "with_whom": limits.NAME_MAX},
        )
    )
    if "duration" not in errors and (message := limits.check_duration("duration", duration)):
        errors["duration"] = message  # computed from the times: still within the limit
    if new and not form.note.strip() and follow_up is None and "follow_up" not in errors:
        errors["note"] = EMPTY_CONVERSATION
    if Customer.get_or_none(Customer.id == form.customer_id) is None:
        errors["customer"] = "choose a customer"
    employee_id = form.employee_id or default_employee_id
    if Employee.get_or_none(Employee.id == employee_id) is None:
        errors["employee"] = "choose an employee"
    if errors:
        raise ValidationError(errors)
    return dict(
        customer=form.customer_id,
        employee=employee_id,
        date=date,
        follow_up=follow_up,
        note=form.note,
        with_whom=form.with_whom.strip(),
        topic=form.topic_id,
        method=form.method_id,
        completed=form.completed,
        is_follow_up=form.is_follow_up or form.follows_id is not None,
        pipeline_stage=form.pipeline_stage_id,
        time_begin=begin,
        time_end=end,
        duration_minutes=duration,
        follows=form.follows_id,
    )


@retrying
def save(
    form: ConversationInput,
    now: dt.datetime,
    default_employee_id: int,
    conversation_id: int | None = None,
    overwrite: bool = False,
) -> int:
    """Create (``conversation_id`` None) or update a conversation; returns its id.

    Raises ValidationError before writing anything when a field is bad, and ChangedMeanwhile
    when someone else saved the conversation after the form loaded it (``form.sequence``),
    unless ``overwrite`` (the user chose to keep their version). The check and the write are
    one transaction (SERIALIZABLE on PostgreSQL), so no save slips in between.
    """
    today = now.date()
    fields = validate(form, now, default_employee_id, new=conversation_id is None)
    if conversation_id is None:
        if fields["completed"]:
            fields["completed_on"] = today
        conv = Conversation.create(promised_follow_up=fields["follow_up"], **fields)
        if form.follows_id is not None:
            _complete_earlier(form.follows_id, fields["date"])
        ensure_fresh()
        return conv.id
    current = Conversation.get_by_id(conversation_id)
    if not overwrite and form.sequence is not None and current.sequence != form.sequence:
        raise ChangedMeanwhile("conversation")
    if fields["completed"] and not current.completed:
        fields["completed_on"] = today
    elif not fields["completed"]:
        fields["completed_on"] = None
    _edit(conversation_id, **fields)
    ensure_fresh()
    return conversation_id


def _complete_earlier(earlier_id: int, on: dt.date) -> None:
    """Logging a follow-up completes the conversation it follows (docs/data.md#the-conversation-form)."""
    earlier = Conversation.get_or_none(Conversation.id == earlier_id)
    if earlier is not None and not earlier.completed:
        _edit(earlier_id, completed=True, completed_on=on)

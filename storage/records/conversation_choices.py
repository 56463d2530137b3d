"""What the conversation form offers around a conversation: its customer's name and the pick
lists (employees, About, How, Pipeline Position), read in one go on the database thread before
the form opens (tui.dbwork), so that opening it reads nothing on the UI thread.

A pick list offers its active values; an inactive value the conversation already has is
offered too, marked "(inactive)", so that editing an old conversation never loses it. The
employees offered are the active ones, plus the conversation's own and the current one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.records import conversation_list, lookups
from storage.records.conversations import ConversationInput

PICK_LISTS = {"topic": "topic", "method": "method", "pipeline_stage": "stage"}  # form field: lookups list


@dataclass(frozen=True)
class Choices:
    customer_name: str = ""
    # field name ("employee", "topic", "method", "pipeline_stage") -> ((label, id), ...)
    options: dict[str, tuple[tuple[str, int], ...]] = field(default_factory=dict)
    active: dict[str, frozenset[int]] = field(default_factory=dict)  # the active ids of each pick list
    default_topic: int | None = None  # About for a new conversation: its employee's default


@dataclass(frozen=True)
class Loaded:
    """A conversation form's contents: what it shows (``form``), which conversation it edits
    (None: a new one) and what it offers."""

    form: ConversationInput
    conversation_id: int | None
    choices: Choices


def choices_for(form: ConversationInput, me_id: int, new: bool) -> Choices:
    """What the form offers for ``form``; ``me_id`` is the current employee."""
    employees = [e for e in lookups.employees(include_inactive=True) if e.active or e.id in (form.employee_id, me_id)]
    options = {"employee": tuple((e.display_name, e.id) for e in employees)}
    active = {}
    current = {"topic": form.topic_id, "method": form.method_id, "pipeline_stage": form.pipeline_stage_id}
    for name, kind in PICK_LISTS.items():
        offered = lookups.offered(kind)
        active[name] = frozenset(row_id for _, row_id in offered)
        value = current[name]
        if value is not None and value not in active[name]:  # (read again: rare)
            offered = lookups.offered(kind, value)
            if value not in {row_id for _, row_id in offered}:
                offered.append(("?", value))  # (gone meanwhile: a pick list needs its value)
        options[name] = tuple(offered)
    default = None
    if new and form.topic_id is None:
        default = conversation_list.default_topic_id(form.employee_id or me_id)
        default = default if default in active["topic"] else None
    return Choices(conversation_list.customer_name(form.customer_id), options, active, default)


def load(form: ConversationInput, conversation_id: int | None, me_id: int) -> Loaded:
    return Loaded(form, conversation_id, choices_for(form, me_id, conversation_id is None))

"""The maintained pick lists (topics, methods, pipeline stages) and employees (docs/data.md, docs/screens.md).

Reads return active values by default; the forms that edit an old conversation still show
its inactive value because they follow the conversation's foreign key, not these lists.

Writes validate what the user typed and raise ``ValidationError`` with a field map
(``{"name": "..."}``). Names are unique case-insensitively, compared in Python with
``casefold`` because SQLite's LOWER only folds ASCII. A value that any conversation (or an
employee's default topic) refers to cannot be deleted, only deactivated: ``delete_value``
raises ``InUseError`` saying so. Employee writes live in ``storage.records.staff``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

import peewee

from storage import limits
from storage.db.models import STAGE_KINDS, BaseModel, Conversation, Employee, Method, PipelineStage, Topic, db
from storage.errors import RapportError, ValidationError

NAME_MAX = limits.NAME_MAX  # docs/data.md: pick-list values and names

# The pick lists by the name screens and messages use for them.
LISTS: dict[str, type[Topic] | type[Method] | type[PipelineStage]] = {
    "topic": Topic,
    "method": Method,
    "stage": PipelineStage,
}
LABELS = {"topic": "topic", "method": "method", "stage": "pipeline stage"}


class InUseError(RapportError):
    """The value is in use and can only be deactivated. ``uses`` says by what."""

    def __init__(self, label: str, name: str, uses: str):
        self.uses = uses
        super().__init__(f"{label} {name!r} is used by {uses}; it cannot be deleted, only deactivated")


# ---------------------------------------------------------------------------- reads


def topics(include_inactive: bool = False) -> list[Topic]:
    query = Topic.select().order_by(Topic.name)
    return list(query if include_inactive else query.where(Topic.active == True))  # noqa: E712


def methods(include_inactive: bool = False) -> list[Method]:
    query = Method.select().order_by(Method.name)
    return list(query if include_inactive else query.where(Method.active == True))  # noqa: E712


def stages(include_inactive: bool = False) -> list[PipelineStage]:
    query = PipelineStage.select().order_by(PipelineStage.sort_order, PipelineStage.id)
    return list(query if include_inactive else query.where(PipelineStage.active == True))  # noqa: E712


def employees(include_inactive: bool = False) -> list[Employee]:
    query = Employee.select().order_by(Employee.sort_name, Employee.login)
    return list(query if include_inactive else query.where(Employee.active == True))  # noqa: E712


def employee_by_login(login: str) -> Employee | None:
    """Logins match case-insensitively (README.md#csv-files)."""
    from peewee import fn

    return Employee.get_or_none(fn.LOWER(Employee.login) == login.lower())


def find_employee(login: str) -> Employee:
    """The employee an ``--employee LOGIN`` option names; a one-line error when there is none."""
    employee = employee_by_login(login)
    if employee is None:
        raise RapportError(f"--employee {login!r}: no employee with that login")
    return employee


def values(kind: str, include_inactive: bool = True) -> list:
    """The rows of one pick list (``kind`` is a key of LISTS), in its display order."""
    lists: dict[str, Callable[[bool], list]] = {"topic": topics, "method": methods, "stage": stages}
    return lists[_model_key(kind)](include_inactive)


def offered(kind: str, current: int | None = None) -> list[tuple[str, int]]:
    """What a pick list offers in a form, as (label, id): its active values, plus ``current``
    marked "(inactive)" when it is no longer active, so that a record keeps its value."""
    options = [(row.name, row.id) for row in values(kind, include_inactive=False)]
    if current is not None and current not in {value for _, value in options}:
        model = LISTS[_model_key(kind)]
        row = model.get_or_none(model.id == current)
        if row is not None:
            options.append((f"{row.name} (inactive)", row.id))
    return options


# ------------------------------------------------------------------------ validation


def clean_name(value: str | None, field: str = "name", max_length: int = NAME_MAX) -> str:
    """The name stripped of surrounding blanks, or ValidationError naming ``field``."""
    name = (value or "").strip()
    if not name:
        raise ValidationError({field: "required"})
    if len(name) > max_length:
        raise ValidationError({field: f"at most {max_length} characters"})
    if any(unicodedata.category(ch) == "Cc" for ch in name):
        raise ValidationError({field: "no control characters (tabs, line breaks, escapes)"})
    return name


def taken(model: type[BaseModel], field: peewee.Field, value: str, exclude_id: int | None = None) -> bool:
    """Whether another row already holds ``value`` in ``field``, ignoring case."""
    folded = value.casefold()
    rows = model.select(model.id, field).tuples().iterator()
    return any(other.casefold() == folded for row_id, other in rows if row_id != exclude_id)


def _unique_name(kind: str, value: str | None, exclude_id: int | None = None) -> str:
    model = LISTS[kind]
    name = clean_name(value)
    if taken(model, model.name, name, exclude_id):
        raise ValidationError({"name": f"a {LABELS[kind]} named {name!r} already exists"})
    return name


def _sort_order(value: int | str | None) -> int:
    text = str(value if value is not None else "").strip()
    try:
        order = int(text)
    except ValueError:
        raise ValidationError({"order": "a whole number, e.g. 10"}) from None
    if not -limits.ORDER_MAX <= order <= limits.ORDER_MAX:  # fits every backend's INTEGER
        raise ValidationError({"order": f"from -{limits.ORDER_MAX:,} to {limits.ORDER_MAX:,}"})
    return order


def _stage_kind(value: str | None) -> str:
    kind = (value or "").strip().lower()
    if kind not in STAGE_KINDS:
        raise ValidationError({"kind": "one of " + ", ".join(STAGE_KINDS)})
    return kind


def _stalled_after(value: int | str) -> int | None:
    """A stage's "stalled after N days" (docs/reports.md#pipeline): empty for never, else 1 to 3650 days."""
    text = str(value).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= 3650:
        return int(text)
    raise ValidationError({"stalled": "a number of days, 1 to 3650 (empty: never stalled)"})


def _model_key(kind: str) -> str:
    if kind not in LISTS:
        raise ValueError(f"unknown pick list {kind!r}; one of {', '.join(LISTS)}")
    return kind


def _get(kind: str, value_id: int):
    model = LISTS[_model_key(kind)]
    row = model.get_or_none(model.id == value_id)
    if row is None:
        raise RapportError(f"{LABELS[kind]} {value_id} no longer exists (deleted elsewhere?)")
    return row


def _integrity(kind: str) -> ValidationError:
    """A unique constraint hit by a concurrent save, as the message the check would give."""
    return ValidationError({"name": f"a {LABELS[kind]} with this name already exists"})


def check_fields(checks: dict) -> dict:
    """Run every check (field -> callable returning the clean value) and raise one
    ValidationError naming each bad field, so the form can mark them all at once."""
    fields, errors = {}, {}
    for field, check in checks.items():
        try:
            fields[field] = check()
        except ValidationError as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return fields


def _checked_fields(kind: str, name: str, value_id: int | None, sort_order, stage_kind, stalled_after=None) -> dict:
    """The clean fields of a value; a stage's order, kind and "stalled after" only when given
    (None keeps them)."""
    checks: dict[str, Callable[[], object]] = {"name": lambda: _unique_name(kind, name, value_id)}
    if kind == "stage" and stalled_after is not None:
        checks["stalled_after_days"] = lambda: _stalled_after(stalled_after)
    if kind == "stage" and sort_order is not None:
        checks["sort_order"] = lambda: _sort_order(sort_order)
    if kind == "stage" and stage_kind is not None:
        checks["kind"] = lambda: _stage_kind(stage_kind)
    return check_fields(checks)


# ---------------------------------------------------------------------------- writes


def add_value(
    kind: str,
    name: str,
    *,
    sort_order: int | str | None = None,
    stage_kind: str = "open",
    stalled_after: int | str | None = None,
):
    """Add a topic, method or stage and return it. A stage without an order goes last."""
    model = LISTS[_model_key(kind)]
    if kind == "stage" and str(sort_order if sort_order is not None else "").strip() == "":
        sort_order = None
    try:
        with db.atomic():
            fields = _checked_fields(kind, name, None, sort_order, stage_kind, stalled_after)
            if kind == "stage" and sort_order is None:
                last = PipelineStage.select(peewee.fn.MAX(PipelineStage.sort_order)).scalar()
                fields["sort_order"] = (last or 0) + 10
            return model.create(**fields)
    except peewee.IntegrityError:
        raise _integrity(kind) from None


def update_value(
    kind: str,
    value_id: int,
    name: str,
    *,
    sort_order: int | str | None = None,
    stage_kind: str | None = None,
    stalled_after: int | str | None = None,
) -> None:
    """Rename a value; for a stage also set its order, kind and "stalled after N days" (when
    given; "" clears the last)."""
    model = LISTS[_model_key(kind)]
    try:
        with db.atomic():
            _get(kind, value_id)
            fields = _checked_fields(kind, name, value_id, sort_order, stage_kind, stalled_after)
            model.update(**fields).where(model.id == value_id).execute()
            if model is PipelineStage:
                from storage.db.cycle_store import ensure_fresh

                ensure_fresh()  # a new kind cuts every customer's cycles anew
    except peewee.IntegrityError:
        raise _integrity(kind) from None


def rename_value(kind: str, value_id: int, name: str) -> None:
    update_value(kind, value_id, name)


def set_active(kind: str, value_id: int, active: bool) -> None:
    """Deactivate (hide from the pick lists, keep on old conversations) or reactivate."""
    model = LISTS[_model_key(kind)]
    with db.atomic():
        _get(kind, value_id)
        model.update(active=active).where(model.id == value_id).execute()


def uses(kind: str, value_id: int) -> str:
    """What refers to the value, in words ("3 conversations and 1 employee"), or ""."""
    column = {"topic": Conversation.topic, "method": Conversation.method, "stage": Conversation.pipeline_stage}[
        _model_key(kind)
    ]
    parts = []
    # Trashed conversations count too: restoring one must bring its value back.
    conversations = Conversation.select().where(column == value_id).count()
    if conversations:
        parts.append(f"{conversations} conversation{'s' if conversations != 1 else ''}")
    if kind == "topic":
        staff = Employee.select().where(Employee.default_topic == value_id).count()
        if staff:
            parts.append(f"{staff} employee{'s' if staff != 1 else ''} (default topic)")
    return " and ".join(parts)


def delete_value(kind: str, value_id: int) -> None:
    """Delete a value nothing uses; raise InUseError when something does."""
    model = LISTS[_model_key(kind)]
    with db.atomic():
        row = _get(kind, value_id)
        used_by = uses(kind, value_id)
        if used_by:
            raise InUseError(LABELS[kind].capitalize(), row.name, used_by)
        model.delete().where(model.id == value_id).execute()


def move_stage(stage_id: int, step: int) -> None:
    """Move a stage ``step`` places up (negative) or down in the order, then renumber every
    stage 10, 20, 30 ... so that equal orders never make the move a no-op."""
    with db.atomic():
        ordered = [s.id for s in stages(include_inactive=True)]
        if stage_id not in ordered:
            raise RapportError(f"pipeline stage {stage_id} no longer exists (deleted elsewhere?)")
        old = ordered.index(stage_id)
        new = max(0, min(len(ordered) - 1, old + step))
        ordered.insert(new, ordered.pop(old))
        current = dict(PipelineStage.select(PipelineStage.id, PipelineStage.sort_order).tuples().iterator())
        for position, row_id in enumerate(ordered):
            if current[row_id] != (position + 1) * 10:
                PipelineStage.update(sort_order=(position + 1) * 10).where(PipelineStage.id == row_id).execute()

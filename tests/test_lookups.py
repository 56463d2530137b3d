"""Table maintenance in storage: topics, methods, stages and employees, on both backends."""

from __future__ import annotations

import pytest

from storage.db.models import Conversation, Employee, PipelineStage, Topic
from storage.errors import ValidationError
from storage.records import lookups, staff
from storage.records.lookups import InUseError
from tests import factories


def names(rows) -> list[str]:
    return [row.name for row in rows]


def test_add_and_rename_topic_and_method(ctx):
    topic = lookups.add_value("topic", "  Warranty  ")
    assert topic.name == "Warranty"
    assert "Warranty" in names(lookups.topics())
    lookups.rename_value("topic", topic.id, "Guarantee")
    assert Topic.get_by_id(topic.id).name == "Guarantee"
    assert "Warranty" not in names(lookups.topics())

    lookups.add_value("method", "Fax")
    assert "Fax" in names(lookups.methods())


def test_names_are_required_and_unique_ignoring_case(ctx):
    with pytest.raises(ValidationError) as exc:
        lookups.add_value("topic", "   ")
    assert exc.value.errors == {"name": "required"}
    with pytest.raises(ValidationError) as exc:
        lookups.add_value("topic", "general")  # "General" is seeded
    assert "already exists" in exc.value.errors["name"]
    with pytest.raises(ValidationError):
        lookups.add_value("method", "TELEPHONE")
    quote = factories.topic("Quote")
    with pytest.raises(ValidationError):
        lookups.rename_value("topic", quote.id, "ORDER")
    lookups.rename_value("topic", quote.id, "QUOTE")  # its own name in another case is fine
    assert Topic.get_by_id(quote.id).name == "QUOTE"


def test_unicode_names_are_unique_ignoring_case(ctx):
    lookups.add_value("topic", "Ärger")
    with pytest.raises(ValidationError):
        lookups.add_value("topic", "ärger")


def test_control_characters_are_refused_but_markup_is_just_text(ctx):
    with pytest.raises(ValidationError) as exc:
        lookups.add_value("topic", "bad\x1b[31mred")
    assert "control" in exc.value.errors["name"]
    assert lookups.add_value("topic", "[bold]x[/]").name == "[bold]x[/]"


def test_add_stage_goes_last_and_reports_every_bad_field(ctx):
    stage = lookups.add_value("stage", "Demo booked")
    assert lookups.stages()[-1].name == "Demo booked"
    assert stage.kind == "open"
    with pytest.raises(ValidationError) as exc:
        lookups.add_value("stage", "", sort_order="soon", stage_kind="maybe")
    assert set(exc.value.errors) == {"name", "order", "kind"}
    placed = lookups.add_value("stage", "Pre-qualified", sort_order="15", stage_kind="open")
    assert names(lookups.stages())[:3] == ["Initial contact", "Pre-qualified", "Qualifying"]
    assert placed.sort_order == 15


def test_update_stage_order_and_kind(ctx):
    cancelled = factories.stage("Cancelled")
    lookups.update_value("stage", cancelled.id, "Withdrawn", sort_order="5", stage_kind="lost")
    row = PipelineStage.get_by_id(cancelled.id)
    assert (row.name, row.sort_order, row.kind) == ("Withdrawn", 5, "lost")
    assert lookups.stages()[0].name == "Withdrawn"


def test_move_stage_up_and_down(ctx):
    before = names(lookups.stages())
    proposal = factories.stage("Proposal")
    lookups.move_stage(proposal.id, -1)
    after = names(lookups.stages())
    i = before.index("Proposal")
    assert after[i - 1 : i + 1] == ["Proposal", "Lead validated"]
    lookups.move_stage(proposal.id, +1)
    assert names(lookups.stages()) == before
    first = factories.stage("Initial contact")
    lookups.move_stage(first.id, -1)  # already first: stays
    assert names(lookups.stages()) == before


def test_move_stage_works_when_orders_are_equal(ctx):
    PipelineStage.update(sort_order=0).execute()
    order = names(lookups.stages())
    second = PipelineStage.get(PipelineStage.name == order[1])
    lookups.move_stage(second.id, -1)
    assert names(lookups.stages())[:2] == [order[1], order[0]]


def test_unused_value_is_deleted(ctx):
    fax = lookups.add_value("method", "Fax")
    lookups.delete_value("method", fax.id)
    assert "Fax" not in names(lookups.methods(include_inactive=True))


@pytest.mark.parametrize("kind", ["topic", "method", "stage"])
def test_value_in_use_is_not_deleted_but_deactivated(ctx, kind):
    value = lookups.add_value(kind, "Used value")
    column = {"topic": "topic", "method": "method", "stage": "pipeline_stage"}[kind]
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    Conversation.update({column: value.id}).where(Conversation.id == conv.id).execute()
    with pytest.raises(InUseError) as exc:
        lookups.delete_value(kind, value.id)
    assert "1 conversation" in str(exc.value) and "deactivated" in str(exc.value)
    assert "Used value" in names(lookups.values(kind))

    lookups.set_active(kind, value.id, False)
    assert "Used value" not in names(lookups.values(kind, include_inactive=False))
    assert "Used value" in names(lookups.values(kind, include_inactive=True))
    # the old conversation keeps showing its value
    assert getattr(Conversation.get_by_id(conv.id), column).name == "Used value"

    lookups.set_active(kind, value.id, True)
    assert "Used value" in names(lookups.values(kind, include_inactive=False))


def test_trashed_conversation_still_counts_as_a_use(ctx):
    fax = lookups.add_value("method", "Fax")
    conv = factories.conversation(factories.customer(), "2026-03-01", method=fax)
    Conversation.update(deleted_at=conv.created_at).where(Conversation.id == conv.id).execute()
    with pytest.raises(InUseError):
        lookups.delete_value("method", fax.id)


def test_default_topic_of_an_employee_counts_as_a_use(ctx):
    topic = lookups.add_value("topic", "Renewals")
    staff.add_employee("ann", "Ann Example", topic.id)
    with pytest.raises(InUseError) as exc:
        lookups.delete_value("topic", topic.id)
    assert "1 employee" in str(exc.value)


def test_add_and_edit_employee(ctx):
    quote = factories.topic("Quote")
    ann = staff.add_employee(" ann ", " Ann Example ", quote.id)
    row = Employee.get_by_id(ann.id)
    assert (row.login, row.name, row.default_topic.name, row.active) == ("ann", "Ann Example", "Quote", True)
    staff.update_employee(ann.id, "Ann E.", None)
    row = Employee.get_by_id(ann.id)
    assert (row.name, row.default_topic) == ("Ann E.", None)
    staff.set_employee_active(ann.id, False)
    assert "ann" not in [e.login for e in lookups.employees()]
    assert "ann" in [e.login for e in lookups.employees(include_inactive=True)]


def test_employee_login_is_required_unique_and_without_spaces(ctx):
    staff.add_employee("ann")
    for login, message in (("", "required"), ("ANN", "already exists"), ("ann smith", "no spaces")):
        with pytest.raises(ValidationError) as exc:
            staff.add_employee(login, "Someone")
        assert message in exc.value.errors["login"]


def test_employee_with_unknown_default_topic_is_refused(ctx):
    with pytest.raises(ValidationError) as exc:
        staff.add_employee("bob", "Bob", 999_999)
    assert "default_topic" in exc.value.errors
    assert lookups.employee_by_login("bob") is None

"""The conversation form's rules (docs/data.md#the-conversation-form) and the Conversations tab's list (docs/data.md order),
on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.db.models import Contact, Conversation
from storage.errors import ValidationError
from storage.parsing import parse_date, parse_time
from storage.records import conversation_list as clist
from storage.records import conversations
from storage.records.conversations import ConversationInput
from tests import factories
from tests.conftest import TODAY

NOW = dt.datetime.combine(TODAY, dt.time(10, 30))


def _save(ctx, form, conversation_id=None, now=NOW):
    return conversations.save(form, now, ctx.employee().id, conversation_id)


def test_empty_end_becomes_now_and_duration_is_computed(ctx):
    cust = factories.customer("Acme")
    conv_id = _save(ctx, ConversationInput(cust.id, note="called", time_begin="10:05"))
    conv = Conversation.get_by_id(conv_id)
    assert conv.date == TODAY
    assert conv.employee.login == "tester"
    assert conv.time_begin == dt.time(10, 5)
    assert conv.time_end == dt.time(10, 30)
    assert conv.duration_minutes == 25


def test_typed_duration_wins_over_the_times(ctx):
    cust = factories.customer()
    conv_id = _save(
        ctx,
        ConversationInput(
            cust.id, time_begin="09:00", time_end="09:40", duration="15", duration_typed=True, note="call"
        ),
    )
    assert Conversation.get_by_id(conv_id).duration_minutes == 15


def test_end_is_left_empty_for_a_call_logged_on_another_day(ctx):
    cust = factories.customer()
    conv_id = _save(ctx, ConversationInput(cust.id, date="2026-03-10", time_begin="14:00", note="call"))
    conv = Conversation.get_by_id(conv_id)
    assert (conv.time_end, conv.duration_minutes) == (None, None)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("time_begin", "25:00", "no such time"),
        ("time_end", "9.30", "not a time"),
        ("date", "2026-02-30", "no such date"),
        ("follow_up", "next week", "not a date"),
        ("duration", "-5", "negative"),
        ("duration", "ten", "not a number"),
    ],
)
def test_bad_fields_name_the_field_and_nothing_is_saved(ctx, field, value, message):
    cust = factories.customer()
    form = ConversationInput(cust.id, note="kept", **{field: value})
    with pytest.raises(ValidationError) as raised:
        _save(ctx, form)
    assert list(raised.value.errors) == [field]
    assert message in raised.value.errors[field]
    assert Conversation.select().count() == 0


def test_end_before_begin_is_an_error_on_time_end(ctx):
    cust = factories.customer()
    with pytest.raises(ValidationError) as raised:
        _save(ctx, ConversationInput(cust.id, time_begin="10:00", time_end="09:59"))
    assert "before Time Begin" in raised.value.errors["time_end"]
    assert Conversation.select().count() == 0


def test_update_bumps_sequence_and_completing_records_the_day(ctx):
    cust = factories.customer()
    conv_id = _save(ctx, ConversationInput(cust.id, note="first"))
    before = Conversation.get_by_id(conv_id)
    form = ConversationInput.from_conversation(before)
    form.note, form.completed = "edited", True
    _save(ctx, form, conv_id)
    after = Conversation.get_by_id(conv_id)
    assert (after.note, after.sequence, after.completed_on) == ("edited", before.sequence + 1, TODAY)
    form = ConversationInput.from_conversation(after)
    form.completed = False
    _save(ctx, form, conv_id)
    assert Conversation.get_by_id(conv_id).completed_on is None


def test_log_follow_up_completes_the_earlier_one_on_the_new_date(ctx):
    cust = factories.customer()
    earlier = factories.conversation(cust, "2026-03-01", follow_up="2026-03-15", with_whom="Ann")
    form = conversations.follow_up_input(earlier.id)
    assert form.with_whom == "Ann" and form.is_follow_up
    form.date, form.note = "2026-03-17", "called back"
    new_id = _save(ctx, form)
    new, old = Conversation.get_by_id(new_id), Conversation.get_by_id(earlier.id)
    assert new.is_follow_up and new.follows_id == earlier.id
    assert old.completed and old.completed_on == dt.date(2026, 3, 17)


def test_order_is_date_then_missing_time_first_then_id(ctx):
    cust = factories.customer()
    a = factories.conversation(cust, "2026-03-02", time_begin="08:00")
    b = factories.conversation(cust, "2026-03-02")
    c = factories.conversation(cust, "2026-03-01", time_begin="17:00")
    d = factories.conversation(cust, "2026-03-02", time_begin="07:00")
    e = factories.conversation(cust, "2026-03-02")
    ids = [row.id for row in clist.page(cust.id)]
    assert ids == [c.id, b.id, e.id, d.id, a.id]
    assert [clist.position(cust.id, i) for i in ids] == [0, 1, 2, 3, 4]
    assert [row.id for row in clist.page(cust.id, offset=1, limit=2)] == [b.id, e.id]


def test_filters_text_open_only_employee_and_trash(ctx):
    cust = factories.customer()
    other = factories.customer()
    factories.conversation(other, "2026-03-01", note="100% sure")
    hit = factories.conversation(cust, "2026-03-01", note="He is 100% sure")
    factories.conversation(cust, "2026-03-02", note="100 percent sure")
    whom = factories.conversation(cust, "2026-03-03", with_whom="Bob_X", completed=True)
    factories.conversation(cust, "2026-03-04", with_whom="BobbX", employee_login="ann")
    gone = factories.conversation(cust, "2026-03-05", note="100% sure")
    conversations.delete(gone.id)

    def ids(**kw):
        return [row.id for row in clist.page(cust.id, clist.ConversationFilter(**kw))]

    assert ids(text="100%") == [hit.id]
    assert ids(text="bob_") == [whom.id]
    assert len(ids(open_only=True)) == 3
    ann = factories.employee("ann")
    assert len(ids(employee_id=ann.id)) == 1
    assert clist.count(cust.id) == 4
    conversations.restore(gone.id)
    assert clist.count(cust.id) == 5


def test_rows_show_the_first_line_and_the_original_columns(ctx):
    cust = factories.customer()
    factories.conversation(
        cust,
        "2026-03-01",
        note="line one\nline two",
        time_begin="09:00",
        topic=factories.topic("Quote"),
        stage_name="Proposal",
        is_follow_up=True,
        duration_minutes=5,
    )
    (row,) = clist.page(cust.id)
    assert row.cells() == (
        "2026-03-01 tester",
        "",
        "line one",
        "",
        "Quote",
        "",
        "",
        "yes",
        "Proposal",
        "09:00",
        "",
        "5",
    )


def test_with_whom_suggestions_and_default_topic(ctx):
    cust = factories.customer()
    Contact.create(customer=cust, name="Zoe")
    factories.conversation(cust, "2026-03-01", with_whom="zoe")
    factories.conversation(cust, "2026-03-02", with_whom="Max")
    factories.conversation(factories.customer(), "2026-03-02", with_whom="Elsewhere")
    assert clist.with_whom_suggestions(cust.id) == ["Zoe", "Max"]
    emp = factories.employee("ann", default_topic=factories.topic("Support"))
    assert clist.default_topic_id(emp.id) == factories.topic("Support").id
    assert clist.default_topic_id(factories.employee("bob").id) is None


def test_short_forms_of_dates_and_times():
    assert parse_date("today", TODAY) == TODAY
    assert parse_date("+3", TODAY) == dt.date(2026, 3, 21)
    assert parse_date("-1", TODAY) == dt.date(2026, 3, 17)
    assert parse_date("", TODAY) is None
    with pytest.raises(ValueError):
        parse_time("930", NOW)
    assert parse_time("0930", NOW) == dt.time(9, 30)
    assert parse_time("9:05", NOW) == dt.time(9, 5)
    assert parse_time("now", NOW) == dt.time(10, 30)
    with pytest.raises(ValueError):
        parse_time("24:00", NOW)


def test_a_new_conversation_needs_a_note_or_a_follow_up_date(ctx):
    """docs/data.md#the-conversation-form: nothing empty is saved; an edit may empty the note of a saved one."""
    cust = factories.customer()
    for blank in ("", "   \n\t"):
        with pytest.raises(ValidationError) as error:
            _save(ctx, ConversationInput(cust.id, note=blank, with_whom="Anna", time_begin="09:00"))
        assert list(error.value.errors) == ["note"]
    assert Conversation.select().count() == 0
    with_date = _save(ctx, ConversationInput(cust.id, follow_up="fri"))
    with_note = _save(ctx, ConversationInput(cust.id, note="x"))
    assert Conversation.select().count() == 2
    edit = conversations.input_for(with_note)
    edit.note = ""
    _save(ctx, edit, with_note)
    assert Conversation.get_by_id(with_note).note == "" and with_date


def test_a_page_near_the_end_read_from_the_end_is_the_same_page(ctx):
    """conversation_list.page with the count: a page in the second half is read backwards from
    the end (a short skip on PostgreSQL); it holds the same rows in the same order as read
    forwards, with dates, empty and equal begin times and ids that tie, filtered or not."""
    from storage.records import conversation_list as clist

    acme = factories.customer("Acme")
    for day in ("2026-03-01", "2026-03-02", "2026-03-02", "2026-03-03"):
        for begin in (None, "09:00", "09:00", "14:30"):
            factories.conversation(acme, day, time_begin=begin, note=f"{day} {begin}", completed=begin == "14:30")
    factories.conversation(factories.customer("Other"), "2026-03-02", note="not Acme's")
    for flt in (clist.ConversationFilter(), clist.ConversationFilter(open_only=True)):
        total = clist.count(acme.id, flt)
        forwards = [r.id for r in clist.page(acme.id, flt, 0, 100)]
        assert len(forwards) == total
        for offset in range(total + 1):
            for limit in (1, 3, 7, 100):
                expected = forwards[offset : offset + limit]
                assert [r.id for r in clist.page(acme.id, flt, offset, limit, total)] == expected, (offset, limit)

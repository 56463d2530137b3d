"""The promised follow-up date (docs/data.md#the-conversation-form) and the honest statistics it gives (docs/reports.md): snoozing,
rescheduling or editing moves the follow-up date, never the promised one; on time is measured
against the promise; ``moved`` counts the due ones whose date differs from it. Both backends."""

from __future__ import annotations

import datetime as dt

from storage.db.models import Conversation
from storage.records import conversations
from storage.records.conversations import ConversationInput
from storage.reporting import reports
from tests import factories as f
from tests.conftest import TODAY

NOW = dt.datetime(2026, 3, 18, 10, 0)


def stats_of(login: str, stats) -> dict:
    return next(e.as_json() for e in stats.employees if e.employee == login)


def saved(customer, follow_up: str, date: str = "2026-03-02") -> int:
    return conversations.save(
        ConversationInput(customer.id, date=date, follow_up=follow_up, note="call"), NOW, f.employee().id
    )


def test_first_saved_date_is_the_promise_and_never_moves(ctx):
    acme = f.customer("Acme")
    cid = saved(acme, "2026-03-05")
    assert Conversation.get_by_id(cid).promised_follow_up == dt.date(2026, 3, 5)
    conversations.set_follow_up(cid, dt.date(2026, 3, 19))  # snooze
    conversations.set_follow_up(cid, dt.date(2026, 3, 26))  # and again
    form = conversations.input_for(cid)
    form.follow_up = "2026-03-27"  # edit in the form
    conversations.save(form, NOW, f.employee().id, cid)
    row = Conversation.get_by_id(cid)
    assert (row.follow_up, row.promised_follow_up) == (dt.date(2026, 3, 27), dt.date(2026, 3, 5))


def test_a_conversation_without_a_date_promises_the_first_it_gets(ctx):
    acme = f.customer("Acme")
    cid = conversations.save(ConversationInput(acme.id, date="2026-03-02", note="x"), NOW, f.employee().id)
    assert Conversation.get_by_id(cid).promised_follow_up is None
    conversations.set_follow_up(cid, dt.date(2026, 3, 10))
    conversations.set_follow_up(cid, dt.date(2026, 3, 12))
    assert Conversation.get_by_id(cid).promised_follow_up == dt.date(2026, 3, 10)


def test_snoozing_a_late_follow_up_does_not_make_it_on_time(ctx):
    """The issue's morning of triage: four late follow-ups, one done on time; snoozing the
    other three to today and completing them used to lift the rate from 25 % to 100 %."""
    acme = f.customer("Acme")
    on_time = saved(acme, "2026-03-05")
    conversations.set_completed(on_time, True, dt.date(2026, 3, 5))
    late = [saved(acme, "2026-03-06") for _ in range(3)]
    before = stats_of("tester", reports.statistics(TODAY))
    assert (before["due"], before["on_time"], before["open_overdue"], before["moved"]) == (4, 1, 3, 0)
    assert before["on_time_rate"] == 25.0
    for cid in late:
        conversations.set_follow_up(cid, TODAY)  # snoozed to today ...
        conversations.set_completed(cid, True, TODAY)  # ... and done today
    after = stats_of("tester", reports.statistics(TODAY))
    assert (after["due"], after["done"], after["on_time"], after["moved"]) == (4, 4, 1, 3)
    assert after["on_time_rate"] == 25.0


def test_moving_a_date_earlier_and_back_is_not_moved(ctx):
    acme = f.customer("Acme")
    cid = saved(acme, "2026-03-10")
    conversations.set_follow_up(cid, dt.date(2026, 3, 8))
    assert stats_of("tester", reports.statistics(TODAY))["moved"] == 1
    conversations.set_follow_up(cid, dt.date(2026, 3, 10))
    assert stats_of("tester", reports.statistics(TODAY))["moved"] == 0


def test_rows_without_a_stored_promise_promise_their_follow_up(ctx):
    """Imported or older rows (promised NULL): the promise is the follow-up date."""
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-02", follow_up="2026-03-04", completed=True, completed_on="2026-03-04")
    f.conversation(
        acme,
        "2026-03-02",
        follow_up="2026-03-04",
        completed=True,
        completed_on="2026-03-05",
        promised_follow_up=f.d("2026-03-01"),
    )
    figures = stats_of("tester", reports.statistics(TODAY))
    assert (figures["due"], figures["on_time"], figures["moved"]) == (2, 1, 1)

"""Saving while another Rapport holds the write lock (issue 13, docs/storage.md, docs/screens.md#keyboard-and-ssh): for every form
and every Follow-ups action the app stays up, says so in one line, keeps what was typed, and
the same key succeeds once the lock is gone. The database work runs on tui.dbwork's thread, so
the screen keeps answering meanwhile."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, TextArea

from screens.booking_form import BookingForm
from screens.contact_form import ContactForm
from screens.conversation_form import ConversationForm
from screens.customer_form import CustomerForm
from screens.value_form import ValueForm
from storage.db.models import Booking, Contact, Conversation, Customer, Topic
from storage.reporting import reports
from tests import factories
from tests.conftest import TODAY
from tests.locking import keys_under_lock, shown
from tests.tui_helpers import type_text, wait_until

TYPED = "Lock [bold]test[/] Ärger"
BUSY = "another Rapport is writing to the database"


async def save_under_lock(app, pilot, other, form_type, saved, field: str, typed: str) -> None:
    """ctrl+s while ``other`` holds the lock: one line, the form stays open with ``typed`` in
    ``field``; ctrl+s after the lock is gone: ``saved()`` becomes true."""
    other.execute("BEGIN IMMEDIATE")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: BUSY in shown(app), what="the busy message")
    assert isinstance(app.screen, form_type)
    widget = app.screen.query_one(field)
    assert (widget.text if isinstance(widget, TextArea) else widget.value) == typed
    assert "Traceback" not in shown(app) and app.is_running
    assert not saved()
    other.execute("COMMIT")
    await pilot.press("ctrl+s")
    await wait_until(pilot, saved, what="the save after the lock was released")
    assert app.crash_reports == []


async def test_new_customer(app, other_rapport):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "customer-name")
        await type_text(pilot, TYPED)
        await save_under_lock(
            app,
            pilot,
            other_rapport,
            CustomerForm,
            lambda: Customer.select().where(Customer.name == TYPED).exists(),
            "#customer-name",
            TYPED,
        )


async def test_new_contact(app, other_rapport):
    acme = factories.customer("Acme")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ContactForm(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "contact-name")
        await type_text(pilot, TYPED)
        await save_under_lock(
            app,
            pilot,
            other_rapport,
            ContactForm,
            lambda: Contact.select().where(Contact.name == TYPED).exists(),
            "#contact-name",
            TYPED,
        )


async def test_new_conversation(app, other_rapport):
    acme = factories.customer("Acme")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        await type_text(pilot, TYPED)
        await save_under_lock(
            app,
            pilot,
            other_rapport,
            ConversationForm,
            lambda: Conversation.select().where(Conversation.note == TYPED).exists(),
            "#note",
            TYPED,
        )


async def test_new_booking(app, other_rapport):
    acme = factories.customer("Acme")
    conv = factories.conversation(acme, "2026-03-10", follow_up="2026-03-20")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(BookingForm.for_conversation(conv.id, TODAY))
        await wait_until(pilot, lambda: isinstance(app.focused, Input) and app.focused.id == "date")
        await pilot.press("tab", "tab", "tab")  # to Title
        await wait_until(pilot, lambda: app.focused.id == "title")
        await pilot.press("end", "space", *"Ärger")
        await save_under_lock(
            app,
            pilot,
            other_rapport,
            BookingForm,
            lambda: Booking.select().where(Booking.title.endswith("Ärger")).exists(),
            "#title",
            "Acme Ärger",
        )


async def test_new_pick_list_value(app, other_rapport):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ValueForm("topic"))
        await wait_until(pilot, lambda: isinstance(app.focused, Input))
        await type_text(pilot, "Lock test topic")
        await save_under_lock(
            app,
            pilot,
            other_rapport,
            ValueForm,
            lambda: Topic.select().where(Topic.name == "Lock test topic").exists(),
            "#field-name",
            "Lock test topic",
        )


async def test_followups_actions(app, other_rapport):
    acme = factories.customer("Acme")
    conv = factories.conversation(acme, "2026-03-10", follow_up="2026-03-17", note="Call back")

    def row() -> Conversation:
        return Conversation.get_by_id(conv.id)

    async def under_lock(key: str, changed) -> None:
        await keys_under_lock(pilot, other_rapport, (key,), changed)

    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await pilot.press("f3")
        await wait_until(pilot, lambda: "Call back" in shown(app), what="the follow-up")
        await under_lock("c", lambda: row().completed)
        await under_lock("u", lambda: not row().completed)
        day = reports.snoozed(dt.date(2026, 3, 17), TODAY, 1)
        await under_lock("s", lambda: row().follow_up == day)
        await under_lock("u", lambda: row().follow_up == dt.date(2026, 3, 17))
        week = reports.snoozed(dt.date(2026, 3, 17), TODAY, 7)
        await under_lock("w", lambda: row().follow_up == week)
        assert app.crash_reports == []

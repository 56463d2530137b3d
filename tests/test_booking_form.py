"""Create booking, Create task and export to calendar in the TUI, by real key presses at 80x24."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, TextArea

from screens.booking_form import BookingForm
from storage.models import Booking, Draft
from tests import factories
from tests.tui_helpers import screen_text, type_text
from tui import calendar_actions


def a_conversation(name: str = "Acme [bold]GmbH[/]"):
    cust = factories.customer(name)
    return factories.conversation(cust, "2026-03-02", follow_up="2026-03-20",
                                  note="Bring the [link=x]samples[/]", topic=factories.topic("Quote"))


async def open_form(app, pilot, conversation_id: int) -> list:
    results: list = []
    app.push_screen(BookingForm.for_conversation(conversation_id), results.append)
    await pilot.pause()
    return results


async def test_prefilled_from_the_conversation_and_saved_with_ctrl_s(app):
    conv = a_conversation()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_form(app, pilot, conv.id)
        form = app.screen
        shown = screen_text(app)
        assert "New booking — Acme [bold]GmbH[/]" in shown
        assert form.query_one("#title", Input).value == "Acme [bold]GmbH[/] — Quote"
        assert form.query_one("#date", Input).value == "2026-03-20"
        assert form.query_one("#note", TextArea).text == "Bring the [link=x]samples[/]"
        form.query_one("#location", Input).focus()
        await type_text(pilot, "HQ, Berlin")
        await pilot.press("ctrl+s")
        await pilot.pause()
        booking = Booking.get()
        assert results == [booking.id]
        assert (booking.start, booking.end) == (dt.datetime(2026, 3, 20, 9), dt.datetime(2026, 3, 20, 10))
        assert (booking.title, booking.location, booking.conversation_id) == (
            "Acme [bold]GmbH[/] — Quote", "HQ, Berlin", conv.id)
        assert Draft.select().count() == 0
        assert not isinstance(app.screen, BookingForm)


async def test_end_before_start_is_an_inline_error_and_keeps_the_text(app):
    conv = a_conversation()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_form(app, pilot, conv.id)
        form = app.screen
        form.query_one("#end", Input).focus()
        await pilot.press("ctrl+u")  # clear the field, as a user would
        form.query_one("#end", Input).value = ""
        await type_text(pilot, "08:30")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Booking.select().count() == 0 and results == []
        assert app.screen is form
        assert "End: must be after the start" in screen_text(app)
        assert form.query_one("#end", Input).value == "08:30"
        assert app.focused is form.query_one("#end", Input)
        form.query_one("#end", Input).value = ""
        await type_text(pilot, "11:00")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Booking.get().end == dt.datetime(2026, 3, 20, 11)


async def test_escape_asks_before_discarding_typed_text(app):
    conv = a_conversation()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_form(app, pilot, conv.id)
        form = app.screen
        form.query_one("#title", Input).focus()
        await type_text(pilot, " call")
        await pilot.press("escape")
        await pilot.pause()
        assert "Discard the text you typed?" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen is form and form.query_one("#title", Input).value.endswith(" call")
        await pilot.press("escape", "y")
        await pilot.pause()
        assert results == [None] and Booking.select().count() == 0
        results2 = await open_form(app, pilot, conv.id)
        await pilot.press("escape")
        await pilot.pause()
        assert results2 == [None]


async def test_create_task_writes_a_todo_and_shows_the_path(app, isolated_home):
    conv = a_conversation()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        calendar_actions.create_task(app.screen, conv.id)
        await pilot.pause()
        folder = isolated_home / ".local/share/rapport/exports"
        (path,) = folder.glob("task-*.ics")
        assert f"{conv.uid}@rapport" in path.read_text(encoding="utf-8")
        assert "BEGIN:VTODO" in path.read_text(encoding="utf-8")
        assert "Task written to" in screen_text(app)


async def test_export_to_calendar_writes_the_list_in_a_worker(app, isolated_home):
    conv = a_conversation()
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        calendar_actions.export_follow_ups(app.screen, None, dt.date(2026, 3, 20),
                                           dt.date(2026, 3, 20), "followups-2026-03-20")
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = isolated_home / ".local/share/rapport/exports/followups-2026-03-20.ics"
        assert f"UID:{conv.uid}@rapport" in path.read_text(encoding="utf-8")
        assert "Exported 1 follow-up and 0 bookings" in screen_text(app)
        calendar_actions.export_follow_ups(app.screen, None, dt.date(2026, 4, 1),
                                           dt.date(2026, 4, 1), "empty-day")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Not exported: nothing to export" in screen_text(app)
        assert not (path.parent / "empty-day.ics").exists()

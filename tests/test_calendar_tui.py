"""Create booking, Create task and export to calendar in the TUI, by real key presses at 80x24."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input, TextArea

from screens.booking_form import BookingForm
from storage.db.models import Booking, Draft
from tests import factories
from tests.tui_helpers import screen_text, type_text, wait_for_text, wait_until
from tui import calendar_actions


def a_conversation(name: str = "Acme [bold]GmbH[/]"):
    cust = factories.customer(name)
    return factories.conversation(
        cust, "2026-03-02", follow_up="2026-03-20", note="Bring the [link=x]samples[/]", topic=factories.topic("Quote")
    )


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
            "Acme [bold]GmbH[/] — Quote",
            "HQ, Berlin",
            conv.id,
        )
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
        assert "Create task: due on" in screen_text(app)  # asks first, the follow-up date offered
        assert app.screen.query_one("#date-prompt-input", Input).value == "2026-03-20"
        await type_text(pilot, "+2")  # replaces the selected date
        await pilot.press("enter")
        await pilot.pause()
        folder = isolated_home / ".local/share/rapport/exports"
        (path,) = folder.glob("task-*.ics")
        assert f"{conv.uid}@rapport" in path.read_text(encoding="utf-8")
        assert "BEGIN:VTODO" in path.read_text(encoding="utf-8")
        assert "DUE;VALUE=DATE:20260320" in path.read_text(encoding="utf-8")  # today + 2
        assert "Task due Fri 2026-03-20 written to" in await wait_for_text(app, pilot, "Task due")


async def test_export_to_calendar_writes_the_list_in_a_worker(app, isolated_home):
    conv = a_conversation()
    async with app.run_test(size=(120, 30), notifications=True) as pilot:
        calendar_actions.export_follow_ups(
            app.screen, "followups-2026-03-20", None, date_from=dt.date(2026, 3, 20), date_to=dt.date(2026, 3, 20)
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        path = isolated_home / ".local/share/rapport/exports/followups-2026-03-20.ics"
        assert f"UID:{conv.uid}@rapport" in path.read_text(encoding="utf-8")
        assert "Exported 1 follow-up and 0 bookings" in await wait_for_text(
            app, pilot, "Exported 1 follow-up and 0 bookings"
        )
        calendar_actions.export_follow_ups(
            app.screen, "empty-day", None, date_from=dt.date(2026, 4, 1), date_to=dt.date(2026, 4, 1)
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Not exported: nothing to export" in await wait_for_text(app, pilot, "Not exported: nothing to export")
        assert not (path.parent / "empty-day.ics").exists()


async def test_x_on_follow_ups_offers_the_days_list_or_all_open(app, isolated_home):
    from storage.records import bookings

    cust = factories.customer("Acme")
    overdue = factories.conversation(cust, "2026-03-01", follow_up="2026-03-10")
    week = factories.conversation(cust, "2026-03-01", follow_up="2026-03-25")
    later = factories.conversation(cust, "2026-03-01", follow_up="2026-04-30")
    old = bookings.create(
        {"date": "2026-03-01", "start": "09:00", "end": "10:00", "title": "Past"}, conversation_id=overdue.id
    )
    soon = bookings.create(
        {"date": "2026-03-19", "start": "09:00", "end": "10:00", "title": "Soon"}, conversation_id=week.id
    )
    folder = isolated_home / ".local/share/rapport/exports"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        calendar_actions.choose_export(app.screen, None, "everyone")
        await pilot.pause()
        assert "the day's list" in screen_text(app) and "all open follow-ups" in screen_text(app)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        day = (folder / "followups-everyone-2026-03-18.ics").read_text(encoding="utf-8")
        assert f"UID:{overdue.uid}@rapport" in day and f"UID:{week.uid}@rapport" in day
        assert f"UID:{later.uid}@rapport" not in day
        assert f"UID:{soon.uid}@rapport" in day and f"UID:{old.uid}@rapport" not in day
        assert "Exported 2 follow-ups and 1 booking" in await wait_for_text(
            app, pilot, "Exported 2 follow-ups and 1 booking"
        )
        calendar_actions.choose_export(app.screen, None, "everyone")
        await pilot.pause()
        await pilot.press("a")
        await app.workers.wait_for_complete()
        every = (folder / "followups-everyone-open.ics").read_text(encoding="utf-8")
        assert all(f"UID:{c.uid}@rapport" in every for c in (overdue, week, later))
        calendar_actions.choose_export(app.screen, None, "everyone")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        assert "as to-dos" in screen_text(app)
        await pilot.press("a")
        await app.workers.wait_for_complete()
        todos = (folder / "followups-everyone-open-todos.ics").read_text(encoding="utf-8")
        assert todos.count("BEGIN:VTODO") == 3 and "DUE;VALUE=DATE:20260430" in todos
        calendar_actions.choose_export(app.screen, None, "everyone")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert sorted(p.name for p in folder.iterdir()) == [
            "followups-everyone-2026-03-18.ics",
            "followups-everyone-open-todos.ics",
            "followups-everyone-open.ics",
        ]


async def test_day_bookings_line_shows_the_days_bookings_literally(app):
    from textual.app import App

    from storage.records import bookings
    from tui.widgets.day_bookings import DayBookings

    conv = a_conversation()
    bookings.create(
        {"date": "2026-03-18", "start": "14:00", "end": "15:00", "title": "[bold]Visit[/]", "location": "HQ"},
        conversation_id=conv.id,
    )
    bookings.create(
        {"date": "2026-03-19", "start": "09:00", "end": "10:00", "title": "Tomorrow"}, conversation_id=conv.id
    )

    class Host(App):
        def compose(self):
            yield DayBookings(id="bookings")

    host = Host()
    async with host.run_test(size=(80, 24)) as pilot:
        line = host.query_one(DayBookings)
        line.show(dt.date(2026, 3, 18), None)
        await pilot.pause()
        shown = screen_text(host)
        assert "Bookings Wed 2026-03-18: 14:00–15:00 [bold]Visit[/] (HQ)" in shown
        assert "Tomorrow" not in shown
        line.show(dt.date(2026, 3, 20), None)
        await pilot.pause()
        assert line.display is False or "Bookings" not in screen_text(host)


async def test_b_t_x_on_the_conversations_tab(app, isolated_home):
    from tests.panel_host import PanelHost

    conv = a_conversation("Acme")
    folder = isolated_home / ".local/share/rapport/exports"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(PanelHost(conv.customer_id))
        await pilot.pause()
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)
        assert "New booking — Acme" in screen_text(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PanelHost) and "Booking saved." in await wait_for_text(
            app, pilot, "Booking saved."
        )
        assert Booking.get().conversation_id == conv.id
        await pilot.press("b")  # the conversation has a booking now: b edits it
        await pilot.pause()
        assert isinstance(app.screen, BookingForm) and app.screen.booking_id == Booking.get().id
        assert "Edit booking — Acme" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("t", "enter")  # the due date offered: the follow-up date
        await pilot.pause()
        (task,) = folder.glob("task-*.ics")
        assert f"UID:{conv.uid}@rapport" in task.read_text(encoding="utf-8")
        await pilot.press("x")
        await app.workers.wait_for_complete()
        await pilot.pause()
        exported = (folder / "follow-ups-tester.ics").read_text(encoding="utf-8")
        assert f"UID:{conv.uid}@rapport" in exported
        assert f"UID:{Booking.get().uid}@rapport" in exported
        assert "Exported 1 follow-up and 1 booking" in await wait_for_text(
            app, pilot, "Exported 1 follow-up and 1 booking"
        )


async def test_b_t_x_and_the_days_bookings_on_the_follow_ups_screen(app, isolated_home):
    from screens.export_choice import ExportChoice
    from screens.followups import FollowupsScreen

    cust = factories.customer("Zed [bold]x[/]")
    conv = factories.conversation(
        cust, "2026-03-02", follow_up="2026-03-18", note="today one", topic=factories.topic("Order")
    )
    folder = isolated_home / ".local/share/rapport/exports"
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert "Bookings" not in screen_text(app)
        await pilot.press("b")
        await pilot.pause()
        assert isinstance(app.screen, BookingForm)
        assert app.screen.query_one("#date", Input).value == "2026-03-18"
        app.screen.query_one("#start", Input).value = "14:00"
        app.screen.query_one("#end", Input).value = "15:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert "Bookings Wed 2026-03-18: 14:00–15:30 Zed [bold]x[/] — Order" in screen_text(app)
        await pilot.press("t", "enter")  # the due date offered: the follow-up date
        await pilot.pause()
        assert len(list(folder.glob("task-*.ics"))) == 1
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, ExportChoice)
        await pilot.press("d")
        await app.workers.wait_for_complete()
        await pilot.pause()
        day = (folder / "followups-tester-2026-03-18.ics").read_text(encoding="utf-8")
        assert f"UID:{conv.uid}@rapport" in day and f"UID:{Booking.get().uid}@rapport" in day


async def test_the_booking_form_is_in_the_command_palette(app):
    conv = a_conversation()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_form(app, pilot, conv.id)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "booking save")
        # (the palette searches its providers in the background)
        await wait_until(pilot, lambda: "Booking: Save" in screen_text(app), "the palette's match")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert Booking.select().count() == 1


async def test_the_days_bookings_can_be_edited_and_deleted_from_follow_ups(app):
    from screens.confirm import ConfirmScreen
    from screens.followups import FollowupsScreen
    from storage.records import bookings
    from tui.widgets.day_bookings import DayBookings

    conv = a_conversation("Acme")
    first = bookings.create(
        {"date": "2026-03-18", "start": "09:00", "end": "10:00", "title": "Early"}, conversation_id=conv.id
    )
    second = bookings.create(
        {"date": "2026-03-18", "start": "15:00", "end": "16:00", "title": "Late"}, conversation_id=conv.id
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, FollowupsScreen) and app.screen.query_one(DayBookings).rows,
            "the screen to read its lists",
        )
        line = app.screen.query_one(DayBookings)
        line.focus()
        await wait_until(pilot, lambda: "Edit booking" in screen_text(app), "the line's keys in the footer")
        await pilot.press("right", "enter")
        await pilot.pause()
        assert isinstance(app.screen, BookingForm) and app.screen.booking_id == second.id
        assert "Edit booking — Acme" in screen_text(app)
        app.screen.query_one("#title", Input).focus()
        await type_text(pilot, "Later")  # replaces the selected text
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        stored = Booking.get_by_id(second.id)
        assert (stored.title, stored.sequence) == ("Later", 1)
        assert "15:00–16:00 Later" in screen_text(app)
        await pilot.press("left", "d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert Booking.get_by_id(first.id).cancelled_at is not None
        assert "Early" not in screen_text(app) and "Later" in screen_text(app)
        await pilot.press("d", "y")
        await pilot.pause()
        await pilot.pause()
        assert Booking.select().where(Booking.cancelled_at.is_null()).count() == 0
        assert "Bookings" not in screen_text(app)
        assert app.focused is not line

"""The Agenda (F8, docs/screens.md) by real key presses at 80x24: a booking made from a conversation
appears, is moved to tomorrow, cancelled and brought back; days and weeks; whose; sync."""

from __future__ import annotations

import datetime as dt

from textual.widgets import Input

from screens.agenda import AgendaScreen
from screens.booking_form import BookingForm
from screens.booking_move import BookingMove
from storage.db.models import Booking
from storage.records import bookings
from tests import factories as f
from tests.conftest import TODAY
from tests.tui_helpers import screen_text, type_text, wait_until


async def wait_for(pilot, condition) -> None:
    await wait_until(pilot, condition)


def a_follow_up(name: str = "A[b]c[/b]me", login: str = "tester"):
    return f.conversation(
        f.customer(name),
        "2026-03-02",
        follow_up=TODAY.isoformat(),
        note="Call back",
        topic=f.topic("Quote"),
        employee_login=login,
    )


async def test_book_see_move_cancel_undo(app):
    a_follow_up()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f3")
        await wait_for(pilot, lambda: "A[b]c[/b]me" in screen_text(app))
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(app.screen, BookingForm) and app.screen.query("#start"))
        app.screen.query_one("#start", Input).focus()
        await type_text(pilot, "14:00")
        app.screen.query_one("#end", Input).focus()
        await type_text(pilot, "15:30")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: Booking.select().count() == 1)
        booking = Booking.get()
        assert booking.start == dt.datetime.combine(TODAY, dt.time(14))  # the zone here is UTC
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, AgendaScreen))
        agenda = app.screen
        shown = screen_text(app)
        assert "Week Mon 2026-03-16 – Sun 03-22" in shown, shown
        assert "14:00–15:30" in shown and "A[b]c[/b]me — Quote" in shown
        await pilot.press("down")  # from the follow-up to the booking under it
        assert agenda.current().key == f"booking:{booking.id}"
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, BookingMove) and app.screen.query("#move-date"))
        await type_text(pilot, "tomorrow")  # the date field is selected: typing replaces it
        await pilot.press("enter")
        await wait_for(pilot, lambda: Booking.get().start.date() == TODAY + dt.timedelta(days=1))
        assert Booking.get().start.time() == dt.time(14) and Booking.get().end.time() == dt.time(15, 30)
        await wait_for(pilot, lambda: isinstance(app.screen, AgendaScreen))
        lines = screen_text(app).splitlines()
        thursday = next(line for line in lines if line.lstrip().startswith("Thu 03-19"))
        assert "14:00–15:30" in thursday
        assert agenda.current().key == f"booking:{booking.id}"
        await pilot.press("c")
        await wait_for(pilot, lambda: Booking.get().cancelled_at is not None)
        await wait_for(pilot, lambda: "14:00–15:30" not in screen_text(app))
        await pilot.press("u")
        await wait_for(pilot, lambda: Booking.get().cancelled_at is None)
        await wait_for(pilot, lambda: "14:00–15:30" in screen_text(app))
        assert Booking.get().start.date() == TODAY + dt.timedelta(days=1)


async def test_days_weeks_typed_dates_and_whose(app):
    conv = a_follow_up()
    theirs = a_follow_up("Zeta AG", login="alice")
    bookings.create(
        {"date": "2026-03-25", "start": "09:00", "end": "10:00", "title": "Next week"},
        conversation_id=conv.id,
        zone_name="UTC",
    )
    bookings.create(
        {"date": "2026-03-18", "start": "11:00", "end": "12:00", "title": "Alice's visit"},
        conversation_id=theirs.id,
        zone_name="UTC",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, AgendaScreen))
        assert "Next week" not in screen_text(app) and "Alice's visit" not in screen_text(app)
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: "Next week" in screen_text(app))
        assert "Week Mon 2026-03-23" in screen_text(app)
        await pilot.press("home", "d")
        await wait_for(pilot, lambda: "Day Wed 2026-03-18" in screen_text(app))
        await pilot.press("right")
        await wait_for(pilot, lambda: "Day Thu 2026-03-19" in screen_text(app))
        await pilot.press("g")
        await wait_for(pilot, lambda: app.screen.query("#date-prompt-input"))
        await type_text(pilot, "2026-03-25")
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Day Wed 2026-03-25" in screen_text(app))
        assert "Next week" in screen_text(app)
        await pilot.press("left", "v")
        from screens.employee_picker import EmployeePicker

        await wait_for(pilot, lambda: isinstance(app.screen, EmployeePicker))
        await pilot.press("down", "enter")  # Me, then Everyone
        await wait_for(pilot, lambda: "everyone" in screen_text(app))
        await pilot.press("home")
        await wait_for(pilot, lambda: "Alice's visit" in screen_text(app))
        assert "alice" in screen_text(app)


async def test_enter_opens_the_conversation(app):
    conv = a_follow_up()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await wait_for(pilot, lambda: "Follow up: Quote" in screen_text(app))
        await pilot.press("enter")
        from screens.conversation_form import ConversationForm

        await wait_for(pilot, lambda: isinstance(app.screen, ConversationForm))
        assert app.screen.conversation_id == conv.id


async def test_y_syncs_and_shows_what_moved(app, sqlite_ctx, tmp_path):
    from textual.widgets import Static

    from tests.test_sync_vdir import tick_off

    conv = a_follow_up()
    folder = tmp_path / "todos"

    def status() -> str:
        return str(app.screen.query_one("#agenda-sync", Static).content)

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f8")
        await wait_for(pilot, lambda: "Follow up: Quote" in screen_text(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: "No calendar to sync with" in screen_text(app))
        sqlite_ctx.config["sync"] = {"vdir": str(folder), "as": "todos"}
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "Synced: to calendar 1 new, 0 changed, 0 removed · from calendar 0" in status())
        tick_off(folder / f"{conv.uid}@rapport.ics")
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "from calendar 1 · 0 conflicts" in status())
        assert any(
            "completed: Follow up: A[b]c[/b]" in str(n.message)  # in the notification
            for n in app._notifications
        )
        await wait_for(pilot, lambda: "Follow up: Quote" not in screen_text(app))
        # A booking deleted in the calendar is cancelled by the sync; u brings it back.
        booking = bookings.create(
            {"date": "2026-03-19", "start": "10:00", "end": "11:00", "title": "Demo"},
            conversation_id=conv.id,
            zone_name="UTC",
        )
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: "to calendar 1 new" in status())
        (folder / f"{booking.uid}@rapport.ics").unlink()
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: Booking.get_by_id(booking.id).cancelled_at is not None)
        await wait_for(pilot, lambda: "10:00–11:00" not in screen_text(app))
        await pilot.press("u")
        await wait_for(pilot, lambda: Booking.get_by_id(booking.id).cancelled_at is None)
        await wait_for(pilot, lambda: "10:00–11:00" in screen_text(app))

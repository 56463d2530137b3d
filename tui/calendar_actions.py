"""The calendar actions every list of conversations offers (docs/screens.md, README.md#calendar-export-rapport-export-ics):

- ``b`` Create booking: the booking form, prefilled from the conversation;
- ``t`` Create task: asks for the due date, then writes the conversation as a one-item to-do
  ``.ics`` in the export folder;
- ``x`` Export to calendar: a list of follow-ups (and bookings) as one ``.ics`` file there,
  as all-day events or as to-dos.

Screens call these with themselves as ``host``; each shows the path written. The export
folder is ``storage.config.export_folder`` (config key ``export_dir``). What they read and
write runs on the database reader (tui.dbwork): a busy database never freezes the screen,
and a failure is one line on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.widget import Widget

from storage.config import export_folder
from storage.exchange import calendar
from tui.dbwork import read_db, read_to_open, tell

if TYPE_CHECKING:
    from tui.app import RapportApp


def _ctx(host: Widget):
    """The app's Context (``host`` is on Rapport's app)."""
    return cast("RapportApp", host.app).ctx


def create_booking(host: Widget, conversation_id: int | None, saved: Callable[[int], None] | None = None) -> None:
    """Open the booking form for a conversation; ``saved(booking_id)`` after a save. A
    conversation that already has a booking (not cancelled) gets that one to edit."""
    if conversation_id is None:
        host.notify("No conversation here.", severity="warning")
        return
    from screens.booking_form import open_booking_form

    def done(booking_id: int | None) -> None:
        if booking_id is not None:
            host.notify("Booking saved.", markup=False)
            if saved is not None:
                saved(booking_id)

    open_booking_form(host, conversation_id, _ctx(host).today(), done)


def create_task(host: Widget, conversation_id: int | None) -> None:
    """Ask for the due date (the follow-up date, else today, to start with), then write the
    conversation as a one-item to-do file and show where."""
    if conversation_id is None:
        host.notify("No conversation here.", severity="warning")
        return
    from screens.date_prompt import DatePrompt
    from storage.records.conversation_list import row

    today = _ctx(host).today()

    def due(day) -> None:
        if day is None:
            return
        read_db(
            host,
            calendar.write_task,
            conversation_id,
            export_folder(_ctx(host).config),
            due=day,
            busy="Writing…",
            failed=tell(host, "Task not written"),
            done=lambda path: host.notify(
                f"Task due {day:%a %Y-%m-%d} written to {path}", title="Create task", markup=False, timeout=10
            ),
        )

    def ask(conversation) -> None:
        initial = (conversation.follow_up if conversation else None) or today
        host.app.push_screen(DatePrompt("Create task: due on", initial=initial, today=today), due)

    read_to_open(host, row, conversation_id, done=ask, failed=tell(host, "Not opened"))


UPCOMING_DAYS = 7  # the Follow-ups screen's "upcoming" (docs/reports.md)


def export_follow_ups(host: Widget, name: str, employee_id: int | None, **options) -> None:
    """Export open follow-ups and bookings of one employee (None: everyone) as events (or
    to-dos, ``mode="todos"``) into ``<export folder>/<name>.ics``, in a worker thread; ``options`` go to
    ``storage.exchange.calendar.build_export`` (date_from, date_to, bookings_from)."""
    path = export_folder(_ctx(host).config) / calendar.safe_name(name + ".ics")

    def export():
        built = calendar.build_export(employee_id, **options)
        calendar.write_file(built, path)
        return built

    read_db(
        host,
        export,
        busy="Exporting…",
        failed=tell(host, "Not exported"),
        done=lambda built: host.notify(
            f"Exported {built.describe()} to {path}", title="Export to calendar", markup=False, timeout=10
        ),
    )


def choose_export(host: Widget, employee_id: int | None, who: str) -> None:
    """``x`` on the Follow-ups screen: the day's list or all open follow-ups."""
    from screens.export_choice import ExportChoice

    today = _ctx(host).today()

    def chosen(choice: str | None) -> None:
        mode, _, choice = (choice or "").rpartition(":")
        mode = mode or "events"
        suffix = "-todos" if mode == "todos" else ""
        if choice == "day":
            export_follow_ups(
                host,
                f"followups-{who}-{today.isoformat()}{suffix}",
                employee_id,
                date_to=today + dt.timedelta(days=UPCOMING_DAYS),
                bookings_from=today,
                mode=mode,
            )
        elif choice == "all":
            export_follow_ups(host, f"followups-{who}-open{suffix}", employee_id, mode=mode)

    host.app.push_screen(ExportChoice(str(export_folder(_ctx(host).config))), chosen)

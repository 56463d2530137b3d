"""The calendar actions every list of conversations offers (SPEC §4, §7a):

- ``b`` Create booking: the booking form, prefilled from the conversation;
- ``t`` Create task: the conversation as a one-item to-do ``.ics`` in the export folder;
- ``x`` Export to calendar: a list of follow-ups (and bookings) as one ``.ics`` file there.

Screens call these with themselves as ``host``; each shows the path written. The export
folder is ``storage.config.export_folder`` (config key ``export_dir``).
"""

from __future__ import annotations

import datetime as dt
from typing import Callable

from textual.dom import DOMNode

from storage import calendar
from storage.config import export_folder
from storage.errors import RapportError
from storage.models import db


def create_booking(host: DOMNode, conversation_id: int | None,
                   saved: Callable[[int], None] | None = None) -> None:
    """Open the booking form for a conversation; ``saved(booking_id)`` after a save."""
    if conversation_id is None:
        host.notify("No conversation here.", severity="warning")
        return
    from screens.booking_form import BookingForm

    def done(booking_id: int | None) -> None:
        if booking_id is not None:
            host.notify("Booking saved.", markup=False)
            if saved is not None:
                saved(booking_id)

    host.app.push_screen(BookingForm.for_conversation(conversation_id), done)


def create_task(host: DOMNode, conversation_id: int | None) -> None:
    """Write the conversation as a one-item to-do file and show where."""
    if conversation_id is None:
        host.notify("No conversation here.", severity="warning")
        return
    try:
        path = calendar.write_task(conversation_id, export_folder(host.app.ctx.config))
    except RapportError as exc:
        host.notify(f"Task not written: {exc}", severity="error", markup=False)
        return
    host.notify(f"Task written to {path}", title="Create task", markup=False, timeout=10)


def export_follow_ups(host: DOMNode, employee_id: int | None, date_from: dt.date | None,
                      date_to: dt.date | None, name: str) -> None:
    """Export follow-ups (open ones) and bookings of one employee (None: everyone) in
    [date_from, date_to] as events into ``<export folder>/<name>.ics``, in a worker thread."""
    folder = export_folder(host.app.ctx.config)
    _export(host, employee_id, date_from, date_to, folder / calendar.safe_name(name + ".ics"))


def _export(host: DOMNode, employee_id, date_from, date_to, path) -> None:
    host.run_worker(lambda: _run_export(host, employee_id, date_from, date_to, path),
                    thread=True, exclusive=True, group="calendar-export")


def _run_export(host: DOMNode, employee_id, date_from, date_to, path) -> None:
    """The export itself, in a worker thread with its own database connection."""
    try:
        with db.connection_context():
            export = calendar.build_export(employee_id, date_from, date_to)
            calendar.write_file(export, path)
    except RapportError as exc:
        host.app.call_from_thread(host.notify, f"Not exported: {exc}", severity="warning",
                                  markup=False)
        return
    host.app.call_from_thread(host.notify, f"Exported {export.describe()} to {path}",
                              title="Export to calendar", markup=False, timeout=10)

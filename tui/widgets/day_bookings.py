"""DayBookings: one line listing a day's bookings, for the Follow-ups screen (docs/screens.md).

    yield DayBookings(id="followups-bookings")
    ...
    self.query_one(DayBookings).show(day, employee_id)   # None: everyone's

Hidden when the day has none. It takes the focus (tab): left/right choose a booking,
enter or e edits it in the booking form, d cancels it after asking (the row is kept:
cancelled, not deleted). Titles and locations
are user text: shown literally.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.binding import Binding
from textual.widgets import Static

from storage.records import bookings
from storage.timezones import system_zone_name, to_local
from tui.dbwork import read_db, run_action, tell


def describe(day: dt.date, rows, selected: int | None = None, zone_name: str = "UTC") -> Text:
    text = Text(f"Bookings {day:%a %Y-%m-%d}: ", style="bold")
    for index, booking in enumerate(rows):
        if index:
            text.append(" · ")
        start = len(text)
        begins, ends = (to_local(value, zone_name) for value in (booking.start, booking.end))
        text.append(f"{begins:%H:%M}–{ends:%H:%M} ")
        text.append(booking.title or booking.customer.name)
        if booking.location:
            text.append(f" ({booking.location})")
        if index == selected:
            text.stylize("reverse", start, len(text))
    return text


class DayBookings(Static, can_focus=True):
    DEFAULT_CSS = """
    DayBookings {
        height: 1;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        display: none;
    }
    DayBookings.-has-bookings {
        display: block;
    }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Prev booking", id="day_bookings.previous"),
        Binding("right", "move(1)", "Next booking", id="day_bookings.next"),
        Binding("enter", "edit", "Edit booking", id="day_bookings.edit"),
        Binding("e", "edit", "Edit booking", id="day_bookings.edit_e", show=False),
        Binding("d", "delete", "Cancel booking", id="day_bookings.delete"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.rows: list = []
        self.day: dt.date | None = None
        self.employee_id: int | None = None
        self.selected = 0

    zone_name = "UTC"

    def show(self, day: dt.date, employee_id: int | None, zone_name: str | None = None) -> None:
        """Show the bookings of ``day`` (of ``zone_name``, default the system's zone) for one
        employee (``None``: everyone)."""
        self.day, self.employee_id = day, employee_id
        self.zone_name = zone_name or system_zone_name()
        read_db(
            self,
            bookings.for_day,
            day,
            employee_id,
            self.zone_name,
            done=self._show_rows,
            failed=tell(self, "Bookings not shown", "Come back to the screen to try again."),
        )

    def _show_rows(self, rows: list) -> None:
        self.rows = rows
        self.selected = min(self.selected, max(len(self.rows) - 1, 0))
        if not self.rows and self.has_focus:
            self.screen.focus_next()
        self.set_class(bool(self.rows), "-has-bookings")
        self.can_focus = bool(self.rows)
        self._render_line()

    def _render_line(self) -> None:
        if not self.rows or self.day is None:
            self.update("")
            return
        self.update(describe(self.day, self.rows, self.selected if self.has_focus else None, self.zone_name))

    def on_focus(self) -> None:
        self._render_line()

    def on_blur(self) -> None:
        self._render_line()

    def action_move(self, step: int) -> None:
        if self.rows:
            self.selected = (self.selected + step) % len(self.rows)
            self._render_line()

    def _current(self):
        return self.rows[self.selected] if self.rows else None

    def _refresh(self, *_) -> None:
        if self.day is not None:
            self.show(self.day, self.employee_id, self.zone_name)

    def action_edit(self) -> None:
        booking = self._current()
        if booking is None:
            return
        from screens.booking_form import open_booking_to_edit

        open_booking_to_edit(self, booking.id, self._refresh)

    def action_delete(self) -> None:
        booking = self._current()
        if booking is None:
            return
        from screens.confirm import ConfirmScreen

        def cancelled(_) -> None:
            self.notify("Booking cancelled.", markup=False)
            self._refresh()

        def answered(yes: bool | None) -> None:
            if yes:
                run_action(self, bookings.cancel, booking.id, done=cancelled)

        title = booking.title or booking.customer.name
        start = to_local(booking.start, self.zone_name)
        self.app.push_screen(ConfirmScreen(f"Cancel the booking {start:%H:%M} {title}?"), answered)

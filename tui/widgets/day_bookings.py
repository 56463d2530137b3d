"""DayBookings: one line listing a day's bookings, for the Follow-ups screen (SPEC §4).

    yield DayBookings(id="followups-bookings")
    ...
    self.query_one(DayBookings).show(day, employee_id)   # None: everyone's

Hidden when the day has none. Titles and locations are user text: shown literally.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.widgets import Static

from storage import bookings


def describe(day: dt.date, rows) -> Text:
    text = Text(f"Bookings {day:%a %Y-%m-%d}: ", style="bold")
    for index, booking in enumerate(rows):
        if index:
            text.append(" · ")
        text.append(f"{booking.start:%H:%M}–{booking.end:%H:%M} ")
        text.append(booking.title or booking.customer.name)
        if booking.location:
            text.append(f" ({booking.location})")
    return text


class DayBookings(Static):
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

    def __init__(self, **kwargs) -> None:
        super().__init__("", markup=False, **kwargs)
        self.rows: list = []

    def show(self, day: dt.date, employee_id: int | None) -> None:
        """Show the bookings of ``day`` for one employee (``None``: everyone)."""
        self.rows = bookings.for_day(day, employee_id)
        self.update(describe(day, self.rows) if self.rows else "")
        self.set_class(bool(self.rows), "-has-bookings")

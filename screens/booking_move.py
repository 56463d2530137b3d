"""BookingMove: the Agenda's "move" (docs/screens.md): a new date, start and end for one booking.

    def moved(when: tuple[dt.datetime, dt.datetime] | None) -> None: ...  # UTC instants
    self.app.push_screen(BookingMove(booking_id, zone_name, today), moved)

The fields start with the booking's own date and times (in its zone); the date takes every
date form (``tomorrow``, ``+2``, ``fri``...). Enter (or ctrl+s) answers; a bad field is named
under the fields and the text stays; escape cancels.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from storage.errors import ValidationError
from storage.records import bookings
from tui.widgets.footer import Footer

FIELDS = ("date", "start", "end")


class BookingMove(ModalScreen[tuple[dt.datetime, dt.datetime] | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [
        Binding("ctrl+s", "answer", "Move", id="booking_move.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="booking_move.cancel"),
    ]

    def __init__(self, title: str, values: dict[str, str], zone_name: str, today: dt.date) -> None:
        super().__init__()
        self.title_text = title
        self.values = values
        self.zone_name = zone_name
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="booking-move-box"):
            yield Static(self.title_text, id="booking-move-title", markup=False)
            with Horizontal(classes="row"):
                for name in FIELDS:
                    yield Label(name.capitalize(), classes="label")
                    yield Input(self.values[name], id=f"move-{name}", compact=True, select_on_focus=True)
            yield Static("enter: move · escape: cancel", id="booking-move-error", markup=False)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_answer()

    def action_answer(self) -> None:
        values = {name: self.query_one(f"#move-{name}", Input).value for name in FIELDS}
        try:
            when = bookings.parse_when(values, self.zone_name, self.today)
        except ValidationError as exc:
            error = self.query_one("#booking-move-error", Static)
            error.update("; ".join(f"{name.capitalize()}: {text}" for name, text in exc.errors.items()))
            error.add_class("shown")
            first = next(name for name in FIELDS if name in exc.errors)
            self.query_one(f"#move-{first}", Input).focus()
            return
        self.dismiss(when)

    def action_cancel(self) -> None:
        self.dismiss(None)

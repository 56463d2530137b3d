"""The booking form ("Create booking", docs/data.md, docs/screens.md): date, start, end, title, location, note.

Opened from a conversation it starts filled in: title "CUSTOMER — ABOUT", the follow-up
date (else the conversation's date, and never before today), 09:00–10:00 and the
conversation's note.
``ctrl+s`` saves (the rules live in ``storage.records.bookings``; a bad field gets its message
under it and every typed character stays); ``escape`` cancels, asking first when text was
typed. Unsaved text is kept as a draft.

Dismisses with the saved booking's id, or None when cancelled.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static, TextArea

from storage.records import bookings
from tui.dbwork import save_form
from tui.forms import SpareForm, open_drafted, open_form
from tui.styled_screen import StyledScreen
from tui.widgets.date_input import DateInput
from tui.widgets.draft_keeper import DraftKeeper, draft_opener
from tui.widgets.footer import Footer

if TYPE_CHECKING:
    from tui.app import RapportApp

INPUTS = ("date", "start", "end", "title", "location")
LABELS = {"date": "Date", "start": "Start", "end": "End", "title": "Title", "location": "Location", "note": "Note"}


class BookingForm(SpareForm, StyledScreen, DraftKeeper, ModalScreen[int | None]):
    AUTO_FOCUS = ""  # on_mount sets the focus; Textual's would first focus a container, restyling it all
    """New booking for a conversation, or an existing booking to edit."""
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used

    DRAFT_FORM = "booking"
    PALETTE_PREFIX = "Booking"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="booking.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="booking.cancel"),
    ]

    def __init__(
        self,
        values: dict[str, str],
        conversation_id: int | None = None,
        booking_id: int | None = None,
        customer_id: int | None = None,
        employee_id: int | None = None,
        customer_name: str = "",
    ) -> None:
        super().__init__()
        self.values = values
        self.conversation_id = conversation_id
        self.booking_id = booking_id
        self.customer_id = customer_id  # a booking for a customer, without a conversation
        self.employee_id = employee_id
        self.customer_name = customer_name

    # -- opened from a key (``open_booking_form``) ------------------------------------------
    SPARE = "booking"  # tui.app keeps one built (``spare``), which ``adopt`` fills

    @classmethod
    def spare(cls) -> BookingForm:
        return cls(dict.fromkeys((*INPUTS, "note"), ""), customer_name="")

    @classmethod
    def from_loaded(cls, loaded: bookings.FormContents) -> BookingForm:
        return cls(
            loaded.values,
            loaded.conversation_id,
            loaded.booking_id,
            loaded.customer_id,
            loaded.employee_id,
            customer_name=loaded.customer_name,
        )

    def adopt(self, loaded: bookings.FormContents) -> None:
        """Show ``loaded`` in this form built ahead or used before."""
        self.values, self.customer_name = loaded.values, loaded.customer_name
        self.conversation_id, self.booking_id = loaded.conversation_id, loaded.booking_id
        self.customer_id, self.employee_id = loaded.customer_id, loaded.employee_id
        self.query_one("#booking-title", Static).update(self._title())
        for name in INPUTS:
            self.query_one(f"#{name}", Input).value = self.values[name]
        self.query_one("#note", TextArea).text = self.values["note"]
        for error in self.query(".error").results(Static):
            error.update("")
            error.remove_class("shown")
        self.query_one("#booking-body").scroll_home(animate=False)
        self.query_one("#date", Input).focus()
        self.begin_again()

    @classmethod
    def for_conversation(cls, conversation_id: int, today=None) -> BookingForm:
        """A new booking from a conversation, read where it is called (tests)."""
        return cls.from_loaded(bookings.contents_for_new(conversation_id, today))

    def _title(self) -> Text:
        return Text("Edit booking — " if self.booking_id else "New booking — ").append(self.customer_name)

    def compose(self) -> ComposeResult:
        with Vertical(id="booking-box"):
            yield Static(self._title(), id="booking-title")
            with VerticalScroll(id="booking-body"):
                with Horizontal(classes="row"):
                    yield Label("Date", classes="label")
                    yield DateInput(
                        self.values["date"], placeholder="YYYY-MM-DD, +2, fri", compact=True, id="date"
                    )  # shows the resolved date on leaving it
                    yield Label("Start", classes="label short")
                    yield Input(self.values["start"], placeholder="HH:MM", compact=True, id="start")
                    yield Label("End", classes="label short")
                    yield Input(self.values["end"], placeholder="HH:MM", compact=True, id="end")
                for name in ("date", "start", "end"):
                    yield self._error(name)
                for name in ("title", "location"):
                    with Horizontal(classes="row"):
                        yield Label(LABELS[name], classes="label")
                        yield Input(self.values[name], compact=True, id=name)
                    yield self._error(name)
                yield Label("Note", classes="label")
                yield TextArea(self.values["note"], soft_wrap=True, compact=True, id="note")
                yield self._error("note")
        yield Footer()

    def _error(self, name: str) -> Static:
        return Static("", markup=False, id=f"error-{name}", classes="error")

    def on_mount(self) -> None:
        self.query_one("#date", Input).focus()

    # -- reading the fields ---------------------------------------------------------------
    def current_values(self) -> dict[str, str]:
        values = {name: self.query_one(f"#{name}", Input).value for name in INPUTS}
        values["note"] = self.query_one("#note", TextArea).text
        return values

    def draft_key(self) -> str:
        return str(self.booking_id) if self.booking_id else f"conversation:{self.conversation_id}"

    def draft_values(self) -> dict:
        return {**self.current_values(), "conversation_id": self.conversation_id, "booking_id": self.booking_id}

    # -- actions --------------------------------------------------------------------------
    def action_save(self) -> None:
        ctx = self.app.ctx
        save_form(
            self,
            _save,
            self.current_values(),
            self.booking_id,
            self.conversation_id,
            self.customer_id,
            self.employee_id,
            ctx.timezone(),
            ctx.today(),
            done=self._saved,
            invalid=self.show_errors,
        )

    def _saved(self, saved: int) -> None:
        self.drop_draft()
        self.dismiss(saved)

    def show_errors(self, errors: dict[str, str]) -> None:
        for error in self.query(".error").results(Static):
            name = (error.id or "").removeprefix("error-")
            message = errors.get(name, "")
            error.update(f"{LABELS[name]}: {message}" if message else "")
            error.set_class(bool(message), "shown")
        first = next((name for name in INPUTS if name in errors), None)
        if first is not None:
            self.query_one(f"#{first}").focus()
        self.notify(
            "Not saved: " + "; ".join(f"{LABELS[k]} {v}" for k, v in errors.items()), severity="error", markup=False
        )

    def action_cancel(self) -> None:
        self.close_form(None)


def _save(
    values: dict[str, str],
    booking_id: int | None,
    conversation_id: int | None,
    customer_id: int | None,
    employee_id: int | None,
    zone_name: str,
    today,
) -> int:
    """The booking's id after creating or changing it (on tui.dbwork's database thread);
    a new booking is in ``zone_name``, an existing one keeps its zone."""
    if booking_id:
        bookings.update(booking_id, values, today=today)
        return booking_id
    return bookings.create(
        values,
        conversation_id=conversation_id,
        customer_id=customer_id,
        employee_id=employee_id,
        zone_name=zone_name,
        today=today,
    ).id


def open_booking_form(node, conversation_id: int, today, then=None) -> None:
    """A key that opens the booking form for a conversation (tui.forms): its booking to edit
    if it has one (and says so), else a new one filled in from it; read on the database
    thread, keys typed meanwhile reach the form."""

    def opened(loaded: bookings.FormContents) -> None:
        if loaded.existing:
            node.notify("This conversation has a booking: editing it.", markup=False)

    open_form(node, BookingForm, bookings.contents_for_conversation, conversation_id, today, then=then, opened=opened)


def open_booking_to_edit(node, booking_id: int, then=None) -> None:
    """A key that opens a booking to edit (tui.forms), read on the database thread."""
    open_form(node, BookingForm, bookings.contents_for_booking, booking_id, then=then)


def open_booking_like(node, booking_id: int, day, then=None) -> None:
    """A key that opens a new booking on ``day`` like ``booking_id`` (its customer, employee,
    times and title; tui.forms), read on the database thread."""
    open_form(node, BookingForm, bookings.contents_like, booking_id, day, then=then)


@draft_opener("booking")
def open_draft(app, draft) -> None:
    """Reopen a booking form from a draft left by an earlier session (tui.drafts)."""
    values = dict(draft.values)
    conversation_id = values.pop("conversation_id", None)
    drafted_id = values.pop("booking_id", None)
    fields = {name: str(values.get(name, "")) for name in (*INPUTS, "note")}
    open_drafted(
        app,
        bookings.drafted_contents,
        fields,
        conversation_id,
        drafted_id,
        build=lambda loaded: _drafted_form(app, loaded),
    )


def _drafted_form(app, loaded: bookings.FormContents | None) -> BookingForm | None:
    if loaded is None:
        app.notify("The conversation of this booking draft no longer exists.", markup=False)
        return None
    screen = BookingForm.from_loaded(loaded)
    screen.mark_restored()
    return screen

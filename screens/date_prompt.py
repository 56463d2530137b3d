"""DatePrompt: ask for one date, e.g. "Reschedule to".

    def on_date(day: dt.date | None) -> None: ...   # None: cancelled
    self.app.push_screen(DatePrompt("Reschedule to", initial=day, today=today), on_date)

Accepts what the conversation form accepts (``storage.parsing.parse_date``): YYYY-MM-DD,
``today``, ``+3``, ``+2w``, ``fri``, ``eom``… Enter answers; a bad date is explained under the field and
the text stays; escape cancels.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from storage.parsing import DATE_HINT, parse_date
from tui.widgets.date_input import DateInput
from tui.widgets.footer import Footer


class DatePrompt(ModalScreen[dt.date | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="date_prompt.cancel")]

    def __init__(self, question: str, *, initial: dt.date | None, today: dt.date) -> None:
        super().__init__()
        self.question = question
        self.initial = initial
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="date-prompt-box"):
            yield Static(self.question, id="date-prompt-question", markup=False)
            yield DateInput(
                self.initial.isoformat() if self.initial else "",
                placeholder="YYYY-MM-DD",
                id="date-prompt-input",
                select_on_focus=True,
            )
            yield Static(f"enter: OK · escape: cancel · {DATE_HINT}", id="date-prompt-error", markup=False)
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        try:
            day = parse_date(event.value, self.today)
        except ValueError as exc:
            self._error(str(exc))
            return
        if day is None:
            self._error(f"a date is needed: {DATE_HINT}")
            return
        self.dismiss(day)

    def _error(self, message: str) -> None:
        error = self.query_one("#date-prompt-error", Static)
        error.update(message)
        error.add_class("shown")

    def action_cancel(self) -> None:
        self.dismiss(None)

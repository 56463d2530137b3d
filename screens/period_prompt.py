"""PeriodPrompt: ask for a period, From and To, e.g. for the statistics.

    def on_period(period: tuple[dt.date, dt.date] | None) -> None: ...   # None: cancelled
    self.app.push_screen(PeriodPrompt(start, end, today=today), on_period)

Dates as in the conversation form (YYYY-MM-DD, today, -1m, mon, eom…). Tab moves between the two
fields; enter in either answers once both are valid; a bad field is named in the message and
every typed character stays; escape cancels.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from storage.parsing import DATE_HINT, parse_date
from tui.widgets.date_input import DateInput
from tui.widgets.footer import Footer


class PeriodPrompt(ModalScreen[tuple[dt.date, dt.date] | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="period_prompt.cancel")]

    def __init__(self, start: dt.date, end: dt.date, *, today: dt.date) -> None:
        super().__init__()
        self.start = start
        self.end = end
        self.today = today

    def compose(self) -> ComposeResult:
        with Vertical(id="period-prompt-box"):
            yield Static("Statistics for the period", id="period-prompt-question", markup=False)
            with Horizontal(classes="period-prompt-row"):
                yield Label("From", markup=False)
                yield DateInput(
                    self.start.isoformat(), placeholder="YYYY-MM-DD", id="period-from", select_on_focus=True
                )
            with Horizontal(classes="period-prompt-row"):
                yield Label("To", markup=False)
                yield DateInput(self.end.isoformat(), placeholder="YYYY-MM-DD", id="period-to", select_on_focus=True)
            yield Static(
                f"tab: next field · enter: OK · escape: cancel\n{DATE_HINT}", id="period-prompt-error", markup=False
            )
        yield Footer()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        days: dict[str, dt.date] = {}
        for name, label in (("from", "From"), ("to", "To")):
            text = self.query_one(f"#period-{name}", Input).value
            try:
                day = parse_date(text, self.today)
            except ValueError as exc:
                return self._error(f"{label}: {exc}", name)
            if day is None:
                return self._error(f"{label}: a date is needed ({DATE_HINT})", name)
            days[name] = day
        if days["from"] > days["to"]:
            return self._error("From is after To", "to")
        self.dismiss((days["from"], days["to"]))

    def _error(self, message: str, field: str) -> None:
        error = self.query_one("#period-prompt-error", Static)
        error.update(message)
        error.add_class("shown")
        self.query_one(f"#period-{field}", Input).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)

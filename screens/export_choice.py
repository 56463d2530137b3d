"""ExportChoice: what "Export to calendar" (x) on the Follow-ups screen writes (README.md#calendar-export-rapport-export-ics).

    def chosen(choice: str | None) -> None: ...   # "day", "all", "todos:day", "todos:all" or None
    self.app.push_screen(ExportChoice(), chosen)

``d`` the day's list (what the screen shows: overdue, today and the next 7 days, with the
bookings of those days), ``a`` all open follow-ups, ``t`` switches between all-day events
and to-dos (the choice then starts with ``todos:``), ``escape`` cancels.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.widgets.footer import Footer


class ExportChoice(ModalScreen[str | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    PALETTE_PREFIX = "Export to calendar"
    BINDINGS = [
        Binding("d", "choose('day')", "The day's list", id="export_choice.day"),
        Binding("a", "choose('all')", "All open", id="export_choice.all"),
        Binding("t", "toggle_mode", "Events/to-dos", id="export_choice.mode"),
        Binding("escape", "choose(None)", "Cancel", id="export_choice.cancel"),
    ]

    def __init__(self, folder: str) -> None:
        super().__init__()
        self.folder = folder
        self.todos = False

    def compose(self) -> ComposeResult:
        with Vertical(id="export-choice-box"):
            yield Static(self._title(), id="export-choice-title")
            yield Static("d  the day's list: overdue, today and the next 7 days", markup=False)
            yield Static("a  all open follow-ups", markup=False)
            yield Static("t  as to-dos / as events", markup=False)
            yield Static(f"into {self.folder}", markup=False, id="export-choice-folder")
        yield Footer()

    def _title(self) -> str:
        return f"Export to calendar (.ics, as {'to-dos' if self.todos else 'events'})"

    def action_toggle_mode(self) -> None:
        self.todos = not self.todos
        self.query_one("#export-choice-title", Static).update(self._title())

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(f"todos:{choice}" if choice and self.todos else choice)

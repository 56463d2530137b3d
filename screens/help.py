"""F1: every key (placeholder until the Customers issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="close")]

    def compose(self) -> ComposeResult:
        lines = [f"{b.key:10} {b.description}" for b in self.app.BINDINGS]
        yield Static("\n".join(lines), markup=False)

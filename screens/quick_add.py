"""Quick add (placeholder until the Customers issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static


class QuickAddScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="close")]

    def compose(self) -> ComposeResult:
        yield Static("Quick add: not built yet.", markup=False)

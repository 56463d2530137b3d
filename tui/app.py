"""The Rapport Textual app: global bindings, screens, command palette."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding

from screens.customers import CustomersScreen


class RapportApp(App):
    """Keyboard-first CRM. Built from an already opened database and a Context."""

    TITLE = "Rapport"
    CSS_PATH = ["app.tcss", "../screens/screens.tcss"]
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    ]

    def __init__(self, ctx, **kwargs) -> None:
        super().__init__(**kwargs)
        self.ctx = ctx

    def on_mount(self) -> None:
        self.push_screen(CustomersScreen())

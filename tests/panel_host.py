"""A bare screen hosting the ConversationsPanel, for tests that do not need the customer form."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header

from tui.widgets.conversations_panel import ConversationsPanel


class PanelHost(Screen):
    def __init__(self, customer_id: int) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield Header()
        yield ConversationsPanel(self.customer_id)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ConversationsPanel).focus_list()

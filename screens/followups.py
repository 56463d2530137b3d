"""Follow-ups (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class FollowupsScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Follow-ups: not built yet.", markup=False)
        yield Footer()

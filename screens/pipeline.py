"""Pipeline (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static


class PipelineScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Pipeline: not built yet.", markup=False)
        yield Footer()

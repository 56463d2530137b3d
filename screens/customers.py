"""Customers: the start screen (minimal first version)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header

from storage import queries


class CustomersScreen(Screen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Number", "Name", "Phone")
        for row in queries.customer_page(limit=200):
            table.add_row(Text(row.number), Text(row.name), Text(row.phone))

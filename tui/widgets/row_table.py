"""RowTable: a DataTable of whole rows where Home and End go to the first and last row, as
in every other list of Rapport (DataTable's own Home/End scroll sideways)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable


class RowTable(DataTable):
    BINDINGS = [
        Binding("home", "scroll_top", "First", id="row_table.first", show=False),
        Binding("end", "scroll_bottom", "Last", id="row_table.last", show=False),
    ]

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("cursor_type", "row")
        super().__init__(**kwargs)

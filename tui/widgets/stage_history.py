"""StageHistory: a customer's pipeline conversations, newest first (date, time, stage,
employee, the start of the note). Sale cycles and metrics come with the pipeline issue."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from storage.queries import stage_history
from tui.widgets.list_source import ListSource
from tui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = [Column("Date", 10), Column("Time", 5), Column("Stage", 15), Column("Employee", 12),
           Column("Note", 20, flex=True)]


class StageHistory(Vertical):
    def __init__(self, customer_id: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield PagedTable(COLUMNS, empty_text="No pipeline stage recorded yet.", id="stage-history-table")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        events = stage_history(self.customer_id) if self.customer_id is not None else []
        rows = [Row(e.conversation_id,
                    (e.date.isoformat(), e.time.strftime("%H:%M") if e.time else "", e.stage,
                     e.employee, e.note),
                    "" if e.kind == "open" else "bold")
                for e in events]
        self.query_one(PagedTable).reload(ListSource(rows))

"""StageHistory: a customer's pipeline conversations, newest first (date, time, stage,
employee, the start of the note), paged from SQL: a customer may have thousands.

The list is fetched when the widget is first shown (the Pipeline tab is opened), not when the
customer form opens, and again each time it is shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical

from storage.records.queries import StageEvent, stage_history, stage_history_count
from tui import dates
from tui.widgets.paged_table import Column, EmptySource, PagedTable, Row

COLUMNS = [
    Column("Date", 10),
    Column("Time", 5),
    Column("Stage", 15),
    Column("Employee", 12),
    Column("Note", 20, flex=True),
]


class StageHistorySource:
    """PagedTable source over one customer's stage history."""

    def __init__(self, customer_id: int) -> None:
        self.customer_id = customer_id

    def count(self) -> int:
        return stage_history_count(self.customer_id)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [self._row(e) for e in stage_history(self.customer_id, offset, limit)]

    @staticmethod
    def _row(e: StageEvent) -> Row:
        return Row(
            e.conversation_id,
            (dates.show(e.date), e.time.strftime("%H:%M") if e.time else "", e.stage, e.employee, e.note),
            "" if e.kind == "open" else "bold",
        )


class StageHistory(Vertical):
    def __init__(self, customer_id: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield PagedTable(COLUMNS, empty_text="No pipeline stage recorded yet.", id="stage-history-table")

    def on_show(self) -> None:
        self.reload()

    def reload(self) -> None:
        source = StageHistorySource(self.customer_id) if self.customer_id is not None else EmptySource()
        self.query_one(PagedTable).reload(source)

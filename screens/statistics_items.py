"""The follow-ups behind one number of the Statistics screen (its drill-down): one line per
conversation counted, enter opens it in its customer (the Conversations tab, cursor on it),
escape goes back to the statistics."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Static

from storage.reporting.statistics_items import StatItem
from tui.widgets.footer import Footer
from tui.widgets.list_source import ListSource
from tui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = [
    Column("Date", 10),
    Column("Follow-up", 10),
    Column("Promised", 10),
    Column("Done on", 10),
    Column("Customer", 16),
    Column("Employee", 8),
    Column("Note", 10, flex=True),
]


def _day(value) -> str:
    return value.isoformat() if value else ""


def item_rows(items: list[StatItem]) -> ListSource:
    """PagedTable rows over the items (row id = the conversation id)."""
    return ListSource(
        [
            Row(
                i.id,
                (
                    _day(i.date),
                    _day(i.follow_up),
                    _day(i.promised),
                    _day(i.completed_on),
                    i.customer,
                    i.employee,
                    " ".join(i.note.split()),
                ),
                data=i,
            )
            for i in items
        ]
    )


class StatisticsItems(Screen):
    TITLE = "Statistics"
    DEFAULT_CSS = """
    StatisticsItems {
        #statistics-items-title { height: 1; padding: 0 1; text-style: bold; }
        #statistics-items-table { height: 1fr; }
    }
    """
    BINDINGS = [Binding("escape", "back", "Back", id="statistics_items.back")]

    def __init__(self, title: str, items: list[StatItem]) -> None:
        super().__init__()
        self.heading = title
        self.items = items

    def compose(self) -> ComposeResult:
        yield Header()
        count = len(self.items)
        yield Static(
            f"{self.heading} · {count} conversation{'s' if count != 1 else ''} · enter opens",
            id="statistics-items-title",
            markup=False,
        )
        yield PagedTable(
            COLUMNS, item_rows(self.items), empty_text="Nothing behind this number.", id="statistics-items-table"
        )
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(PagedTable).focus()

    @on(PagedTable.RowSelected)
    def _chosen(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        item = next((i for i in self.items if i.id == event.row_id), None)
        if item is not None:
            from screens.customer_form import open_customer

            open_customer(self, item.customer_id, tab="tab-conversations", conversation=item.id)

    def action_back(self) -> None:
        self.dismiss()

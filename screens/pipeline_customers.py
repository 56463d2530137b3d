"""PipelineCustomers: the customers behind one number of the pipeline dashboard.

    self.app.push_screen(PipelineCustomers(title, rows))

``rows`` are ``storage.reporting.pipeline_customers.MetricCustomer``; they are listed through the
paged table (drawn a screenful at a time, so thousands of rows cost nothing). Enter opens
the customer; escape goes back to the dashboard. Given ``load`` (a function that computes the
rows again), the list is computed again whenever the user comes back to it (after moving the
customer just opened to another stage, say), off the UI thread (tui.dbwork).
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Header, Static

from storage.reporting.pipeline_customers import MetricCustomer
from tui import dates
from tui.widgets.footer import Footer
from tui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = [
    Column("No.", 8),
    Column("Customer", 18, flex=True),
    Column("Date", 10),
    Column("Employee", 9),
    Column("Detail", 26),
]


class ListSource:
    """A paged-table source over rows already computed (row id = position + 1)."""

    in_memory = True

    def __init__(self, rows: list[MetricCustomer]) -> None:
        self.rows = rows

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [
            Row(offset + i + 1, (r.number, r.name, dates.show(r.date), r.employee, r.detail))
            for i, r in enumerate(self.rows[offset : offset + limit])
        ]

    def index_of(self, row_id: int) -> int | None:
        return row_id - 1 if 0 < row_id <= len(self.rows) else None


def open_customer(app, customer_id: int) -> None:
    """Open the customer form on its Pipeline tab (sale cycles and stage history)."""
    from screens.customer_form import open_customer

    open_customer(app, customer_id, tab="tab-pipeline")


class PipelineCustomers(Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Pipeline"
    PALETTE_PREFIX = "Pipeline customers"
    BINDINGS = [
        Binding("escape", "back", "Back", id="pipeline_customers.back"),
        Binding("o", "open", "Customer", id="pipeline_customers.open", tooltip="Open the customer"),
    ]

    def __init__(self, title: str, rows: list[MetricCustomer], load=None) -> None:
        super().__init__()
        self.heading = title
        self.rows = rows
        self.load = load
        self._shown = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._title(), id="pipeline-customers-title", markup=False)
        yield PagedTable(
            COLUMNS, ListSource(self.rows), empty_text="No customers behind this number.", id="pipeline-customers-table"
        )
        yield Footer(compact=True)

    def _title(self) -> str:
        count = len(self.rows)
        return f"{self.heading} · {count} row{'s' if count != 1 else ''} · enter opens the customer"

    def on_mount(self) -> None:
        self.query_one(PagedTable).focus()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self._shown and self.load is not None:  # back from a customer: compute again
            self._reload()
        self._shown = True

    def _reload(self) -> None:
        from tui.dbwork import describe, read_db

        def failed(error) -> None:  # the list stays; say why it is not fresh
            self.notify(describe(error, "List not refreshed", "").strip(), severity="warning", markup=False)

        read_db(self, self.load, done=self._show, failed=failed)

    def _show(self, rows: list[MetricCustomer]) -> None:
        table = self.query_one(PagedTable)
        current = self.selected()
        self.rows = rows
        table.set_source(ListSource(rows))
        if current is not None:  # the cursor stays on the same customer if still listed
            ids = [row.customer_id for row in rows]
            if current.customer_id in ids:
                table.select_row_id(ids.index(current.customer_id) + 1)
        self.query_one("#pipeline-customers-title", Static).update(self._title())

    def selected(self) -> MetricCustomer | None:
        row_id = self.query_one(PagedTable).cursor_row_id
        return self.rows[row_id - 1] if row_id else None

    @on(PagedTable.RowSelected)
    def _chosen(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        row = self.selected()
        if row is not None:
            open_customer(self.app, row.customer_id)

    def action_back(self) -> None:
        self.dismiss()

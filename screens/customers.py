"""Customers: the start screen. Search as you type over a paged table of every customer.

``/`` focuses the search; down or enter there moves into the table; in the table enter opens
the customer form, ``n`` makes a new customer, ``e`` edits the highlighted one, escape goes back
to the search, and any other printable key starts finding (tui/widgets/type_to_find.py). The list is refetched whenever the screen comes back to the front, so saves made
in a form (or by another session) show up.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Header, Input

from storage.records.queries import CustomerList, CustomerRow
from tui import dates
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.paged_table import Column, PagedTable, Row

if TYPE_CHECKING:
    from tui.app import RapportApp

COLUMNS = [
    Column("Number", 8),
    Column("Name", 20, flex=True),
    Column("Contact", 16),
    Column("Phone", 15),
    Column("Stage", 14),
    Column("Last", 10),
    Column("Follow-up", 11),  # "!" before an overdue date
]
# Below 100 columns: narrower columns, so that names and dates still fit at 80 columns.
NARROW = 101  # the wide columns need 101 (at 100 the last date was cut)
NARROW_COLUMNS = [
    Column("No.", 6),
    Column("Name", 15, flex=True),
    Column("Contact", 9),
    Column("Phone", 10),
    Column("Stage", 9),
    Column("Last", 10),
    Column("Next", 11),  # the next follow-up; "!" before it when it is overdue
]


NO_CUSTOMERS = "No customers. Press n to add one."
NO_MATCH = "No customer matches the search. Escape, then clear it to see them all."


class CustomerRows:
    """CustomerList rows as PagedTable rows (archived customers dimmed). A next follow-up
    before today is overdue: "!" before its date (readable without colour) and the row in
    the warning style."""

    def __init__(self, customers: CustomerList) -> None:
        self.customers = customers

    def count(self) -> int:
        return self.customers.count()

    def index_of(self, customer_id: int) -> int | None:
        return self.customers.index_of(customer_id)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [self._row(c) for c in self.customers.fetch(offset, limit)]

    def _row(self, c: CustomerRow) -> Row:
        overdue = c.next_follow_up is not None and c.next_follow_up < self.customers.today
        next_follow_up = ("!" if overdue else "") + dates.show(c.next_follow_up)
        cells = (c.number, c.name, c.main_contact, c.phone, c.stage, dates.show(c.last_conversation), next_follow_up)
        return Row(c.id, cells, "dim" if c.archived else "warning" if overdue else "")


class CustomersScreen(StyledScreen, Screen):
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Customers"
    BINDINGS = [
        Binding("slash", "focus_search", "Search", id="customers.search", show=False),  # hint in the box
        Binding("n", "new_customer", "New", id="customers.new"),
        Binding("e", "edit_customer", "Edit", id="customers.edit"),
        Binding("down", "focus_table", "To list", id="customers.to_list", show=False),
        Binding("escape", "focus_search", "Back to search", id="customers.back_to_search", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Search number, name, contact, phone, email  ( / )", id="customer-search", compact=True)
        yield PagedTable(NARROW_COLUMNS if self._narrow() else COLUMNS, empty_text=NO_CUSTOMERS, id="customer-table")
        yield Footer(compact=True)

    @property
    def table(self) -> PagedTable:
        return self.query_one("#customer-table", PagedTable)

    @property
    def search(self) -> Input:
        return self.query_one("#customer-search", Input)

    @property
    def highlighted_customer_id(self) -> int | None:
        """The customer under the cursor (quick add preselects it)."""
        return self.table.cursor_row_id

    # The list was just loaded: the screen's first ScreenResume, right after, need not reload
    # it. Not if another screen came first (drafts offered at start) or time has passed.
    _fresh = False
    _loaded_at = 0.0

    def on_mount(self) -> None:
        self.table.set_source(self._source(""))
        self.table.focus()
        self._fresh, self._loaded_at = True, time.monotonic()

    @on(ScreenSuspend)
    def _suspended(self) -> None:
        self._fresh = False

    def _narrow(self) -> bool:
        return self.app.size.width < NARROW

    def _source(self, text: str) -> CustomerRows:
        return CustomerRows(CustomerList(self.app.ctx.today(), text))

    def on_resize(self) -> None:
        columns = NARROW_COLUMNS if self._narrow() else COLUMNS
        if self.table.columns != columns:
            self.table.columns = list(columns)
            self.table.reload(self._source(self.search.value))

    @on(ScreenResume)
    def refresh_list(self) -> None:
        fresh, self._fresh = self._fresh, False
        if fresh and time.monotonic() - self._loaded_at < 1.0:
            return
        self.table.reload()

    @on(Input.Changed, "#customer-search")
    def search_changed(self, event: Input.Changed) -> None:
        # An empty list after a search says the search found nothing, not that there are none.
        self.table.empty_text = NO_MATCH if event.value.strip() else NO_CUSTOMERS
        self.table.set_source(self._source(event.value))

    @on(Input.Submitted, "#customer-search")
    def search_submitted(self) -> None:
        self.action_focus_table()

    @on(PagedTable.RowSelected, "#customer-table")
    def open_selected(self, event: PagedTable.RowSelected) -> None:
        self.open_customer(event.row_id)

    def on_key(self, event) -> None:
        from tui.widgets.type_to_find import start_finding

        start_finding(event, self.table, self.search)

    def action_focus_search(self) -> None:
        self.search.focus()

    def action_focus_table(self) -> None:
        self.table.focus()

    def action_new_customer(self) -> None:
        self.open_customer(None, edit=True)

    def action_edit_customer(self) -> None:
        customer_id = self.table.cursor_row_id
        if customer_id is None:
            self.notify("No customer selected.", severity="warning")
            return
        self.open_customer(customer_id, edit=True)

    def open_customer(self, customer_id: int | None, edit: bool = False) -> None:
        from screens.customer_form import open_customer, open_customer_form

        if edit or customer_id is None:
            open_customer_form(self, customer_id, self._form_closed)
        else:
            open_customer(self, customer_id, then=self._form_closed)

    def _form_closed(self, customer_id: int | None) -> None:
        if customer_id is not None:
            self.table.reload(select=customer_id)

"""Quick add (``ctrl+n`` from every screen, docs/screens.md): log a conversation in seconds.

On a customer's form (any screen below with a ``customer_id``) it is for that customer and
opens the conversation form straight away. Elsewhere it starts with a customer picker: type to
filter (number, name, contact, phone, email), up/down to move, enter to choose; on the
Customers screen the highlighted customer (``highlighted_customer_id``) is preselected. Then
the conversation form, with the cursor in Note; ``ctrl+s`` saves and the user is back exactly
where they were (the screen below and its focus are untouched).

Dismisses with the saved conversation's id, or None.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from screens.customers import CustomerRows
from storage.records import conversation_list
from storage.records.queries import CustomerList, CustomerRow
from tui.dbwork import hold_keys_until_done, read_db
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.paged_table import Column, PagedTable, Row

if TYPE_CHECKING:
    from tui.app import RapportApp

PICKER_COLUMNS = [Column("Number", 8), Column("Name", 24, flex=True), Column("Contact", 16), Column("Phone", 14)]


class PickerRows(CustomerRows):
    """The Customers screen's row source, with the picker's four columns."""

    def _row(self, c: CustomerRow) -> Row:
        return Row(c.id, (c.number, c.name, c.main_contact, c.phone), "dim" if c.archived else "")


def customer_of(screen: Screen) -> tuple[int | None, int | None]:
    """(the customer a screen is about, the customer highlighted on it), either may be None."""
    return getattr(screen, "customer_id", None), getattr(screen, "highlighted_customer_id", None)


class PickerInput(Input):
    """The picker's filter: enter chooses the highlighted customer (and says so in the footer)."""

    BINDINGS = [Binding("enter", "screen.choose", "Choose", id="quick_add.choose_from_filter")]


class QuickAddScreen(StyledScreen, ModalScreen[int | None]):
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="quick_add.cancel"),
        Binding("enter", "choose", "Choose", id="quick_add.choose"),
        Binding("up", "move('cursor_up')", "Up", id="quick_add.up", show=False),
        Binding("down", "move('cursor_down')", "Down", id="quick_add.down", show=False),
        Binding("pageup", "move('page_up')", "Page up", id="quick_add.page_up", show=False),
        Binding("pagedown", "move('page_down')", "Page down", id="quick_add.page_down", show=False),
    ]

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id  # known up front: skip the picker
        self.preselect: int | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="quick-add-box"):
            yield Static(
                "Quick add — which customer? Type to filter, enter to choose.", markup=False, id="quick-add-title"
            )
            yield PickerInput(placeholder="number, name, contact, phone or email", compact=True, id="quick-add-search")
            yield PagedTable(PICKER_COLUMNS, empty_text="No customer matches.", id="quick-add-list")
        yield Footer()

    def on_mount(self) -> None:
        below = self.app.screen_stack[-2] if len(self.app.screen_stack) > 1 else None
        if isinstance(below, QuickAddScreen):  # ctrl+n again inside the picker: one is enough
            self.dismiss(None)
            return
        if below is not None and self.customer_id is None:
            self.customer_id, self.preselect = customer_of(below)
        if self.customer_id is not None:
            self.open_form(self.customer_id)
            return
        table = self.query_one(PagedTable)
        table.set_source(PickerRows(CustomerList(self.app.ctx.today())))
        if self.preselect is not None:
            table.select_row_id(self.preselect)
        self.query_one(Input).focus()

    @on(Input.Changed, "#quick-add-search")
    def _search(self, event: Input.Changed) -> None:
        self.query_one(PagedTable).set_source(PickerRows(CustomerList(self.app.ctx.today(), event.value)))

    @on(PagedTable.RowSelected, "#quick-add-list")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.open_form(event.row_id)

    def action_move(self, action: str) -> None:
        getattr(self.query_one(PagedTable), f"action_{action}")()

    def action_choose(self) -> None:
        table = self.query_one(PagedTable)
        if table.waiting:  # enter typed before the rows for the filter arrived: choose then,
            rows_shown = hold_keys_until_done(self)  # and keep the keys typed meanwhile for the form

            def choose() -> None:
                self._choose_now()
                rows_shown.done()

            table.when_shown(choose)
            return
        self._choose_now()

    def _choose_now(self) -> None:
        customer_id = self.query_one(PagedTable).cursor_row_id
        if customer_id is None:
            self.notify("No customer matches: change the filter.", severity="warning")
            return
        self.open_form(customer_id)

    def open_form(self, customer_id: int) -> None:
        from screens.conversation_form import open_conversation_form

        self.query_one("#quick-add-box").display = False
        open_conversation_form(self, "new", customer_id, self._finished)

    def _finished(self, conversation_id: int | None) -> None:
        app = self.app
        self.dismiss(conversation_id)
        if conversation_id is not None:
            refresh_lists(app, conversation_id)
            read_db(
                app,
                saved_for,
                conversation_id,
                done=lambda name: app.notify(f"Conversation saved for {name}.", markup=False),
            )

    def action_cancel(self) -> None:
        self.dismiss(None)


def saved_for(conversation_id: int) -> str:
    """The name of the customer of a conversation (on the database reader)."""
    return conversation_list.customer_name(conversation_list.row_customer(conversation_id))


def refresh_lists(app, conversation_id: int) -> None:
    """Show the new conversation in any Conversations tab open below."""
    from tui.widgets.conversations_panel import ConversationsPanel

    for screen in app.screen_stack:
        for panel in screen.query(ConversationsPanel):
            panel.reload(select=conversation_id)

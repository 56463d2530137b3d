"""ContactsPane: a customer's contacts, with n new, e (or enter) edit, d delete.

The first contact is the customer's main contact (shown in the customers list). The keys are
bound on the pane, so they act only while the contact list has the focus. The contacts are
read, and deleted, off the UI thread (tui.dbwork).
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from storage.records import customers
from tui.dbwork import read_db, run_action, tell
from tui.widgets.list_source import ListSource
from tui.widgets.paged_table import Column, PagedTable, Row

COLUMNS = [Column("Name", 16, flex=True), Column("Role", 12), Column("Phone", 16), Column("Email", 20)]


class ContactsPane(Vertical):
    BINDINGS = [
        Binding("n", "new_contact", "New", id="contacts.new"),
        Binding("e", "edit_contact", "Edit", id="contacts.edit"),
        Binding("d", "delete_contact", "Delete", id="contacts.delete"),
    ]

    def __init__(self, customer_id: int | None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield PagedTable(COLUMNS, empty_text="No contacts yet. Press n to add one.", id="contacts-table")

    @property
    def table(self) -> PagedTable:
        return self.query_one("#contacts-table", PagedTable)

    def on_mount(self) -> None:
        self.reload()

    def reload(self, select: int | None = None) -> None:
        def show(contacts) -> None:
            rows = [Row(c.id, (c.name, c.role, c.phone, c.email), data=c) for c in contacts]
            self.table.reload(ListSource(rows), select=select)

        if self.customer_id is None:
            show([])
            return
        read_db(self, customers.contacts, self.customer_id, done=show, failed=tell(self, "Contacts not listed"))

    @on(PagedTable.RowSelected, "#contacts-table")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_edit_contact()

    def _open(self, contact_id: int | None) -> None:
        from screens.contact_form import open_contact_form

        if self.customer_id is None:
            return
        open_contact_form(
            self, self.customer_id, contact_id, lambda saved: self.reload(select=saved) if saved else None
        )

    def action_new_contact(self) -> None:
        self._open(None)

    def action_edit_contact(self) -> None:
        if self.table.cursor_row_id is not None:
            self._open(self.table.cursor_row_id)

    def action_delete_contact(self) -> None:
        from screens.confirm import ConfirmScreen

        row = self.table.cursor_row
        if row is None:
            return
        contact = row.data

        def deleted(_) -> None:
            self.reload()
            self.app.notify("Contact deleted.")

        def answered(yes: bool | None) -> None:
            if yes:
                run_action(self, customers.delete_contact, contact.id, done=deleted)

        self.app.push_screen(ConfirmScreen(f"Delete the contact {contact.name}?"), answered)

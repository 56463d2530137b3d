"""ContactForm: a small modal to add or edit one contact of a customer.

ctrl+s saves (name required; errors inline, every typed character kept), escape cancels and
asks first when something was typed. Dismisses with the contact's id, or None when cancelled.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from storage.records import customers
from tui.dbwork import save_form
from tui.forms import SpareForm, open_drafted, open_form
from tui.styled_screen import StyledScreen
from tui.widgets.draft_keeper import DraftKeeper, draft_opener
from tui.widgets.footer import Footer
from tui.widgets.form_field import FormField

FIELDS = [("name", "Name"), ("role", "Role"), ("phone", "Phone"), ("email", "Email")]


class ContactForm(SpareForm, StyledScreen, DraftKeeper, ModalScreen[int | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    AUTO_FOCUS = ""  # on_mount sets the focus; Textual's would first focus a container, restyling it all
    DRAFT_FORM = "contact"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="contact.save", priority=True),
        Binding("escape", "cancel", "Cancel", id="contact.cancel"),
    ]

    def __init__(
        self, customer_id: int, contact_id: int | None = None, values: dict | None = None, loaded: dict | None = None
    ) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.contact_id = contact_id
        self.initial = dict(values or {})  # a draft's text
        self._loaded = loaded  # the contact's fields as read off the UI thread (``open_contact_form``)

    # -- opened from a key (``open_contact_form``) ----------------------------------------
    SPARE = "contact"  # tui.app keeps one built (``spare``), which ``adopt`` fills

    @classmethod
    def spare(cls) -> ContactForm:
        return cls(0, loaded={})

    @classmethod
    def from_loaded(cls, loaded: tuple[int, int | None, dict]) -> ContactForm:
        customer_id, contact_id, values = loaded
        return cls(customer_id, contact_id, loaded=values)

    def adopt(self, loaded: tuple[int, int | None, dict]) -> None:
        """Show ``loaded`` in this form built ahead or used before."""
        self.customer_id, self.contact_id, values = loaded
        self.initial = {}
        self.query_one("#contact-title", Static).update(self._title())
        for name, _ in FIELDS:
            self.query_one(f"#contact-{name}", Input).value = values.get(name, "")
            self.query_one(f"#contact-field-{name}", FormField).error = ""
        self.query_one("#contact-name", Input).focus()
        self.begin_again()

    def _title(self) -> str:
        return "Edit contact" if self.contact_id else "New contact"

    def draft_key(self) -> str:
        return f"{self.customer_id}:{self.contact_id or ''}"

    def draft_values(self) -> dict:
        return {name: self.query_one(f"#contact-{name}", Input).value for name, _ in FIELDS}

    def compose(self) -> ComposeResult:
        loaded = self._loaded
        if loaded is None:  # opened without ``open_contact_form`` (tests): read here
            _, self.contact_id, loaded = customers.contact_form_values(self.customer_id, self.contact_id)
        with Vertical(id="contact-box"):
            yield Static(self._title(), id="contact-title", markup=False)
            for name, label in FIELDS:
                value = self.initial.get(name, loaded.get(name, ""))
                yield FormField(
                    label,
                    Input(value, id=f"contact-{name}", compact=True, select_on_focus=False),
                    id=f"contact-field-{name}",
                )
            yield Static("ctrl+s save   escape cancel", classes="hint", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#contact-name", Input).focus()
        if self.initial:
            self.mark_restored()

    def action_save(self) -> None:
        for name, _ in FIELDS:
            self.query_one(f"#contact-field-{name}", FormField).error = ""
        save_form(
            self,
            customers.save_contact,
            self.customer_id,
            self.draft_values(),
            self.contact_id,
            done=self._saved,
            invalid=self._invalid,
        )

    def _invalid(self, errors: dict) -> None:
        for name, message in errors.items():
            self.query_one(f"#contact-field-{name}", FormField).error = message
        self.query_one(f"#contact-{next(iter(errors))}", Input).focus()

    def _saved(self, contact_id: int) -> None:
        self.drop_draft()
        self.dismiss(contact_id)

    def action_cancel(self) -> None:
        self.close_form(None, question="Discard the contact details you typed?")


def open_contact_form(node, customer_id: int, contact_id: int | None, then=None) -> None:
    """A key that opens the contact form (tui.forms): a new contact of ``customer_id``, or
    ``contact_id`` to edit, read on the database thread; keys typed meanwhile reach it."""
    open_form(node, ContactForm, customers.contact_form_values, customer_id, contact_id, then=then)


@draft_opener("contact")
def restore_draft(app, draft) -> None:
    """tui.drafts opener: reopen a contact form with the text of a draft."""
    customer_key, _, contact_key = draft.key.partition(":")
    customer_id = int(customer_key) if customer_key.isdigit() else 0
    contact_id = int(contact_key) if contact_key.isdigit() else None

    def read() -> tuple[int, int | None, dict] | None:
        if customers.get_customer(customer_id) is None:
            return None
        return customers.contact_form_values(customer_id, contact_id)

    def build(loaded: tuple[int, int | None, dict] | None) -> ContactForm | None:
        if loaded is None:
            app.notify("The customer of this contact draft no longer exists.", severity="warning")
            return None
        return ContactForm(loaded[0], loaded[1], values=draft.values, loaded=loaded[2])

    open_drafted(app, read, build=build)

"""CustomerForm: one customer, in the original's tabs General, Contacts, Conversations, Pipeline.

General shows the customer's own fields: read only on a customer opened to look at (one card,
so that opening is quick), editable after ``e``, or at once when the form is opened to edit or
for a new customer. There ctrl+s saves, errors show inline under their field and every typed
character stays; escape closes, asking first when typed text would be lost. A new customer
starts on General with the other tabs disabled until the first save. The tabs are switched with
1-4 (when no text field has the focus) or ctrl+t (next tab, from anywhere).

Dismisses with the customer's id when it was saved at least once, else None.
"""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, ContentSwitcher, Header, Input, Static, TextArea

from storage.records import customers
from tui.dbwork import hold_keys_until_done, read_db, read_to_open, save_form, tell
from tui.forms import SpareForm, open_drafted, open_form
from tui.styled_screen import StyledScreen
from tui.widgets.contacts_pane import ContactsPane
from tui.widgets.conversations_panel import ConversationsPanel
from tui.widgets.customer_card import CustomerCard
from tui.widgets.draft_keeper import DraftKeeper, draft_opener
from tui.widgets.footer import Footer
from tui.widgets.form_field import FormField
from tui.widgets.paged_table import visible_text
from tui.widgets.sale_cycles import SaleCycles
from tui.widgets.stage_history import StageHistory
from tui.widgets.tab_strip import TabBody, TabStrip

INPUTS = [("number", "Number"), ("name", "Name"), ("phone", "Phone"), ("email", "Email"), ("cadence_days", "Cadence")]
PLACEHOLDERS = {"cadence_days": "stay in touch every N days (empty: no cadence)"}
AREAS = [("address", "Address"), ("notes", "Notes")]
TAB_TITLES = [
    ("tab-general", "1 General"),
    ("tab-contacts", "2 Contacts"),
    ("tab-conversations", "3 Conversations"),
    ("tab-pipeline", "4 Pipeline"),
]
TABS = [tab for tab, _ in TAB_TITLES]
FIELDS = [name for name, _ in INPUTS + AREAS]


def archived_label(archived: bool) -> str:
    """Says the state in words: the check mark alone is invisible without colours."""
    return "Archived: yes (space to change)" if archived else "Archived: no (space to change)"


class CustomerForm(SpareForm, StyledScreen, DraftKeeper, Screen[int | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    AUTO_FOCUS = ""  # on_mount sets the focus; Textual's would first focus a container, restyling it all
    DRAFT_FORM = "customer"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="customer_form.save", priority=True),
        Binding("escape", "close", "Close", id="customer_form.close"),
        Binding("e", "edit", "Edit", id="customer_form.edit"),
        Binding(
            "ctrl+t", "next_tab", "Next tab", id="customer_form.next_tab", priority=True, show=False
        ),  # in F1; the footer has no room at 80 columns
        Binding("1", "tab(0)", "General", id="customer_form.general", show=False),
        Binding("2", "tab(1)", "Contacts", id="customer_form.contacts", show=False),
        Binding("3", "tab(2)", "Conversations", id="customer_form.conversations", show=False),
        Binding("4", "tab(3)", "Pipeline", id="customer_form.pipeline", show=False),
    ]

    def __init__(
        self,
        customer_id: int | None = None,
        *,
        edit: bool = False,
        tab: str = "",
        values: dict | None = None,
        conversation: int | None = None,
        loaded: dict | None = None,
    ) -> None:
        super().__init__()
        self._loaded = loaded  # the fields as read off the UI thread (``open_customer_form``)
        self.customer_id = customer_id
        self.conversation = conversation  # the Conversations tab opens with its cursor on it
        self.saved_id: int | None = None
        self.edit = edit
        self.initial_tab = tab
        self.restored = dict(values or {})
        # Editable fields, or the read-only card (a customer opened to look at).
        self.editing = edit or customer_id is None or bool(values)
        self._shown: dict = {}  # the customer's values as loaded (the card shows them)
        self._saving: dict = {}  # the values last saved (ctrl+s)
        self._filled: set[str] = set()  # tabs whose content is mounted or being mounted

    @property
    def active_bindings(self):
        """The footer's keys: the F2-F7 screen keys still work here, but leave their room in
        the footer to this form's own keys (F1 lists them all)."""
        return {
            key: active
            for key, active in super().active_bindings.items()
            if active.binding.group is None or active.binding.group.description != "Screens"
        }

    # -- the draft ------------------------------------------------------------------------
    def draft_key(self) -> str:
        return str(self.customer_id or "")

    def draft_values(self) -> dict:
        if not self.editing:
            return dict(self._shown)  # nothing can be typed on the card
        values: dict[str, object] = {name: self.query_one(f"#customer-{name}", Input).value for name, _ in INPUTS}
        values.update({name: self.query_one(f"#customer-{name}", TextArea).text for name, _ in AREAS})
        values["archived"] = self.query_one("#customer-archived", Checkbox).value
        return values

    # -- layout ---------------------------------------------------------------------------
    def _load(self) -> dict:
        return customers.form_values(self.customer_id)

    def compose(self) -> ComposeResult:
        self._shown, self._loaded = self._loaded or self._load(), None
        values = {**self._shown, **self.restored}
        initial = self.initial_tab or "tab-general"
        yield Header()
        yield TabStrip(TAB_TITLES, initial, id="customer-tabs")
        with ContentSwitcher(initial=initial, id="customer-panes"):
            general = self._fields(values) if self.editing else CustomerCard(values, id="customer-card")
            yield TabBody("1 General", general, id="tab-general")
            # The other tabs are filled when first opened (opening a customer with 10,000
            # conversations must stay quick), except the one the form opens on.
            for tab, title in TAB_TITLES[1:]:
                content = []
                if tab == initial and self.customer_id:
                    content = self._tab_content(tab)
                    self._filled.add(tab)
                yield TabBody(title, *content, id=tab)
        yield Footer(compact=True)

    @staticmethod
    def _fields(values: dict) -> VerticalScroll:
        fields: list[Widget] = [
            FormField(
                label,
                Input(
                    values[name],
                    id=f"customer-{name}",
                    compact=True,
                    placeholder=PLACEHOLDERS.get(name, ""),
                    select_on_focus=False,
                ),
                id=f"field-{name}",
            )
            for name, label in INPUTS
        ]
        fields += [
            FormField(
                label,
                TextArea(
                    values[name], id=f"customer-{name}", compact=True, tab_behavior="focus", highlight_cursor_line=False
                ),
                id=f"field-{name}",
            )
            for name, label in AREAS
        ]
        fields.append(
            Checkbox(
                archived_label(bool(values["archived"])), bool(values["archived"]), id="customer-archived", compact=True
            )
        )
        fields.append(
            Static(
                "ctrl+s save · escape close · ctrl+t or 1-4 (outside a field) switch tabs · tab next field",
                classes="hint",
                markup=False,
            )
        )
        return VerticalScroll(*fields, id="customer-fields")

    def _tab_content(self, tab: str) -> list:
        assert self.customer_id is not None
        if tab == "tab-contacts":
            return [ContactsPane(self.customer_id, id="contacts-pane")]
        if tab == "tab-conversations":
            return [ConversationsPanel(self.customer_id, select=self.conversation)]
        return [SaleCycles(self.customer_id, id="sale-cycles"), StageHistory(self.customer_id, id="stage-history")]

    async def _fill_tab(self, tab: str) -> None:
        """Mount a tab's content the first time it is opened."""
        pane = self.query_one(f"#{tab}", TabBody)
        if tab != "tab-general" and self.customer_id is not None and tab not in self._filled:
            self._filled.add(tab)  # before mounting: a key and the tab strip's message may both ask
            await pane.mount_all(self._tab_content(tab))

    @property
    def tabs(self) -> TabStrip:
        return self.query_one("#customer-tabs", TabStrip)

    @property
    def active_tab(self) -> str:
        return self.tabs.active

    def show_tab(self, tab: str) -> None:
        """Make ``tab`` the one shown (the Changed handler mounts its content if need be)."""
        self.tabs.active = tab
        self.query_one("#customer-panes", ContentSwitcher).current = tab

    @on(TabStrip.Changed, "#customer-tabs")
    async def _tab_changed(self, event: TabStrip.Changed) -> None:
        await self._fill_tab(event.tab)
        self.query_one("#customer-panes", ContentSwitcher).current = event.tab

    def on_mount(self) -> None:
        self._show_title(self._shown)
        if self.customer_id is None:
            for tab in TABS[1:]:
                self.tabs.disable(tab)
        if self.restored:
            self.mark_restored()
        if self.editing:
            self.query_one("#customer-name", Input).focus()
        else:  # opened to look: the tab bar has the focus, so 1-4 and the arrows switch tabs
            self.tabs.focus()

    # -- opened from a key (``open_customer_form``) -----------------------------------------
    SPARE = "customer"  # tui.app keeps one built (``spare``), which ``adopt`` fills

    @classmethod
    def spare(cls) -> CustomerForm:
        """An empty form to edit, built ahead (tui.app SPARES) without reading anything."""
        return cls(None, edit=True, loaded={**dict.fromkeys(FIELDS, ""), "archived": False})

    @classmethod
    def from_loaded(cls, loaded: tuple[int | None, dict]) -> CustomerForm:
        customer_id, values = loaded
        return cls(customer_id, edit=True, loaded=values)

    def adopt(self, loaded: tuple[int | None, dict]) -> None:
        """Show ``loaded`` (a customer's id, or None for a new one, and its fields) in this
        form built ahead or used before (only its General tab, ``reusable``)."""
        self.customer_id, self._shown = loaded
        self.saved_id, self.restored, self.conversation, self.initial_tab = None, {}, None, ""
        for name, _ in INPUTS:
            self.query_one(f"#customer-{name}", Input).value = str(self._shown[name])
        for name, _ in AREAS:
            self.query_one(f"#customer-{name}", TextArea).text = str(self._shown[name])
        for field in self.query(FormField):
            field.error = ""
        self.query_one("#customer-archived", Checkbox).value = bool(self._shown["archived"])
        self._show_title(self._shown)
        for tab in TABS[1:]:
            (self.tabs.enable if self.customer_id is not None else self.tabs.disable)(tab)
        self.show_tab("tab-general")
        self.query_one("#customer-fields").scroll_home(animate=False)
        self.query_one("#customer-name", Input).focus()
        self.begin_again()

    def reusable(self) -> bool:
        """Kept for the next customer opened to edit: only a form whose other tabs were never
        filled (they would show this customer)."""
        return self.editing and not self._filled

    def _show_title(self, values: dict) -> None:
        """The customer's number and name (``values``: as loaded or saved)."""
        if self.customer_id is None:
            self.title = "New customer"
            return
        self.title = visible_text(f"{values['number']}  {values['name']}")

    @on(Checkbox.Changed, "#customer-archived")
    def _archived_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = archived_label(event.value)

    # -- view and edit --------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """While General shows the card: e (edit), and no ctrl+s (nothing can be typed)."""
        if action == "edit":
            return not self.editing
        if action == "save":
            return self.editing
        return True

    async def action_edit(self) -> None:
        """Swap the card for the editable fields, filled from the database as it is now."""
        if self.editing:
            return
        self.editing = True
        read_to_open(self, customers.form_values, self.customer_id, done=self._edit, failed=self._not_editing)

    def _not_editing(self, error) -> None:
        self.editing = False
        tell(self, "Not opened")(error)

    async def _edit(self, values: dict) -> None:
        self._shown = values
        pane = self.query_one("#tab-general", TabBody)
        await pane.remove_children()
        await pane.mount(self._fields(self._shown))
        self.reset_draft_baseline()
        self.show_tab("tab-general")
        self.query_one("#customer-name", Input).focus()
        self.refresh_bindings()

    # -- tabs -----------------------------------------------------------------------------
    async def action_tab(self, index: int) -> None:
        if self.customer_id is None and index > 0:
            self.notify("Save the customer first (ctrl+s).", severity="warning")
            return
        focused = hold_keys_until_done(self)  # "3" then "n" typed at once: n reaches the list
        self.show_tab(TABS[index])
        await self._fill_tab(TABS[index])

        def focus() -> None:
            self._focus_tab_content()
            focused.done()

        self.call_after_refresh(focus)

    async def action_next_tab(self) -> None:
        current = TABS.index(self.active_tab or TABS[0])
        await self.action_tab((current + 1) % len(TABS) if self.customer_id is not None else 0)

    def _focus_tab_content(self) -> None:
        pane = self.query_one(f"#{self.active_tab}", TabBody)
        if self.focused is not None and pane in self.focused.ancestors:
            return
        # A list first (its keys then show in the footer), else the first field.
        for selector in ("PagedTable", "Input, TextArea, Checkbox"):
            focusable = [w for w in pane.query(selector) if w.focusable]
            if focusable:
                focusable[0].focus()
                return

    @on(ScreenResume)
    def _resumed(self) -> None:
        # Back from a form on top: show what it (or another session) saved. The Pipeline tab
        # loads when shown, so it is refreshed here only while it is the one on screen.
        for contacts in self.query(ContactsPane):
            contacts.reload()
        if not self.editing and self.customer_id is not None:
            read_db(self, customers.form_values, self.customer_id, done=self._show_card, failed=lambda _error: None)
        if self.active_tab == "tab-pipeline":
            for widget in self.query("StageHistory, SaleCycles"):
                widget.reload()  # type: ignore[attr-defined]  # both have reload()

    def live_refresh(self) -> None:
        """Another session saved (tui.live): the card and lists, as when coming back to this
        screen; fields being edited are left alone."""
        from tui.widgets.conversations_panel import ConversationsPanel

        self._resumed()
        for panel in self.query(ConversationsPanel):
            panel.reload()

    def _show_card(self, values: dict) -> None:
        if not self.editing:  # (e pressed meanwhile: the fields show what it read)
            self._shown = values
            self.reset_draft_baseline()
            self.query_one(CustomerCard).show(values)
            self._show_title(values)

    # -- save and close -------------------------------------------------------------------
    def action_save(self) -> None:
        values = self._saving = self.draft_values()
        for name, _ in INPUTS + AREAS:
            self.query_one(f"#field-{name}", FormField).error = ""
        save_form(
            self,
            customers.save_customer,
            values,
            self.customer_id,
            archived=values["archived"],
            done=self._saved,
            invalid=self._invalid,
        )

    def _invalid(self, errors: dict) -> None:
        for name, message in errors.items():
            self.query_one(f"#field-{name}", FormField).error = message
        self.show_tab("tab-general")
        self.query_one(f"#customer-{next(iter(errors))}").focus()
        self.notify("Not saved: please correct the marked field.", severity="error")

    def _saved(self, saved: int) -> None:
        self.drop_draft()
        new = self.customer_id is None
        self.customer_id = self.saved_id = saved
        self.reset_draft_baseline()
        self._show_title(self._saving)
        if new:
            self._became_existing()
        # Out of the fields, so that 1-4 switch tabs at once (e.g. 2 to add contacts).
        self.tabs.focus()
        self.notify("Customer saved. 2: contacts, 3: conversations.")

    def _became_existing(self) -> None:
        for tab in TABS[1:]:
            self.tabs.enable(tab)  # their content is mounted when first opened

    def action_close(self) -> None:
        self.close_form(self.saved_id or self.customer_id, question="Discard the changes you typed on General?")


def open_customer(node, customer_id: int, tab: str = "", conversation: int | None = None, then=None) -> None:
    """A key that opens a customer to look at (its card, or ``tab`` with ``conversation``
    selected): its fields are read on the database thread; keys typed meanwhile reach it."""

    def show(values: dict) -> None:
        node.app.push_screen(CustomerForm(customer_id, tab=tab, conversation=conversation, loaded=values), then)

    read_to_open(node, customers.form_values, customer_id, done=show, failed=tell(node, "Not opened"))


def open_customer_form(node, customer_id: int | None, then=None) -> None:
    """A key that opens the form to edit a customer (None: a new one; tui.forms): its fields
    are read on the database thread; keys typed meanwhile reach the form."""

    def read() -> tuple[int | None, dict]:
        return customer_id, customers.form_values(customer_id)

    open_form(node, CustomerForm, read, then=then)


@draft_opener("customer")
def restore_draft(app, draft) -> None:
    """tui.drafts opener: reopen the customer form with the text of a draft."""
    drafted_id = int(draft.key) if draft.key.isdigit() else None

    def read() -> tuple[int | None, dict]:
        customer_id = drafted_id if drafted_id and customers.get_customer(drafted_id) else None
        return customer_id, customers.form_values(customer_id)  # (deleted meanwhile: a new customer)

    def build(loaded: tuple[int | None, dict]) -> CustomerForm:
        customer_id, values = loaded
        return CustomerForm(customer_id, edit=True, values=draft.values, loaded=values)

    open_drafted(app, read, build=build)

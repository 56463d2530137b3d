"""CustomerForm: one customer, in the original's tabs General, Contacts, Conversations, Pipeline.

General edits the customer's own fields: ctrl+s saves, errors show inline under their field and
every typed character stays; escape closes, asking first when typed text would be lost. A new
customer starts on General with the other tabs disabled until the first save. The tabs are
switched with 1-4 (when no text field has the focus) or ctrl+t (next tab, from anywhere).

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
from textual.widgets._tabbed_content import ContentTabs
from textual.widgets import Checkbox, Footer, Header, Input, Static, TabbedContent, TabPane, TextArea

from screens.confirm import ConfirmScreen
from storage import customers
from storage.errors import ValidationError
from tui.widgets.contacts_pane import ContactsPane
from tui.widgets.conversations_panel import ConversationsPanel
from tui.widgets.draft_keeper import DraftKeeper
from tui.widgets.form_field import FormField
from tui.widgets.paged_table import visible_text
from tui.widgets.sale_cycles import SaleCycles
from tui.widgets.stage_history import StageHistory

INPUTS = [("number", "Number"), ("name", "Name"), ("phone", "Phone"), ("email", "Email")]
AREAS = [("address", "Address"), ("notes", "Notes")]
TABS = ["tab-general", "tab-contacts", "tab-conversations", "tab-pipeline"]


def archived_label(archived: bool) -> str:
    """Says the state in words: the check mark alone is invisible without colours."""
    return "Archived: yes (space to change)" if archived else "Archived: no (space to change)"


class CustomerForm(DraftKeeper, Screen[int | None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    DRAFT_FORM = "customer"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="customer_form.save", priority=True),
        Binding("escape", "close", "Close", id="customer_form.close"),
        Binding("ctrl+t", "next_tab", "Next tab", id="customer_form.next_tab", priority=True,
                show=False),  # in F1; the footer has no room at 80 columns
        Binding("1", "tab(0)", "General", id="customer_form.general", show=False),
        Binding("2", "tab(1)", "Contacts", id="customer_form.contacts", show=False),
        Binding("3", "tab(2)", "Conversations", id="customer_form.conversations", show=False),
        Binding("4", "tab(3)", "Pipeline", id="customer_form.pipeline", show=False),
    ]

    def __init__(self, customer_id: int | None = None, *, edit: bool = False, tab: str = "",
                 values: dict | None = None) -> None:
        super().__init__()
        self.customer_id = customer_id
        self.saved_id: int | None = None
        self.edit = edit
        self.initial_tab = tab
        self.restored = dict(values or {})

    @property
    def active_bindings(self):
        """The footer's keys: the F2-F7 screen keys still work here, but leave their room in
        the footer to this form's own keys (F1 lists them all)."""
        return {key: active for key, active in super().active_bindings.items()
                if active.binding.group is None or active.binding.group.description != "Screens"}

    # -- the draft ------------------------------------------------------------------------
    def draft_key(self) -> str:
        return str(self.customer_id or "")

    def draft_values(self) -> dict:
        values = {name: self.query_one(f"#customer-{name}", Input).value for name, _ in INPUTS}
        values.update({name: self.query_one(f"#customer-{name}", TextArea).text for name, _ in AREAS})
        values["archived"] = self.query_one("#customer-archived", Checkbox).value
        return values

    # -- layout ---------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        customer = customers.get_customer(self.customer_id) if self.customer_id else None
        values = {name: getattr(customer, name, "") or "" for name, _ in INPUTS + AREAS}
        values["archived"] = bool(customer and customer.archived)
        if customer is None:
            values["number"] = customers.suggest_number()
        values.update(self.restored)
        yield Header()
        with TabbedContent(initial=self.initial_tab or "tab-general"):
            with TabPane("1 General", id="tab-general"):
                with VerticalScroll(id="customer-fields"):
                    for name, label in INPUTS:
                        yield FormField(label, Input(values[name], id=f"customer-{name}", compact=True,
                                                        select_on_focus=False),
                                        id=f"field-{name}")
                    for name, label in AREAS:
                        yield FormField(label, TextArea(values[name], id=f"customer-{name}", compact=True,
                                                        tab_behavior="focus", highlight_cursor_line=False),
                                        id=f"field-{name}")
                    yield Checkbox(archived_label(bool(values["archived"])), bool(values["archived"]),
                                   id="customer-archived", compact=True)
                    yield Static("ctrl+s save · escape close · ctrl+t or 1-4 (outside a field) "
                                 "switch tabs · tab next field", classes="hint", markup=False)
            # The other tabs are filled when first opened (opening a customer with 10,000
            # conversations must stay quick), except the one the form opens on.
            for tab, title in (("tab-contacts", "2 Contacts"), ("tab-conversations", "3 Conversations"),
                               ("tab-pipeline", "4 Pipeline")):
                with TabPane(title, id=tab):
                    if tab == self.initial_tab and self.customer_id is not None:
                        yield from self._tab_content(tab)
        yield Footer(compact=True)

    def _tab_content(self, tab: str) -> list:
        assert self.customer_id is not None
        if tab == "tab-contacts":
            return [ContactsPane(self.customer_id, id="contacts-pane")]
        if tab == "tab-conversations":
            return [ConversationsPanel(self.customer_id)]
        return [SaleCycles(self.customer_id, id="sale-cycles"),
                StageHistory(self.customer_id, id="stage-history")]

    async def _fill_tab(self, tab: str) -> None:
        """Mount a tab's content the first time it is opened."""
        pane = self.query_one(f"#{tab}", TabPane)
        if tab != "tab-general" and self.customer_id is not None and not pane.children:
            await pane.mount_all(self._tab_content(tab))

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        if event.pane.id:
            await self._fill_tab(event.pane.id)

    def on_mount(self) -> None:
        self._show_title()
        if self.customer_id is None:
            for tab in TABS[1:]:
                self.query_one(TabbedContent).disable_tab(tab)
        if self.restored:
            self.mark_restored()
        if self.edit or self.customer_id is None:
            self.query_one("#customer-name", Input).focus()
        else:  # opened to look: the tab bar has the focus, so 1-4 and the arrows switch tabs
            self.query_one(ContentTabs).focus()

    def _show_title(self) -> None:
        customer = customers.get_customer(self.customer_id) if self.customer_id else None
        self.title = visible_text(f"{customer.number}  {customer.name}") if customer else "New customer"

    @on(Checkbox.Changed, "#customer-archived")
    def _archived_changed(self, event: Checkbox.Changed) -> None:
        event.checkbox.label = archived_label(event.value)

    # -- tabs -----------------------------------------------------------------------------
    async def action_tab(self, index: int) -> None:
        tabs = self.query_one(TabbedContent)
        if self.customer_id is None and index > 0:
            self.notify("Save the customer first (ctrl+s).", severity="warning")
            return
        tabs.active = TABS[index]
        await self._fill_tab(TABS[index])
        self.call_after_refresh(self._focus_tab_content)

    def action_next_tab(self) -> None:
        current = TABS.index(self.query_one(TabbedContent).active or TABS[0])
        self.action_tab((current + 1) % len(TABS) if self.customer_id is not None else 0)

    def _focus_tab_content(self) -> None:
        pane = self.query_one(TabbedContent).active_pane
        if pane is None or (self.focused is not None and pane in self.focused.ancestors):
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
        if self.query_one(TabbedContent).active == "tab-pipeline":
            for widget in self.query("StageHistory, SaleCycles"):
                widget.reload()

    # -- save and close -------------------------------------------------------------------
    def action_save(self) -> None:
        values = self.draft_values()
        for name, _ in INPUTS + AREAS:
            self.query_one(f"#field-{name}", FormField).error = ""
        try:
            saved = customers.save_customer(values, self.customer_id, archived=values["archived"])
        except ValidationError as exc:
            for name, message in exc.errors.items():
                self.query_one(f"#field-{name}", FormField).error = message
            self.query_one(TabbedContent).active = "tab-general"
            self.query_one(f"#customer-{next(iter(exc.errors))}").focus()
            self.notify("Not saved: please correct the marked field.", severity="error")
            return
        self.drop_draft()
        new = self.customer_id is None
        self.customer_id = self.saved_id = saved
        self.reset_draft_baseline()
        self._show_title()
        if new:
            self._became_existing()
        # Out of the fields, so that 1-4 switch tabs at once (e.g. 2 to add contacts).
        self.query_one(ContentTabs).focus()
        self.notify("Customer saved. 2: contacts, 3: conversations.")

    def _became_existing(self) -> None:
        tabs = self.query_one(TabbedContent)
        for tab in TABS[1:]:
            tabs.enable_tab(tab)  # their content is mounted when first opened

    def action_close(self) -> None:
        if not self.has_unsaved_changes():
            self.drop_draft()
            self.dismiss(self.saved_id or self.customer_id)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.drop_draft()
                self.dismiss(self.saved_id or self.customer_id)

        self.app.push_screen(ConfirmScreen("Discard the changes you typed on General?"), answered)


def restore_draft(app, draft) -> None:
    """tui.drafts opener: reopen the customer form with the text of a draft."""
    customer_id = int(draft.key) if draft.key.isdigit() else None
    if customer_id is not None and customers.get_customer(customer_id) is None:
        customer_id = None  # deleted meanwhile: offer the text as a new customer
    app.push_screen(CustomerForm(customer_id, edit=True, values=draft.values))

"""ConversationsPanel: the customer form's Conversations tab (SPEC §4), keyboard only.

A PagedTable of one customer's conversations in SPEC §2 order, fetched page by page from SQL,
with the original's columns; under it the highlighted conversation in full (at 80 columns the
last columns do not fit, the detail line shows them). Keys: n new, e/enter edit, d delete (to
the trash), u undo the delete, c toggle completed, f log follow-up, / filter text, o open only,
m cycle the employee filter (everyone, me, each employee).
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from storage import conversation_list as clist
from storage import conversations, lookups
from storage.conversation_list import ConversationFilter
from tui.widgets.paged_table import Column, PagedTable, Row, visible_text

# The original's columns: (title, short title, width, narrowest width). The table uses the full
# titles when they fit, else the short ones, and at 80 columns drops trailing columns: the
# detail lines under the table show every field of the highlighted conversation.
COLUMNS = [
    ("Employee & Date", "Employee & Date", 17, 17), ("Follow Up", "Follow Up", 10, 10),
    ("Note", "Note", 20, 12), ("With Whom", "With Whom", 12, 8), ("About", "About", 10, 6),
    ("How", "How", 10, 6), ("Completed", "Done", 9, 4), ("I.F.", "I.F.", 4, 4),
    ("Pipeline Position", "Stage", 17, 8), ("Time Begin", "Begin", 10, 5),
    ("Time End", "End", 8, 5), ("Duration", "Min", 8, 3),
]
NOTE_COLUMN = 2


def columns_for(width: int) -> list[Column]:
    """The columns that fit in ``width`` cells, Note taking what is left over."""
    def total(widths: list[int]) -> int:
        return sum(widths) + len(widths)  # a gap before each column (the first is padding)

    for title, size in ((0, 2), (1, 2), (1, 3)):
        widths = [spec[size] for spec in COLUMNS]
        if total(widths) <= width:
            break
    while len(widths) > NOTE_COLUMN + 1 and total(widths) > width:
        widths.pop()
    return [Column(COLUMNS[i][title], w, flex=i == NOTE_COLUMN) for i, w in enumerate(widths)]


class ConversationTable(PagedTable):
    """The panel's table: enter edits (the panel's e key says so in the footer)."""

    BINDINGS = [Binding("enter", "select", "Edit", id="conversations.enter_edit", show=False)]


class ConversationSource:
    """PagedTable source: one customer's conversations under a filter."""

    def __init__(self, customer_id: int, flt: ConversationFilter) -> None:
        self.customer_id = customer_id
        self.filter = flt

    def count(self) -> int:
        return clist.count(self.customer_id, self.filter)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [Row(r.id, r.cells(), "dim" if r.completed else "")
                for r in clist.page(self.customer_id, self.filter, offset, limit)]

    def index_of(self, row_id: int) -> int | None:
        return clist.position(self.customer_id, row_id, self.filter)


def describe(row: clist.ConversationRow) -> Text:
    """The highlighted conversation in full, as plain text (user text is never markup)."""
    times = "–".join(t.strftime("%H:%M") for t in (row.time_begin, row.time_end) if t)
    parts = [f"{row.date.isoformat()} {times}".strip()]
    if row.duration is not None:
        parts.append(f"{row.duration} min")
    parts.append(row.employee)
    if row.with_whom:
        parts.append(f"with {row.with_whom}")
    parts += [p for p in (row.about, row.how, row.stage) if p]
    if row.follow_up:
        parts.append(f"follow up {row.follow_up.isoformat()}")
    if row.completed:
        parts.append("completed")
    if row.is_follow_up:
        parts.append("I.F.")
    note = "\n".join(visible_text(line) for line in row.note.splitlines())
    return Text(visible_text(" · ".join(parts)) + "\n" + note)


class FilterInput(Input):
    """The text filter; enter or escape go back to the list (the text stays)."""

    BINDINGS = [Binding("escape", "done", "Back to list", id="conversations.filter_done")]

    def action_done(self) -> None:
        self.screen.query_one("#conversations-table", PagedTable).focus()


class ConversationsPanel(Vertical):
    """One customer's conversations with new, edit, delete/undo, complete and follow-up."""

    BINDINGS = [
        Binding("n", "new", "New", id="conversations.new"),
        Binding("e", "edit", "Edit", id="conversations.edit"),
        Binding("d", "delete", "Del", id="conversations.delete"),
        Binding("u", "undo", "Undo", id="conversations.undo"),
        Binding("c", "complete", "Done", id="conversations.complete"),
        Binding("f", "follow_up", "Follow", id="conversations.follow_up"),
        Binding("slash", "find", "Find", id="conversations.filter"),
        Binding("o", "open_only", "Open", id="conversations.open_only"),
        Binding("m", "employee", "Who", id="conversations.employee"),
    ]

    DEFAULT_CSS = """
    ConversationsPanel {
        height: 1fr;
        #conversations-filters { height: 1; }
        #conversations-filter { width: 1fr; }
        #conversations-filter-state { width: auto; padding: 0 1; color: $text-muted; }
        #conversations-detail { height: 4; border-top: solid $primary; }
    }
    """

    def __init__(self, customer_id: int, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_id = customer_id
        self.filter = ConversationFilter()
        self._trash: list[int] = []  # deleted this session, most recent last (u restores)

    def compose(self) -> ComposeResult:
        with Horizontal(id="conversations-filters"):
            yield FilterInput(placeholder="/ filter note or with whom", compact=True,
                              id="conversations-filter")
            yield Static("", markup=False, id="conversations-filter-state")
        yield ConversationTable(columns_for(78), ConversationSource(self.customer_id, self.filter),
                         empty_text="No conversations yet: n adds one.", id="conversations-table")
        yield Static("", markup=False, id="conversations-detail")

    def on_mount(self) -> None:
        self._show_filter_state()

    def on_resize(self) -> None:
        table = self.table
        columns = columns_for(table.scrollable_content_region.width or self.size.width - 2)
        if columns != table.columns:
            table.columns = columns
            table.refresh()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#conversations-table", PagedTable)

    def focus_list(self) -> None:
        self.table.focus()

    # -- filters --------------------------------------------------------------------------
    def _apply(self, flt: ConversationFilter) -> None:
        self.filter = flt
        self.table.set_source(ConversationSource(self.customer_id, flt))
        self._show_filter_state()

    def _show_filter_state(self) -> None:
        employee = "everyone"
        if self.filter.employee_id is not None:
            employee = next((e.login for e in lookups.employees(include_inactive=True)
                             if e.id == self.filter.employee_id), "?")
        state = f"{'open only' if self.filter.open_only else 'all'} · {employee} · {self.table.row_count}"
        self.query_one("#conversations-filter-state", Static).update(state)

    @on(Input.Changed, "#conversations-filter")
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.value != self.filter.text:
            self._apply(ConversationFilter(event.value, self.filter.open_only, self.filter.employee_id))

    @on(Input.Submitted, "#conversations-filter")
    def _text_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_list()

    def action_find(self) -> None:
        self.query_one("#conversations-filter", Input).focus()

    def action_open_only(self) -> None:
        flt = self.filter
        self._apply(ConversationFilter(flt.text, not flt.open_only, flt.employee_id))

    def action_employee(self) -> None:
        """Cycle: everyone → me → every other active employee → everyone."""
        me = self.app.ctx.employee().id
        order = [None, me] + [e.id for e in lookups.employees() if e.id != me]
        current = order.index(self.filter.employee_id) if self.filter.employee_id in order else 0
        flt = self.filter
        self._apply(ConversationFilter(flt.text, flt.open_only, order[(current + 1) % len(order)]))

    # -- the highlighted conversation -----------------------------------------------------
    @on(PagedTable.RowHighlighted, "#conversations-table")
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        row = clist.row(event.row_id) if event.row_id is not None else None
        self.query_one("#conversations-detail", Static).update(describe(row) if row else "")

    @on(PagedTable.RowSelected, "#conversations-table")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _current(self) -> int | None:
        row_id = self.table.cursor_row_id
        if row_id is None:
            self.notify("No conversation here.", severity="warning")
        return row_id

    def _refresh(self, select: int | None = None) -> None:
        self.table.reload()
        if select is not None:
            self.table.select_row_id(select)
        self._show_filter_state()
        row_id = self.table.cursor_row_id
        row = clist.row(row_id) if row_id is not None else None
        self.query_one("#conversations-detail", Static).update(describe(row) if row else "")

    # -- actions --------------------------------------------------------------------------
    def _open_form(self, form) -> None:
        def saved(conversation_id: int | None) -> None:
            if conversation_id is not None:
                self._refresh(select=conversation_id)
            self.focus_list()

        self.app.push_screen(form, saved)

    def action_new(self) -> None:
        from screens.conversation_form import ConversationForm

        self._open_form(ConversationForm.new(self.customer_id))

    def action_edit(self) -> None:
        from screens.conversation_form import ConversationForm

        if (row_id := self._current()) is not None:
            self._open_form(ConversationForm.edit(row_id))

    def action_follow_up(self) -> None:
        from screens.conversation_form import ConversationForm

        if (row_id := self._current()) is not None:
            self._open_form(ConversationForm.follow_up(row_id))

    def action_delete(self) -> None:
        if (row_id := self._current()) is not None:
            conversations.delete(row_id)
            self._trash.append(row_id)
            self.refresh_bindings()
            self._refresh()
            self.notify("Conversation moved to the trash: u brings it back.")

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Undo shows in the footer only when there is a delete to undo."""
        if action == "undo":
            return bool(self._trash)
        return True

    def action_undo(self) -> None:
        if not self._trash:
            self.notify("Nothing to undo.", severity="warning")
            return
        row_id = self._trash.pop()
        self.refresh_bindings()
        conversations.restore(row_id)
        self._refresh(select=row_id)
        self.notify("Conversation restored.")

    def action_complete(self) -> None:
        if (row_id := self._current()) is not None:
            done = conversations.toggle_completed(row_id, self.app.ctx.today())
            self._refresh(select=row_id)
            self.notify("Completed." if done else "Marked open again.")

"""ConversationsPanel: the customer form's Conversations tab (docs/screens.md), keyboard only.

A PagedTable of one customer's conversations in docs/data.md order, fetched page by page from SQL,
with the original's columns; under it the highlighted conversation in full (at 80 columns the
last columns do not fit, the detail line shows them). Keys: n new, e/enter edit, d delete (to
the trash), u undo the delete, c toggle completed, f log follow-up, / filter text, o open only,
m cycle the employee filter (everyone, me, each employee), and the calendar actions of
``tui.calendar_actions``: b create booking, t create task (.ics to-do), x export the open
follow-ups (of the employee filtered on, else the current employee) to calendar.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static

from storage.records import conversations, lookups
from storage.records.conversation_list import ConversationFilter
from tui.dbwork import read_db, run_action
from tui.widgets.conversation_rows import ConversationSource, columns_for, describe
from tui.widgets.paged_table import PagedTable

if TYPE_CHECKING:
    from tui.app import RapportApp


class ConversationTable(PagedTable):
    """The panel's table: enter edits (the panel's e key says so in the footer); it starts
    on the newest conversation, the last row (docs/data.md order), like a log."""

    BINDINGS = [Binding("enter", "select", "Edit", id="conversations.enter_edit", show=False)]
    START = -1


class FilterInput(Input):
    """The text filter; enter or escape go back to the list (the text stays)."""

    BINDINGS = [Binding("escape", "done", "Back to list", id="conversations.filter_done")]

    def action_done(self) -> None:
        self.screen.query_one("#conversations-table", PagedTable).focus()


class ConversationsPanel(Vertical):
    """One customer's conversations with new, edit, delete/undo, complete and follow-up."""

    app: RapportApp

    BINDINGS = [
        Binding("n", "new", "New", id="conversations.new"),
        Binding("e", "edit", "Edit", id="conversations.edit"),
        Binding("d", "delete", "Delete", id="conversations.delete"),
        Binding("u", "undo", "Undo", id="conversations.undo"),
        Binding("c", "complete", "Complete", id="conversations.complete"),
        Binding("f", "follow_up", "Follow-up", id="conversations.follow_up"),
        Binding("slash", "find", "Filter", id="conversations.filter"),
        Binding("space", "read_note", "Read note", id="conversations.read_note"),
        Binding("o", "open_only", "Open only", id="conversations.open_only"),
        Binding("m", "employee", "Employee filter", id="conversations.employee"),
        Binding("b", "booking", "Create booking", id="conversations.booking"),
        Binding("t", "task", "Create task", id="conversations.task"),
        Binding("x", "export", "Export to calendar", id="conversations.export"),
    ]

    DEFAULT_CSS = """
    ConversationsPanel {
        height: 1fr;
        #conversations-filters { height: 1; }
        #conversations-filter { width: 1fr; }
        #conversations-filter-state { width: auto; padding: 0 1; color: $text-muted; }
        /* the list as tall as its rows (up to 70%), the detail all the rest (at least 4 lines);
           space reads the whole note */
        #conversations-table { height: auto; min-height: 3; max-height: 70%; }
        #conversations-detail { height: 1fr; min-height: 4; border-top: solid $primary; }
    }
    """

    def __init__(self, customer_id: int, select: int | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.customer_id = customer_id
        self.select = select  # a conversation to start on (e.g. from Search), else the newest
        self.filter = ConversationFilter()
        self._trash: list[int] = []  # deleted this session, most recent last (u restores)
        self._employees: list | None = None  # every employee, read once (m, x, the filter line)

    def compose(self) -> ComposeResult:
        with Horizontal(id="conversations-filters"):
            yield FilterInput(placeholder="/ filter note or with whom", compact=True, id="conversations-filter")
            yield Static("", markup=False, id="conversations-filter-state")
        yield ConversationTable(
            columns_for(78),
            ConversationSource(self.customer_id, self.filter),
            empty_text="No conversations yet: n adds one.",
            id="conversations-table",
        )
        yield Static("", markup=False, id="conversations-detail")

    def on_mount(self) -> None:
        self.table.when_shown(self._show_filter_state)  # the count, once the rows are counted
        self.call_after_refresh(self._start)

    def _start(self) -> None:
        if self.select is not None:  # else the table starts on the newest (START)
            self.table.reload(select=self.select, index=-1)

    def on_resize(self) -> None:
        table = self.table
        columns = columns_for(table.scrollable_content_region.width or self.size.width - 2)
        if columns != table.columns:
            table.columns = columns
            table.refresh()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#conversations-table", PagedTable)

    def on_key(self, event) -> None:
        from tui.widgets.type_to_find import start_finding

        start_finding(event, self.table, self.query_one("#conversations-filter", Input))

    def focus_list(self) -> None:
        self.table.focus()

    # -- filters --------------------------------------------------------------------------
    def _apply(self, flt: ConversationFilter) -> None:
        self.filter = flt
        self.table.set_source(ConversationSource(self.customer_id, flt), then=self._show_filter_state)

    def _with_employees(self, then) -> None:
        """``then(employees)``: every employee, inactive too, read once off the UI thread."""
        if self._employees is not None:
            then(self._employees)
            return

        def read(employees: list) -> None:
            self._employees = employees
            then(employees)

        read_db(self, lookups.employees, include_inactive=True, done=read)

    def _login(self, employees: list, employee_id: int | None, default: str = "?") -> str:
        return next((e.login for e in employees if e.id == employee_id), default)

    def _show_filter_state(self) -> None:
        def show(employees: list) -> None:
            employee = (
                "everyone" if self.filter.employee_id is None else self._login(employees, self.filter.employee_id)
            )
            state = f"{'open only' if self.filter.open_only else 'all'} · {employee} · {self.table.row_count}"
            self.query_one("#conversations-filter-state", Static).update(state)

        if self.filter.employee_id is None:
            show([])
        else:
            self._with_employees(show)

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

        def cycle(employees: list) -> None:
            order = [None, me] + [e.id for e in employees if e.active and e.id != me]
            current = order.index(self.filter.employee_id) if self.filter.employee_id in order else 0
            flt = self.filter
            self._apply(ConversationFilter(flt.text, flt.open_only, order[(current + 1) % len(order)]))

        self._with_employees(cycle)

    # -- the highlighted conversation -----------------------------------------------------
    @on(PagedTable.RowHighlighted, "#conversations-table")
    def _highlighted(self) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted conversation in full, from the page the table fetched (no query)."""
        row = self.table.cursor_row
        detail = describe(row.data) if row is not None else ""
        self.query_one("#conversations-detail", Static).update(detail, layout=False)

    @on(PagedTable.RowSelected, "#conversations-table")
    def _selected(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_edit()

    def _current(self) -> int | None:
        row_id = self.table.cursor_row_id
        if row_id is None:
            self.notify("No conversation here.", severity="warning")
        return row_id

    def reload(self, select: int | None = None) -> None:
        """Refetch the list (after a save elsewhere), the cursor on ``select`` if given."""
        self.table.reload(select=select, then=self._reloaded)

    def _reloaded(self) -> None:
        self._show_filter_state()
        self._show_detail()

    # -- actions --------------------------------------------------------------------------
    def _open_form(self, how: str, record_id: int) -> None:
        """Open the conversation form; once it is saved the list shows the saved conversation,
        the cursor on it. The list is read on the writer right after the save (tui.dbwork
        after_save), so it is fresh in the first frame after the form closes; else it reloads
        then."""
        from screens.conversation_form import open_conversation_form

        read, shown = self.table.reload_read(), set()

        def show(result: tuple) -> None:
            conversation_id, rows = result
            if self.table.show_read(rows, then=self._reloaded):
                shown.add(conversation_id)

        def saved(conversation_id: int | None) -> None:
            if conversation_id is not None and conversation_id not in shown:
                self.reload(select=conversation_id)
            self.focus_list()

        reread = (lambda conversation_id: (conversation_id, read(conversation_id)), show)
        open_conversation_form(self, how, record_id, saved, after_save=reread)

    def action_read_note(self) -> None:
        from screens.note_view import NoteView

        row = self.table.cursor_row
        if row is None:
            self.notify("No conversation here.", severity="warning")
            return
        conv = row.data
        self.app.push_screen(NoteView(f"{conv.date.isoformat()} · {conv.employee}", conv.note))

    def action_new(self) -> None:
        self._open_form("new", self.customer_id)

    def action_edit(self) -> None:
        if (row_id := self._current()) is not None:
            self._open_form("edit", row_id)

    def action_follow_up(self) -> None:
        if (row_id := self._current()) is not None:
            self._open_form("follow_up", row_id)

    # d, u and c run through tui.dbwork: off the UI thread; a locked or full database is one
    # line ("Not changed: ...") and the list stays as it was; the key can be pressed again.
    def action_delete(self) -> None:
        if (row_id := self._current()) is None:
            return

        def done(_) -> None:
            self._trash.append(row_id)
            self.refresh_bindings()
            self.reload()
            self.notify("Conversation moved to the trash: u brings it back.")

        run_action(self, conversations.delete, row_id, done=done)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        """Undo shows in the footer only when there is a delete to undo."""
        if action == "undo":
            return bool(self._trash)
        return True

    def action_undo(self) -> None:
        if not self._trash:
            self.notify("Nothing to undo.", severity="warning")
            return
        row_id = self._trash[-1]

        def done(_) -> None:  # until then it stays in the trash: u can try again
            if row_id in self._trash:
                self._trash.remove(row_id)
            self.refresh_bindings()
            self.reload(select=row_id)
            self.notify("Conversation restored.")

        run_action(self, conversations.restore, row_id, done=done)

    def action_complete(self) -> None:
        if (row_id := self._current()) is None:
            return

        def done(completed: bool) -> None:
            self.reload(select=row_id)
            self.notify("Completed." if completed else "Marked open again.")

        run_action(self, conversations.toggle_completed, row_id, self.app.ctx.today(), done=done)

    def action_booking(self) -> None:
        from tui import calendar_actions

        calendar_actions.create_booking(self, self._current())

    def action_task(self) -> None:
        from tui import calendar_actions

        calendar_actions.create_task(self, self._current())

    def action_export(self) -> None:
        from tui import calendar_actions

        ctx = self.app.ctx
        employee_id = self.filter.employee_id or ctx.employee().id
        self._with_employees(
            lambda employees: calendar_actions.export_follow_ups(
                self, f"follow-ups-{self._login(employees, employee_id, ctx.login)}", employee_id
            )
        )

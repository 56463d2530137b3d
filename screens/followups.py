"""Follow-ups (F3): the daily report of docs/screens.md, docs/reports.md with one-key triage.

Overdue, today and upcoming (next 7 days) open follow-ups of me, one employee or everyone,
in one paged list. Keys act on the highlighted follow-up:
  c complete · s snooze +1 day · w snooze +1 week (counted from today for a due one, so it
  leaves today's list) · r reschedule (date prompt) · f log follow-up (the conversation form
  as a follow-up; saving it completes this one) · o / enter open the customer · u undo the
  last complete/snooze/reschedule · v choose whose follow-ups · b create booking ·
  t create task (.ics to-do) · x export to calendar (tui/calendar_actions.py) · y sync
  with the calendar (config [sync], tui/sync_action.py) · l log a new conversation with the
  highlighted row's customer.
Under them, "Losing touch" (docs/reports.md): customers past their cadence; l logs a conversation
with one (and takes it off the list), enter opens it.
Missed follow-ups stay on the list until one of those handles them. After an action the
cursor stays in place, so the next follow-up is under it: pressing c, s or w down the list
clears the day. The list is refreshed whenever the screen comes back to the front.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import Header, Static

from storage.errors import RapportError
from storage.records import lookups
from storage.records.conversations import set_completed, set_follow_up
from storage.reporting import reports
from storage.reporting.reports import FollowUpItem
from tui import dates
from tui.dbwork import read_db, run_action, run_db, tell
from tui.styled_screen import StyledScreen
from tui.widgets.day_bookings import DayBookings
from tui.widgets.followup_table import FollowupSource, FollowupTable, columns, losing_customer_id
from tui.widgets.footer import Footer
from tui.widgets.paged_table import PagedTable, visible_text

if TYPE_CHECKING:
    from tui.app import RapportApp


@dataclass(frozen=True)
class _Undo:
    """How to take back the last action on one conversation."""

    conversation_id: int
    label: str  # "complete", "snooze" or "reschedule"
    follow_up: object  # the follow-up date before the action


class FollowupsScreen(StyledScreen, Screen):
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Follow-ups"
    PALETTE_PREFIX = "Follow-ups"
    BINDINGS = [
        Binding("c", "complete", "Complete", id="followups.complete"),
        Binding("s", "snooze(1)", "+1 day", id="followups.snooze_day", tooltip="Snooze one day"),
        Binding("w", "snooze(7)", "+1 week", id="followups.snooze_week", tooltip="Snooze one week"),
        Binding("r", "reschedule", "Reschedule", id="followups.reschedule"),
        Binding("f", "log_follow_up", "Follow-up", id="followups.log", tooltip="Log a follow-up"),
        Binding(
            "l",
            "log_conversation",
            "Log",
            id="followups.log_conversation",
            tooltip="Log a new conversation with this customer (e.g. one losing touch)",
        ),
        Binding(
            "o", "open_customer", "Customer", id="followups.open_customer", tooltip="Open the customer", show=False
        ),  # enter does the same
        Binding("v", "whose", "Whose", id="followups.whose", tooltip="Show me, everyone or one employee"),
        Binding("u", "undo", "Undo", id="followups.undo", tooltip="Undo the last action"),
        Binding("b", "booking", "Book", id="followups.booking", tooltip="Create a booking"),
        Binding("t", "task", "Task", id="followups.task", tooltip="Create a task (.ics to-do)"),
        Binding("x", "export", "Export", id="followups.export", tooltip="Export to calendar"),
        Binding("y", "sync", "Sync", id="followups.sync", tooltip="Sync with the calendar", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.whose = "me"  # "me", "everyone" or an employee's login
        self.employee_id: int | None = None  # whose list is shown (None: everyone's)
        self._undo: _Undo | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="followups-summary", markup=False)
        yield DayBookings(id="followups-bookings")
        yield FollowupTable(columns(False), empty_text="No follow-ups.", id="followups-table")
        yield Static("", id="followups-detail", markup=False)
        yield Static("", id="followups-note", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one(FollowupTable).focus()
        # After the first layout, so the table knows its height when it places the cursor.
        self.call_after_refresh(self.load, False)

    @on(ScreenResume)
    def _resumed(self) -> None:
        self.call_after_refresh(self.load)  # the screen shows first, then the fresh list

    def live_refresh(self) -> None:
        """Another session saved (tui.live): refetch list and counts, the cursor staying on
        its follow-up (``load`` keeps its place in the list instead, for this user's own
        complete/snooze)."""
        if isinstance(self.table.source, FollowupSource):  # (else its first load is on its way)
            self.table.reload(then=self._refreshed)

    def _refreshed(self) -> None:
        self.table.snap()
        self._show_summary()

    # -- data ---------------------------------------------------------------------------
    @property
    def table(self) -> FollowupTable:
        return self.query_one(FollowupTable)

    def _login(self) -> str | None:
        if self.whose == "everyone":
            return None
        if self.whose == "me":
            return self.app.ctx.employee().login
        return self.whose

    def load(self, keep_position: bool = True, select: int | None = None) -> None:
        """(Re)read the list from the database, keeping the cursor's place in the list (or
        on the follow-up ``select``); the employee whose list it is is looked up first."""
        login = self._login()
        if login is None:
            self._load(None, keep_position, select)
            return
        read_db(
            self,
            lookups.employee_by_login,
            login,
            done=lambda employee: self._load(employee, keep_position, select),
            failed=tell(self, "List not refreshed", "Come back to the screen to try again."),
        )

    def _load(self, employee, keep_position: bool, select: int | None) -> None:
        ctx = self.app.ctx
        today = ctx.today()
        login = self._login()
        if login is not None and employee is None:
            # The chosen employee's login was changed meanwhile: fall back to my own list.
            self.notify(f"No employee {login!r} any more; showing yours.", markup=False)
            self.whose, keep_position = "me", False
            login, employee = self._login(), ctx.employee()
        self.employee_id = employee.id if employee is not None else None
        table = self.table
        source = table.source
        position = table.cursor
        show_employee = self.whose != "me"

        def loaded(position: int | None) -> None:
            table.snap(position)
            self._show_summary()
            self._show_detail(table.cursor_row_id)

        if isinstance(source, FollowupSource) and keep_position and source.login == login and source.today == today:
            table.reload(select=select, then=lambda: loaded(None if select else position))
        else:
            table.columns = columns(show_employee)
            table.set_source(FollowupSource(today, login, show_employee), then=lambda: loaded(0))
        self.query_one(DayBookings).show(today, self.employee_id, ctx.timezone())

    def _show_summary(self) -> None:
        source = cast(FollowupSource, self.table.source)
        counts = source.counts
        who = {"me": f"me ({self._login()})", "everyone": "everyone"}.get(self.whose, self.whose)
        self.query_one("#followups-summary", Static).update(
            f"{source.today:%a %Y-%m-%d} · {who} · {counts.overdue} overdue · "
            f"{counts.today} today · {counts.upcoming} upcoming · {len(source.losing)} losing touch"
        )

    def _selected(self) -> FollowUpItem | None:
        """The highlighted follow-up, as its row was fetched (no read on the UI thread)."""
        row = self.table.cursor_row
        if row is None or row.id < 0 or not isinstance(row.data, FollowUpItem):
            return None
        return row.data

    @on(PagedTable.RowHighlighted)
    def _highlighted(self, event: PagedTable.RowHighlighted) -> None:
        self._show_detail(event.row_id)

    def _show_detail(self, row_id: int | None) -> None:
        item = self._selected() if row_id is not None and row_id > 0 else None
        detail = self.query_one("#followups-detail", Static)
        note = self.query_one("#followups-note", Static)
        losing_row = getattr(self.table.source, "losing_row", None)
        if losing_row and (losing := losing_row(row_id)) is not None:
            detail.update(
                visible_text(
                    f"{losing.customer} ({losing.customer_number}) · stay in touch every {losing.cadence_days} days"
                )
            )
            note.update("l: log a conversation · enter: open the customer")
            return
        if item is None:
            detail.update("")
            note.update("")
            return
        parts = [f"{item.customer} ({item.customer_number})", f"logged {dates.show(item.date)} by {item.employee}"]
        if item.about or item.how:
            parts.append(" by ".join(p for p in (item.about, item.how) if p))
        if item.with_whom:
            parts.append(f"with {item.with_whom}")
        detail.update(visible_text(" · ".join(parts)))
        note.update(visible_text(item.note) or "(no note)")

    # -- actions ------------------------------------------------------------------------
    def _need_item(self) -> FollowUpItem | None:
        item = self._selected()
        if item is None:
            self.notify("No follow-up selected.", markup=False)
        return item

    def _remember(self, item: FollowUpItem, label: str) -> None:
        self._undo = _Undo(item.id, label, item.follow_up)

    # Every change runs through tui.dbwork: off the UI thread, a locked or full database is
    # one line ("Not changed: ...") and the list stays as it was; the key can be pressed again.
    def _change(self, fn, *args, done) -> None:
        run_action(self, fn, *args, done=lambda _: done())

    def action_complete(self) -> None:
        item = self._need_item()
        if item is None:
            return

        def done() -> None:
            self._remember(item, "complete")
            self.load()
            self.notify(f"Completed: {item.customer}. u undoes.", markup=False)

        self._change(set_completed, item.id, True, self.app.ctx.today(), done=done)

    def action_snooze(self, days: int) -> None:
        item = self._need_item()
        if item is None:
            return
        new_date = reports.snoozed(item.follow_up, self.app.ctx.today(), days)
        self._set_follow_up(item, new_date, "snooze")

    def _set_follow_up(self, item: FollowUpItem, day, label: str) -> None:
        def done() -> None:
            self._remember(item, label)
            self.load()
            self.notify(f"{item.customer}: follow up on {day:%a %Y-%m-%d}. u undoes.", markup=False)

        self._change(set_follow_up, item.id, day, done=done)

    def action_reschedule(self) -> None:
        item = self._need_item()
        if item is None:
            return
        from screens.date_prompt import DatePrompt

        def chosen(day) -> None:
            if day is not None:
                self._set_follow_up(item, day, "reschedule")

        today = self.app.ctx.today()
        self.app.push_screen(
            DatePrompt(f"Reschedule the follow-up of {item.customer} to", initial=item.follow_up, today=today),
            chosen,
        )

    def action_undo(self) -> None:
        undo = self._undo
        if undo is None:
            self.notify("Nothing to undo.", markup=False)
            return
        self._undo = None

        def done() -> None:
            self.load(select=undo.conversation_id)
            self.notify(f"Undone: {undo.label}.", markup=False)

        def not_undone(error: RapportError) -> None:
            self._undo = self._undo or undo  # u can be pressed again
            tell(self, "Not changed")(error)

        fn: Callable[..., object]
        args: tuple
        if undo.label == "complete":
            fn, args = set_completed, (undo.conversation_id, False, self.app.ctx.today())
        else:
            fn, args = set_follow_up, (undo.conversation_id, undo.follow_up)
        run_db(self, fn, *args, done=lambda _: done(), failed=not_undone, busy="Undoing…")

    def action_log_follow_up(self) -> None:
        item = self._need_item()
        if item is None:
            return
        from screens.conversation_form import open_conversation_form

        def saved(conversation_id: int | None) -> None:
            if conversation_id is not None:
                self._undo = None
                self.load()
                self.notify(f"Follow-up logged for {item.customer}.", markup=False)

        open_conversation_form(self, "follow_up", item.id, saved)

    def _customer_id(self) -> int | None:
        """The customer of the highlighted row, a follow-up or a customer losing touch."""
        row_id = self.table.cursor_row_id
        customer_id = losing_customer_id(row_id)
        if customer_id is None and (item := self._selected()) is not None:
            customer_id = item.customer_id
        if customer_id is None:
            self.notify("No customer selected.", markup=False)
        return customer_id

    def action_open_customer(self) -> None:
        customer_id = self._customer_id()
        if customer_id is None:
            return
        from screens.customer_form import open_customer

        open_customer(self, customer_id, tab="tab-conversations")

    def action_log_conversation(self) -> None:
        customer_id = self._customer_id()
        if customer_id is None:
            return
        from screens.conversation_form import open_conversation_form

        def saved(conversation_id: int | None) -> None:
            if conversation_id is not None:
                self.load()
                self.notify("Conversation logged.", markup=False)

        open_conversation_form(self, "new", customer_id, saved)

    @on(PagedTable.RowSelected)
    def _selected_row(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        if event.row_id > 0 or losing_customer_id(event.row_id) is not None:
            self.action_open_customer()

    def action_whose(self) -> None:
        from screens.employee_picker import EVERYONE, ME, EmployeePicker

        current = {"me": ME, "everyone": EVERYONE}.get(self.whose, self.whose)

        def picked(choice: str | None) -> None:
            if choice is None:
                return
            self.whose = {ME: "me", EVERYONE: "everyone"}.get(choice, choice)
            self.load(keep_position=False)

        self.app.push_screen(EmployeePicker(current, self.app.ctx.employee().login), picked)

    # -- calendar (README.md#calendar-export-rapport-export-ics): b create booking, t create task, x export to calendar -------
    def action_booking(self) -> None:
        from tui import calendar_actions

        item = self._need_item()
        if item is not None:
            calendar_actions.create_booking(self, item.id)

    def action_task(self) -> None:
        from tui import calendar_actions

        item = self._need_item()
        if item is not None:
            calendar_actions.create_task(self, item.id)

    def action_export(self) -> None:
        from tui import calendar_actions

        calendar_actions.choose_export(self, self.employee_id, self._login() or "everyone")

    def action_sync(self) -> None:
        from tui.sync_action import sync_now

        sync_now(self, lambda _summary: self.load())

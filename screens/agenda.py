"""Agenda (F8, docs/screens.md; the original's "Calendar/booking screen").

A day or a week of bookings (timed) and open follow-ups (all day) for me, one employee or
everyone, in the current employee's zone. Keys:
  left/right a day back/on · pgup/pgdn a week · home today · g go to a typed date ·
  d day or week view · v whose · n new booking (for the highlighted item's conversation or
  customer) · e edit the booking · m move it (new date, start, end) · c cancel it ·
  u undo the last move or cancel · enter open the conversation (else the customer) ·
  y sync with the calendar (config [sync]).
Every title and name is user text: shown literally. Every storage call runs off the UI
thread through tui.dbwork (``read_db`` for the lists, ``run_db`` for changes).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import ScreenResume
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from storage.records import lookups
from storage.reporting import agenda
from storage.reporting.agenda import Entry
from tui.agenda_bookings import AgendaBookings
from tui.dbwork import read_db, tell
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.paged_table import visible_text

if TYPE_CHECKING:
    from tui.app import RapportApp

ONE_DAY = dt.timedelta(days=1)
AGAIN = "Press home to try again."  # (home reads today's period again)
# Fixed widths that fit 80 columns with the cell padding; longer text is cut (the line
# under the table shows the highlighted item whole).
COLUMNS = (("Day", 9), ("Time", 11), ("What", 22), ("Customer", 17), ("Who/where", 9))


class AgendaScreen(StyledScreen, AgendaBookings, Screen):
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Agenda"
    PALETTE_PREFIX = "Agenda"
    BINDINGS = [
        Binding("left", "step(-1)", "−day", id="agenda.previous_day", priority=True, tooltip="A day back"),
        Binding("right", "step(1)", "+day", id="agenda.next_day", priority=True, tooltip="A day on"),
        Binding(
            "pageup", "step(-7)", "−week", id="agenda.previous_week", priority=True, show=False, tooltip="A week back"
        ),
        Binding("pagedown", "step(7)", "+week", id="agenda.next_week", priority=True, show=False, tooltip="A week on"),
        Binding("home", "today", "Today", id="agenda.today", show=False, priority=True, tooltip="Jump to today"),
        Binding("g", "go", "Go to", id="agenda.go", show=False, tooltip="Go to a date"),
        Binding("d", "toggle_view", "Day/week", id="agenda.view", tooltip="Day or week view"),
        Binding("v", "whose", "Whose", id="agenda.whose", show=False, tooltip="Show me, everyone or one employee"),
        Binding("n", "new", "New", id="agenda.new", tooltip="New booking"),
        Binding("e", "edit", "Edit", id="agenda.edit", tooltip="Edit the booking"),
        Binding("m", "move", "Move", id="agenda.move", tooltip="Move the booking"),
        Binding("c", "cancel_booking", "Cancel", id="agenda.cancel", tooltip="Cancel the booking"),
        Binding("u", "undo", "Undo", id="agenda.undo", tooltip="Undo the last move or cancel"),
        Binding("y", "sync", "Sync", id="agenda.sync", tooltip="Sync with the calendar"),
    ]

    def __init__(self) -> None:
        super().__init__()
        # The day in view (its week in week view): None only until on_mount sets it.
        self.day: dt.date = None  # type: ignore[assignment]
        self.week = True
        self.whose = "me"  # "me", "everyone" or a login
        self.rows: dict[str, Entry] = {}
        self._undo = None  # (tui.agenda_bookings)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="agenda-summary", markup=False)
        table: DataTable = DataTable(id="agenda-table", cursor_type="row", zebra_stripes=False)
        for label, width in COLUMNS:
            table.add_column(label, width=width)
        yield table
        yield Static("", id="agenda-detail", markup=False)
        yield Static("y syncs with the calendar", id="agenda-sync", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.day = self.app.ctx.today()
        self.table.focus()
        self.load()

    @on(ScreenResume)
    def _resumed(self) -> None:
        if self.day is not None:
            self.load(self.current_key())

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    # -- storage (on tui.dbwork's database threads) -------------------------------------------
    @staticmethod
    def _db_entries(ctx, whose: str, first: dt.date, last: dt.date, zone_name: str) -> list[Entry]:
        if whose == "everyone":
            employee_id = None
        elif whose == "me":
            employee_id = ctx.employee().id
        else:
            employee = lookups.employee_by_login(whose)
            employee_id = employee.id if employee else 0
        return agenda.entries(first, last, employee_id, zone_name)

    # -- the view ---------------------------------------------------------------------------
    def period(self) -> tuple[dt.date, dt.date]:
        return agenda.week_of(self.day) if self.week else (self.day, self.day)

    def load(self, keep_key: str | None = None) -> None:
        """Read the period in view, then show it (keeping the cursor on ``keep_key``)."""
        first, last = self.period()
        ctx = self.app.ctx
        read_db(
            self,
            self._db_entries,
            ctx,
            self.whose,
            first,
            last,
            ctx.timezone(),
            done=lambda found: self._show(found, first, last, keep_key),
            failed=tell(self, "Agenda not shown", AGAIN),
        )

    def _show(self, found: list[Entry], first: dt.date, last: dt.date, keep_key: str | None) -> None:
        table = self.table
        table.clear()
        self.rows = {}
        by_day: dict[dt.date, list[Entry]] = {}
        for entry in found:
            by_day.setdefault(entry.day, []).append(entry)
        day = first
        while day <= last:
            entries = by_day.get(day, [])
            label = Text(f"{day:%a %m-%d}", style="bold" if day == self.app.ctx.today() else "")
            if not entries:
                table.add_row(label, "", Text("—", style="dim"), "", "", key=f"day:{day.isoformat()}")
            for index, entry in enumerate(entries):
                self.rows[entry.key] = entry
                table.add_row(
                    label if index == 0 else "",
                    self._time(entry),
                    *(Text(visible_text(value)) for value in (entry.title, entry.customer, self._where(entry))),
                    key=entry.key,
                )
            day += ONE_DAY
        self._summary(found, first, last)
        if keep_key is None or not self.select_key(keep_key):
            self._select_day(self.day)
        self._show_detail()

    @staticmethod
    def _time(entry: Entry) -> str:
        if entry.kind == "follow-up":
            return "follow-up"
        return f"{entry.start:%H:%M}–{entry.end:%H:%M}"

    def _where(self, entry: Entry) -> str:
        parts = [entry.employee] if self.whose != "me" else []
        if entry.location:
            parts.append(entry.location)
        return " · ".join(parts)

    def _summary(self, found: list[Entry], first: dt.date, last: dt.date) -> None:
        who = {"me": f"me ({self.app.ctx.login})", "everyone": "everyone"}.get(self.whose, self.whose)
        booked = sum(1 for e in found if e.kind == "booking")
        span = f"{first:%a %Y-%m-%d}" if first == last else f"{first:%a %Y-%m-%d} – {last:%a %m-%d}"
        view = "Week" if self.week else "Day"
        self.query_one("#agenda-summary", Static).update(
            f"{view} {span} · {who} · {booked} bookings · {len(found) - booked} follow-ups"
        )

    def select_key(self, key: str) -> bool:
        try:
            index = self.table.get_row_index(key)
        except Exception:  # the row is not in this view any more
            return False
        self.table.move_cursor(row=index)
        return True

    def _select_day(self, day: dt.date) -> None:
        for entry in self.rows.values():
            if entry.day == day:
                self.select_key(entry.key)
                return
        self.select_key(f"day:{day.isoformat()}")

    def current_key(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return key.value

    def current(self) -> Entry | None:
        key = self.current_key()
        return self.rows.get(key) if key else None

    def _current_day(self) -> dt.date:
        key = self.current_key() or ""
        entry = self.rows.get(key)
        if entry is not None:
            return entry.day
        if key.startswith("day:"):
            return dt.date.fromisoformat(key[4:])
        return self.day

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        entry = self.current()
        detail = self.query_one("#agenda-detail", Static)
        if entry is None:
            detail.update(f"{self._current_day():%A %Y-%m-%d}: nothing booked · n books for a follow-up's customer")
            return
        parts = [entry.title, entry.customer]
        if entry.kind == "booking":
            parts.insert(0, f"{entry.start:%a %Y-%m-%d %H:%M}–{entry.end:%H:%M}")
            if entry.location:
                parts.append(entry.location)
        else:
            parts.insert(0, f"{entry.day:%a %Y-%m-%d} (follow-up)")
        parts.append(entry.employee)
        detail.update(visible_text(" · ".join(parts)))

    # -- moving around ----------------------------------------------------------------------
    def action_step(self, days: int) -> None:
        self.day += dt.timedelta(days=days)
        self.load()

    def action_today(self) -> None:
        self.day = self.app.ctx.today()
        self.load()

    def action_toggle_view(self) -> None:
        self.day = self._current_day()
        self.week = not self.week
        self.load(self.current_key())

    def action_go(self) -> None:
        from screens.date_prompt import DatePrompt

        def chosen(day: dt.date | None) -> None:
            if day is not None:
                self.day = day
                self.load()

        self.app.push_screen(DatePrompt("Go to", initial=self.day, today=self.app.ctx.today()), chosen)

    def action_whose(self) -> None:
        from screens.employee_picker import EVERYONE, ME, EmployeePicker

        current = {"me": ME, "everyone": EVERYONE}.get(self.whose, self.whose)

        def picked(choice: str | None) -> None:
            if choice is not None:
                self.whose = {ME: "me", EVERYONE: "everyone"}.get(choice, choice)
                self.load()

        self.app.push_screen(EmployeePicker(current, self.app.ctx.employee().login), picked)

    # -- opening and syncing --------------------------------------------------------------------
    @on(DataTable.RowSelected)
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        entry = self.current()
        if entry is None:
            return
        key = entry.key
        if entry.conversation_id is not None:
            from screens.conversation_form import open_conversation_form

            open_conversation_form(self, "edit", entry.conversation_id, lambda _saved: self.load(key))
        else:
            from screens.customer_form import open_customer

            open_customer(self, entry.customer_id, tab="tab-conversations")

    def action_sync(self) -> None:
        from tui.sync_action import sync_now

        def done(summary) -> None:
            self.query_one("#agenda-sync", Static).update(summary.short())
            self.offer_undo_of_sync(summary.cancelled_ids)
            self.load(self.current_key())

        sync_now(self, done)

"""Statistics (F4): follow-ups per employee for a period, with totals (docs/reports.md).

Keys: m this month · l last month · y this year · p a custom period (From/To prompt) ·
arrows choose a number, enter lists the conversations behind it (screens/statistics_items.py;
enter there opens one in its customer).
The figures come from ``storage.reporting.reports.statistics``, the same function behind
``rapport stats``, so screen and command line agree. Only days up to today count: a period
that ends later is counted up to today, and the heading says so. Refreshed whenever the
screen comes back to the front.
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

from screens.statistics_items import StatisticsItems
from storage.reporting import reports
from storage.reporting.statistics_items import statistics_items
from tui.dbwork import read_db, read_to_open, tell
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer

if TYPE_CHECKING:
    from tui.app import RapportApp

COLUMNS = ("Employee", "Logged", "Sched.", "Due", "Done", "On time", "Overdue", "Moved", "Rate %")
LEGEND = (
    "Logged: dated in the period · Sched.: of those, with a follow-up date · Due:\n"
    "follow-up in the period · Done: of those, completed · On time: done by the date\n"
    "first promised · Overdue: open, date passed · Moved: snoozed or rescheduled"
)
# The column behind each figure (the rate lists the on-time ones, its numerator).
FIGURE_OF = {
    "Logged": "logged",
    "Sched.": "scheduled",
    "Due": "due",
    "Done": "done",
    "On time": "on_time",
    "Overdue": "open_overdue",
    "Moved": "moved",
    "Rate %": "on_time",
}
PERIODS = {
    "month": ("This month", reports.month_period),
    "last_month": ("Last month", reports.last_month_period),
    "year": ("This year", reports.year_period),
}


def cells(row: reports.EmployeeStats, name: str, style: str = "") -> list[Text]:
    rate = "–" if row.on_time_rate is None else f"{row.on_time_rate:.1f}"
    numbers = (row.logged, row.scheduled, row.due, row.done, row.on_time, row.open_overdue, row.moved)
    return [
        Text(name, style=style),
        *(Text(str(n), style=style, justify="right") for n in numbers),
        Text(rate, style=style, justify="right"),
    ]


class StatisticsScreen(StyledScreen, Screen):
    app: RapportApp
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Statistics"
    PALETTE_PREFIX = "Statistics"
    BINDINGS = [
        Binding("m", "period('month')", "This month", id="statistics.this_month"),
        Binding("l", "period('last_month')", "Last month", id="statistics.last_month"),
        Binding("y", "period('year')", "This year", id="statistics.this_year"),
        Binding("p", "custom_period", "Period…", id="statistics.custom", tooltip="Choose a period (from, to)"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.period = "month"  # a key of PERIODS, or "custom"
        self.custom: tuple[dt.date, dt.date] | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="statistics-period", markup=False)
        yield DataTable(cursor_type="cell", zebra_stripes=False, id="statistics-table")
        yield Static(LEGEND, id="statistics-legend", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        for title in COLUMNS:
            table.add_column(Text(title, justify="left" if title == "Employee" else "right"), key=title)
        table.focus()

    @on(ScreenResume)
    def _resumed(self) -> None:
        self.load()  # (also the first fill: ScreenResume follows the mount)

    def _dates(self, today: dt.date) -> tuple[str, dt.date, dt.date]:
        if self.period == "custom" and self.custom:
            return "Period", *self.custom
        label, period = PERIODS[self.period]
        return label, *period(today)

    def load(self) -> None:
        """Count on the reader thread (tui.dbwork): the screen shows at once, the figures
        follow."""
        today = self.app.ctx.today()
        label, date_from, date_to = self._dates(today)
        read_db(
            self,
            reports.statistics,
            today,
            date_from,
            date_to,
            done=lambda stats: self._show(stats, label, today, date_from, date_to),
            failed=tell(self, "Not counted", "Press m, l or y to try again."),
            busy="Counting…",
        )

    def _show(self, stats, label: str, today: dt.date, date_from: dt.date, date_to: dt.date) -> None:
        heading = f"{label}: {date_from.isoformat()} to {date_to.isoformat()}"
        if stats.counted_to < date_to:
            heading += (
                f" (counted up to today, {stats.counted_to.isoformat()})"
                if date_from <= today
                else " (after today: nothing counts yet)"
            )
        self.query_one("#statistics-period", Static).update(heading)
        table = self.query_one(DataTable)
        cursor, column = table.cursor_row, table.cursor_column
        table.clear()
        # Totals first, so they stay in sight however many employees follow.
        table.add_row(*cells(stats.total, "Total", "bold"), key="total")
        for row in stats.employees:
            table.add_row(*cells(row, row.employee[:20]), key=f"employee:{row.employee}")
        table.move_cursor(row=min(cursor, table.row_count - 1), column=column)

    # -- drill-down: the conversations behind a number ---------------------------------------
    @on(DataTable.CellSelected, "#statistics-table")
    def _cell_chosen(self, event: DataTable.CellSelected) -> None:
        event.stop()
        row_key, column_key = event.cell_key.row_key.value, event.cell_key.column_key.value
        figure = FIGURE_OF.get(column_key)  # type: ignore[arg-type]  # every column has a key
        if figure is None:
            self.notify("Choose a number (arrows), then enter lists what it counts.", markup=False)
            return
        login = None if row_key == "total" else row_key.removeprefix("employee:")  # type: ignore[union-attr]  # and every row
        today = self.app.ctx.today()
        label, date_from, date_to = self._dates(today)
        title = f"{column_key} · {login or 'everyone'} · {date_from} to {date_to}"
        read_to_open(  # the keys typed meanwhile (escape, arrows) go to the list it opens
            self,
            statistics_items,
            figure,
            today,
            date_from,
            date_to,
            login,
            done=lambda items: self.app.push_screen(StatisticsItems(title, items)),
            failed=tell(self, "Not listed"),
        )

    def action_period(self, period: str) -> None:
        self.period = period
        self.load()

    def action_custom_period(self) -> None:
        from screens.period_prompt import PeriodPrompt

        today = self.app.ctx.today()
        _, start, end = self._dates(today)

        def chosen(period: tuple[dt.date, dt.date] | None) -> None:
            if period is not None:
                self.period, self.custom = "custom", period
                self.load()

        self.app.push_screen(PeriodPrompt(start, end, today=today), chosen)

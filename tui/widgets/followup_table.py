"""FollowupTable: the daily report as one paged list, overdue, today and upcoming, each
section under a title row.

``FollowupSource`` is a PagedTable source: it counts the three sections with one query
(``storage.reporting.reports.section_counts``) and fetches only the rows on screen, section by section
(``reports.due``/``due_today``/``upcoming`` with limit and offset), so a list of any length
costs a page at a time. Title rows have negative ids; the cursor steps over them.

After them, "Losing touch" (docs/reports.md): customers past their cadence, whoever's list this is
(``storage.reporting.losing_touch``; read whole: only customers with a cadence are looked at). Their
rows have ids ``losing_row_id(customer id)`` (≤ -10), and ``customer_of`` names the customer
behind any row, so "log a conversation" works on both kinds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.reporting import reports
from storage.reporting.losing_touch import LosingTouch, losing_touch
from storage.reporting.reports import FollowUpItem
from tui import dates
from tui.widgets.paged_table import Column, PagedTable, Row, once_counted

SECTIONS = (
    ("overdue", "Overdue", ""),
    ("today", "Today", ""),
    ("upcoming", "Upcoming", f"next {reports.UPCOMING_DAYS} days"),
    ("losing", "Cadence", "losing touch · l: log a conversation"),
)
_LOSING_BASE = 10  # losing-touch rows: ids -(10 + customer id); titles are -1 to -4


def losing_row_id(customer_id: int) -> int:
    return -(_LOSING_BASE + customer_id)


def losing_customer_id(row_id: int | None) -> int | None:
    """The customer behind a losing-touch row id, else None."""
    if row_id is None or row_id > -_LOSING_BASE:
        return None
    return -row_id - _LOSING_BASE


def when(days_overdue: int) -> str:
    """'3d late', 'today' or 'in 2d'."""
    if days_overdue > 0:
        return f"{days_overdue}d late"
    return "today" if days_overdue == 0 else f"in {-days_overdue}d"


def columns(show_employee: bool) -> list[Column]:
    if show_employee:
        return [
            Column("When", 10),
            Column("Follow-up", 10),
            Column("Customer", 20),
            Column("Employee", 8),
            Column("About", 10),
            Column("Note", 14, flex=True),
        ]
    return [
        Column("When", 10),
        Column("Follow-up", 10),
        Column("Customer", 22),
        Column("About", 10),
        Column("With whom", 12),
        Column("Note", 8, flex=True),
    ]


@dataclass(frozen=True)
class _Section:
    key: str
    title: str
    note: str
    start: int  # index of its title row
    size: int  # items under it


class FollowupSource:
    """Overdue, today and upcoming open follow-ups for one login (None: everyone)."""

    def __init__(self, today: dt.date, login: str | None, show_employee: bool) -> None:
        self.today = today
        self.login = login
        self.show_employee = show_employee
        self.counts = reports.SectionCounts(0, 0, 0)
        self._sections: list[_Section] = []
        self.losing: list[LosingTouch] = []

    def count(self) -> int:
        self.counts = reports.section_counts(self.today, self.login)
        self.losing = losing_touch(self.today)
        self._sections, start = [], 0
        for key, title, note in SECTIONS:
            size = len(self.losing) if key == "losing" else getattr(self.counts, key)
            self._sections.append(_Section(key, title, note, start, size))
            start += size + 1
        return start

    def is_title(self, index: int) -> bool:
        return any(section.start == index for section in self._sections)

    def losing_row(self, row_id: int | None) -> LosingTouch | None:
        customer_id = losing_customer_id(row_id)
        return next((row for row in self.losing if row.customer_id == customer_id), None)

    def fetch(self, offset: int, limit: int) -> list[Row]:
        rows: list[Row] = []
        end = offset + limit
        for number, section in enumerate(self._sections, start=1):
            if offset <= section.start < end:
                rows.append(self._title_row(number, section))
            first = max(offset, section.start + 1) - section.start - 1
            last = min(end, section.start + 1 + section.size) - section.start - 1
            if last > first:
                for item in self._fetch_section(section.key, first, last - first):
                    if isinstance(item, LosingTouch):
                        rows.append(self._losing_row(item))
                        continue
                    rows.append(self._item_row(item))
        return rows

    def _fetch_section(self, key: str, offset: int, limit: int) -> list[FollowUpItem] | list[LosingTouch]:
        if key == "losing":
            return self.losing[offset : offset + limit]
        if key == "overdue":
            return reports.due(self.today, self.login, overdue_only=True, limit=limit, offset=offset)
        if key == "today":
            return reports.due_today(self.today, self.login, limit=limit, offset=offset)
        return reports.upcoming(self.today, self.login, limit=limit, offset=offset)

    @staticmethod
    def _title_row(number: int, section: _Section) -> Row:
        return Row(-number, (section.title, str(section.size or "none"), section.note), "bold")

    def _item_row(self, item: FollowUpItem) -> Row:
        who = (item.employee,) if self.show_employee else ()
        tail = (item.note,) if self.show_employee else (item.with_whom, item.note)
        cells = (when(item.days_overdue), dates.show(item.follow_up), item.customer, *who, item.about, *tail)
        return Row(item.id, cells, "warning" if item.days_overdue > 0 else "", data=item)

    def _losing_row(self, row: LosingTouch) -> Row:
        touch_by = self.today - dt.timedelta(days=row.days_overdue)  # when it was time to call
        last = row.last_conversation.isoformat() if row.last_conversation else "never"
        who = ("",) if self.show_employee else ()
        tail = (f"last: {last}",) if self.show_employee else (last, "last conversation")
        cells = (when(row.days_overdue), touch_by.isoformat(), row.customer, *who, f"every {row.cadence_days}d", *tail)
        return Row(losing_row_id(row.customer_id), cells, "warning")


class FollowupTable(PagedTable):
    """A PagedTable whose cursor never rests on a section title while there are items."""

    def _title(self, index: int) -> bool:
        is_title = getattr(self.source, "is_title", None)
        return bool(is_title and is_title(index))

    def item_index(self, index: int, step: int = 1) -> int:
        """The nearest item row from ``index`` in direction ``step``, else the other way;
        ``index`` itself when the list holds no items."""
        count = self.row_count
        index = max(0, min(index, count - 1))
        for direction in (step, -step):
            probe = index
            while 0 <= probe < count and self._title(probe):
                probe += direction
            if 0 <= probe < count:
                return probe
        return index

    def snap(self, index: int | None = None, step: int = 1) -> None:
        """Move the cursor to an item at or after ``index`` (default: where it is)."""
        self.cursor = self.item_index(self.cursor if index is None else index, step)

    @once_counted
    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.snap(self.cursor - 1, -1)

    @once_counted
    def action_cursor_down(self) -> None:
        if self.cursor < self.row_count - 1:
            self.snap(self.cursor + 1, 1)

    @once_counted
    def action_page_up(self) -> None:
        self.snap(self.cursor - self._page_height(), -1)

    @once_counted
    def action_page_down(self) -> None:
        self.snap(self.cursor + self._page_height(), 1)

    @once_counted
    def action_first(self) -> None:
        self.snap(0, 1)

    @once_counted
    def action_last(self) -> None:
        self.snap(self.row_count - 1, -1)

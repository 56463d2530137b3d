"""RowCache: the rows of a long list that a PagedTable holds, a few windows of them at a time.

A window is a run of consecutive rows fetched in one call to the source (three pages: the page
asked for and one either side; two at the top of the list). The cache keeps the few most recently used windows, so jumping
between the two ends of a list (home, end, home ...) or back to where the cursor was costs no
query after the first visit; anything else costs one fetch of one window. ``recount()`` drops
every window (the list may have changed).

No Textual here: the table turns ``DatabaseUnavailable`` from the source into a message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui.widgets.paged_table import Row, RowSource

WINDOWS = 3  # the windows kept; at three pages each, at most 9 pages of rows in memory


class RowCache:
    def __init__(self, source: RowSource) -> None:
        self.source = source
        self.count = 0
        self._windows: list[tuple[int, list[Row]]] = []  # (first index, rows), most recent first

    def recount(self) -> int:
        """Ask the source how many rows it has now, and forget every fetched row."""
        self.count = max(0, int(self.source.count()))
        self._windows = []
        return self.count

    def ensure(self, first: int, page: int) -> None:
        """Make sure rows ``first`` .. ``first + page - 1`` are held; fetch a window if not."""
        last = min(first + page, self.count)
        for i, (start, rows) in enumerate(self._windows):
            if start <= first and last <= start + len(rows):
                if i:
                    self._windows.insert(0, self._windows.pop(i))
                return
        start = max(0, min(first, self.count - page) - page)
        rows = list(self.source.fetch(start, first + 2 * page - start))
        self._windows = [(start, rows)] + self._windows[: WINDOWS - 1]

    def get(self, index: int, page: int) -> Row | None:
        """Row ``index``, fetching a window centred on it when no window holds it."""
        if not 0 <= index < self.count:
            return None
        row = self._held(index)
        if row is None:
            self.ensure(max(0, index - page // 2), page)
            row = self._held(index)
        return row

    def _held(self, index: int) -> Row | None:
        for start, rows in self._windows:
            if start <= index < start + len(rows):
                return rows[index - start]
        return None

    def find(self, row_id: int) -> int | None:
        """The index of record ``row_id`` if a held window has it."""
        for start, rows in self._windows:
            for offset, row in enumerate(rows):
                if row.id == row_id:
                    return start + offset
        return None

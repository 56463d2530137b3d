"""RowCache: the rows of a long list that a PagedTable holds, a few windows of them at a time.

A window is a run of consecutive rows fetched in one call to the source (three pages: the page
asked for and one either side; two at the top of the list). The cache keeps the few most recently used windows, so jumping
between the two ends of a list (home, end, home ...) or back to where the cursor was costs no
query after the first visit; anything else costs one fetch of one window. ``recount()`` drops
every window (the list may have changed).

The table never fetches on the UI thread: it asks ``missing(first, page)`` for the window to
fetch, fetches it on the database reader (tui.dbwork) and ``store``s it; ``RowCache.load``
(a fresh count and the first window, run there too) starts a list over. ``ensure`` and ``get``
fetch at once (tests, and callers already off the UI thread).

No Textual here: the table turns a source's ``RapportError`` into a message.
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

    @classmethod
    def load(cls, source: RowSource, page: int, index: int, keep: int | None = None) -> tuple[RowCache, int]:
        """A fresh count of ``source`` and the window around row ``index`` (negative: from the
        end); around record ``keep`` instead when it is found (in that window, else through
        the source's ``index_of``). Returns the cache and the index the cursor belongs on."""
        rows = cls(source)
        rows.recount()
        if index < 0:
            index += rows.count
        index = max(0, min(index, rows.count - 1))
        rows.get(index, page)
        if keep is not None:
            found = rows.find(keep)
            index_of = getattr(source, "index_of", None)
            if found is None and index_of is not None:
                found = index_of(keep)
                if found is not None and 0 <= found < rows.count:
                    rows.get(found, page)
                else:
                    found = None
            if found is not None:
                index = found
        return rows, index

    @staticmethod
    def around(index: int, page: int) -> int:
        """The first row of a page centred on row ``index``."""
        return max(0, index - page // 2)

    def missing(self, first: int, page: int) -> tuple[int, int] | None:
        """``(offset, limit)`` of the window to fetch so that rows ``first`` ..
        ``first + page - 1`` are held; None when they are (it becomes the most recent)."""
        last = min(first + page, self.count)
        for i, (start, rows) in enumerate(self._windows):
            if start <= first and last <= start + len(rows):
                if i:
                    self._windows.insert(0, self._windows.pop(i))
                return None
        start = max(0, min(first, self.count - page) - page)
        return start, first + 2 * page - start

    def store(self, start: int, rows: list[Row]) -> None:
        """Hold the window of ``rows`` fetched from ``start`` (the oldest window goes)."""
        self._windows = [(start, list(rows))] + self._windows[: WINDOWS - 1]

    def ensure(self, first: int, page: int) -> None:
        """Make sure rows ``first`` .. ``first + page - 1`` are held; fetch a window now if not."""
        window = self.missing(first, page)
        if window is not None:
            self.store(window[0], self.source.fetch(*window))

    def get(self, index: int, page: int) -> Row | None:
        """Row ``index``, fetching a window centred on it now when no window holds it."""
        if not 0 <= index < self.count:
            return None
        row = self.held(index)
        if row is None:
            self.ensure(self.around(index, page), page)
            row = self.held(index)
        return row

    def held(self, index: int) -> Row | None:
        """Row ``index`` if a held window has it (never fetches)."""
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

"""PagedTable: a virtual table fed page by page from SQL, for lists of any length.

Textual's DataTable holds every row and renders each cell as a Rich renderable (about 80 µs a
cell, 12.8 s to first paint 100,000 rows). PagedTable holds only a small window of rows around
the viewport and draws each visible line itself through the Line API (``render_line``), so a
keypress costs one small fetch at most, whatever the length of the list (docs/performance.md).
That fetch never runs on the UI thread: rows already held show at once; a missing window is
fetched on a database reader (``tui.dbwork.read_rows``) while its rows show as "…", and drawn
when it arrives, the cursor still on its row. A busy or lost database is one notice, and the
next key or refresh tries again.

The interface
-------------
A *source* is any object with two methods (see ``RowSource``)::

    count() -> int                              # how many rows the list has now
    fetch(offset: int, limit: int) -> list[Row] # rows offset .. offset+limit-1, in order

and optionally ``index_of(row_id) -> int | None`` (the row's position in the list), used to put
the cursor back on the same record after ``reload()`` when it moved far away. All three run
on the database reader thread, unless the source says ``in_memory = True`` (rows already
fetched, e.g. ``ListSource``): then they run at once.

A ``Row`` is ``Row(id, cells, style="")``: ``id`` is the record's primary key, ``cells`` a tuple
of plain strings (one per column, shown literally: no markup, control characters made visible),
``style`` an optional highlight, one of ``"dim"`` (e.g. completed), ``"warning"`` (overdue) or
``"bold"``, and ``data`` optionally the record itself (``table.cursor_row.data``: what the
highlighted row shows, without another query). Columns are ``Column(title, width, flex=False)``; the one ``flex`` column takes the
width left over by the others (at least its own ``width``).

    table = PagedTable([Column("No.", 8), Column("Name", 20, flex=True)], source, id="customers")
    table.set_source(other_source)   # e.g. a new search: cursor back to the first row
    table.reload()                   # refetch (after a save, or to see what others saved);
                                     # the cursor stays on the same record where possible
    table.reload(new_source)         # the same, reading from another source
    table.reload(select=42, then=f)  # the cursor on record 42; f() once the rows are shown
    table.cursor_row_id              # id of the highlighted row, or None when empty (or
                                     # while its rows are on their way)
    table.select_row_id(42)          # move the cursor to a record (needs index_of, or a
                                     # record inside the cached window)

``set_source`` and ``reload`` return at once; the rows follow (``then``, and RowHighlighted).

Keys: up/down, pageup/pagedown, home/end move the cursor; enter selects. Messages (nested, so
handlers read ``on_paged_table_row_highlighted``): ``PagedTable.RowHighlighted(table, row_id)``
whenever the cursor lands on another record, ``PagedTable.RowSelected(table, row_id)`` on enter.
A click on a row moves the cursor there; a second click on it selects it.

Styling: component classes ``paged-table--header``, ``--cursor``, ``--dim``, ``--warning``,
``--bold`` and ``--empty``, using theme variables only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from storage.errors import RapportError
from tui.dbwork import read_rows
from tui.widgets.row_cache import RowCache


@dataclass(frozen=True)
class Row:
    id: int
    cells: tuple[str, ...]
    style: str = ""  # "", "dim", "warning" or "bold"
    data: Any = field(default=None, compare=False)  # the source's record, for its owner


# What ``PagedTable.reload_read``'s function read: the source it read and ``RowCache.load``'s answer.
ReadRows = tuple["RowSource", tuple[RowCache, int]]


@dataclass(frozen=True)
class Column:
    title: str
    width: int
    flex: bool = False


@runtime_checkable
class RowSource(Protocol):
    def count(self) -> int: ...

    def fetch(self, offset: int, limit: int) -> list[Row]: ...


class EmptySource:
    """A source with no rows (the table's default)."""

    in_memory = True

    def count(self) -> int:
        return 0

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return []


# C0 controls become their Unicode "control pictures" (ESC shows as ␛), DEL as ␡, C1 as �;
# tabs and line breaks become spaces, so one row stays one line.
_VISIBLE = {i: chr(0x2400 + i) for i in range(32)}
_VISIBLE.update({9: " ", 10: " ", 13: " ", 0x7F: "\u2421"})
_VISIBLE.update({i: "\ufffd" for i in range(0x80, 0xA0)})
# Direction controls (bidi embeddings, overrides, isolates and marks) would let one name look
# like another ("\u202eexe.txt"): shown by name, e.g. ‹RLO›. (The zero-width joiner of emoji
# sequences is not one of them.)
BIDI_NAMES = {
    0x061C: "ALM",
    0x200E: "LRM",
    0x200F: "RLM",
    0x202A: "LRE",
    0x202B: "RLE",
    0x202C: "PDF",
    0x202D: "LRO",
    0x202E: "RLO",
    0x2066: "LRI",
    0x2067: "RLI",
    0x2068: "FSI",
    0x2069: "PDI",
}
_VISIBLE.update({code: f"\u2039{name}\u203a" for code, name in BIDI_NAMES.items()})


PENDING = "…"  # a row on its way from the database


def visible_text(value: str) -> str:
    """``value`` with control and direction characters replaced by visible ones (never sent
    raw)."""
    return value.translate(_VISIBLE)


def fit(value: str, width: int) -> str:
    """``value`` cut or padded to exactly ``width`` cells; a cut ends in an ellipsis."""
    if width <= 0:
        return ""
    if cell_len(value) > width:
        return set_cell_size(value, width - 1) + "…"
    return set_cell_size(value, width)


def once_counted(action: Callable) -> Callable:
    """For a table's key (a cursor move, enter): pressed before the rows were first counted
    (they are on their way from the database), it is done once they are, in order."""

    @functools.wraps(action)
    def run(self, *args) -> None:
        if self._known:
            action(self, *args)
        else:
            self._early.append(lambda: action(self, *args))

    return run


class PagedTable(ScrollView, can_focus=True):
    """A table that shows a window of a long list fetched page by page from a source."""

    BINDINGS = [
        Binding("up", "cursor_up", "Up", id="paged_table.up", show=False),
        Binding("down", "cursor_down", "Down", id="paged_table.down", show=False),
        Binding("pageup", "page_up", "Page up", id="paged_table.page_up", show=False),
        Binding("pagedown", "page_down", "Page down", id="paged_table.page_down", show=False),
        Binding("home", "first", "First", id="paged_table.first", show=False),
        Binding("end", "last", "Last", id="paged_table.last", show=False),
        Binding("enter", "select", "Open", id="paged_table.select"),
    ]
    COMPONENT_CLASSES = {
        "paged-table--header",
        "paged-table--cursor",
        "paged-table--dim",
        "paged-table--warning",
        "paged-table--bold",
        "paged-table--empty",
    }
    DEFAULT_CSS = """
    PagedTable {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-size-vertical: 1;
        background: $surface;
        & > .paged-table--header { text-style: bold; background: $panel; }
        & > .paged-table--cursor { text-style: reverse; }
        &:focus > .paged-table--cursor { text-style: reverse bold; }
        & > .paged-table--dim { color: $text-muted; }
        & > .paged-table--warning { color: $warning; }
        & > .paged-table--bold { text-style: bold; }
        & > .paged-table--empty { color: $text-muted; text-style: italic; }
    }
    """

    cursor = reactive(0, layout=False, repaint=False, init=False)
    START = 0  # the row the cursor starts on when the table is mounted (-1: the last)

    class RowHighlighted(Message):
        """The cursor moved onto another record (``row_id`` None: the list is empty)."""

        def __init__(self, table: PagedTable, row_id: int | None) -> None:
            super().__init__()
            self.table = table
            self.row_id = row_id

        @property
        def control(self) -> PagedTable:
            return self.table

    class RowSelected(Message):
        """Enter (or a second click) on a record."""

        def __init__(self, table: PagedTable, row_id: int) -> None:
            super().__init__()
            self.table = table
            self.row_id = row_id

        @property
        def control(self) -> PagedTable:
            return self.table

    def __init__(
        self,
        columns: Sequence[Column],
        source: RowSource | None = None,
        *,
        empty_text: str = "Nothing to show.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns = list(columns)
        self.empty_text = empty_text
        self._source: RowSource = source or EmptySource()
        self._rows = RowCache(self._source)
        self._generation = 0  # of the list shown: answers for an older one are dropped
        self._fetching: set[tuple[int, int]] = set()  # windows on their way
        self._heading: int | None = None  # the record a load on its way puts the cursor on
        self._known = False  # whether the rows were counted yet
        self._early: list[Callable[[], Any]] = []  # keys pressed before that (once_counted)
        self._loading = False  # whether a load is on its way
        self._then: list[Callable[[], Any]] = []  # to call once it has
        self._highlighted_id: int | None = None
        self._counted = False
        # What drawing a line needs, worked out once: each row's text at the current width
        # (keyed by row id, checked against the Row object, which a refetch replaces), and
        # the styles (Textual computes a widget's style by walking up its ancestors).
        self._texts: dict[int, tuple[Row, int, str]] = {}
        self._styles: dict[tuple[str, bool], Style] = {}

    @property
    def columns(self) -> list[Column]:
        return self._columns

    @columns.setter
    def columns(self, columns: Sequence[Column]) -> None:
        self._columns = list(columns)
        self._texts.clear()
        self.refresh()

    # -- data ---------------------------------------------------------------------------
    @property
    def row_count(self) -> int:
        return self._rows.count

    @property
    def source(self) -> RowSource:
        return self._source

    @property
    def cursor_row_id(self) -> int | None:
        row = self.cursor_row
        return row.id if row else None

    @property
    def waiting(self) -> bool:
        """Whether rows are on their way from the database (a load, or a window shown as "…")."""
        return self._loading or bool(self._fetching)

    def when_shown(self, then: Callable[[], Any]) -> None:
        """``then()`` once the rows on their way (the first load too) are shown; at once when
        none are."""
        if self._loading or not self._counted:
            self._then.append(then)
        else:
            then()

    @property
    def cursor_row(self) -> Row | None:
        """The highlighted row as fetched (None when the list is empty, or while its rows
        are on their way)."""
        return self._row(self.cursor)

    def on_mount(self) -> None:
        if not self._counted:
            self._load(self.START)

    def set_source(self, source: RowSource, then: Callable[[], Any] | None = None) -> None:
        """Show another list (e.g. new search text): cursor and scroll back to the top.
        ``then()`` once its rows are shown."""
        self._source = source
        self.set_reactive(PagedTable.cursor, 0)
        self.scroll_to(y=0, animate=False, force=True)
        self._load(0, then=then)

    def reload(
        self,
        source: RowSource | None = None,
        *,
        select: int | None = None,
        index: int | None = None,
        then: Callable[[], Any] | None = None,
    ) -> None:
        """Refetch everything (from ``source`` when given); the cursor stays on the same
        record (on record ``select`` when given) where possible, else at ``index`` (default:
        where it is; negative counts from the end). ``then()`` once the rows are shown."""
        keep = next((k for k in (select, self._heading, self.cursor_row_id) if k is not None), None)
        if source is not None:
            self._source = source
        self._load(self.cursor if index is None else index, keep, then)

    def select_row_id(self, row_id: int) -> bool:
        """Move the cursor to the record ``row_id``: at once when its row is held (True), else
        once the list, reloaded, has found it (False)."""
        found = self._rows.find(row_id)
        if found is None:
            self.reload(select=row_id)
            return False
        self.cursor = found
        return True

    def _load(self, index: int, keep: int | None = None, then: Callable[[], Any] | None = None) -> None:
        """Count the rows and fetch the window at ``index`` (or record ``keep``'s) off the UI
        thread. A load asked for meanwhile replaces this one (it keeps the record this one
        was heading for, and runs its ``then`` too); rows of the list shown until now that are
        still on their way are dropped."""
        self._counted = True
        self._generation += 1
        self._fetching.clear()
        self._heading, self._loading = keep, True
        if then is not None:
            self._then.append(then)
        asked = self.cursor
        generation = self._generation

        def failed() -> None:  # what is shown stays; a refresh (or the next key's window) tries again
            if generation == self._generation:
                self._loading = False

        self._read(
            RowCache.load,
            self.source,
            self._page_height(),
            index,
            keep,
            done=lambda result: self._loaded(result, asked),
            failed=failed,
        )

    def _loaded(self, result: tuple[RowCache, int], asked: int) -> None:
        """Show a fresh count and window (``RowCache.load``'s ``result``), the cursor where it
        belongs, unless a key moved it away from ``asked`` meanwhile; then the ``then``s."""
        rows, cursor = result
        self._heading, self._loading, thens, self._then = None, False, self._then, []
        self._rows, self._known, early, self._early = rows, True, self._early, []
        self._unavailable = False
        self._texts.clear()
        self.virtual_size = Size(self.size.width, rows.count + 1)
        if self.cursor != asked:  # a key pressed meanwhile wins
            cursor = self.cursor
        self.set_reactive(PagedTable.cursor, self.validate_cursor(cursor))
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce()
        for call in early + thens:
            call()

    def reload_read(self) -> Callable[[int | None], ReadRows]:
        """The reading half of ``reload(select=...)``, for a caller that runs it on a database
        thread of its own choosing: right after a save, on the writer that saved
        (tui.dbwork.after_save), so the list is fresh before the form over it closes, with no
        second trip to a reader. Ask it on the UI thread; call what it returns off the UI
        thread with the record to select; hand that result to ``show_read``."""
        source, page, index = self._source, self._page_height(), self.cursor

        def read(select: int | None) -> ReadRows:
            return source, RowCache.load(source, page, index, select)

        return read

    def show_read(self, result: ReadRows, then: Callable[[], Any] | None = None) -> bool:
        """Show what ``reload_read``'s function read, as a reload's answer (True): newer than
        any load still on its way (a live refresh's), which is dropped. False, and nothing
        changes, when the table shows another source since (the caller reloads then)."""
        source, loaded = result
        if source is not self._source:
            return False
        self._counted = True
        self._generation += 1  # answers still on their way are older: dropped
        self._fetching.clear()
        if then is not None:
            self._then.append(then)
        self._loaded(loaded, self.cursor)
        return True

    def _read(self, fn: Callable, *args, done: Callable, failed: Callable[[], Any] | None = None) -> None:
        """``done(fn(*args))``: at once for a source held in memory (``in_memory``), else on
        the lists' database reader (tui.dbwork.read_rows), so a key never waits for the database. The answer
        for a list replaced meanwhile is dropped; an error is one notice (``failed()`` first)."""
        generation = self._generation

        def deliver(result) -> None:
            if generation == self._generation:
                done(result)

        def fail(error: RapportError) -> None:
            if failed is not None:
                failed()
            if generation == self._generation:
                self._database_unavailable(error)

        if getattr(self.source, "in_memory", False):
            try:
                result = fn(*args)
            except RapportError as error:
                fail(error)
                return
            deliver(result)
            return
        read_rows(self, fn, *args, done=deliver, failed=fail)

    def _page_height(self) -> int:
        height = self.scrollable_content_region.height
        if not height:  # not laid out yet: the terminal's height is near enough for a fetch
            height = self.app.size.height
        return max(1, height - 1)

    def _ensure_window(self, first: int) -> None:
        """Make sure rows first .. first+page are held or on their way: a missing window is
        fetched off the UI thread, then drawn (placeholder rows meanwhile)."""
        page = self._page_height()
        window = self._rows.missing(first, page)
        last = min(first + page, self.row_count)
        if window is None or any(start <= first and last <= start + limit for start, limit in self._fetching):
            return
        self._fetching.add(window)
        rows = self._rows

        def arrived(fetched: list[Row]) -> None:
            self._fetching.discard(window)
            rows.store(window[0], fetched)
            self.refresh()
            self._announce()

        self._read(self.source.fetch, *window, done=arrived, failed=lambda: self._fetching.discard(window))

    _unavailable = False

    def _database_unavailable(self, error: RapportError) -> None:
        """The database is locked past every retry or the server is gone: keep what is shown,
        say so once, and try again on the next key or refresh — never crash the app."""
        if not self._unavailable:
            self._unavailable = True
            self.notify(f"List not refreshed: {error}", severity="warning", markup=False)

    def _row(self, index: int) -> Row | None:
        """Row ``index`` if held; else None, and its window is fetched."""
        row = self._rows.held(index)
        if row is None and 0 <= index < self.row_count:
            self._ensure_window(RowCache.around(index, self._page_height()))
        return row

    # -- cursor -------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self._refresh_index(old)
        self._refresh_index(new)
        self._announce()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1)) if self.row_count else 0

    def _announce(self) -> None:
        row = self.cursor_row
        if row is None and self.row_count:
            return  # its rows are on their way: announced when they arrive
        row_id = row.id if row else None
        if row_id != self._highlighted_id:
            self._highlighted_id = row_id
            self.post_message(self.RowHighlighted(self, row_id))

    def _scroll_cursor_into_view(self) -> None:
        page = self._page_height()
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + page:
            self.scroll_to(y=self.cursor - page + 1, animate=False, force=True)

    def _refresh_index(self, index: int) -> None:
        y = index - round(self.scroll_y) + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    @once_counted
    def action_cursor_up(self) -> None:
        self.cursor -= 1

    @once_counted
    def action_cursor_down(self) -> None:
        self.cursor += 1

    @once_counted
    def action_page_up(self) -> None:
        self.cursor -= self._page_height()

    @once_counted
    def action_page_down(self) -> None:
        self.cursor += self._page_height()

    @once_counted
    def action_first(self) -> None:
        self.cursor = 0

    @once_counted
    def action_last(self) -> None:
        self.cursor = self.row_count - 1

    @once_counted
    def action_select(self) -> None:
        row_id = self.cursor_row_id
        if row_id is not None:
            self.post_message(self.RowSelected(self, row_id))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < self.row_count:
            if index == self.cursor and event.chain >= 2:
                self.action_select()
            self.cursor = index

    # -- drawing ------------------------------------------------------------------------
    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.row_count + 1)
        self._scroll_cursor_into_view()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles.clear()  # focus, theme or CSS changed

    def _widths(self, width: int) -> list[int]:
        widths = [c.width for c in self.columns]
        gaps = max(0, len(widths) - 1)
        spare = width - sum(widths) - gaps - 1  # one cell of left padding
        for i, column in enumerate(self.columns):
            if column.flex and spare > 0:
                widths[i] += spare
                break
        return widths

    def _line_text(self, cells: Sequence[str], width: int) -> str:
        parts = [fit(visible_text(cell), w) for cell, w in zip(cells, self._widths(width), strict=False)]
        return fit(" " + " ".join(parts), width)

    def _row_text(self, row: Row, width: int) -> str:
        known = self._texts.get(row.id)
        if known is not None and known[0] is row and known[1] == width:
            return known[2]
        if len(self._texts) > 2000:  # rows of windows long dropped
            self._texts.clear()
        text = self._line_text(row.cells, width)
        self._texts[row.id] = (row, width, text)
        return text

    def _style(self, kind: str = "", cursor: bool = False) -> Style:
        """The style of a line: ``kind`` a component (header, empty) or a row style."""
        key = (kind, cursor)
        style = self._styles.get(key)
        if style is None:
            style = self.rich_style
            if kind:
                style += self.get_component_rich_style(f"paged-table--{kind}", partial=True)
            if cursor:
                style += self.get_component_rich_style("paged-table--cursor")
            self._styles[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width or self.size.width
        if y == 0:
            titles = [c.title for c in self.columns]
            return Strip([Segment(self._line_text(titles, width), self._style("header"))], width)
        if self.row_count == 0:
            if y == 1 and not self.waiting:  # (not "No customers…" while they are on their way)
                return Strip([Segment(fit(" " + self.empty_text, width), self._style("empty"))], width)
            return Strip.blank(width, self._style())
        top = round(self.scroll_y)
        index = top + y - 1
        if index >= self.row_count:
            return Strip.blank(width, self._style())
        self._ensure_window(top)
        row = self._rows.held(index)
        if row is None:  # on its way from the database
            return Strip([Segment(fit(" " + PENDING, width), self._style("empty", index == self.cursor))], width)
        style = self._style(row.style, index == self.cursor)
        return Strip([Segment(self._row_text(row, width), style)], width)

"""PagedTable: a virtual table fed page by page from SQL, for lists of any length.

Textual's DataTable holds every row and renders each cell as a Rich renderable (about 80 µs a
cell, 12.8 s to first paint 100,000 rows). PagedTable holds only a small window of rows around
the viewport and draws each visible line itself through the Line API (``render_line``), so a
keypress costs one small fetch at most, whatever the length of the list (docs/performance.md).

The interface
-------------
A *source* is any object with two methods (see ``RowSource``)::

    count() -> int                              # how many rows the list has now
    fetch(offset: int, limit: int) -> list[Row] # rows offset .. offset+limit-1, in order

and optionally ``index_of(row_id) -> int | None`` (the row's position in the list), used to put
the cursor back on the same record after ``reload()`` when it moved far away.

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
    table.cursor_row_id              # id of the highlighted row, or None when empty
    table.select_row_id(42)          # move the cursor to a record (needs index_of, or a
                                     # record inside the cached window)

Keys: up/down, pageup/pagedown, home/end move the cursor; enter selects. Messages (nested, so
handlers read ``on_paged_table_row_highlighted``): ``PagedTable.RowHighlighted(table, row_id)``
whenever the cursor lands on another record, ``PagedTable.RowSelected(table, row_id)`` on enter.
A click on a row moves the cursor there; a second click on it selects it.

Styling: component classes ``paged-table--header``, ``--cursor``, ``--dim``, ``--warning``,
``--bold`` and ``--empty``, using theme variables only.
"""

from __future__ import annotations

from collections.abc import Sequence
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

from storage.errors import DatabaseUnavailable
from tui.widgets.row_cache import RowCache


@dataclass(frozen=True)
class Row:
    id: int
    cells: tuple[str, ...]
    style: str = ""  # "", "dim", "warning" or "bold"
    data: Any = field(default=None, compare=False)  # the source's record, for its owner


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
BIDI_NAMES = {0x061C: "ALM", 0x200E: "LRM", 0x200F: "RLM", 0x202A: "LRE", 0x202B: "RLE",
              0x202C: "PDF", 0x202D: "LRO", 0x202E: "RLO", 0x2066: "LRI", 0x2067: "RLI",
              0x2068: "FSI", 0x2069: "PDI"}
_VISIBLE.update({code: f"\u2039{name}\u203a" for code, name in BIDI_NAMES.items()})


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

    def __init__(self, columns: Sequence[Column], source: RowSource | None = None, *,
                 empty_text: str = "Nothing to show.", name: str | None = None,
                 id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._columns = list(columns)
        self.empty_text = empty_text
        self._rows = RowCache(source or EmptySource())
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
        return self._rows.source

    @property
    def cursor_row_id(self) -> int | None:
        row = self.cursor_row
        return row.id if row else None

    @property
    def cursor_row(self) -> Row | None:
        """The highlighted row as fetched (None when the list is empty)."""
        return self._row(self.cursor)

    def on_mount(self) -> None:
        if not self._counted:
            self._recount()
            self._announce()

    def set_source(self, source: RowSource) -> None:
        """Show another list (e.g. new search text): cursor and scroll back to the top."""
        self._rows.source = source
        self._recount()
        self.set_reactive(PagedTable.cursor, 0)
        self.scroll_to(y=0, animate=False, force=True)
        self.refresh()
        self._announce()

    def reload(self, source: RowSource | None = None) -> None:
        """Refetch everything (from ``source`` when given); keep the cursor on the same record
        where possible."""
        keep = self.cursor_row_id
        if source is not None:
            self._rows.source = source
        self._recount()
        index = min(self.cursor, max(self.row_count - 1, 0))
        if keep is not None:
            found = self._find(keep, near=index)
            if found is not None:
                index = found
        self.set_reactive(PagedTable.cursor, index)
        self._scroll_cursor_into_view()
        self.refresh()
        self._announce()

    def select_row_id(self, row_id: int) -> bool:
        """Move the cursor to the record ``row_id``; False when it cannot be found."""
        found = self._find(row_id, near=self.cursor)
        if found is None:
            return False
        self.cursor = found
        return True

    def _recount(self) -> None:
        self._counted = True
        try:
            self._rows.recount()
        except DatabaseUnavailable as error:
            self._database_unavailable(error)
            return
        self._unavailable = False
        self._texts.clear()
        self.virtual_size = Size(self.size.width, self.row_count + 1)

    def _find(self, row_id: int, near: int) -> int | None:
        self._ensure_window(max(0, near - self._page_height()))
        found = self._rows.find(row_id)
        if found is not None:
            return found
        index_of = getattr(self.source, "index_of", None)
        if index_of is not None:
            index = index_of(row_id)
            if index is not None and 0 <= index < self.row_count:
                return index
        return None

    def _page_height(self) -> int:
        height = self.scrollable_content_region.height
        if not height:  # not laid out yet: the terminal's height is near enough for a fetch
            height = self.app.size.height
        return max(1, height - 1)

    def _ensure_window(self, first: int) -> None:
        """Make sure rows first .. first+page are held; fetch a window around them if not."""
        try:
            self._rows.ensure(first, self._page_height())
        except DatabaseUnavailable as error:
            self._database_unavailable(error)

    _unavailable = False

    def _database_unavailable(self, error: DatabaseUnavailable) -> None:
        """The database is locked past every retry or the server is gone: keep what is shown,
        say so once, and try again on the next key or refresh — never crash the app."""
        if not self._unavailable:
            self._unavailable = True
            self.notify(f"List not refreshed: {error}", severity="warning", markup=False)

    def _row(self, index: int) -> Row | None:
        try:
            return self._rows.get(index, self._page_height())
        except DatabaseUnavailable as error:
            self._database_unavailable(error)
            return None

    # -- cursor -------------------------------------------------------------------------
    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self._refresh_index(old)
        self._refresh_index(new)
        self._announce()

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self.row_count - 1)) if self.row_count else 0

    def _announce(self) -> None:
        row_id = self.cursor_row_id
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

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_page_up(self) -> None:
        self.cursor -= self._page_height()

    def action_page_down(self) -> None:
        self.cursor += self._page_height()

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = self.row_count - 1

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
            if y == 1:
                return Strip([Segment(fit(" " + self.empty_text, width), self._style("empty"))], width)
            return Strip.blank(width, self._style())
        top = round(self.scroll_y)
        index = top + y - 1
        if index >= self.row_count:
            return Strip.blank(width, self._style())
        self._ensure_window(top)
        row = self._row(index)
        if row is None:
            return Strip.blank(width, self._style())
        style = self._style(row.style, index == self.cursor)
        return Strip([Segment(self._row_text(row, width), style)], width)

"""NoteArea: the conversation form's Note, a TextArea that opens a 1,000,000-character note
(SPEC §12's longest) nearly as fast as a short one (benchmarks/tui_paths.py "form: e on a 1 MB
note"), and types into it as fast.

    yield NoteArea(form.note, compact=True, id="note")   # soft wrap per wraps(note)
    note_area.put(form.note)                             # another note into a mounted one

Textual's TextArea goes over every line of the text, making objects for each, at every step of
opening one: its wrapped view of the document is built when the document is set and again on
each change of the field's size (a tab search and several lists and tuples per line: 40 ms for
1 MB even with nothing to wrap, and the garbage collector's passes over them), each drawn line
sums the height of every line and joins the whole text again, and the widest line is measured
(25 ms for 1 MB of different lines) when the text is set, on each change of size and on each
key typed. Here:

- unwrapped (a long note: soft wrap off), the wrapped view is a view of the document as it is
  now (line n is row n, nothing to wrap, its tabs measured when drawn): nothing to build, and
  nothing to redo after an edit;
- wrapped, a line without a tab that fits the width is not searched for breaks, and a width
  it is already wrapped at with no edit since is not wrapped again;
- the height is a count; the text is joined once per edit; the widest line is measured once,
  most lines by ``len``, then kept from the lines each edit changes.

The results are Textual's own: tests/test_textual_private_api.py compares them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual._cells import cell_len
from textual._wrap import compute_wrap_offsets
from textual.expand_tabs import get_tab_widths
from textual.geometry import Size
from textual.widgets import TextArea
from textual.widgets.text_area import Document, DocumentNavigator, EditResult, Location, WrappedDocument

# A longer note opens with soft wrap off: wrapping a long text at the field's width still costs
# a word search per line (140 ms for 1 MB at 80 columns), where docs/performance.md allows 50 ms
# to the first frame; its long lines then scroll sideways.
WRAP_UP_TO = 100_000  # characters


def wraps(note: str) -> bool:
    """Whether the note field soft-wraps ``note`` (see WRAP_UP_TO)."""
    return len(note) <= WRAP_UP_TO


class NoteArea(TextArea):
    """A plain-text TextArea on NoteDocument and NoteWrapping; soft wrap per wraps(note)."""

    def __init__(self, note: str = "", **kwargs: Any) -> None:
        # TextArea wraps its constructor's text with Textual's own WrappedDocument before it
        # calls _set_document: give it none, then the note.
        super().__init__("", soft_wrap=wraps(note), **kwargs)
        if note:
            self._set_document(note, None)

    def put(self, note: str) -> None:
        """Replace the text with ``note`` (edit history cleared, as ``load_text``), soft wrap
        per wraps(note), never wrapping a long text at the width on the way."""
        if not wraps(note):
            self.soft_wrap = False
        self.load_text(note)
        self.soft_wrap = wraps(note)

    def _set_document(self, text: str, language: str | None) -> None:
        """TextArea._set_document for plain text (a note has no language), on NoteDocument and
        NoteWrapping; tests/test_textual_private_api.py checks the original's steps are these."""
        if language:
            super()._set_document(text, language)  # Textual's own, at Textual's speed
            return
        self._highlight_query = None
        self.document = NoteDocument(text)
        self.wrapped_document = NoteWrapping(self.document, tab_width=self.indent_width)
        self.navigator = DocumentNavigator(self.wrapped_document)
        self._build_highlight_map()
        self.move_cursor((0, 0))
        self._rewrap_and_refresh_virtual_size()


class NoteDocument(Document):
    """Textual's Document, counting its edits, keeping its text joined until the next edit
    (TextArea reads it for each line it draws, the form for the draft), and keeping its widest
    line's width: measured once, then from the lines each edit replaces and puts (again in
    full only when an edit changes a line as wide as the widest)."""

    edits = 0
    _text: tuple[int, str] | None = None  # (edits, the text then)
    _widest: tuple[int, int] | None = None  # (tab width, the widest line's cells)

    @property
    def text(self) -> str:
        if self._text is None or self._text[0] != self.edits:
            self._text = (self.edits, super().text)
        return self._text[1]

    def replace_range(self, start: Location, end: Location, text: str) -> EditResult:
        self.edits += 1
        if self._widest is None:
            return super().replace_range(start, end, text)
        tab, widest = self._widest
        top, bottom = sorted((start[0], end[0]))
        replaced = max(_widths(self._lines[top : bottom + 1], tab), default=0)
        result = super().replace_range(start, end, text)
        put = max(_widths(self._lines[top : result.end_location[0] + 1], tab), default=0)
        self._widest = None if replaced >= widest and put < widest else (tab, max(widest, put))
        return result

    def get_size(self, tab_width: int) -> Size:
        if self._widest is None or self._widest[0] != tab_width:
            self._widest = (tab_width, _widest(self._lines, tab_width))
        return Size(self._widest[1], len(self._lines))


def _widest(lines: list[str], tab_width: int) -> int:
    """The cells of the widest of ``lines`` (as Document.get_size measures them), by ``len``
    for every line made only of characters one cell wide (Rich): all of them in a Latin text."""
    text = "".join(lines)
    if text.isprintable() and _latin_1(text):
        return max(map(len, lines), default=0)
    odd = {character for character in set(text) if not (character.isprintable() and cell_len(character) == 1)}
    if not odd:
        return max(map(len, lines), default=0)
    return max(
        (len(line) if odd.isdisjoint(line) else cell_len(line.expandtabs(tab_width)) for line in lines), default=0
    )


def _widths(lines: list[str], tab_width: int) -> list[int]:
    return [
        len(line) if line.isascii() and line.isprintable() else cell_len(line.expandtabs(tab_width)) for line in lines
    ]


def _latin_1(text: str) -> bool:
    try:
        text.encode("latin-1")
    except UnicodeEncodeError:
        return False
    return True


class NoteWrapping(WrappedDocument):
    """Textual's WrappedDocument with the same results, computed only where needed."""

    _wrapped_as: tuple[int, int, int] | None = None  # width, tab width, the document's edits

    def wrap(self, width: int, tab_width: int | None = None) -> None:
        tab = tab_width or self._tab_width
        self._width, self._tab_width = width, tab
        lines = self.document.lines
        if not width:  # each line is one row: views of the document, current after any edit
            self._wrap_offsets = _PerLine(lines, _no_breaks)  # type: ignore[assignment]
            self._offset_to_line_info = _PerLine(lines, _row_of_line)  # type: ignore[assignment]
            self._line_index_to_offsets = _PerLine(lines, _rows_of_line)  # type: ignore[assignment]
            self._tab_width_cache = _PerLine(lines, lambda _, line: _tab_widths(line, tab))  # type: ignore[assignment]
            self._wrapped_as = None
            return
        edits = getattr(self.document, "edits", None)
        now = None if edits is None else (width, tab, edits)
        if now is not None and now == self._wrapped_as:
            return  # wrapped so already, no edit since: the size changed, not the width
        wrap_offsets: list[list[int]] = []
        tab_widths: list[list[int]] = []
        for line in lines:
            if "\t" not in line and len(line) * (1 if line.isascii() else 2) <= width:
                wrap_offsets.append([])  # fits: a character is at most 2 cells wide
                tab_widths.append([0] if line else [])
            else:
                sections = get_tab_widths(line, tab)
                wrap_offsets.append(compute_wrap_offsets(line, width, tab_size=tab, precomputed_tab_sections=sections))
                tab_widths.append([cells for _, cells in sections])
        line_info: list[tuple[int, int]] = []
        line_offsets: list[list[int]] = []
        for index, breaks in enumerate(wrap_offsets):
            first = len(line_info)
            line_offsets.append(list(range(first, first + len(breaks) + 1)))
            line_info.extend((index, section) for section in range(len(breaks) + 1))
        self._wrap_offsets, self._tab_width_cache = wrap_offsets, tab_widths
        self._offset_to_line_info, self._line_index_to_offsets = line_info, line_offsets
        self._wrapped_as = now

    def wrap_range(self, start: Location, old_end: Location, new_end: Location) -> None:
        if isinstance(self._wrap_offsets, _PerLine):
            return  # unwrapped: the views show the edited document already
        super().wrap_range(start, old_end, new_end)

    @property
    def height(self) -> int:
        """The wrapped document's height: its number of rows (Textual sums them line by line)."""
        return len(self._offset_to_line_info)


class _PerLine(Sequence):
    """A read-only list with one entry per line of ``lines`` as they are now, each made as
    it is read by ``entry(line index, line)``."""

    def __init__(self, lines: list[str], entry: Callable[[int, str], Any]) -> None:
        self._lines, self._entry = lines, entry

    def __len__(self) -> int:
        return len(self._lines)

    def __getitem__(self, index):  # a list's, read-only
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self._lines)))]
        line = self._lines[index]  # IndexError past the end, as a list
        return self._entry(index if index >= 0 else index + len(self._lines), line)


def _no_breaks(_index: int, _line: str) -> list[int]:
    return []


def _row_of_line(index: int, _line: str) -> tuple[int, int]:
    return (index, 0)


def _rows_of_line(index: int, _line: str) -> list[int]:
    return [index]


def _tab_widths(line: str, tab: int) -> list[int]:
    if "\t" not in line:
        return [0] if line else []
    return [cells for _, cells in get_tab_widths(line, tab)]

"""Plain-text tables for the command line: aligned columns, user text made safe to print.

No Rich console here: the commands print to pipes and terminals alike, and a note holding an
escape sequence must show as text, never act on the terminal (docs/screens.md#keyboard-and-ssh). Widths come from
Rich's cell table (``rich.cells``, 8 ms to import: only when a table is printed), which knows emoji sequences: 👨‍👩‍👧 and 👍🏽
take two cells, as the terminal draws them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

ELLIPSIS = "…"


def printable(value: object) -> str:
    """One line of text with every control character shown as a visible escape."""
    text = "" if value is None else str(value)
    out = []
    for char in text:
        if char in "\n\r\t":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf") and char != "\u200d":
            out.append(repr(char)[1:-1])
        else:
            out.append(char)
    return "".join(out)


def cell_width(text: str) -> int:
    """Terminal cells taken by ``text`` (wide characters and emoji sequences take two)."""
    from rich.cells import cell_len

    return cell_len(text)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (ending in an ellipsis when cut; a wide character
    that would be split is left out, its cell padded)."""
    from rich.cells import set_cell_size

    if cell_width(text) <= width:
        return text
    return set_cell_size(text, max(0, width - 1)) + ELLIPSIS


def pad(text: str, width: int, align: str = "<") -> str:
    space = " " * max(0, width - cell_width(text))
    return space + text if align == ">" else text + space


def table(
    headers: list[str],
    rows: Sequence[Sequence[object]],
    *,
    aligns: str = "",
    max_widths: dict[int, int] | None = None,
    indent: str = "",
    fill_to: int | None = None,
) -> list[str]:
    """Lines of an aligned table. ``aligns`` holds '<' or '>' per column; ``max_widths``
    caps a column (its cells are cut with an ellipsis); with ``fill_to`` the last column is
    cut so lines fit that many cells (but keeps at least 10). Cells are made printable."""
    max_widths = max_widths or {}
    aligns = aligns.ljust(len(headers), "<")
    cells = [[printable(v) for v in row] for row in rows]
    cells = [[fit(v, max_widths[i]) if i in max_widths else v for i, v in enumerate(row)] for row in cells]
    widths = [cell_width(h) for h in headers]
    for row in cells:
        widths = [max(w, cell_width(v)) for w, v in zip(widths, row, strict=False)]
    if fill_to and headers:
        used = len(indent) + sum(widths[:-1]) + 2 * (len(headers) - 1)
        room = max(10, fill_to - used)
        cells = [[*row[:-1], fit(row[-1], room)] for row in cells]
        widths[-1] = min(widths[-1], room)

    def line(values: list[str]) -> str:
        parts = [pad(v, w, a) for v, w, a in zip(values, widths, aligns, strict=False)]
        return (indent + "  ".join(parts)).rstrip()

    return [line(headers), *(line(row) for row in cells)]

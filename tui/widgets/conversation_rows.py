"""How the Conversations tab shows rows: the original's columns fitted to the width, the
PagedTable source over ``storage.records.conversation_list``, and the detail lines of one row."""

from __future__ import annotations

from rich.text import Text

from storage.records import conversation_list as clist
from storage.records.conversation_list import ConversationFilter
from tui import dates
from tui.widgets.paged_table import Column, Row, visible_text

# The original's columns: (title, short title, width, narrowest width). The table uses the full
# titles when they fit, else the short ones, and at 80 columns drops trailing columns: the
# detail lines under the table show every field of the highlighted conversation.
COLUMNS = [
    ("Employee & Date", "Employee & Date", 17, 17),
    ("Follow Up", "Follow Up", 10, 10),
    ("Note", "Note", 20, 12),
    ("With Whom", "With Whom", 12, 9),
    ("About", "About", 10, 6),
    ("How", "How", 10, 6),
    ("Completed", "Done", 9, 4),
    ("I.F.", "I.F.", 4, 4),
    ("Pipeline Position", "Stage", 17, 8),
    ("Time Begin", "Begin", 10, 5),
    ("Time End", "End", 8, 5),
    ("Duration", "Min", 8, 3),
]
NOTE_COLUMN = 2
# Room left over after the narrowest columns first widens these (About, With Whom, Pipeline
# Position, How) toward their full width (Pipeline Position to 15: "Initial contact"), then
# goes to Note.
WIDEN_FIRST = ((4, 10), (3, 12), (8, 15), (5, 10))


def columns_for(width: int) -> list[Column]:
    """The columns that fit in ``width`` cells, Note taking what is left over."""

    def total(widths: list[int]) -> int:
        return sum(widths) + len(widths)  # a gap before each column (the first is padding)

    for title, size in ((0, 2), (1, 2), (1, 3)):  # noqa: B007 (title is used after the loop)
        widths: list[int] = [spec[size] for spec in COLUMNS]  # type: ignore[misc]  # size: a width's position
        if total(widths) <= width:
            break
    while len(widths) > NOTE_COLUMN + 1 and total(widths) > width:
        widths.pop()
    spare = width - total(widths)
    for index, wanted in WIDEN_FIRST:
        if index < len(widths) and spare > 0 and widths[index] < wanted:
            grow = min(spare, wanted - widths[index])
            widths[index] += grow
            spare -= grow
    return [
        Column(COLUMNS[i][title], w, flex=i == NOTE_COLUMN)  # type: ignore[arg-type]  # title: a title's position
        for i, w in enumerate(widths)
    ]


def describe(row: clist.ConversationRow) -> Text:
    """The highlighted conversation in full, as plain text (user text is never markup)."""
    times = "–".join(t.strftime("%H:%M") for t in (row.time_begin, row.time_end) if t)
    parts = [f"{dates.show(row.date)} {times}".strip()]
    if row.duration is not None:
        parts.append(f"{row.duration} min")
    parts.append(row.employee)
    if row.with_whom:
        parts.append(f"with {row.with_whom}")
    parts += [p for p in (row.about, row.how, row.stage) if p]
    if row.follow_up:
        parts.append(f"follow up {dates.show(row.follow_up)}")
    if row.completed:
        parts.append("completed")
    if row.is_follow_up:
        parts.append("I.F.")
    note = "\n".join(visible_text(line) for line in row.note.splitlines())
    return Text(visible_text(" · ".join(parts)) + "\n" + note)


class ConversationSource:
    """PagedTable source: one customer's conversations under a filter."""

    def __init__(self, customer_id: int, flt: ConversationFilter) -> None:
        self.customer_id = customer_id
        self.filter = flt

    _count: int | None = None  # as last counted: a page near the end is read from the end

    def count(self) -> int:
        self._count = clist.count(self.customer_id, self.filter)
        return self._count

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [
            Row(r.id, r.cells(), "dim" if r.completed else "", r)
            for r in clist.page(self.customer_id, self.filter, offset, limit, self._count)
        ]

    def index_of(self, row_id: int) -> int | None:
        return clist.position(self.customer_id, row_id, self.filter)

"""Search (F9): full-text search over every conversation's note and with whom, across all
customers (docs/screens.md), best matches first, then newest.

Type words (any order; the start of a word is enough); the list follows as you type. Down or
enter moves into the list; enter on a result opens the conversation in its customer (the
customer's Conversations tab with the cursor on it); / goes back to the words. The line
under the list shows the highlighted result with its matched words marked (as text: notes
are never read as markup). The search runs off the UI thread (tui.dbwork.read_db); a result
that arrives for words since changed is dropped.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Header, Input, Static

from storage.reporting import search
from storage.reporting.search import SearchResult
from tui.dbwork import read_db, tell
from tui.styled_screen import StyledScreen
from tui.widgets.footer import Footer
from tui.widgets.list_source import ListSource
from tui.widgets.paged_table import Column, PagedTable, Row, visible_text

LIMIT = 200  # results listed; the first 50 arrive within the budget of docs/performance.md
DELAY = 0.12  # seconds of quiet typing before searching
COLUMNS = [
    Column("Date", 10),
    Column("Customer", 18),
    Column("Employee", 8),
    Column("With whom", 12),
    Column("Note", 20, flex=True),
]


def result_rows(results: list[SearchResult]) -> ListSource:
    """PagedTable rows over results already fetched (row id = the conversation id)."""
    return ListSource(
        [
            Row(r.id, (r.date.isoformat(), r.customer, r.employee, r.with_whom, " ".join(r.note.split())), data=r)
            for r in results
        ]
    )


def highlighted(text: str, terms: list[str], style: str = "reverse") -> Text:
    """``text`` as literal Text with the words the search matched in ``style``."""
    shown = Text(visible_text(" ".join(text.split())))
    for start, end in search.highlight_spans(shown.plain, terms):
        shown.stylize(style, start, end)
    return shown


def excerpt(note: str, terms: list[str], room: int = 200) -> str:
    """The part of a note around its first matched word (the start when none is seen)."""
    flat = " ".join(note.split())
    spans = search.highlight_spans(flat, terms)
    start = max(0, spans[0][0] - room // 4) if spans else 0
    return ("…" if start else "") + flat[start : start + room]


class SearchScreen(StyledScreen, Screen):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
    TITLE = "Search"
    PALETTE_PREFIX = "Search"
    BINDINGS = [
        Binding("slash", "focus_words", "Words", id="search.focus", tooltip="Type the words to find"),
        Binding(
            "o", "open", "Open", id="search.open", tooltip="Open the conversation in its customer", show=False
        ),  # enter does the same
        Binding("down", "focus_results", "To results", id="search.to_results", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.words = ""  # the words the list shows
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(
            placeholder="words to find in notes and with whom (any order, word starts)", compact=True, id="search-input"
        )
        yield Static("Type to search every conversation.", id="search-summary", markup=False)
        yield PagedTable(COLUMNS, result_rows([]), empty_text="No results.", id="search-results")
        yield Static("", id="search-detail", markup=False)
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()

    @property
    def table(self) -> PagedTable:
        return self.query_one("#search-results", PagedTable)

    # -- searching ------------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DELAY, self.run_search)

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        if event.value != self.words:
            self.run_search()
        self.table.focus()

    def run_search(self) -> None:
        words = self.query_one("#search-input", Input).value
        if not search.words(words):
            self._show(words, [])
            return
        self.query_one("#search-summary", Static).update(f"Searching for {words!r}…")
        read_db(
            self,
            search.search,
            words,
            limit=LIMIT,
            done=lambda results: self._show(words, results),
            failed=tell(self, "Not searched", "Press enter to try again."),
            busy="Searching…",
        )

    def _show(self, words: str, results: list[SearchResult]) -> None:
        if words != self.query_one("#search-input", Input).value:
            return  # typed on meanwhile: a newer search is coming
        self.words = words
        self.table.set_source(result_rows(results))
        count = len(results)
        summary = (
            "Type to search every conversation."
            if not search.words(words)
            else f"{count if count < LIMIT else f'the best {LIMIT}'} "
            f"result{'s' if count != 1 else ''} · enter opens · / words"
        )
        self.query_one("#search-summary", Static).update(summary)
        self._show_detail()

    # -- the highlighted result ---------------------------------------------------------------
    def _selected(self) -> SearchResult | None:
        row = self.table.cursor_row
        return row.data if row is not None else None

    @on(PagedTable.RowHighlighted, "#search-results")
    def _show_detail(self) -> None:
        result = self._selected()
        detail = self.query_one("#search-detail", Static)
        if result is None:
            detail.update("")
            return
        terms = search.words(self.words)
        text = Text(f"{result.customer} ({result.customer_number}) · {result.date} · {result.employee}")
        if result.with_whom:
            text.append(" · with ")
            text.append_text(highlighted(result.with_whom, terms))
        text.append("\n")
        text.append_text(highlighted(excerpt(result.note, terms), terms))
        detail.update(text)

    # -- actions --------------------------------------------------------------------------
    @on(PagedTable.RowSelected, "#search-results")
    def _chosen(self, event: PagedTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        result = self._selected()
        if result is None:
            self.notify("No result selected.", markup=False)
            return
        from screens.customer_form import open_customer

        open_customer(self, result.customer_id, tab="tab-conversations", conversation=result.id)

    def action_focus_results(self) -> None:
        """down in the words field: on to the results (the list handles down itself)."""
        self.table.focus()

    def action_focus_words(self) -> None:
        self.query_one("#search-input", Input).focus()

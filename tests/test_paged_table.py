"""PagedTable on a fake source of 1,000,000 rows: only a window is ever fetched, keys move the
cursor, end reaches the last row, reload keeps the record, user text is shown literally."""

from __future__ import annotations

import threading

from textual.app import App, ComposeResult

from screens.confirm import ConfirmScreen
from tests.screen_text import screen_text
from tui.widgets.paged_table import Column, PagedTable, Row, fit, visible_text

MILLION = 1_000_000


class FakeSource:
    def __init__(self, n: int = MILLION, first_name: str = "Row") -> None:
        self.n = n
        self.first_name = first_name
        self.fetches: list[tuple[int, int]] = []
        self.counts = 0

    def count(self) -> int:
        self.counts += 1
        return self.n

    def fetch(self, offset: int, limit: int) -> list[Row]:
        self.fetches.append((offset, limit))
        end = min(self.n, offset + limit)
        return [Row(i + 1, (f"N{i}", f"{self.first_name} {i}")) for i in range(offset, end)]

    def rows_fetched(self) -> int:
        return sum(limit for _, limit in self.fetches)


class TableApp(App):
    def __init__(self, source) -> None:
        super().__init__()
        self.source = source
        self.highlighted: list[int | None] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield PagedTable([Column("No.", 8), Column("Name", 10, flex=True)], self.source)

    def on_paged_table_row_highlighted(self, event: PagedTable.RowHighlighted) -> None:
        self.highlighted.append(event.row_id)

    def on_paged_table_row_selected(self, event: PagedTable.RowSelected) -> None:
        self.selected.append(event.row_id)


async def test_keys_move_cursor_and_only_a_window_is_fetched():
    source = FakeSource()
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.pause()
        assert table.row_count == MILLION
        assert table.cursor_row_id == 1
        await pilot.press("down", "down")
        assert table.cursor == 2 and table.cursor_row_id == 3
        await pilot.press("pagedown")
        assert table.cursor == 2 + 23  # a page: 24 lines less the header
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor == MILLION - 1
        assert table.cursor_row_id == MILLION
        await pilot.press("up")
        assert table.cursor_row_id == MILLION - 1
        await pilot.press("home")
        await pilot.pause()
        assert table.cursor_row_id == 1
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [1]
        assert app.highlighted[-1] == 1 and MILLION in app.highlighted
        # Never more than a few pages of rows fetched at once, and few rows in total.
        assert max(limit for _, limit in source.fetches) <= 100
        assert source.rows_fetched() < 1000
        assert sum(len(rows) for _, rows in table._rows._windows) <= 300


async def test_end_shows_the_last_row_on_screen():
    app = TableApp(FakeSource())
    async with app.run_test(size=(80, 24)) as pilot:
        app.query_one(PagedTable).focus()
        await pilot.press("end")
        await pilot.pause()
        shot = screen_text(app)
        assert "Row 999999" in shot
        assert "Row 0<" not in shot


async def test_reload_keeps_the_record_and_set_source_starts_over():
    source = FakeSource(n=50)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.press("down", "down", "down")
        assert table.cursor_row_id == 4
        source.n = 60  # others saved rows; the same record stays highlighted
        table.reload()
        await pilot.pause()  # the rows come from the database reader
        assert table.row_count == 60 and table.cursor_row_id == 4
        source.n = 2  # the list shrank below the cursor: cursor clamps to the last row
        table.reload()
        await pilot.pause()
        assert table.cursor_row_id == 2
        table.set_source(FakeSource(n=0))
        await pilot.pause()
        assert table.cursor_row_id is None
        assert "Nothing to show." in screen_text(app)
        assert app.highlighted[-1] is None


class Shifting(FakeSource):
    """Rows saved by others land above the old ones: every old record moves down."""

    shift = 0

    def count(self) -> int:
        return self.n + self.shift

    def fetch(self, offset: int, limit: int) -> list[Row]:
        return [
            Row(-(i + 1), ("new", f"New {i}"))
            if i < self.shift
            else Row(i - self.shift + 1, (f"N{i - self.shift}", f"Row {i - self.shift}"))
            for i in range(offset, min(self.count(), offset + limit))
        ]

    def index_of(self, row_id: int) -> int | None:
        return row_id - 1 + self.shift if row_id > 0 else None


async def test_reload_keeps_the_cursor_on_its_record_when_rows_arrive_above_it():
    source = Shifting(n=10_000)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.press("down", "down", "down")
        assert table.cursor_row_id == 4
        source.shift = 3  # near: found in the fetched window
        table.reload()
        await pilot.pause()
        assert table.cursor_row_id == 4 and table.cursor == 6
        source.shift = 5_000  # far away: found through the source's index_of
        table.reload()
        await pilot.pause()
        assert table.cursor_row_id == 4 and table.cursor == 5_003
        assert "Row 3" in screen_text(app)  # and scrolled into view


async def test_user_text_is_shown_literally():
    class Nasty(FakeSource):
        def fetch(self, offset, limit):
            return [Row(1, ("[b]", "[bold]x[/] closing [/] tag [link=x]y \x1b[31mred"))]

    app = TableApp(Nasty(n=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shot = screen_text(app)
        assert "[bold]x[/] closing [/] tag [link=x]y \u241b[31mred" in shot
        assert "\x1b" not in shot


def test_visible_text_and_fit():
    assert visible_text("a\x1b[31mb\nc") == "a\u241b[31mb c"
    assert fit("abcdef", 4) == "abc…"
    assert fit("ab", 4) == "ab  "
    assert fit("日本語", 4) == "日 …"  # 4 cells: a wide character, a pad, the ellipsis


class ConfirmApp(App):
    answers: list[bool] = []

    def on_mount(self) -> None:
        self.answers = []
        self.push_screen(ConfirmScreen("Discard [bold]typed[/] text?"), self.answers.append)


async def test_confirm_screen_answers():
    for key, expected in (("y", True), ("enter", True), ("n", False), ("escape", False)):
        app = ConfirmApp()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Discard [bold]typed[/] text?" in screen_text(app)
            await pilot.press(key)
            await pilot.pause()
            assert app.answers == [expected]


class FlakySource(FakeSource):
    """A source whose database goes away (a PostgreSQL server restarting) and comes back."""

    down = False

    def count(self) -> int:
        if self.down:
            from storage.errors import ConnectionLost

            raise ConnectionLost("the connection to the database server was lost")
        return super().count()

    def fetch(self, offset: int, limit: int) -> list[Row]:
        if self.down:
            from storage.errors import ConnectionLost

            raise ConnectionLost("the connection to the database server was lost")
        return super().fetch(offset, limit)


async def test_a_database_gone_away_is_a_notice_not_a_crash():
    source = FlakySource(n=500)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.pause()
        source.down = True
        table.reload()
        await pilot.press("end", "pagedown", "home")
        await pilot.pause()
        assert app.is_running
        assert any("List not refreshed" in str(n.message) for n in app._notifications)
        source.down = False
        table.reload()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row_id == 500


class GatedSource(FakeSource):
    """A database that is slow past the first window: those fetches wait for ``gate``. A
    fetch on the UI thread is noted and not held (it would freeze the test with the app)."""

    def __init__(self, n: int = MILLION) -> None:
        super().__init__(n)
        self.gate = threading.Event()
        self.on_ui_thread = 0

    def fetch(self, offset: int, limit: int) -> list[Row]:
        if threading.current_thread() is threading.main_thread():
            self.on_ui_thread += 1
        elif offset > 0:
            self.gate.wait(30)
        return super().fetch(offset, limit)


async def test_a_window_on_its_way_shows_placeholders_and_keys_keep_answering(monkeypatch):
    from tests.tui_helpers import keys_without_waiting_for_database_work, wait_until
    from tui import dbwork
    from tui.widgets.paged_table import PENDING

    keys_without_waiting_for_database_work(monkeypatch)
    source = GatedSource()
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await wait_until(pilot, lambda: "Row 0" in screen_text(app), what="the first rows")
        await pilot.press("end")  # its window waits for the database
        await wait_until(pilot, lambda: PENDING in screen_text(app), what="placeholder rows")
        assert "Row 999999" not in screen_text(app) and table.cursor_row_id is None
        await pilot.press("up")  # the screen still answers keys
        assert table.cursor == MILLION - 2
        source.gate.set()
        await dbwork.wait_idle()
        await wait_until(pilot, lambda: "Row 999998" in screen_text(app), what="the rows")
        assert PENDING not in screen_text(app)
        assert table.cursor_row_id == MILLION - 1  # the cursor on its record
        assert app.highlighted[-1] == MILLION - 1
        assert source.on_ui_thread == 0


async def test_keys_pressed_before_the_rows_arrive_are_kept(monkeypatch):
    from tests.tui_helpers import keys_without_waiting_for_database_work, wait_until

    class SlowCount(GatedSource):
        def count(self) -> int:
            self.gate.wait(30)
            return super().count()

    keys_without_waiting_for_database_work(monkeypatch)
    source = SlowCount(n=50)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(PagedTable)
        table.focus()
        await pilot.press("down", "down", "down")  # the list is still being counted
        source.gate.set()
        await wait_until(pilot, lambda: table.cursor_row_id is not None, what="the rows")
        assert table.cursor_row_id == 4 and "Row 3" in screen_text(app)

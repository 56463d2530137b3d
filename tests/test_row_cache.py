"""RowCache on a counting fake source: which rows are held, what is fetched and when."""

from __future__ import annotations

from tests.screen_text import screen_text
from tests.test_paged_table import FakeSource, TableApp
from tui.widgets.paged_table import Column, PagedTable, Row
from tui.widgets.row_cache import WINDOWS, RowCache

PAGE = 20


def cache(n: int = 10_000) -> tuple[RowCache, FakeSource]:
    source = FakeSource(n)
    rows = RowCache(source)
    rows.recount()
    return rows, source


def test_a_window_is_the_page_and_one_either_side():
    rows, source = cache()
    assert rows.get(5000, PAGE).id == 5001
    assert source.fetches == [(4990 - PAGE, 3 * PAGE)]  # centred on the row asked for
    rows.get(0, PAGE)
    assert source.fetches[-1] == (0, 2 * PAGE)  # at the top there is nothing before
    rows.ensure(10_000 - PAGE, PAGE)
    assert source.fetches[-1] == (10_000 - 2 * PAGE, 3 * PAGE)
    assert rows.get(9999, PAGE).id == 10_000 and rows.get(10_000, PAGE) is None


def test_jumping_between_the_ends_fetches_each_end_once():
    rows, source = cache()
    for _ in range(5):
        rows.ensure(0, PAGE)  # home
        rows.ensure(10_000 - PAGE, PAGE)  # end
    assert len(source.fetches) == 2


def test_only_a_few_windows_are_kept_and_recount_forgets_them():
    rows, source = cache()
    for first in range(0, 10_000, 1000):
        rows.ensure(first, PAGE)
    assert len(rows._windows) == WINDOWS
    assert sum(len(r) for _, r in rows._windows) <= WINDOWS * 3 * PAGE
    before = len(source.fetches)
    rows.ensure(0, PAGE)  # dropped long ago: fetched again
    assert len(source.fetches) == before + 1
    assert rows.find(1) == 0 and rows.find(999_999) is None
    source.n = 5
    assert rows.recount() == 5 and rows._windows == [] and rows.get(5, PAGE) is None


async def test_changed_rows_are_drawn_anew_after_reload():
    class Changing(FakeSource):
        label = "old"

        def fetch(self, offset, limit):
            self.fetches.append((offset, limit))
            return [Row(i + 1, (f"N{i}", f"{self.label} {i}")) for i in range(offset, min(self.n, offset + limit))]

    source = Changing(n=50)
    app = TableApp(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "old 0" in screen_text(app)
        source.label = "new"
        app.query_one(PagedTable).reload()
        await pilot.pause()
        assert "new 0" in screen_text(app) and "old 0" not in screen_text(app)
        table = app.query_one(PagedTable)
        table.columns = [Column("Name", 10, flex=True), Column("No.", 8)]  # another layout
        await pilot.pause()
        assert "Name" in screen_text(app).splitlines()[0].split("No.")[0]

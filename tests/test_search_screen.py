"""The Search screen (F9) at 80x24, driven by real keys: results as you type, the matched
words highlighted as text, enter opens the conversation in its customer."""

from __future__ import annotations

from screens.customer_form import CustomerForm
from screens.search import SearchScreen
from tests import factories as f
from tests.tui_helpers import wait_until
from tui import dbwork
from tui.widgets.paged_table import PagedTable


def table_lines(app) -> list[str]:
    table = app.screen.query_one("#search-results", PagedTable)
    return ["".join(s.text for s in table.render_line(y)).rstrip() for y in range(table.size.height)]


async def settle(app, pilot, condition) -> None:
    """Wait (on conditions, not a fixed time) until ``condition()`` holds."""
    await dbwork.wait_idle()
    await wait_until(pilot, condition)


async def test_type_see_highlight_and_open(app):
    acme, zeta = f.customer("Acme"), f.customer("Zeta [bold]GmbH[/]")
    f.conversation(acme, "2026-03-01", note="Contract renewal for the CFO", with_whom="Anna")
    f.conversation(acme, "2026-03-02", note="weather talk")
    for day in range(1, 20):
        f.conversation(acme, f"2026-02-{day:02d}", note=f"filler {day}")
    target = f.conversation(zeta, "2026-03-05", note="[red]contract[/] signed at last", with_whom="Herr Renner")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"contr ren")
        screen = app.screen
        await settle(app, pilot, lambda: screen.words == "contr ren")
        lines = table_lines(app)
        rows = [line for line in lines[1:] if line.strip()]
        assert len(rows) == 2
        assert any("Zeta [bold]GmbH[/]" in line for line in rows)  # names literally
        assert "2 results" in str(screen.query_one("#search-summary").render())
        detail = screen.query_one("#search-detail").render()
        marked = {detail.plain[span.start : span.end] for span in detail.spans if getattr(span.style, "reverse", False)}
        assert marked == {"Contract", "renewal"} or marked == {"contract", "Renner"}
        assert "[red]contract[/]" in detail.plain or "Contract renewal" in detail.plain
        # down into the list, to the Zeta conversation, enter: its customer, cursor on it
        await pilot.press("enter")
        source = screen.table.source
        while screen.table.cursor_row_id != target.id:
            await pilot.press("down")
        await pilot.press("enter")
        await settle(app, pilot, lambda: isinstance(app.screen, CustomerForm))
        form = app.screen
        await settle(app, pilot, lambda: bool(form.query("#conversations-table")))
        table = form.query_one("#conversations-table", PagedTable)
        await settle(app, pilot, lambda: table.cursor_row_id == target.id)
        assert source.count() == 2
        # back: the search keeps its words and results
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.words == "contr ren"


async def test_literal_and_empty_queries(app):
    f.conversation(f.customer("Acme"), "2026-03-01", note="50% discount for a_b")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        screen = app.screen
        await pilot.press(*'"50%', "enter")
        await settle(app, pilot, lambda: screen.words == '"50%')
        assert screen.table.source.count() == 1
        await pilot.press("slash", "ctrl+u", *"OR NOT (", "enter")
        await settle(app, pilot, lambda: screen.words == "OR NOT (")
        assert screen.table.source.count() == 0
        assert "0 results" in str(screen.query_one("#search-summary").render())


async def test_down_from_the_words_goes_to_the_results(app):
    acme = f.customer("Acme")
    first = f.conversation(acme, "2026-03-02", note="contract sent")
    second = f.conversation(acme, "2026-03-01", note="contract asked")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f9", *"contract")
        screen = app.screen
        await settle(app, pilot, lambda: isinstance(screen, SearchScreen) and screen.words == "contract")
        await pilot.press("down")  # from the words field: the results, first row
        assert app.focused is screen.table and screen.table.cursor_row_id == first.id
        await pilot.press("down")  # in the results: the next row
        assert screen.table.cursor_row_id == second.id

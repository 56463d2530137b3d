"""The Statistics screen (F4) at 80x24: the docs/reports.md figures per employee, with totals, for this
month, last month, this year and a custom period — the same figures as ``rapport stats``."""

from __future__ import annotations

from textual.widgets import DataTable

from screens.statistics import StatisticsScreen
from tests import factories as f


def rows(app) -> dict[str, list[str]]:
    table = app.screen.query_one(DataTable)
    out = {}
    for index in range(table.row_count):
        cells = [str(cell) for cell in table.get_row_at(index)]
        out[cells[0]] = cells[1:]
    return out


def heading(app) -> str:
    return str(app.screen.query_one("#statistics-period").render())


def make_data():
    acme = f.customer("Acme")
    f.conversation(
        acme, "2026-03-02", follow_up="2026-03-04", employee_login="ann", completed=True, completed_on="2026-03-04"
    )
    f.conversation(acme, "2026-03-03", follow_up="2026-03-05", employee_login="bob")
    f.conversation(
        acme, "2026-02-10", follow_up="2026-02-12", employee_login="bob", completed=True, completed_on="2026-02-20"
    )
    f.conversation(acme, "2026-01-05", employee_login="[red]x[/]")


async def test_periods_by_key(app):
    make_data()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        assert isinstance(app.screen, StatisticsScreen)
        assert heading(app) == ("This month: 2026-03-01 to 2026-03-31 (counted up to today, 2026-03-18)")
        table = rows(app)
        assert table["ann"] == ["1", "1", "1", "1", "1", "0", "0", "100.0"]
        assert table["bob"] == ["1", "1", "1", "0", "0", "1", "0", "0.0"]
        assert table["[red]x[/]"] == ["0", "0", "0", "0", "0", "0", "0", "–"]
        assert table["Total"] == ["2", "2", "2", "1", "1", "1", "0", "50.0"]
        assert list(table)[0] == "Total"

        await pilot.press("l")
        await pilot.pause()
        assert heading(app) == "Last month: 2026-02-01 to 2026-02-28"
        assert rows(app)["bob"] == ["1", "1", "1", "1", "0", "0", "0", "0.0"]

        await pilot.press("y")
        await pilot.pause()
        assert rows(app)["Total"] == ["4", "3", "3", "2", "1", "1", "0", "33.3"]

        await pilot.press("p")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2026-01-01", "tab", "ctrl+u", *"2026-01-31", "enter")
        await pilot.pause()
        assert heading(app) == "Period: 2026-01-01 to 2026-01-31"
        assert rows(app)["[red]x[/]"][0] == "1"

        await pilot.press("m")
        await pilot.pause()
        assert rows(app)["Total"][0] == "2"


async def test_custom_period_rejects_a_bad_date_and_keeps_the_text(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "p")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2026-02-30", "enter")
        await pilot.pause()
        assert "From: no such date" in str(app.screen.query_one("#period-prompt-error").render())
        assert app.screen.query_one("#period-from").value == "2026-02-30"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, StatisticsScreen)
        assert heading(app).startswith("This month")

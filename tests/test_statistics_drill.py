"""Drill-down from the Statistics screen (F4): enter on a number lists the conversations it
counts (as many as the number says, for every figure and employee), enter again opens one."""

from __future__ import annotations

import datetime as dt

from screens.customer_form import CustomerForm
from screens.statistics_items import StatisticsItems
from storage.records import conversations
from storage.reporting import reports
from storage.reporting.statistics_items import FIGURES, statistics_items
from tests import factories as f
from tests.conftest import TODAY
from tests.tui_helpers import wait_until
from tui import dbwork
from tui.widgets.paged_table import PagedTable


def make_data():
    acme, zed = f.customer("Acme"), f.customer("Zed")
    f.conversation(
        acme,
        "2026-03-02",
        follow_up="2026-03-04",
        employee_login="anna",
        completed=True,
        completed_on="2026-03-04",
        note="on time",
    )
    f.conversation(acme, "2026-03-03", follow_up="2026-03-05", employee_login="anna", note="late one")
    late2 = f.conversation(zed, "2026-03-03", follow_up="2026-03-06", employee_login="anna", note="late two")
    conversations.set_follow_up(late2.id, dt.date(2026, 3, 9))  # moved, still overdue
    f.conversation(zed, "2026-03-04", employee_login="bob", note="no follow-up")
    f.conversation(
        zed,
        "2026-02-10",
        follow_up="2026-03-02",
        employee_login="bob",
        completed=True,
        completed_on="2026-03-10",
        note="done late",
    )
    return late2


def test_every_list_is_as_long_as_its_number(ctx):
    make_data()
    first, last = dt.date(2026, 3, 1), dt.date(2026, 3, 31)
    stats = reports.statistics(TODAY, first, last)
    for row in stats.employees + [stats.total]:
        login = row.employee or None
        for figure in FIGURES:
            items = statistics_items(figure, TODAY, first, last, login)
            assert len(items) == getattr(row, figure), (login, figure)
    overdue = statistics_items("open_overdue", TODAY, first, last, "ANNA")
    assert [i.note for i in overdue] == ["late one", "late two"]
    assert overdue[1].promised == dt.date(2026, 3, 6) and overdue[1].follow_up == dt.date(2026, 3, 9)


async def test_enter_on_annas_overdue_then_on_a_conversation(app):
    late2 = make_data()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4")
        await pilot.pause()
        screen = app.screen
        table = screen.query_one("#statistics-table")
        # rows: Total, anna, bob, tester; columns: Employee, Logged, ..., Overdue (6)
        anna = [str(table.get_row_at(i)[0]) for i in range(table.row_count)].index("anna")
        table.move_cursor(row=anna, column=0)
        await pilot.press(*["right"] * 6)
        assert str(table.get_row_at(anna)[6]) == "2"
        await pilot.press("enter")
        await dbwork.wait_idle()
        await wait_until(pilot, lambda: isinstance(app.screen, StatisticsItems), "the drill-down")
        items = app.screen.query_one(PagedTable)
        assert items.source.count() == 2
        await pilot.press("down", "enter")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, CustomerForm)
                and app.screen.query("#conversations-table")
                and app.screen.query_one("#conversations-table", PagedTable).cursor_row_id == late2.id
            ),
            "the customer's conversation under the cursor",
        )
        assert app.screen.query_one("#conversations-table", PagedTable).cursor_row_id == late2.id

"""What the screens show at 80x24: the footer's palette key, F1 per screen, focused pick lists,
Home/End in the F6 lists, dates as YYYY-MM-DD, and the empty customers list's line."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Select

from screens.conversation_form import ConversationForm
from screens.help import HelpScreen
from tests import factories
from tests.screen_text import screen_text
from tests.tui_helpers import wait_until


async def show(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("key", ["f2", "f3", "f5", "f6", "f7"])
async def test_the_footer_ends_with_the_palette_key_and_nothing_after_it(app, key):
    factories.conversation(factories.customer("Acme"), "2026-03-10", follow_up="2026-03-17", note="call back")
    async with app.run_test(size=(80, 24)) as pilot:
        await show(pilot, key)
        await wait_until(pilot, lambda: screen_text(app).splitlines()[-1].strip(), "the footer")
        footer = screen_text(app).splitlines()[-1]
        assert footer.rstrip().endswith("^p palette"), footer


async def test_f1_lists_the_keys_of_the_screen_underneath(sqlite_ctx):
    from tui.app import RapportApp

    sqlite_ctx.config = {"keys": {"followups.snooze_week": "z"}}
    factories.conversation(factories.customer("Acme"), "2026-03-10", follow_up="2026-03-17")
    app = RapportApp(sqlite_ctx)
    async with app.run_test(size=(80, 24)) as pilot:
        await show(pilot, "f1")
        customers = screen_text(app)
        await show(pilot, "escape", "f3", "f1")
        assert isinstance(app.screen, HelpScreen)
        followups = screen_text(app)
    assert "This screen: Follow-ups" in followups
    for key, description in (("c", "Complete"), ("s", "+1 day"), ("z", "+1 week"), ("r", "Reschedule")):
        assert f"  {key:<12}{description}" in followups
    assert "  w           +1 week" not in followups  # remapped to z in [keys]
    assert "+1 day" not in customers and "Complete" not in customers
    assert "  n           New" in customers


async def test_a_focused_pick_list_is_shown_reversed(app):
    cust = factories.customer("Acme")
    factories.employee("anna")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        select = app.screen.query_one("#employee", Select)
        current = select.query_one("SelectCurrent")
        assert not current.rich_style.reverse
        select.focus()
        await pilot.pause()
        assert current.rich_style.reverse and current.rich_style.bold


async def test_home_and_end_in_the_table_maintenance_lists(app):
    from storage.db.models import Topic

    for name in ("Alpha", "Beta", "Gamma", "Delta"):
        Topic.create(name=name)
    async with app.run_test(size=(80, 24)) as pilot:
        await show(pilot, "f6")
        table = app.screen.query_one("#table-topic", DataTable)
        assert table.has_focus and table.row_count >= 4
        await show(pilot, "end")
        assert table.cursor_row == table.row_count - 1
        await show(pilot, "home")
        assert table.cursor_row == 0


async def test_dates_show_as_yyyy_mm_dd_at_80_columns(app):
    factories.conversation(factories.customer("Acme"), "2026-03-10", follow_up="2026-03-24")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        row = next(line for line in screen_text(app).splitlines() if "Acme" in line)
        assert "2026-03-10" in row and "2026-03-24" in row


async def test_an_empty_search_says_so_and_an_empty_list_says_press_n(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "No customers. Press n to add one." in screen_text(app)
        factories.customer("Acme")
        await show(pilot, "escape", *"zzz")
        shown = screen_text(app)
        assert "No customer matches the search" in shown and "Press n" not in shown

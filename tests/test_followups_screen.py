"""The Follow-ups screen (F3) driven by real key presses at 80x24: the database changes and
so does the list on screen."""

from __future__ import annotations

import datetime as dt

from screens.followups import FollowupsScreen
from storage.db.models import Conversation
from storage.reporting.reports import FollowUpItem
from tests import factories as f
from tests.conftest import TODAY
from tui.widgets.followup_table import FollowupTable


def table_lines(app) -> list[str]:
    table = app.screen.query_one(FollowupTable)
    return ["".join(s.text for s in table.render_line(y)).rstrip() for y in range(table.size.height)]


def static_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def cursor_note(app) -> str | None:
    row = app.screen.query_one(FollowupTable).cursor_row
    return row.data.note if row is not None and isinstance(row.data, FollowUpItem) else None


def fresh(conv: Conversation) -> Conversation:
    return Conversation.get_by_id(conv.id)


def make_day():
    acme, zed = f.customer("Acme"), f.customer("Zed [bold]x[/]")
    late = f.conversation(acme, "2026-03-01", follow_up="2026-03-10", note="late one")
    today = f.conversation(zed, "2026-03-02", follow_up="2026-03-18", note="today one")
    soon = f.conversation(acme, "2026-03-03", follow_up="2026-03-20", note="soon one")
    f.conversation(acme, "2026-03-03", follow_up="2026-03-11", employee_login="bob", note="bob's")
    return late, today, soon


async def open_followups(app, pilot) -> None:
    await pilot.press("f3")
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, FollowupsScreen)


async def test_sections_and_days_overdue_are_shown(app):
    make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        lines = table_lines(app)
        assert lines[1].split() == ["Overdue", "1"]
        assert lines[2].split()[:2] == ["8d", "late"] and "late one" in lines[2]
        assert lines[3].split() == ["Today", "1"]
        assert "Zed [bold]x[/]" in lines[4] and "today one" in lines[4]
        assert lines[5].split() == ["Upcoming", "1", "next", "7", "days"]
        assert "in 2d" in lines[6]
        assert "bob's" not in "\n".join(lines)
        assert "1 overdue · 1 today · 1 upcoming" in static_text(app, "#followups-summary")
        assert cursor_note(app) == "late one"


async def test_complete_and_snooze_change_database_and_list(app):
    late, today, soon = make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("c")
        await pilot.pause()
        assert fresh(late).completed and fresh(late).completed_on == TODAY
        assert "late one" not in "\n".join(table_lines(app))
        assert table_lines(app)[1].split() == ["Overdue", "none"]
        assert cursor_note(app) == "today one"  # the next one slid under the cursor

        await pilot.press("s")
        await pilot.pause()
        assert fresh(today).follow_up == TODAY + dt.timedelta(days=1)
        lines = table_lines(app)
        assert lines[2].split() == ["Today", "none"]
        assert "in 1d" in lines[4] and "today one" in lines[4]

        await pilot.press("w")
        await pilot.pause()
        assert fresh(today).follow_up == TODAY + dt.timedelta(days=8)
        assert "today one" not in "\n".join(table_lines(app))
        assert cursor_note(app) == "soon one"

        await pilot.press("u")
        await pilot.pause()
        assert fresh(today).follow_up == TODAY + dt.timedelta(days=1)
        assert "today one" in "\n".join(table_lines(app))
        assert not fresh(soon).completed


async def test_undo_complete(app):
    late, _, _ = make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("c", "u")
        await pilot.pause()
        assert not fresh(late).completed and fresh(late).completed_on is None
        assert "late one" in "\n".join(table_lines(app))


async def test_reschedule_with_the_date_prompt(app):
    late, _, _ = make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("ctrl+u", *"2026-13-01", "enter")  # an impossible date
        await pilot.pause()
        assert "no such date" in static_text(app, "#date-prompt-error")
        assert fresh(late).follow_up == dt.date(2026, 3, 10)
        await pilot.press("ctrl+u", "+", "3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert fresh(late).follow_up == dt.date(2026, 3, 21)
        assert "in 3d" in "\n".join(table_lines(app))


async def test_everyone_and_one_employee(app):
    make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        await pilot.press("down", "enter")  # Me, [Everyone], bob, tester
        await pilot.pause()
        lines = "\n".join(table_lines(app))
        assert "bob's" in lines and "late one" in lines
        assert "Employee" in table_lines(app)[0]
        await pilot.press("v", "down", "enter")  # Everyone -> bob
        await pilot.pause()
        lines = "\n".join(table_lines(app))
        assert "bob's" in lines and "late one" not in lines
        assert "· bob ·" in static_text(app, "#followups-summary")


async def test_log_follow_up_opens_the_form_and_completes_the_earlier_one(app):
    late, _, _ = make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        await pilot.press(*"Called back", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert fresh(late).completed
        new = Conversation.get(Conversation.follows == late.id)
        assert new.is_follow_up and new.note == "Called back"
        assert "late one" not in "\n".join(table_lines(app))


async def test_empty_list_says_so_and_keys_do_no_harm(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("c", "s", "w", "u", "down", "end")
        await pilot.pause()
        assert table_lines(app)[1].split() == ["Overdue", "none"]


async def test_enter_opens_the_customer_and_escape_comes_back(app):
    make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("down", "enter")  # today's follow-up, at Zed
        await pilot.pause()
        from screens.customer_form import CustomerForm

        assert isinstance(app.screen, CustomerForm)
        assert app.screen.customer_id == f.Customer.get(f.Customer.name == "Zed [bold]x[/]").id
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert cursor_note(app) == "today one"


async def test_a_renamed_employee_falls_back_to_my_list(app):
    make_day()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_followups(app, pilot)
        await pilot.press("v", "down", "down", "enter")  # bob
        await pilot.pause()
        assert "bob's" in "\n".join(table_lines(app))
        f.Employee.update(login="robert").where(f.Employee.login == "bob").execute()
        await pilot.press("f4", "f3")
        await pilot.pause()
        assert isinstance(app.screen, FollowupsScreen)
        assert "me (tester)" in static_text(app, "#followups-summary")
        assert "late one" in "\n".join(table_lines(app))


async def test_another_sessions_save_before_the_list_first_loaded_is_no_error(app):
    """A live refresh (tui.live: another session saved) can come between the screen's mount
    and its first load, e.g. on F3 while a report writes: the list is still empty then."""
    from tests.tui_helpers import screen_text
    from tui.live import refresh_screen

    f.conversation(f.customer("Acme"), "2026-03-10", follow_up="2026-03-18")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = FollowupsScreen()
        screen.load = lambda *args, **kwargs: None  # its first load still on its way
        await app.push_screen(screen)
        refresh_screen(screen)
        del screen.load
        screen.load()
        await pilot.pause()
        assert "Acme" in screen_text(app) and "1 today" in screen_text(app)

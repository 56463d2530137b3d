"""The Conversations tab, keyboard only, at 80x24: new, edit, delete/undo, complete, log
follow-up, filters, and user text shown literally."""

from __future__ import annotations

from textual.widgets import Checkbox, Input

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation
from tests import factories
from tests.conftest import TODAY
from tests.panel_host import PanelHost
from tests.tui_helpers import screen_text, type_text, wait_until
from tui.widgets.conversations_panel import ConversationsPanel


async def open_panel(app, pilot, customer_id: int) -> ConversationsPanel:
    app.push_screen(PanelHost(customer_id))
    await pilot.pause()
    return app.screen.query_one(ConversationsPanel)


async def test_new_conversation_appears_in_the_list(app):
    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, cust.id)
        assert "No conversations yet" in screen_text(app)
        await pressed(pilot, "n")
        assert isinstance(app.screen, ConversationForm)
        await type_text(pilot, "Asked for a quote")
        await pressed(pilot, "ctrl+s")
        assert isinstance(app.screen, PanelHost)
        assert "Asked for a quote" in screen_text(app)
    conv = Conversation.get()
    assert (conv.customer_id, conv.date, conv.employee.login) == (cust.id, TODAY, "tester")
    assert conv.time_begin is not None and conv.time_end is not None


async def test_delete_then_undo(app):
    cust = factories.customer("Acme")
    factories.conversation(cust, "2026-03-01", note="keep me")
    gone = factories.conversation(cust, "2026-03-02", note="delete me")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot, cust.id)
        await pressed(pilot, "end")
        assert panel.table.cursor_row_id == gone.id
        await pressed(pilot, "d")
        assert Conversation.get_by_id(gone.id).deleted_at is not None
        assert "delete me" not in screen_text(app)
        await pressed(pilot, "u")
        assert Conversation.get_by_id(gone.id).deleted_at is None
        assert "delete me" in screen_text(app)
        assert panel.table.cursor_row_id == gone.id


async def test_c_toggles_completed(app):
    cust = factories.customer("Acme")
    conv = factories.conversation(cust, "2026-03-01", note="call back", follow_up="2026-03-10")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, cust.id)
        await pressed(pilot, "c")
        after = Conversation.get_by_id(conv.id)
        assert (after.completed, after.completed_on) == (True, TODAY)
        await pressed(pilot, "c")
        after = Conversation.get_by_id(conv.id)
        assert (after.completed, after.completed_on) == (False, None)


async def test_log_follow_up_completes_the_earlier_one(app):
    cust = factories.customer("Acme")
    earlier = factories.conversation(cust, "2026-03-01", note="send prices", follow_up="2026-03-15", with_whom="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, cust.id)
        await pressed(pilot, "f")
        form = app.screen
        assert isinstance(form, ConversationForm)
        assert form.query_one("#is_follow_up", Checkbox).value is True
        assert form.query_one("#with_whom", Input).value == "Ann"
        await type_text(pilot, "Prices sent")
        await pressed(pilot, "ctrl+s")
        assert "Prices sent" in screen_text(app)
    new = Conversation.get(Conversation.note == "Prices sent")
    old = Conversation.get_by_id(earlier.id)
    assert new.is_follow_up and new.follows_id == earlier.id and new.date == TODAY
    assert old.completed and old.completed_on == TODAY


async def test_filters_text_open_only_and_employee(app):
    cust = factories.customer("Acme")
    factories.conversation(cust, "2026-03-01", note="about 100% of it")
    factories.conversation(cust, "2026-03-02", note="100 boxes", completed=True)
    factories.conversation(cust, "2026-03-03", note="other person", employee_login="ann")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot, cust.id)
        await pressed(pilot, "slash")
        assert app.focused is panel.query_one("#conversations-filter")
        await type_text(pilot, "100%")
        assert panel.table.row_count == 1 and "about 100% of it" in screen_text(app)
        await pressed(pilot, "escape")
        assert app.focused is panel.table
        panel.query_one("#conversations-filter", Input).value = ""
        await pilot.pause()
        await pressed(pilot, "o")
        assert panel.table.row_count == 2 and "100 boxes" not in screen_text(app)
        await pressed(pilot, "o", "m")  # everyone -> me
        assert panel.table.row_count == 2 and "other person" not in screen_text(app)
        await pressed(pilot, "m")  # me -> ann
        assert panel.table.row_count == 1 and "other person" in screen_text(app)


async def test_user_text_is_shown_literally(app):
    cust = factories.customer("[bold]x[/]")
    factories.conversation(cust, "2026-03-01", note="old \x1b[31mred\x1b[0m [bold]b[/b]", with_whom="[link=x]y")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, cust.id)
        await pressed(pilot, "n")
        assert "[bold]x[/]" in screen_text(app)  # the form's title
        await type_text(pilot, "closing [/] tag [link=x]y")
        await pressed(pilot, "ctrl+s")
        shown = screen_text(app)
        assert "closing [/] tag [link=x]y" in shown
        assert "old ␛[31m" in shown and "\x1b" not in shown
        await pressed(pilot, "home")  # the detail lines show the whole note and With Whom
        shown = screen_text(app)
        assert "old ␛[31mred␛[0m [bold]b[/b]" in shown and "with [link=x]y" in shown
        await pressed(pilot, "e")  # the form shows the escape sequence harmlessly
        assert isinstance(app.screen, ConversationForm)
        await pressed(pilot, "escape")
    assert Conversation.get(Conversation.note.startswith("closing")).note == "closing [/] tag [link=x]y"


async def pressed(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def test_t_writes_the_conversation_as_a_task(app):
    from storage.config import export_folder

    cust = factories.customer("Acme")
    conv = factories.conversation(cust, "2026-03-01", note="call back", follow_up="2026-03-20")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_panel(app, pilot, cust.id)
        await pressed(pilot, "t")  # asks for the due date, the follow-up date offered
        await wait_until(pilot, lambda: "Create task: due on" in screen_text(app), "the due-date prompt")
        await pilot.press("enter")
        await wait_until(pilot, lambda: list(export_folder(app.ctx.config).glob("*.ics")), "the task file")
    written = list(export_folder(app.ctx.config).glob("*.ics"))
    assert len(written) == 1 and conv.uid in written[0].read_text()
    assert "DUE;VALUE=DATE:20260320" in written[0].read_text()


async def test_a_locked_database_is_reported_and_delete_can_be_pressed_again(app, monkeypatch):
    import sqlite3

    from storage.db.connection import sqlite_path
    from tests.locking import short_waits

    cust = factories.customer("Acme")
    conv = factories.conversation(cust, "2026-03-01", note="still here")
    short_waits(monkeypatch)  # the app's database threads wait 30 ms for a lock, not 10 s
    other = sqlite3.connect(str(sqlite_path(app.ctx.url)), isolation_level=None)
    try:
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await open_panel(app, pilot, cust.id)
            other.execute("BEGIN IMMEDIATE")
            await pressed(pilot, "d")
            assert "Not changed" in " ".join(screen_text(app).split())
            assert "still here" in screen_text(app)
            other.execute("ROLLBACK")
            await pressed(pilot, "d")
            assert Conversation.get_by_id(conv.id).deleted_at is not None
    finally:
        other.close()


async def test_the_filter_line_counts_the_conversations_once_they_are_read(app):
    """The rows arrive off the UI thread: the filter line's count is the list's, not the 0 of
    a list still on its way."""
    cust = factories.customer("Acme")
    for day in (1, 2, 3):
        factories.conversation(cust, f"2026-03-0{day}", note=f"call {day}")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot, cust.id)
        await wait_until(pilot, lambda: panel.table.row_count == 3 and not panel.table.waiting, "the rows")
        await pilot.pause()
        assert "all · everyone · 3" in screen_text(app)


async def test_the_form_closes_onto_the_list_showing_the_saved_row(app, monkeypatch):
    """ctrl+s: once the form is gone the list already has the saved conversation, the cursor
    on it (it is read right after the save: tui.dbwork.after_save), not the list as it was
    with the row following a moment later. Here the lists' reader is held up meanwhile."""
    import threading

    from tests.tui_helpers import keys_without_waiting_for_database_work
    from tui.dbwork import read_rows

    cust = factories.customer("Acme")
    for day in range(1, 10):
        factories.conversation(cust, f"2026-03-0{day}", note=f"call {day}")
    async with app.run_test(size=(80, 24)) as pilot:
        panel = await open_panel(app, pilot, cust.id)
        await wait_until(pilot, lambda: panel.table.row_count == 9 and not panel.table.waiting, "the rows")
        await pressed(pilot, "n")
        await type_text(pilot, "Asked for a quote")
        keys_without_waiting_for_database_work(monkeypatch)
        held = threading.Event()
        read_rows(panel, held.wait, 30)  # the lists' reader is busy until the form is gone
        try:
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, ConversationForm), "the form to close")
            saved = Conversation.get(Conversation.note == "Asked for a quote")
            assert (panel.table.row_count, panel.table.cursor_row_id) == (10, saved.id)
            await pilot.pause()
            assert "Asked for a quote" in screen_text(app)
        finally:
            held.set()

"""Issue 19, display: direction controls shown by name and never sent raw, CLI tables that
align with emoji, the Pipeline Position list inside the form, short toasts out of the way,
employees' display names."""

from __future__ import annotations

import io

from rich.cells import cell_len
from rich.console import Console
from textual.widgets import Input

from cli.main import main
from screens.conversation_form import ConversationForm
from screens.customer_form import CustomerForm
from storage.db.database import close_database, open_database
from tests import factories as f
from tests.conftest import sqlite_url
from tests.tui_helpers import screen_text, wait_for_text

RLO_NAME = "Bob\u202eexe.gnp"  # would read "Bobpng.exe" on a terminal that honours U+202E
BIDI = (
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
    "\u061c",
)


def terminal_output(app) -> str:
    """What the app writes to the terminal for the current screen (through Strip.render)."""
    console = Console(
        width=app.size.width, file=io.StringIO(), force_terminal=True, color_system=None, legacy_windows=False
    )
    return "".join(strip.render(console) for strip in app.screen._compositor.render_strips())


async def test_direction_controls_are_shown_by_name_and_never_sent_raw(app):
    cust = f.customer(RLO_NAME, number="1")
    f.customer("Plain\u2067 isolate\u2069 \u200fmark", number="2")
    f.conversation(cust, "2026-03-01", note="note \u202dLRO", with_whom="Ann\u202b")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "Bob‹RLO›exe.gnp" in text and "Plain‹RLI› isolate‹PDI› ‹RLM›mark" in text
        assert not any(ch in terminal_output(app) for ch in BIDI)
        await pilot.press("enter")  # the customer form: title and the Name field
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm)
        assert "1  Bob‹RLO›exe.gnp" in screen_text(app)
        assert not any(ch in terminal_output(app) for ch in BIDI)
        await pilot.press("e")  # editing: the field holds the name as typed, drawn safely
        await pilot.pause()
        assert app.screen.query_one("#customer-name", Input).value == RLO_NAME  # kept as typed
        assert not any(ch in terminal_output(app) for ch in BIDI)
        app.push_screen(ConversationForm.edit(f.Conversation.get().id))
        await pilot.pause()
        assert "Edit conversation — Bob‹RLO›exe.gnp" in screen_text(app)
        assert not any(ch in terminal_output(app) for ch in BIDI)


def test_cli_tables_align_with_emoji(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    open_database(url)
    for name in ("👨‍👩‍👧 Family", "👍🏽 Thumbs", "Plain", "长城贸易"):
        f.conversation(f.customer(name), "2026-03-01", follow_up="2026-03-10", topic=f.topic("Quote"))
    close_database()
    assert main(["--database", url, "--today", "2026-03-18", "followups", "--all"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if "Quote" in line]
    assert len(lines) == 4
    columns = {cell_len(line[: line.index("Quote")]) for line in lines}
    assert len(columns) == 1, lines  # About starts in the same cell on every row


async def test_the_pipeline_position_list_stays_inside_the_form_at_80x24(app):
    from textual.widgets import Select
    from textual.widgets._select import SelectOverlay

    cust = f.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        form = app.screen
        form.query_one("#pipeline_stage", Select).focus()
        await pilot.press("enter")
        await pilot.pause()
        overlay = form.query_one("#pipeline_stage", Select).query_one(SelectOverlay)
        assert overlay.display and overlay.region.height >= 3
        assert overlay.region.bottom <= form.query_one("#form-body").region.bottom
        lines = screen_text(app).splitlines()
        assert lines[-1].startswith(" esc ") and "Dismiss" in lines[-1]  # the footer is free
        assert "Dates YYYY-MM-DD" in lines[-3]  # and so is the form's hint line
        await pilot.press("down", "enter")  # still choosable by keyboard
        await pilot.pause()
        assert form.query_one("#pipeline_stage", Select).value == f.stage("Initial contact").id


async def test_toasts_are_one_line_at_the_top_one_at_a_time(app):
    from textual.widgets._toast import Toast

    f.customer("长城贸易株式会社")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert app.NOTIFICATION_TIMEOUT <= 3
        app.notify("Saved for 长城贸易株式会社 " + "and a long tail of words " * 6, markup=False)
        app.notify("Conversation saved for 长城贸易株式会社.", markup=False)
        lines = (await wait_for_text(app, pilot, "Conversation saved")).splitlines()
        toasts = [toast for toast in app.screen.query(Toast) if toast.parent.display]
        assert len(toasts) == 1  # the newest covers the one before
        assert toasts[0].region == (0, 0, 80, 1)  # the whole top row: no glyph cut under it
        app.notify("Saved", title="Create task", markup=False)  # a title: on the same line
        assert "Create task: Saved" in await wait_for_text(app, pilot, "Create task: Saved")

        assert "Conversation saved for 长城贸易株式会社." in lines[0]
        assert "长城贸易株式会社" in lines[3]  # the cursor row is not covered
        assert app.focused.cursor == 0


async def test_an_auto_created_employee_is_shown_by_the_os_full_name(app, monkeypatch):
    import pwd

    from textual.widgets import Select

    from storage.config import ensure_employee

    gecos = {"tester": "Tess Ter,Room 5,,", "anna": ""}

    def getpwnam(login):
        if login not in gecos:
            raise KeyError(login)
        return pwd.struct_passwd((login, "x", 1000, 1000, gecos[login], "/home", "/bin/sh"))

    monkeypatch.setattr(pwd, "getpwnam", getpwnam)
    cust = f.customer("Acme")
    assert ensure_employee("anna").display_name == "anna"  # no full name: the login
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        await pilot.press("h")  # the first character fills in the current employee
        await pilot.pause()
        assert app.screen.query_one("#employee", Select).value == app.ctx.employee().id
        assert app.ctx.employee().name == "Tess Ter"
        assert "Tess Ter" in screen_text(app)

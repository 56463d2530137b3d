"""An unexpected error in the TUI (issue 13, docs/screens.md#keyboard-and-ssh): no traceback on the screen, a report
file (0600, no local variables, no password, not the note) under the state folder named in
one line, and the app goes on: the form keeps its text and saves once the error is gone.

tui.crash wraps Textual's private ``MessagePump._dispatch_message``; the second test fails
loudly if Textual changes it (the error would end the app instead)."""

from __future__ import annotations

import stat

import pytest
from textual.widgets import TextArea

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation
from storage.records import conversations
from tests import factories
from tests.locking import shown
from tests.tui_helpers import type_text, wait_until
from tui import crash

NOTE = "Secret plans of Acme"
PASSWORD = "Hunter2pw"


def read_report(app) -> str:
    (path,) = app.crash_reports
    assert path.parent == crash.report_folder()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    return path.read_text()


@pytest.mark.crash_expected
async def test_an_error_while_saving_is_reported_and_the_form_stays(app, monkeypatch):
    save = conversations.save

    def broken(form, *args, **kwargs):
        url = f"postgresql://anna:{PASSWORD}@db.example/crm"  # a local with a password
        raise RuntimeError(f"boom while talking to {url}")

    monkeypatch.setattr(conversations, "save", broken)
    acme = factories.customer("Acme")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        await type_text(pilot, NOTE)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "a report is in" in shown(app), what="the one line")
        assert "Traceback" not in shown(app) and app.is_running
        assert isinstance(app.screen, ConversationForm)
        assert app.screen.query_one("#note", TextArea).text == NOTE
        report = read_report(app)
        assert "RuntimeError" in report and "broken" in report
        assert PASSWORD not in report and NOTE not in report and "anna:***@" in report

        monkeypatch.setattr(conversations, "save", save)  # fixed: ctrl+s again saves
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Conversation.select().where(Conversation.note == NOTE).exists())


@pytest.mark.crash_expected
async def test_an_error_in_a_key_handler_is_reported_and_keys_still_work(app, monkeypatch):
    def broken(self) -> None:
        note = NOTE  # noqa: F841 (a local that must not reach the report)
        raise ValueError("a bug in a screen")

    monkeypatch.setattr(ConversationForm, "action_cancel", broken)
    acme = factories.customer("Acme")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        await pilot.press("escape")
        await wait_until(pilot, lambda: "a report is in" in shown(app), what="the one line")
        assert app.is_running and "Traceback" not in shown(app)
        report = read_report(app)
        assert "ValueError: a bug in a screen" in report and NOTE not in report
        await type_text(pilot, "still typing")
        await wait_until(pilot, lambda: app.screen.query_one("#note", TextArea).text == "still typing")


def test_masking():
    assert crash.mask("postgresql://u:pw@h/db") == "postgresql://u:***@h/db"
    assert crash.mask("host=x password=abc&user=y") == "host=x password=***&user=y"
    assert crash.mask("conn with S3cr3t inside", ("S3cr3t",)) == "conn with *** inside"

"""Saving the conversation form while another connection locks the SQLite file (docs/storage.md): the
user sees a message, nothing typed is lost, and the save succeeds once the lock is gone.

The "other Rapport" is a second sqlite3 connection holding ``BEGIN IMMEDIATE``. The busy timeout
is cut from 10 s to 20 ms and the back-off sleep replaced, so the test waits for nothing."""

from __future__ import annotations

import sqlite3

import pytest
from textual.widgets import TextArea

from screens.conversation_form import ConversationForm
from storage.database import sqlite_path
from storage.models import Conversation, db
from tests import factories
from tests.screen_text import screen_text
from tests.tui_helpers import type_text

TYPED = "Called Anna [bold]re: quote[/]"


@pytest.fixture
def other_rapport(sqlite_ctx):
    """A second connection to the same file, as another Rapport would have."""
    db.execute_sql("PRAGMA busy_timeout = 20")  # ms, on the app's connection (same thread)
    other = sqlite3.connect(str(sqlite_path(sqlite_ctx.url)), isolation_level=None)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


def shown(app) -> str:
    """The screen's words in one line, so a message wrapped inside a toast reads whole."""
    text = screen_text(app)
    for frame in "▌│╭╮╰╯─":
        text = text.replace(frame, " ")
    return " ".join(text.split())


async def open_new_form(app, pilot) -> list:
    cust = factories.customer("Acme")
    results: list = []
    app.push_screen(ConversationForm.new(cust.id), results.append)
    await pilot.pause()
    await type_text(pilot, TYPED)
    return results


async def test_lock_held_through_every_try_keeps_the_text_and_ctrl_s_saves_later(
        app, other_rapport, monkeypatch):
    monkeypatch.setattr("storage.retry.sleep", lambda seconds: None)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_new_form(app, pilot)
        other_rapport.execute("BEGIN IMMEDIATE")  # the other Rapport is in the middle of a write
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ConversationForm) and results == []
        assert form.query_one("#note", TextArea).text == TYPED
        assert "Not saved: the database is busy" in shown(app)
        assert "Your text is kept; press ctrl+s to try again" in shown(app)
        assert Conversation.select().count() == 0

        other_rapport.execute("COMMIT")  # it finished
        await pilot.press("ctrl+s")  # the user tries again
        await pilot.pause()
        conv = Conversation.get()
        assert results == [conv.id] and conv.note == TYPED
        assert not isinstance(app.screen, ConversationForm)


async def test_lock_released_while_retrying_saves_without_a_second_ctrl_s(
        app, other_rapport, monkeypatch):
    waits: list[float] = []

    def back_off(seconds: float) -> None:  # the other Rapport commits during our back-off
        waits.append(seconds)
        other_rapport.execute("COMMIT")

    monkeypatch.setattr("storage.retry.sleep", back_off)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_new_form(app, pilot)
        other_rapport.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert len(waits) == 1
        assert "the database is busy: another Rapport is writing to it; trying again" in shown(app)
        conv = Conversation.get()
        assert results == [conv.id] and conv.note == TYPED

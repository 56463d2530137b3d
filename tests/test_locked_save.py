"""Saving the conversation form while another connection locks the SQLite file (docs/storage.md): the
user sees a message, nothing typed is lost, and the save succeeds once the lock is gone.

The "other Rapport" is a second sqlite3 connection holding ``BEGIN IMMEDIATE``. The busy timeout
of the app's database thread (tui.dbwork) is cut from 10 s to 30 ms and the back-off sleep
replaced, so the test waits for nothing (tests/locking.py)."""

from __future__ import annotations

from textual.widgets import TextArea

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation
from tests import factories
from tests.locking import shown
from tests.tui_helpers import type_text, wait_until

TYPED = "Called Anna [bold]re: quote[/]"


async def open_new_form(app, pilot) -> list:
    cust = factories.customer("Acme")
    results: list = []
    app.push_screen(ConversationForm.new(cust.id), results.append)
    await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
    await type_text(pilot, TYPED)
    return results


async def test_lock_held_through_every_try_keeps_the_text_and_ctrl_s_saves_later(app, other_rapport):
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_new_form(app, pilot)
        other_rapport.execute("BEGIN IMMEDIATE")  # the other Rapport is in the middle of a write
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Not saved: another Rapport is writing to the database" in shown(app))
        form = app.screen
        assert isinstance(form, ConversationForm) and results == []
        assert form.query_one("#note", TextArea).text == TYPED
        assert "Your text is kept; press ctrl+s to try again" in shown(app)
        assert Conversation.select().count() == 0

        other_rapport.execute("COMMIT")  # it finished
        await pilot.press("ctrl+s")  # the user tries again
        await wait_until(pilot, lambda: results != [])
        conv = Conversation.get()
        assert results == [conv.id] and conv.note == TYPED
        assert not isinstance(app.screen, ConversationForm)


async def test_lock_released_while_retrying_saves_without_a_second_ctrl_s(app, other_rapport, monkeypatch):
    waits: list[float] = []

    def back_off(seconds: float) -> None:  # the other Rapport commits during our back-off
        waits.append(seconds)
        other_rapport.execute("COMMIT")

    monkeypatch.setattr("storage.db.retry.sleep", back_off)
    told: list[str] = []  # every notification (a toast may be gone again on a slow machine)
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (told.append(message), notify(message, **kw)))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        results = await open_new_form(app, pilot)
        other_rapport.execute("BEGIN IMMEDIATE")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: results != [])
        assert len(waits) == 1
        assert "another Rapport is writing to the database; trying again…" in told
        conv = Conversation.get()
        assert results == [conv.id] and conv.note == TYPED

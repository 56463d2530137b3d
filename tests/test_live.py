"""Live refresh (docs/storage.md, issue 18): two real apps on one database, on SQLite and PostgreSQL.

App A is the real ``rapport`` in a pseudo-terminal (its own process and connection); app B is
driven in this process with Pilot, so the test can read B's cursor. Nothing is pressed in B
while A saves: A's save must show up in B's list within 2 seconds, B's cursor still on the
record it was on. A conversation edited in both: the second ctrl+s gets the choice, and
nothing is lost either way.
"""

from __future__ import annotations

import time

import pytest

from storage.context import Context
from storage.db.database import close_database, open_database
from storage.db.models import Conversation, Customer
from storage.errors import ChangedMeanwhile
from storage.records import conversations
from tests import factories
from tests.conftest import BACKENDS, TODAY
from tests.terminal import Terminal, private_env
from tests.tui_helpers import screen_text, type_text

LIVE_SECONDS = 2.0  # docs/storage.md


def test_a_save_over_a_changed_conversation_is_refused_unless_kept(ctx):
    customer = factories.customer("Acme")
    conv_id = conversations.save(
        conversations.ConversationInput(customer.id, note="first"), ctx.now(), ctx.employee().id
    )
    mine = conversations.input_for(conv_id)
    theirs = conversations.input_for(conv_id)
    theirs.note = "theirs"
    conversations.save(theirs, ctx.now(), ctx.employee().id, conv_id)
    mine.note = "mine"
    with pytest.raises(ChangedMeanwhile):
        conversations.save(mine, ctx.now(), ctx.employee().id, conv_id)
    assert Conversation.get_by_id(conv_id).note == "theirs"  # nothing written
    conversations.save(mine, ctx.now(), ctx.employee().id, conv_id, True)
    assert Conversation.get_by_id(conv_id).note == "mine"


def _start_a(url: str, tmp_path) -> Terminal:
    return Terminal(["--database", url, "--today", TODAY.isoformat()], private_env(tmp_path / "home-a", "anna"))


async def _until(pilot, condition, timeout: float, what: str) -> float:
    """Wait (no key pressed) until ``condition()``; returns the seconds it took."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < timeout, f"not within {timeout} s: {what}"
        await pilot.pause(0.02)
    return time.monotonic() - start


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
async def test_a_save_in_one_app_shows_in_the_other_without_a_key(database_url, tmp_path):
    from tui.app import RapportApp

    open_database(database_url)
    for name in ("Bravo", "Delta", "Echo", "Foxtrot"):
        factories.customer(name)
    delta = Customer.get(Customer.name == "Delta").id
    b = RapportApp(Context(url=database_url, today_override=TODAY, login="ben"))
    async with b.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "Foxtrot" in screen_text(b), 20, "B shows its list")
        table = b.screen.table
        table.focus()
        table.select_row_id(delta)
        await pilot.pause()
        assert table.cursor_row_id == delta and table.cursor == 1
        with _start_a(database_url, tmp_path) as a:
            a.wait_for("Foxtrot")
            mark = a.mark()
            a.press("n")
            a.wait_for("New customer", after=mark)
            a.type("Alpha from A")
            a.wait_for("Alpha from A", after=mark, timeout=60)  # a busy machine echoes slowly
            a.press("ctrl+s")
            saved = Customer.select().where(Customer.name == "Alpha from A")
            start = time.monotonic()
            while not saved.exists():
                assert time.monotonic() - start < 20, "A did not save"
                await pilot.pause(0.02)
            took = await _until(
                pilot, lambda: "Alpha from A" in screen_text(b), LIVE_SECONDS, "A's new customer in B's list"
            )
            assert table.cursor_row_id == delta and table.cursor == 2  # one row above it now
            assert "Traceback" not in a.text()
            a.press("escape", "ctrl+q")
            assert a.wait(timeout=15) == 0
    assert took <= LIVE_SECONDS


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
@pytest.mark.parametrize("choice", ["keep", "reload"])
async def test_the_second_save_of_one_conversation_gets_the_choice(database_url, tmp_path, choice):
    from textual.widgets import TextArea

    from screens.changed_meanwhile import ChangedMeanwhileScreen
    from screens.conversation_form import ConversationForm
    from tui.app import RapportApp

    open_database(database_url)
    acme = factories.customer("Acme")
    ctx = Context(url=database_url, today_override=TODAY, login="ben")
    conv_id = conversations.save(
        conversations.ConversationInput(acme.id, note="as logged"), ctx.now(), ctx.employee().id
    )
    b = RapportApp(ctx)
    async with b.run_test(size=(80, 24)) as pilot:
        await _until(pilot, lambda: "Acme" in screen_text(b), 20, "B shows its list")
        b.push_screen(ConversationForm.edit(conv_id))
        await _until(pilot, lambda: isinstance(b.screen, ConversationForm), 10, "B's form")
        await pilot.pause()
        await type_text(pilot, "B: ")
        with _start_a(database_url, tmp_path) as a:
            # A: Acme → Conversations tab → enter edits the conversation → type → ctrl+s.
            a.wait_for("Acme")
            mark = a.mark()
            a.press("down", "enter")
            a.wait_for("1 General", after=mark)
            mark = a.mark()
            a.press("3")
            a.wait_for("as logged", after=mark)
            a.wait_for("Complete", after=mark)  # the list has the focus: its keys in the footer
            mark = a.mark()
            a.press("enter")
            a.wait_for("Edit conversation", after=mark)
            a.type("A: ")
            a.wait_for("A: as logged", after=mark)
            a.press("ctrl+s")
            start = time.monotonic()
            while Conversation.get_by_id(conv_id).note != "A: as logged":
                assert time.monotonic() - start < 20, "A did not save"
                await pilot.pause(0.05)
            a.press("escape", "escape", "ctrl+q")
            assert a.wait(timeout=15) == 0
        form = b.screen
        assert form.query_one("#note", TextArea).text == "B: as logged"  # never overwritten
        await pilot.press("ctrl+s")
        await _until(pilot, lambda: isinstance(b.screen, ChangedMeanwhileScreen), 10, "the choice")
        await _until(
            pilot, lambda: "Someone else saved this conversation" in screen_text(b), 10, "the choice on screen"
        )
        assert Conversation.get_by_id(conv_id).note == "A: as logged"  # nothing written yet
        await pilot.press("k" if choice == "keep" else "r")
        if choice == "keep":
            await _until(pilot, lambda: not isinstance(b.screen, ConversationForm), 5, "B saved")
            assert Conversation.get_by_id(conv_id).note == "B: as logged"
        else:
            await _until(
                pilot, lambda: form.query_one("#note", TextArea).text == "A: as logged", 5, "A's version in B's form"
            )
            assert b.screen is form
            await type_text(pilot, "B again ")
            await pilot.press("ctrl+s")  # on top of A's version now: saved without a question
            await _until(pilot, lambda: not isinstance(b.screen, ConversationForm), 5, "B saved")
            assert Conversation.get_by_id(conv_id).note == "B again A: as logged"
    close_database()

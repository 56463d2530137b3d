"""Hostile and broken input in the TUI (issue 9): markup, escape sequences, control
characters, a 1 MB paste, right-to-left and combining text, SQL metacharacters and %/_ in
search, impossible dates and times. Each is stored and shown literally or refused with a
message naming the field; none crashes the app and none changes other data."""

from __future__ import annotations

import time

from textual import events
from textual.widgets import Input, TextArea

from screens.conversation_form import ConversationForm
from screens.customer_form import CustomerForm
from storage.db.database import close_database
from storage.db.models import Conversation, Customer
from tests import factories
from tests.conftest import sqlite_url
from tests.terminal import Terminal, private_env
from tests.tui_helpers import screen_text, type_text, wait_until
from tui.widgets.paged_table import PagedTable

EVIL = "Evil\x1b]0;PWNED\x07\x1b[5mBLINK\x00nul\x7fdel\x9bC1"
RTL = "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd e\u0301\u0301 Z\u0351\u0353"


def snapshot() -> list[tuple]:
    return list(
        Customer.select(Customer.id, Customer.number, Customer.name, Customer.notes).order_by(Customer.id).tuples()
    )


def customer_table(app) -> PagedTable:
    return app.screen.query_one("#customer-table", PagedTable)


async def test_search_matches_sql_metacharacters_and_wildcards_literally(app):
    factories.customer("100% Cotton", number="1")
    factories.customer("1000 Watt", number="2")
    factories.customer("a_b Trading", number="3")
    factories.customer("axb Trading", number="4")
    factories.customer("O'Brien", number="5")
    before = snapshot()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        search = app.screen.query_one("#customer-search", Input)
        for text, expected in [
            ("100%", ["100% Cotton"]),
            ("a_b", ["a_b Trading"]),
            ("O'Brien", ["O'Brien"]),
            ("'; DROP TABLE customer; --", []),
            ("%", ["100% Cotton"]),
            ("_", ["a_b Trading"]),
            ("\\", []),
        ]:
            search.value = ""
            search.focus()
            await type_text(pilot, text)
            await pilot.pause()
            shown = screen_text(app)
            assert customer_table(app).row_count == len(expected), text
            for name in expected:
                assert name in shown
    assert snapshot() == before


async def test_hostile_text_typed_and_pasted_into_the_customer_form(app):
    other = factories.customer("Untouched", number="9")
    before = snapshot()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm) and app.focused.id == "customer-name"
        await type_text(pilot, "[bold]x[/] [/] [link=x]y ")
        app.post_message(events.Paste(RTL + " " + EVIL + "\r\nsecond line dropped"))
        await pilot.pause()
        notes = form.query_one("#customer-notes", TextArea)
        notes.focus()
        app.post_message(events.Paste("'; DROP TABLE customer; --\n" + EVIL + "\n100% a_b"))
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = Customer.get(Customer.id != other.id)
        assert saved.name == "[bold]x[/] [/] [link=x]y " + RTL + " " + EVIL
        assert saved.notes == "'; DROP TABLE customer; --\n" + EVIL + "\n100% a_b"
        shown = screen_text(app)
        assert "[bold]x[/] [/] [link=x]y" in shown  # (raw output: test_control_characters_...)
        await pilot.press("escape")
        await pilot.pause()
        assert "[bold]x[/] [/]" in screen_text(app)  # the list shows it literally too
    assert snapshot()[0] == before[0]


async def test_one_megabyte_paste_into_a_note_is_saved_and_listed_by_its_first_line(app):
    cust = factories.customer("Acme")
    kept = factories.conversation(cust, "2026-03-01", note="an earlier call")
    paste = "First line of the paste\n" + ("Ünïcödé \u05e9\u05dc\u05d5\u05dd [b]x[/b] 100% " * 40 + "\n") * 800
    assert len(paste.encode()) > 1_000_000
    async with app.run_test(size=(80, 24)) as pilot:
        results: list = []
        app.push_screen(ConversationForm.new(cust.id), results.append)
        await pilot.pause()
        note = app.screen.query_one("#note", TextArea)
        assert app.focused is note
        started = time.monotonic()
        app.post_message(events.Paste(paste))
        await pilot.pause()
        await pilot.press("end", "x")  # the form still answers keys
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert time.monotonic() - started < 30  # generous: only a hang fails
        saved = Conversation.get(Conversation.id != kept.id)
        assert results == [saved.id]
        assert saved.note.startswith("First line of the paste\n") and len(saved.note) == len(paste) + 1
        assert Conversation.get_by_id(kept.id).note == "an earlier call"

        app.push_screen(CustomerForm(cust.id, tab="tab-conversations"))
        # the list shows each note's first line (cut to its column at 80x24), the detail the
        # highlighted one's first lines
        await wait_until(
            pilot,
            lambda: "an earlier …" in screen_text(app) and "First line of the paste" in screen_text(app),
            "the conversations list",
        )
        shown = screen_text(app)
        assert "First line …" in shown and "an earlier …" in shown


async def test_impossible_follow_up_date_and_end_time_name_their_fields(app):
    cust = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        form = app.screen
        await type_text(pilot, "Call")
        for field, value in (("follow_up", "2026-02-30"), ("time_end", "25:00")):
            form.query_one(f"#{field}", Input).focus()
            await type_text(pilot, value)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is form and Conversation.select().count() == 0
        shown = screen_text(app)
        assert "no such date" in shown and "no such time" in shown
        assert form.query_one("#error-follow_up").has_class("shown")
        assert form.query_one("#error-time_end").has_class("shown")
        assert form.query_one("#note", TextArea).text == "Call"


def test_control_characters_never_reach_the_terminal(tmp_path, sqlite_ctx):
    """The real app in a pty shows a customer, its form and a conversation being edited whose
    texts hold ESC, BEL, NUL, DEL and C1: none of them is written to the terminal raw."""
    cust = factories.customer(EVIL, number="1", notes=EVIL)
    factories.conversation(cust, "2026-03-01", note=EVIL + "\nsecond line", with_whom=EVIL)
    close_database()
    env = private_env(tmp_path / "home")
    with Terminal(["--database", sqlite_url(tmp_path), "--today", "2026-03-18"], env) as term:
        steps = [(("enter",), "1 General"), (("3",), "/ filter note"), (("e",), "Edit conversation")]
        term.wait_for("PWNED")
        for keys, marker in steps:
            mark = term.mark()
            term.press(*keys)
            term.wait_for(marker, after=mark)
        term.wait_for("second line")
        term.press("escape")
        term.press("ctrl+q")
        term.wait(timeout=15)
        raw = term.raw()
    assert b"PWNED" in raw and b"BLINK" in raw
    for injected in (b"\x1b]0;PWNED", b"PWNED\x07", b"\x1b[5mBLINK", b"\x00", b"\x7f", "\x9b".encode()):
        assert injected not in raw, injected

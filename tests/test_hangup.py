"""A dropped SSH connection (SIGHUP) or a SIGTERM while a note is being typed loses nothing:
the real app runs in a pseudo-terminal, gets the signal mid-typing, exits, and on the next
start offers the draft back with every character (docs/screens.md#keyboard-and-ssh, issue 9)."""

from __future__ import annotations

import json
import signal
import sqlite3
import time

import pytest

from storage.db.database import close_database, open_database
from tests import factories
from tests.conftest import sqlite_url
from tests.terminal import Terminal, open_new_conversation, private_env

NOTE = "Zebraphone call [bold]about[/] the order \u05e9\u05dc\u05d5\u05dd"


def rows(path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def database(tmp_path):
    """A database file with one customer, closed again: the app processes own it."""
    url = sqlite_url(tmp_path)
    open_database(url)
    factories.customer("Acme")
    close_database()
    return url, tmp_path / "rapport.db"


def start(url: str, tmp_path) -> Terminal:
    return Terminal(["--database", url, "--today", "2026-03-18"], private_env(tmp_path / "home"))


def type_note_in_a_new_conversation(term: Terminal) -> None:
    """Customers → Acme → Conversations tab → n, then type NOTE and see all of it on screen."""
    open_new_conversation(term)
    mark = term.mark()
    term.type(NOTE)
    term.wait_for(NOTE, after=mark)  # every key reached the form: the signal comes mid-typing


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_signal_while_typing_keeps_the_draft_and_offers_it_back(database, tmp_path, signum):
    url, path = database
    with start(url, tmp_path) as term:
        type_note_in_a_new_conversation(term)
        # Well inside the 2 s debounce: only the signal handler can have written the draft.
        assert rows(path, "SELECT count(*) FROM draft") == [(0,)]
        term.signal(signum)
        assert term.wait(timeout=15) == 128 + signum
    ((payload,),) = rows(path, "SELECT payload FROM draft WHERE form = 'conversation' AND employee = 'tester'")
    assert json.loads(payload)["note"] == NOTE

    with start(url, tmp_path) as term:
        term.wait_for("nothing was lost")
        term.wait_for("Zebraphone call")  # the start of the note, in the list of drafts
        mark = term.mark()
        term.press("enter")  # restore
        term.wait_for("New conversation", after=mark)
        term.press("ctrl+s")
        deadline = time.monotonic() + 15
        while not (saved := rows(path, "SELECT note FROM conversation")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert saved == [(NOTE,)]
        assert rows(path, "SELECT count(*) FROM draft") == [(0,)]
        term.press("ctrl+q")
        assert term.wait(timeout=15) == 0
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]


def test_text_typed_ahead_of_the_form_is_kept(database, tmp_path):
    """Keys that arrive as the form is first drawn (type-ahead over a slow SSH link, a paste
    right after n) are typing like any other: quitting keeps them as a draft. (They used to
    become the form's "original" text: no draft, and escape discarded them without asking.)"""
    url, path = database
    with start(url, tmp_path) as term:
        term.wait_for("Acme")
        mark = term.mark()
        term.press("n")  # new customer
        term.wait_for("New customer", after=mark)
        term.type("Typed ahead")  # at once, as the form is first drawn
        term.wait_for("Typed ahead", after=mark)
        term.press("ctrl+q")
        assert term.wait(timeout=15) == 0
    ((payload,),) = rows(path, "SELECT payload FROM draft WHERE form = 'customer'")
    assert json.loads(payload)["name"] == "Typed ahead"

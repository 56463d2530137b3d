"""Two Rapports on one SQLite file, as in two SSH sessions of one user (docs/storage.md, issue 9):
both real apps run side by side in pseudo-terminals, both save, each sees the other's saves
after a refresh (the Customers list reloads when it comes back to the front), and neither
crashes on a lock. Many concurrent writes from two processes, on SQLite and PostgreSQL, are
tests/test_concurrency.py; this test is about the apps."""

from __future__ import annotations

import sqlite3
import time

from storage.db.database import close_database, open_database
from tests import factories
from tests.conftest import sqlite_url
from tests.terminal import Terminal, private_env


def names(path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [row[0] for row in con.execute("SELECT name FROM customer ORDER BY id")]
    finally:
        con.close()


def wait_for_row(path, name: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while name not in names(path):
        assert time.monotonic() < deadline, f"{name!r} was not saved; customers: {names(path)}"
        time.sleep(0.05)


def add_customer(term: Terminal, name: str) -> None:
    mark = term.mark()
    term.press("n")
    term.wait_for("New customer", after=mark)
    term.type(name)
    term.wait_for(name, after=mark)
    term.press("ctrl+s")


def refresh_until(term: Terminal, needle: str, tries: int = 5) -> None:
    """Leave the Customers screen and come back (F3, then F2): the list is read again. Each
    step waits for its screen, and the round is repeated a few times on a busy machine."""
    for attempt in range(tries):
        mark = term.mark()
        term.press("f3")
        term.wait_for("Overdue", after=mark)  # (its title may be under a toast a moment yet)
        mark = term.mark()
        term.press("f2")
        try:
            term.wait_for(needle, after=mark, timeout=4 if attempt < tries - 1 else 20)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise


def test_two_apps_on_one_file_see_each_others_saves(tmp_path):
    url = sqlite_url(tmp_path)
    open_database(url)
    factories.customer("Existing", number="100")
    close_database()
    path = tmp_path / "rapport.db"
    args = ["--database", url, "--today", "2026-03-18"]
    with (
        Terminal(args, private_env(tmp_path / "home-a", "anna")) as a,
        Terminal(args, private_env(tmp_path / "home-b", "ben")) as b,
    ):
        a.wait_for("Existing")
        b.wait_for("Existing")
        add_customer(a, "Alpha from A")
        wait_for_row(path, "Alpha from A")
        a.press("escape")
        refresh_until(b, "Alpha from A")

        add_customer(b, "Beta from B")
        wait_for_row(path, "Beta from B")
        b.press("escape")
        refresh_until(a, "Beta from B")

        # Both open a new customer at once (the same suggested number), both save at once:
        # one is saved, the other says why not and keeps the text; nothing crashes on the lock.
        mark_a, mark_b = a.mark(), b.mark()
        a.press("n")
        b.press("n")
        a.wait_for("New customer", after=mark_a)
        b.wait_for("New customer", after=mark_b)
        a.type("Gamma from A")
        b.type("Delta from B")
        a.wait_for("Gamma from A", after=mark_a)
        b.wait_for("Delta from B", after=mark_b)
        a.type("\x13")  # ctrl+s in both, without a pause
        b.type("\x13")
        refused = "is already used by another customer"
        deadline = time.monotonic() + 15
        while not (refused in a.text()[mark_a:] or refused in b.text()[mark_b:]):
            assert time.monotonic() < deadline, "neither save was refused"
            time.sleep(0.05)
        loser, winner = (a, b) if refused in a.text()[mark_a:] else (b, a)
        wait_for_row(path, "Gamma from A" if winner is a else "Delta from B")
        saved = {"Gamma from A", "Delta from B"} & set(names(path))
        assert len(saved) == 1  # the same number: one wins, whichever was first
        assert a.poll() is None and b.poll() is None
        winner.press("escape", "ctrl+q")
        assert winner.wait(timeout=15) == 0
        loser.press("ctrl+q")  # quitting keeps the loser's unsaved text as a draft
        assert loser.wait(timeout=15) == 0
        assert "Traceback" not in a.text() + b.text()
    assert names(path)[:3] == ["Existing", "Alpha from A", "Beta from B"] and len(names(path)) == 4
    lost = ({"Gamma from A", "Delta from B"} - saved).pop()
    con = sqlite3.connect(path)
    drafts = con.execute("SELECT form, employee, payload FROM draft").fetchall()
    con.close()
    assert [(form, who) for form, who, _ in drafts] == [("customer", "anna" if "A" in lost[-1] else "ben")]
    assert f'"name": "{lost}"' in drafts[0][2]

"""The whole process under stress (issue 13): keys sent in one write, a signal while it is busy
opening a huge note, and a read-only command while another process holds a write."""

from __future__ import annotations

import signal
import sqlite3
import time

from cli.main import main
from storage.db.database import close_database, open_database
from tests import factories
from tests.conftest import TODAY, sqlite_url
from tests.terminal import Terminal, private_env
from tests.test_hangup import rows

NOTE = "Typed ahead [bold]at once[/] über SSH"


def database(tmp_path, notes: str = "") -> tuple[str, str]:
    url = sqlite_url(tmp_path)
    open_database(url)
    factories.customer("Acme", notes=notes)
    close_database()
    return url, str(tmp_path / "rapport.db")


def test_ctrl_n_enter_a_note_and_ctrl_s_in_one_write_save_that_note(tmp_path):
    url, path = database(tmp_path)
    with Terminal(["--database", url, "--today", TODAY.isoformat()], private_env(tmp_path / "home")) as term:
        term.wait_for("Acme")
        term.type("\x0e" + "\r" + NOTE + "\x13")  # ctrl+n, enter, the note, ctrl+s: one write
        deadline = time.monotonic() + 30
        while not (saved := rows(path, "SELECT note FROM conversation")) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert saved == [(NOTE,)]
        term.press("ctrl+q")
        assert term.wait(timeout=15) == 0


def test_sigterm_while_opening_a_customer_with_a_5_mb_note_ends_it_within_2_s(tmp_path):
    url, _ = database(tmp_path, notes=("Lorem ipsum dolor sit amet " * 40 + "\n") * 4_700)
    with Terminal(["--database", url, "--today", TODAY.isoformat()], private_env(tmp_path / "home")) as term:
        term.wait_for("Acme")
        mark = term.mark()
        term.type("\r")  # open it
        term.wait_for_output(after=mark)  # the opening has begun; the signal must not wait for it to end
        start = time.monotonic()
        term.signal(signal.SIGTERM)
        term.wait(timeout=10)
        assert time.monotonic() - start < 2.0


def test_a_read_only_command_does_not_wait_for_a_writer(tmp_path, capsys):
    url, path = database(tmp_path)
    assert main(["--database", url, "--today", TODAY.isoformat(), "followups"]) == 0  # as usual
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")  # another Rapport in the middle of a long write
        other.execute("UPDATE customer SET name = 'Acme (being changed)'")
        start = time.monotonic()
        assert main(["--database", url, "--today", TODAY.isoformat(), "followups", "--all"]) == 0
        assert main(["--database", url, "--today", TODAY.isoformat(), "followups"]) == 0
        assert time.monotonic() - start < 2.0
    finally:
        other.execute("ROLLBACK")
        other.close()

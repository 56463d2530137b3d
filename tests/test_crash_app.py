"""SIGKILL during ``rapport demo`` and during a save from the TUI (issue 9): the database
passes ``PRAGMA integrity_check``, opens again, and shows nothing half-written. The storage
level (a loop of confirmed saves killed at a random moment) is tests/test_crash.py."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from cli.main import main
from storage.db.database import close_database, open_database
from tests import factories
from tests.conftest import sqlite_url
from tests.terminal import ROOT, Terminal, open_new_conversation, private_env


def query(path, sql: str) -> list[tuple]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def wait_until(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@pytest.fixture
def database(tmp_path):
    url = sqlite_url(tmp_path)
    open_database(url)
    factories.customer("Kept before the demo", number="K1")  # a save confirmed earlier
    close_database()
    return url, tmp_path / "rapport.db"


def test_sigkill_during_demo_leaves_no_half_demo(database, tmp_path, capsys):
    """The demo writes everything in one transaction (storage/sample/demo.py), dropping and rebuilding
    the conversation indexes inside it: a kill midway must leave the database exactly as it
    was before, indexes included."""
    url, path = database
    indexes = query(path, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
    wal = tmp_path / "rapport.db-wal"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tui",
            "--database",
            url,
            "demo",
            "--force",
            "--customers",
            "2000",
            "--conversations",
            "3000000",
        ],
        cwd=ROOT,
        env=private_env(tmp_path / "home"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Mid-write: the transaction has spilled several MB of pages into the WAL.
        wait_until(
            lambda: wal.exists() and wal.stat().st_size > 4_000_000 or proc.poll() is not None,
            60,
            "the demo to start writing",
        )
        assert proc.poll() is None, proc.stderr.read().decode()
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    assert query(path, "SELECT number, name FROM customer") == [("K1", "Kept before the demo")]
    assert query(path, "SELECT count(*) FROM conversation") == [(0,)]
    assert query(path, "SELECT count(*) FROM contact") == [(0,)]
    assert query(path, "SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name") == indexes

    # It opens again and works: a small demo afterwards, then a report.
    assert main(["--database", url, "demo", "--force", "--customers", "3", "--conversations", "20"]) == 0
    assert main(["--database", url, "--today", "2026-03-18", "followups", "--all", "--json"]) == 0
    assert query(path, "SELECT count(*) FROM conversation") == [(20,)]
    assert query(path, "PRAGMA integrity_check") == [("ok",)]


@pytest.mark.parametrize("delay", [0.0, 0.1])
def test_sigkill_during_a_save_from_the_tui(tmp_path, delay):
    """ctrl+s on a new conversation, then SIGKILL a moment later: either the whole
    conversation is there or none of it, the database is sound, and the app starts again."""
    url = sqlite_url(tmp_path)
    open_database(url)
    factories.customer("Acme", number="A1")
    close_database()
    path = tmp_path / "rapport.db"
    note = "Killed while saving " + "x" * 300 + " end"
    env = private_env(tmp_path / "home")
    with Terminal(["--database", url, "--today", "2026-03-18"], env) as term:
        mark = open_new_conversation(term)
        term.type(note)
        term.wait_for(" end", after=mark)
        term.type("\x13")  # ctrl+s
        time.sleep(delay)
        term.kill()

    assert query(path, "PRAGMA integrity_check") == [("ok",)]
    saved = query(path, "SELECT note FROM conversation")
    assert saved in ([], [(note,)])
    assert query(path, "SELECT number, name FROM customer") == [("A1", "Acme")]
    with Terminal(["--database", url, "--today", "2026-03-18"], env) as term:
        term.wait_for("Acme")
        term.press("ctrl+q")
        assert term.wait(timeout=15) == 0

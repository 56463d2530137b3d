"""Another Rapport holding the database, for tests of what the TUI does meanwhile.

``other_rapport`` is a second sqlite3 connection to the app's file; ``other.execute("BEGIN
IMMEDIATE")`` holds the write lock until ``COMMIT``. ``short_waits`` cuts the busy timeout of
the connections the app opens from now on (its database threads: tui.dbwork) to 30 ms and the
back-off between tries to nothing, so a test never waits seconds for a lock to time out."""

from __future__ import annotations

import sqlite3

import pytest

from storage.db.connection import sqlite_path
from storage.db.models import db
from tests.screen_text import screen_text

BUSY_MS = 30


def short_waits(monkeypatch) -> None:
    database = db.obj
    pragmas = [(k, BUSY_MS if k == "busy_timeout" else v) for k, v in database._pragmas]
    monkeypatch.setattr(database, "_pragmas", pragmas)
    monkeypatch.setattr(database, "_timeout", BUSY_MS / 1000)
    monkeypatch.setattr("storage.db.retry.sleep", lambda seconds: None)


@pytest.fixture
def other_rapport(sqlite_ctx, monkeypatch):
    short_waits(monkeypatch)
    other = sqlite3.connect(
        str(sqlite_path(sqlite_ctx.url)), isolation_level=None, check_same_thread=False
    )  # (a retry back-off may commit it)
    yield other
    if other.in_transaction:
        other.execute("ROLLBACK")
    other.close()


NOT_CHANGED = "Not changed: another Rapport is writing to the database"


async def keys_under_lock(pilot, other, keys: tuple[str, ...], changed) -> None:
    """``keys`` (a key that changes records) while ``other`` holds the write lock: the one line
    "Not changed: another Rapport is writing to the database…", nothing changed, the app up; the same keys once the
    lock is gone: ``changed()`` becomes true."""
    from tests.tui_helpers import wait_until

    app = pilot.app
    app.clear_notifications()
    other.execute("BEGIN IMMEDIATE")
    await pilot.press(*keys)
    await wait_until(pilot, lambda: NOT_CHANGED in shown(app), what=f"{keys}: the message")
    assert not changed() and app.is_running
    other.execute("COMMIT")
    await pilot.press(*keys)
    await wait_until(pilot, changed, what=f"{keys} after the lock was released")


def shown(app) -> str:
    """The screen's words in one line, then the whole text of every notification (a toast is
    one line across the top, cut to the terminal's width)."""
    text = screen_text(app)
    for frame in "▌│╭╮╰╯─▎▊":
        text = text.replace(frame, " ")
    messages = " ".join(str(n.message) for n in app._notifications)
    return " ".join(f"{text} {messages}".split())

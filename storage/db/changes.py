"""Noticing what other sessions saved, without a key (docs/storage.md "Live").

``ChangeWatcher(url, on_change)`` runs a small thread of its own with a connection of its
own, and calls ``on_change()`` from that thread soon after any session commits a change:

- PostgreSQL: the thread LISTENs on one channel, ``rapport_changes``. Statement-level triggers
  on the tables the lists show (``NOTIFY_TABLES``) send a notification naming the table when a
  statement changed it; PostgreSQL delivers it only when that transaction commits, once per
  table and transaction, whoever wrote (a form, an import, the command line, raw SQL).
- SQLite: the thread reads ``PRAGMA data_version`` every ``interval`` seconds; it changes when
  another connection committed to the file (WAL keeps that read from waiting for writers).

A lost server connection is retried quietly every few seconds; the app goes on as before.
Nothing here is needed for correctness: it only tells the screens when to refetch.
"""

from __future__ import annotations

import select
import sqlite3
import threading
from collections.abc import Callable

CHANNEL = "rapport_changes"
# What the lists and counts show; not the drafts (saved as people type) nor the derived
# pipeline tables (rewritten by reports).
NOTIFY_TABLES = ("customer", "contact", "conversation", "booking", "employee", "topic", "method", "pipeline_stage")

POSTGRES_NOTIFY = [
    f"""CREATE OR REPLACE FUNCTION rapport_notify_change() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN PERFORM pg_notify('{CHANNEL}', TG_TABLE_NAME); RETURN NULL; END $$""",
] + [
    statement
    for table in NOTIFY_TABLES
    for statement in (
        f'DROP TRIGGER IF EXISTS rapport_notify_change ON "{table}"',
        f'CREATE TRIGGER rapport_notify_change AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION rapport_notify_change()",
    )
]


def create_notify_triggers(database) -> None:
    """The triggers that announce changes on PostgreSQL (SQLite needs none)."""
    from storage.db.dialect import is_sqlite

    if not is_sqlite(database):
        for statement in POSTGRES_NOTIFY:
            database.execute_sql(statement)


class ChangeWatcher:
    """Calls ``on_change()`` (from its own thread) after another session committed."""

    RECONNECT_SECONDS = 3.0

    def __init__(self, url: str, on_change: Callable[[], None], interval: float = 0.5) -> None:
        self.url = url
        self.on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        scheme = self.url.split(":", 1)[0].lower()
        target = self._sqlite if scheme == "sqlite" else self._postgres
        self._thread = threading.Thread(target=self._guarded, args=(target,), name="rapport-changes", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def _guarded(self, target) -> None:
        while not self._stop.is_set():
            try:
                target()
            except Exception:  # a lost connection, a missing file: try again shortly
                pass
            self._stop.wait(self.RECONNECT_SECONDS)

    # -- SQLite --------------------------------------------------------------------------
    def _sqlite(self) -> None:
        from storage.db.connection import sqlite_path

        connection = sqlite3.connect(str(sqlite_path(self.url)), check_same_thread=False)
        try:
            last = connection.execute("PRAGMA data_version").fetchone()[0]
            while not self._stop.wait(self.interval):
                version = connection.execute("PRAGMA data_version").fetchone()[0]
                if version != last:
                    last = version
                    self.on_change()
        finally:
            connection.close()

    # -- PostgreSQL ----------------------------------------------------------------------
    def _postgres(self) -> None:
        from storage.db.connection import make_database

        database = make_database(self.url)
        connection = database._connect()  # type: ignore[attr-defined]  # PostgresqlDatabase's, not in peewee's stubs
        try:
            connection.autocommit = True
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
            while not self._stop.is_set():
                ready, _, _ = select.select([connection], [], [], self.interval)
                if not ready:
                    continue
                connection.poll()
                if connection.notifies:
                    connection.notifies.clear()
                    self.on_change()
        finally:
            connection.close()

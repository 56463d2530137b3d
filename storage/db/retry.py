"""Retrying a write when the database is locked or the connection dropped (docs/storage.md).

Two Rapports on one SQLite file, or a team on one PostgreSQL server, sometimes meet: SQLite is
locked by the other instance's write, PostgreSQL reports that two transactions conflicted, or
the server restarted and the connection is gone. None of that may crash a screen or lose what
the user typed. A write function runs through this module instead of a bare ``db.atomic()``:

    from storage.db.retry import retrying

    @retrying
    def set_completed(conversation_id, completed, today):
        ...                      # the whole body is one write transaction

    run_write(conversations.save, form, now, employee_id, on_wait=tell_the_user)

What happens:

- The function runs inside one write transaction: ``BEGIN IMMEDIATE`` on SQLite (so a write
  that reads first holds the lock from the start) and ``SERIALIZABLE`` on PostgreSQL (so two
  read-then-write transactions that overlap cannot both commit: one gets a conflict and runs
  again, and no write is lost).
- On a lock, a conflict or a dropped connection, the transaction is rolled back, a broken
  connection is closed (the next statement opens a new one), ``on_wait(error, attempt)`` is
  called if given (a screen notifies ``error.reason``), and after a short back-off the
  *whole function* runs again. So it must not do anything outside the database that cannot
  be repeated (no file writes, no mail).
- After ``ATTEMPTS[kind]`` tries it raises ``DatabaseBusy`` or ``ConnectionLost``: one-line
  ``RapportError``s, nothing written. The CLI prints them; a screen notifies and keeps the text.
- Called inside a transaction that is already open, the function runs nested (a savepoint)
  and is not retried on its own: the outermost ``run_write``/``retrying`` call retries it all.
  Other errors (``ValidationError``, ``IntegrityError``...) pass through untouched.

A context manager cannot do this (a ``with`` block cannot run its body twice), hence a
decorator and ``run_write``. On SQLite each try already waits up to the busy timeout (10 s)
for the lock, so the number of tries stays small. Screens never call these on the UI thread:
``tui.dbwork`` runs them on its database thread, so a long lock never freezes the screen, and
``on_wait_in_this_thread`` lets it say "trying again…" for every retried write.

Reads need none of this: on PostgreSQL ``storage.db.connection.PostgresDatabase`` reopens a
dropped connection before a statement outside a transaction (or raises ``ConnectionLost``),
and SQLite readers in WAL mode are not blocked by a writer.
"""

from __future__ import annotations

import contextlib
import functools
import random
import sqlite3
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import peewee

from storage.db.models import db
from storage.errors import ConnectionLost, DatabaseBusy, DatabaseUnavailable

T = TypeVar("T")
OnWait = Callable[[DatabaseUnavailable, int], None]  # (the error, the try that failed)

# Tries per kind of trouble. "lost": a PostgreSQL restart takes a second or two. "busy": on
# SQLite each try has already waited the busy timeout (10 s) for the lock, so one more try is
# enough (a screen waits at most ~20 s before saying so). "conflict": two PostgreSQL
# transactions on the same rows; it is over at once, so retry sooner and more often, with
# jitter so that the two writers do not meet again.
ATTEMPTS = {"lost": 5, "busy": 2, "conflict": 12}
DELAYS = (0.05, 0.3, 1.0, 2.5)  # seconds before try 2, 3, 4, 5
CONFLICT_DELAY = 0.02

BUSY_MESSAGES = ("database is locked", "database table is locked", "database schema is locked")
LOST_MESSAGES = (
    "server closed the connection",
    "terminating connection",
    "connection already closed",
    "connection is closed",
    "no connection to the server",
    "could not connect",
    "connection refused",
    "could not receive data",
    "could not send data",
    "ssl syscall error",
    "the database system is shutting down",
    "the database system is starting up",
    "the database system is in recovery mode",
    "connection timed out",
    "too many connections",  # the server refuses new connections (a limit, going down)
)
CONFLICT_CODES = {"40001", "40P01"}  # serialization failure, deadlock detected
BUSY_CODES = {"55P03"}  # lock not available
LOST_CODE_PREFIXES = ("08", "57P")  # connection exception; operator intervention (shutdown)

sleep = time.sleep  # tests replace it
_waiting = threading.local()  # .on_wait: the hook of ``on_wait_in_this_thread``


@contextlib.contextmanager
def on_wait_in_this_thread(on_wait: OnWait):
    """Within the block, writes of this thread that retry call ``on_wait`` (unless they were
    given their own): ``tui.dbwork`` tells the user "trying again…" for any save."""
    previous = getattr(_waiting, "on_wait", None)
    _waiting.on_wait = on_wait
    try:
        yield
    finally:
        _waiting.on_wait = previous


def _driver_error(exc: BaseException) -> BaseException:
    """The driver's exception behind peewee's wrapper (peewee keeps it as ``orig``)."""
    orig = getattr(exc, "orig", None)
    return orig if isinstance(orig, BaseException) else exc


def _first_line(exc: BaseException) -> str:
    text = str(_driver_error(exc)).strip()
    return text.splitlines()[0].strip() if text else type(exc).__name__


def classify(exc: BaseException) -> str | None:
    """'busy', 'conflict', 'lost' for an error worth retrying; None for any other error."""
    if isinstance(exc, DatabaseBusy):
        return "busy"
    if isinstance(exc, ConnectionLost):
        return "lost"
    if not isinstance(exc, (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error)):
        return None
    code = getattr(_driver_error(exc), "pgcode", None) or ""
    if code in CONFLICT_CODES:
        return "conflict"
    if code in BUSY_CODES:
        return "busy"
    if code.startswith(LOST_CODE_PREFIXES):
        return "lost"
    message = str(_driver_error(exc)).lower()
    if any(fragment in message for fragment in BUSY_MESSAGES):
        return "busy"
    if any(fragment in message for fragment in LOST_MESSAGES):
        return "lost"
    return None


def is_connection_lost(exc: BaseException) -> bool:
    return classify(exc) == "lost"


def unavailable(exc: BaseException) -> DatabaseUnavailable:
    """The one-line error a user sees for a retryable error ``exc``."""
    if isinstance(exc, DatabaseUnavailable):
        return exc
    kind = classify(exc)
    if kind == "lost":
        return ConnectionLost(f"lost the connection to the database server ({_first_line(exc)})")
    if kind == "conflict":
        return DatabaseBusy("another user kept changing the same records")
    return DatabaseBusy("another Rapport is writing to the database")


def _delay(kind: str, attempt: int) -> float:
    if kind == "conflict":
        return random.uniform(0, CONFLICT_DELAY * attempt)
    return DELAYS[min(attempt, len(DELAYS)) - 1]


def _attempts(kind: str) -> int:
    return ATTEMPTS[kind]


def _write_transaction(database: peewee.Database):
    if isinstance(database, peewee.PostgresqlDatabase):
        return database.atomic(isolation_level="SERIALIZABLE")
    return database.atomic()  # SQLite: BEGIN IMMEDIATE (the database's lock_type)


def _drop_broken_connection(database: peewee.Database) -> None:
    """Close a connection that is gone or stuck in a failed state; the next statement opens a
    new one (peewee's autoconnect)."""
    if database.is_closed() or database.is_connection_usable():
        return
    try:
        database.close()
    except Exception:  # closing a dead connection may complain; forget it anyway
        database.dispose()


def _run(fn: Callable[..., T], args: tuple, kwargs: dict, on_wait: OnWait | None = None) -> T:
    database = db.obj
    if database.in_transaction():
        with database.atomic():
            return fn(*args, **kwargs)

    def once() -> T:
        with _write_transaction(database):
            return fn(*args, **kwargs)

    return _retry(once, on_wait)


def _retry(once: Callable[[], T], on_wait: OnWait | None = None, kinds=("busy", "conflict", "lost")) -> T:
    attempt = 0
    while True:
        attempt += 1
        try:
            return once()
        except Exception as exc:
            kind = classify(exc)
            if kind is None or kind not in kinds:
                raise
            _drop_broken_connection(db.obj)
            error = unavailable(exc)
            if attempt >= _attempts(kind):
                raise error from exc
            hook = on_wait or getattr(_waiting, "on_wait", None)
            if hook is not None:
                hook(error, attempt)
            sleep(_delay(kind, attempt))


def retry_when_busy(fn: Callable[..., T], *args) -> T:
    """``fn(*args)`` again after a back-off while the database is locked; for work that manages
    its own connection and transactions, such as opening the database: two Rapports starting
    on a new SQLite file at the same moment both switch it to WAL, and SQLite refuses one of
    them at once rather than wait (it would deadlock)."""
    return _retry(lambda: fn(*args), kinds=("busy",))


def run_write(fn: Callable[..., T], *args, on_wait: OnWait | None = None, **kwargs) -> T:
    """``fn(*args, **kwargs)`` in a write transaction, retried as the module docstring says.

    ``on_wait(error, attempt)`` is called before each new try, in the calling thread (a screen
    notifies ``error.reason`` and "trying again").
    """
    return _run(fn, args, kwargs, on_wait)


def retrying(fn: Callable[..., T]) -> Callable[..., T]:
    """Decorator: every call of ``fn`` is one retried write transaction (see ``run_write``)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return _run(fn, args, kwargs)

    return wrapper

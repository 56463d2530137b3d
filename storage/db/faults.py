"""Database faults as one-line errors (docs/screens.md#keyboard-and-ssh): nothing the database refuses ends the app.

``fault(exc)`` looks at an exception raised by storage (and at the errors behind it: peewee
wraps the driver's error, and SQLite's "cannot rollback - no transaction is active" after a
full disk hides the real cause in ``__context__``) and returns the ``RapportError`` a user
should see, or None when it is not a database fault at all (a bug: ``tui.crash`` reports it).

    DatabaseBusy / ConnectionLost   locked past every retry, server gone (storage.db.retry)
    DatabaseFault                   disk full, read-only, a value too large, a constraint
"""

from __future__ import annotations

import errno
import sqlite3

import peewee

from storage.db.retry import classify, unavailable
from storage.errors import DatabaseFault, RapportError

# (what the driver says, lower case) -> what the user reads
_MESSAGES = (
    ("database or disk is full", "the disk is full"),
    ("no space left on device", "the disk is full"),
    ("could not extend file", "the disk is full"),
    ("disk i/o error", "the disk could not be written (I/O error)"),
    ("readonly database", "the database is read-only"),
    ("read-only", "the database is read-only"),
    ("value too long", "a value is too long for the database"),
    ("out of range", "a number is too large for the database"),
    ("too large to convert", "a number is too large for the database"),
    ("unable to open database file", "the database file cannot be opened"),
)
_PG_CODES = {
    "53100": "the disk of the database server is full",
    "53200": "the database server is out of memory",
    "25006": "the database is read-only",
    "22001": "a value is too long for the database",
    "22003": "a number is too large for the database",
}


def _chain(exc: BaseException | None):
    """``exc`` and every error behind it, each once."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        orig = getattr(exc, "orig", None)
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
        exc = exc.__cause__ or exc.__context__


def _is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, (peewee.PeeweeException, sqlite3.Error, OverflowError)) or type(exc).__module__.startswith(
        "psycopg"
    )


def fault(exc: BaseException) -> RapportError | None:
    """The one-line error for a database fault ``exc``; None for anything else."""
    if isinstance(exc, RapportError):
        return exc
    chain = list(_chain(exc))
    if not any(_is_database_error(e) for e in chain) and not (
        isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EROFS)
    ):
        return None
    for error in chain:
        if classify(error) is not None:
            return unavailable(error)
    for error in chain:
        code = getattr(error, "pgcode", None)
        if code in _PG_CODES:
            return DatabaseFault(_PG_CODES[code])
        text = str(error).lower()
        for fragment, reason in _MESSAGES:
            if fragment in text:
                return DatabaseFault(reason)
        if isinstance(error, OSError) and error.errno == errno.ENOSPC:
            return DatabaseFault("the disk is full")
    if any(isinstance(e, (peewee.IntegrityError, sqlite3.IntegrityError)) for e in chain):
        return DatabaseFault("the database refused the change (it conflicts with another record)")
    if any(isinstance(e, OverflowError) for e in chain):
        return DatabaseFault("a number is too large for the database")
    refused = (peewee.OperationalError, peewee.DataError, peewee.InternalError, sqlite3.OperationalError)
    if any(isinstance(e, refused) for e in chain):  # not a bug of ours: SQL that is wrong is
        first = str(chain[0]).strip().splitlines()  # a ProgrammingError, reported as a crash
        return DatabaseFault(f"the database refused it ({first[0] if first else type(exc).__name__})")
    return None

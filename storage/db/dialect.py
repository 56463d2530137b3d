"""What differs between the two backends, SQLite and PostgreSQL, in one place.

Imports nothing of the project but the unbound database proxy, so any storage module may ask
"which backend is this?" without an import cycle.
"""

from __future__ import annotations

import peewee

from storage.db.models import db


def is_sqlite(database: peewee.Database | None = None) -> bool:
    """True when ``database`` (default: the one Rapport has open) is SQLite."""
    database = database or db.obj
    return isinstance(database, peewee.SqliteDatabase)


def days_between(later: str, earlier: str) -> str:
    """SQL for the whole days from ``earlier`` to ``later`` (two date expressions)."""
    if is_sqlite():
        return f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)"
    return f"({later} - {earlier})"

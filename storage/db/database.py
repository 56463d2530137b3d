"""Opening the database named by a URL: the per-user SQLite file by default, or PostgreSQL.

README.md#settings-configtoml, docs/storage.md. ``open_database`` binds the models, applies the pragmas, creates or upgrades
the schema and returns the peewee database. Every failure the user can fix is raised as a
``RapportError`` with one line that names the file or URL.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from pathlib import Path

import peewee

from storage.db.connection import make_database, redact, sqlite_path
from storage.db.dialect import is_sqlite
from storage.db.models import db
from storage.db.retry import retry_when_busy
from storage.errors import RapportError


def open_database(url: str, *, migrate: bool = True) -> peewee.Database:
    """Open the database at ``url``, bind the models to it and bring its schema up to date."""
    from storage.db import migrations

    database = make_database(url)
    db.initialize(database)

    def connect_and_migrate() -> None:
        try:
            database.connect(reuse_if_open=True)
            if is_sqlite(database):
                _use_wal(database, url)
            if migrate:
                migrations.ensure_schema(database, url)
            database.rapport_ready = True  # type: ignore[attr-defined]  # close_database may now tidy the file
        except Exception:
            close_database()  # the next try starts from a new connection
            raise

    try:
        retry_when_busy(connect_and_migrate)
    except RapportError:
        close_database()
        raise
    except (peewee.DatabaseError, sqlite3.DatabaseError) as exc:
        close_database()
        where = sqlite_path(url) if is_sqlite(database) else redact(url)
        error: BaseException = exc
        while "no transaction is active" in str(error) and error.__context__ is not None:
            error = error.__context__  # SQLite ended the transaction itself (a full disk)
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        if "not a database" in message or "malformed" in message:
            raise RapportError(describe_corrupt_file(Path(where))) from None
        if ("permission denied" in message or "must be owner" in message) and not is_sqlite(database):
            message += " (the database owner starts Rapport first, to create or upgrade the schema)"
        raise RapportError(f"cannot open database {where}: {message}") from None
    except peewee.OperationalError as exc:  # pragma: no cover - subclass of DatabaseError
        close_database()
        raise RapportError(f"cannot open database {redact(url)}: {exc}") from None
    return database


def _use_wal(database: peewee.Database, url: str) -> None:
    """Switch the file to WAL (docs/storage.md) only when it is new or already Rapport's: a foreign
    SQLite file is refused with its bytes unchanged."""
    from storage.db.migrations import SchemaVersion

    tables = database.get_tables()
    if tables and SchemaVersion._meta.table_name not in tables:
        raise RapportError(f"{sqlite_path(url)} holds tables but is not a Rapport database; it was left unchanged")
    database.execute_sql("PRAGMA journal_mode=wal")


def describe_corrupt_file(path: Path) -> str:
    backups = sorted(str(p) for p in path.parent.glob(path.name + ".bak-*")) if path.parent.exists() else []
    found = "backups found: " + ", ".join(backups) if backups else "no backup files found beside it"
    return f"{path} is not a valid Rapport/SQLite database (damaged or another kind of file); {found}"


def close_database() -> None:
    if db.obj is not None and not db.obj.is_closed():
        if is_sqlite(db.obj) and getattr(db.obj, "rapport_ready", False):
            # Keeps the query planner's statistics fresh (SQLite's advice for every
            # connection that closes): new indexes from an upgrade get analysed too.
            try:
                db.obj.execute_sql("PRAGMA optimize")
            except peewee.DatabaseError:
                pass
        db.obj.close()


def write_transaction():
    """A transaction for a write that reads first (docs/storage.md). On SQLite every transaction this
    database opens is BEGIN IMMEDIATE (``lock_type``), so this is plain ``atomic``.

    Prefer ``storage.db.retry.run_write``/``@retrying``: they also retry a lock, a conflict or a
    dropped connection, and run PostgreSQL writes SERIALIZABLE so no write is lost."""
    return db.atomic()


@contextmanager
def impatient(milliseconds: int = 250):
    """Within this block, an SQLite write on this thread's connection waits at most
    ``milliseconds`` for another writer's lock instead of the usual busy timeout: for a last
    write whose content is safe elsewhere already (a draft when the session ends, which a file
    holds: storage/records/draft_files.py). PostgreSQL: unchanged."""
    database = db.obj
    if database is None or not is_sqlite(database):
        yield
        return
    (usual,) = database.execute_sql("PRAGMA busy_timeout").fetchone()
    database.execute_sql(f"PRAGMA busy_timeout = {int(milliseconds)}")
    try:
        yield
    finally:
        database.execute_sql(f"PRAGMA busy_timeout = {int(usual)}")

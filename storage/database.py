"""Opening the database named by a URL: the per-user SQLite file by default, or PostgreSQL.

README.md#settings-configtoml, docs/storage.md. ``open_database`` binds the models, applies the pragmas, creates or upgrades
the schema and returns the peewee database. Every failure the user can fix is raised as a
``RapportError`` with one line that names the file or URL.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlparse

import peewee
from platformdirs import user_data_path

from storage.errors import RapportError
from storage.models import db
from storage.retry import is_connection_lost, retry_when_busy, unavailable

APP_NAME = "rapport"
ENV_DATABASE = "RAPPORT_DATABASE"

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,  # ms; docs/storage.md asks for at least 5 s
    "synchronous": "full",  # a save the user saw confirmed survives even a power cut
    "cache_size": -16_000,  # 16 MB page cache
}


def default_database_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "rapport.db"


def default_database_url() -> str:
    return "sqlite:///" + str(default_database_path()).lstrip("/")


def resolve_database_url(cli_value: str | None = None, environ: dict | None = None,
                         configured: str | None = None) -> str:
    """``--database`` wins over ``RAPPORT_DATABASE`` (this shell), which wins over config.toml's
    ``database`` (for good), which wins over the per-user default."""
    environ = os.environ if environ is None else environ
    return cli_value or environ.get(ENV_DATABASE) or configured or default_database_url()


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(":" + parsed.password + "@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


def sqlite_path(url: str) -> Path:
    path = url[len("sqlite://"):]
    if not path.startswith("/") or path == "/":
        raise RapportError(f"database URL {url!r}: use sqlite:///ABSOLUTE/PATH (three slashes)")
    path = unquote(path)
    if "\x00" in path:
        raise RapportError(f"database URL {url!r}: a file name cannot contain a NUL character (%00)")
    return Path("/" + path.lstrip("/"))


def is_sqlite(database: peewee.Database | None = None) -> bool:
    database = database or db.obj
    return isinstance(database, peewee.SqliteDatabase)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder (0700) and the file (0600) before SQLite does, with a clear message
    for each way this can fail."""
    folder = path.parent
    try:
        if not folder.exists():
            folder.mkdir(mode=0o700, parents=True)
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise RapportError(f"cannot create the database folder {folder}: {exc.strerror}") from None
    if path.is_dir():
        raise RapportError(f"database path {path} is a folder, not a file")
    if path.exists():
        if not os.access(path, os.R_OK):
            raise RapportError(f"database file {path} is not readable by you")
        mode = path.stat().st_mode
        if not os.access(path, os.W_OK) or not mode & stat.S_IWUSR:
            # The mode bit is checked too: root may write anyway, but a file its owner made
            # read-only is meant to stay so; better a clear refusal than a half-working app.
            raise RapportError(
                f"database file {path} is read-only (mode {stat.S_IMODE(mode):04o}); "
                f"Rapport needs to write to it (chmod u+w {path})"
            )
        if not os.access(folder, os.W_OK):
            raise RapportError(f"database folder {folder} is read-only; SQLite needs to write its journal there")
        return
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise RapportError(f"cannot create the database file {path}: {exc.strerror}") from None


class PostgresDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL that opens a new connection when the old one was dropped (a server restart,
    a network blip, an idle timeout), before a statement that runs outside a transaction:
    a read, or the BEGIN of a write. Inside a transaction nothing is repeated silently;
    ``storage.retry`` reruns the whole write instead. If the server stays away, the error is
    ``ConnectionLost``, one line."""

    def execute_sql(self, sql, params=None):
        return self._reconnecting(super().execute_sql, sql, params)

    def begin(self, *args, **kwargs):
        return self._reconnecting(super().begin, *args, **kwargs)

    def _reconnecting(self, func, *args, **kwargs):
        if self.in_transaction():
            return func(*args, **kwargs)
        try:
            return func(*args, **kwargs)
        except (peewee.DatabaseError, peewee.InterfaceError) as exc:
            if not is_connection_lost(exc):
                raise
            first = exc
        self._forget_connection()
        try:
            return func(*args, **kwargs)
        except (peewee.DatabaseError, peewee.InterfaceError) as exc:
            if is_connection_lost(exc):
                self._forget_connection()
                raise unavailable(exc) from first
            raise

    def _forget_connection(self) -> None:
        try:
            self.close()
        except Exception:  # a dead connection may complain while closing
            self.dispose()


def make_database(url: str) -> peewee.Database:
    """Build (but do not connect) the peewee database for ``url``."""
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme == "sqlite":
        path = sqlite_path(url)
        _prepare_sqlite_file(path)
        return peewee.SqliteDatabase(
            str(path), pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE"
        )
    if scheme in ("postgresql", "postgres"):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise RapportError(
                "team mode needs the PostgreSQL driver: pip install 'rapport-crm[postgres]'"
            ) from None
        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        if not name:
            raise RapportError(f"database URL {redact(url)!r} names no database (postgresql://user@host:port/DBNAME)")
        kwargs = {}
        if parsed.username:
            kwargs["user"] = unquote(parsed.username)
        if parsed.password:
            kwargs["password"] = unquote(parsed.password)
        if parsed.hostname:
            kwargs["host"] = parsed.hostname
        if parsed.port:
            kwargs["port"] = parsed.port
        # Anything else libpq understands may ride along: ?sslmode=require&options=...
        kwargs.update(parse_qsl(parsed.query))
        return PostgresDatabase(unquote(name), **kwargs)
    raise RapportError(
        f"unknown database URL {redact(url)!r}: use sqlite:///ABSOLUTE/PATH or postgresql://user@host:port/dbname"
    )


def open_database(url: str, *, migrate: bool = True) -> peewee.Database:
    """Open the database at ``url``, bind the models to it and bring its schema up to date."""
    from storage import migrations

    database = make_database(url)
    db.initialize(database)

    def connect_and_migrate() -> None:
        try:
            database.connect(reuse_if_open=True)
            if migrate:
                migrations.ensure_schema(database, url)
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
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if "not a database" in message or "malformed" in message:
            raise RapportError(describe_corrupt_file(Path(where))) from None
        if ("permission denied" in message or "must be owner" in message) and not is_sqlite(database):
            message += " (the database owner starts Rapport first, to create or upgrade the schema)"
        raise RapportError(f"cannot open database {where}: {message}") from None
    except peewee.OperationalError as exc:  # pragma: no cover - subclass of DatabaseError
        close_database()
        raise RapportError(f"cannot open database {redact(url)}: {exc}") from None
    return database


def describe_corrupt_file(path: Path) -> str:
    backups = sorted(str(p) for p in path.parent.glob(path.name + ".bak-*")) if path.parent.exists() else []
    found = "backups found: " + ", ".join(backups) if backups else "no backup files found beside it"
    return f"{path} is not a valid Rapport/SQLite database (damaged or another kind of file); {found}"


def close_database() -> None:
    if db.obj is not None and not db.obj.is_closed():
        if is_sqlite(db.obj):
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

    Prefer ``storage.retry.run_write``/``@retrying``: they also retry a lock, a conflict or a
    dropped connection, and run PostgreSQL writes SERIALIZABLE so no write is lost."""
    return db.atomic()

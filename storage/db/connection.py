"""The database a URL names: where the per-user file lives, how a URL is read (SQLite file or
PostgreSQL), passwords kept out of messages, and the peewee database object, not yet connected.

Imports nothing that opens or upgrades a schema (that is ``storage.db.database``), so backup,
copy, migrations and live refresh can read URLs without an import cycle.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlparse

import peewee
from platformdirs import user_data_path

from storage.db.retry import is_connection_lost, unavailable
from storage.errors import RapportError

APP_NAME = "rapport"
ENV_DATABASE = "RAPPORT_DATABASE"

# journal_mode=wal is set only once the file is known to be Rapport's or new (``_use_wal``):
# switching a foreign SQLite file to WAL would change its bytes (docs/storage.md).
SQLITE_PRAGMAS = {
    "foreign_keys": 1,
    "busy_timeout": 10_000,  # ms; docs/storage.md asks for at least 5 s
    "synchronous": "full",  # a save the user saw confirmed survives even a power cut
    "cache_size": -16_000,  # 16 MB page cache
}


def default_database_path() -> Path:
    return user_data_path(APP_NAME, appauthor=False) / "rapport.db"


def default_database_url() -> str:
    return "sqlite:///" + str(default_database_path())  # sqlite:////absolute/path


def resolve_database_url(
    cli_value: str | None = None, environ: Mapping[str, str] | None = None, configured: str | None = None
) -> str:
    """``--database`` wins over ``RAPPORT_DATABASE`` (this shell), which wins over config.toml's
    ``database`` (for good), which wins over the per-user default."""
    environ = os.environ if environ is None else environ
    return cli_value or environ.get(ENV_DATABASE) or configured or default_database_url()


_PASSWORD_IN_QUERY = re.compile(r"(?i)((?:^|[?&;\s])password=)[^&;\s]*")
_PASSWORD_IN_NETLOC = re.compile(r"(://[^/@:\s]*:)[^/@\s]*@")


def redact(url: str) -> str:
    """The URL without its password (``user:PASSWORD@`` or ``?password=``), for messages."""
    return redact_text(url)


def redact_text(text: str) -> str:
    """``text`` with every password a database URL or libpq string could carry hidden."""
    text = _PASSWORD_IN_NETLOC.sub(r"\1***@", text)
    return _PASSWORD_IN_QUERY.sub(r"\1***", text)


def is_file_url(url: str) -> bool:
    """True for an SQLite URL or a plain file path (anything without a ``scheme://``)."""
    return url.lower().startswith("sqlite:") or "://" not in url


def sqlite_path(url: str) -> Path:
    """The file an SQLite URL names, as peewee's ``db_url`` reads it: ``sqlite:///rel.db`` is
    relative to the current folder, ``sqlite:////abs.db`` absolute; a plain path (``~``
    expanded) works too."""
    if url.lower().startswith("sqlite:"):
        rest = url[len("sqlite:") :]
        if not rest.startswith("///") or len(rest) == 3:
            raise RapportError(
                f"database URL {url!r}: use sqlite:///RELATIVE/PATH or sqlite:////ABSOLUTE/PATH "
                "(three slashes, then the path)"
            )
        path = unquote(rest[3:].split("?", 1)[0])
    else:
        path = os.path.expanduser(url)
    if "\x00" in path:
        raise RapportError(f"database URL {url!r}: a file name cannot contain a NUL character (%00)")
    return Path(os.path.abspath(path))


def _prepare_sqlite_file(path: Path) -> Path:
    """Create the folder (0700) and the file (0600) before SQLite does, with a clear message
    for each way this can fail. A symlink is followed (a dangling one: its target is created,
    0600); returns the real path."""
    path = Path(os.path.realpath(path))
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
        return path
    try:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY | os.O_EXCL, 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except FileExistsError:
        pass
    except OSError as exc:
        raise RapportError(f"cannot create the database file {path}: {exc.strerror}") from None
    return path


class PostgresDatabase(peewee.PostgresqlDatabase):
    """PostgreSQL that opens a new connection when the old one was dropped (a server restart,
    a network blip, an idle timeout), before a statement that runs outside a transaction:
    a read, or the BEGIN of a write. Inside a transaction nothing is repeated silently;
    ``storage.db.retry`` reruns the whole write instead. If the server stays away, the error is
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
    scheme = url.split(":", 1)[0].lower() if "://" in url else ""
    if scheme == "sqlite" or is_file_url(url):
        path = _prepare_sqlite_file(sqlite_path(url))
        return peewee.SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, timeout=10, lock_type="IMMEDIATE")
    if scheme in ("postgresql", "postgres"):
        try:
            import psycopg2  # noqa: F401
        except ImportError:
            raise RapportError("team mode needs the PostgreSQL driver: pip install 'rapport-crm[postgres]'") from None
        parsed = urlparse(url)
        name = parsed.path.lstrip("/")
        if not name:
            raise RapportError(f"database URL {redact(url)!r} names no database (postgresql://user@host:port/DBNAME)")
        kwargs: dict[str, Any] = {}
        if parsed.username:
            kwargs["user"] = unquote(parsed.username)
        if parsed.password:
            kwargs["password"] = unquote(parsed.password)
        if parsed.hostname:
            kwargs["host"] = parsed.hostname
        try:
            port = parsed.port
        except ValueError:
            port_text = parsed.netloc.rpartition("@")[2].rpartition(":")[2]
            raise RapportError(
                f"database URL {redact(url)!r}: port {port_text!r} is not a number from 1 to 65535"
            ) from None
        if port is not None and not 0 < port < 65536:
            raise RapportError(f"database URL {redact(url)!r}: port {port} is not a number from 1 to 65535")
        if port:
            kwargs["port"] = port
        # Anything else libpq understands may ride along: ?sslmode=require&options=...
        kwargs.update(parse_qsl(parsed.query))
        return PostgresDatabase(unquote(name), **kwargs)
    raise RapportError(
        f"unknown database URL {redact(url)!r}: use sqlite:////ABSOLUTE/PATH, a file path or "
        "postgresql://user@host:port/dbname"
    )

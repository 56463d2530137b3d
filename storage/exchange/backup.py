"""``rapport backup``: a consistent copy of the database while others keep working (README.md#command-line).

SQLite: the online backup API in one step, which reads one snapshot (under WAL, writers go
on meanwhile and their later commits are simply not in it). PostgreSQL: ``pg_dump`` in its
custom format (restore with ``pg_restore``). The file is written as every output file is
(``storage.exchange.outfile``): 0600, atomic, never the database's own file. The schema upgrade's
``rapport.db.bak-VERSION`` is made the same way, so a full disk leaves no truncated copy.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlparse

from storage.errors import RapportError
from storage.exchange.outfile import output_path


def default_backup_path(sqlite: bool) -> Path:
    """``rapport-backup-YYYYMMDD-HHMMSS.db`` (or ``.dump``) in the data folder (0700)."""
    from storage.db.connection import default_database_path

    folder = default_database_path().parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise RapportError(f"cannot create the folder {folder}: {exc.strerror}") from None
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    return folder / f"rapport-backup-{stamp}.{'db' if sqlite else 'dump'}"


def sqlite_copy(source: Path | str, target: Path | str, progress=None) -> None:
    """Copy the SQLite database at ``source`` into the (empty) file ``target``."""
    src = sqlite3.connect(str(source), timeout=10)
    try:
        dst = sqlite3.connect(str(target))
        try:

            def step(status, remaining, total):
                if progress:
                    progress(total - remaining, total)

            src.backup(dst, pages=-1, progress=step)
            dst.commit()
        finally:
            dst.close()
    except sqlite3.Error as exc:
        message = str(exc) or type(exc).__name__
        if "full" in message:
            raise OSError(28, "No space left on device") from None
        raise RapportError(f"backup failed: {message}") from None
    finally:
        src.close()


def backup_sqlite_file(source: Path, target: Path | str, progress=None) -> None:
    with output_path(target) as temporary:
        sqlite_copy(source, temporary, progress)


def pg_dump(url: str, target: Path | str) -> None:
    parsed = urlparse(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = unquote(parsed.password)
    netloc = parsed.netloc.rpartition("@")
    user = netloc[0].split(":", 1)[0] if netloc[1] else ""
    query = dict(parse_qsl(parsed.query))
    password = query.pop("password", None)
    if password:
        env["PGPASSWORD"] = password
    schema = None
    options = query.get("options", "")
    if "search_path=" in options:
        schema = options.split("search_path=", 1)[1].split()[0].split(",")[0]
    if schema:
        query.pop("options")  # pg_dump sets its own search_path; --schema says which
    safe = parsed._replace(netloc=(user + "@" if user else "") + netloc[2], query=urlencode(query, quote_via=quote))
    command = ["pg_dump", "--format=custom", "--no-owner", "--dbname", safe.geturl()]
    if schema:
        command += ["--schema", schema]
    with output_path(target) as temporary:
        command += ["--file", str(temporary)]
        try:
            done = subprocess.run(command, env=env, capture_output=True, text=True)
        except FileNotFoundError:
            raise RapportError("team-mode backup needs pg_dump (the PostgreSQL client tools) on PATH") from None
        if done.returncode:
            from storage.db.connection import redact_text

            lines = [line for line in done.stderr.splitlines() if line.strip()]
            raise RapportError("pg_dump failed: " + redact_text(lines[-1] if lines else f"exit {done.returncode}"))


def backup(url: str, target: str | None, progress=None) -> str:
    """Back up the open database to ``target`` (default: a dated file in the data folder);
    returns where it went."""
    from storage.db.connection import sqlite_path
    from storage.db.dialect import is_sqlite
    from storage.db.models import db

    sqlite = is_sqlite(db.obj)
    target = target or str(default_backup_path(sqlite))
    if sqlite:
        backup_sqlite_file(Path(os.path.realpath(sqlite_path(url))), target, progress)
    else:
        pg_dump(url, target)
    return target

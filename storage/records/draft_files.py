"""Drafts kept in a file when the database cannot take them (docs/storage.md "Drafts").

Another Rapport holding the write lock, a full disk or a server that went away must not cost
what someone typed. When a session ends (quit, SIGHUP, SIGTERM) every open form's draft is
written to a file first, which never waits on the database, and then to the database; once
the database holds it, the file is removed. A draft written while typing that the database
refused is kept the same way. Files are offered back on the next start beside the database's
drafts (``storage.records.drafts.pending``), to the same employee on the same database only.

One JSON file per draft under the user's state folder (``…/state/rapport/drafts``, folder
0700, files 0600), written atomically (a temporary file renamed over it).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import tempfile
from pathlib import Path

from platformdirs import user_state_path

from storage.db.connection import redact


def folder() -> Path:
    return user_state_path("rapport", appauthor=False) / "drafts"


def _database(url: str) -> str:
    """The database a draft belongs to, as written in its file: the URL without a password."""
    return redact(url)


def owner(employee: str) -> str:
    """Whose draft, as stored: the login without surrounding spaces, in lower case (``Anna``
    and ``anna`` are one employee, docs/data.md)."""
    return employee.strip().lower()


def _path(url: str, form: str, key: str, employee: str) -> Path:
    identity = "\0".join((_database(url), form, key, owner(employee)))
    return folder() / f"{form}-{hashlib.sha256(identity.encode()).hexdigest()[:20]}.json"


def keep(url: str, form: str, key: str, employee: str, values: dict) -> Path:
    """Write the draft of (form, key, employee) on this database to its file; returns the path."""
    target = _path(url, form, key, employee)
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    record = {
        "database": _database(url),
        "form": form,
        "key": key,
        "employee": owner(employee),
        "values": values,
        "updated_at": dt.datetime.now(dt.UTC).replace(tzinfo=None).isoformat(),
    }
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".draft-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:  # mkstemp: mode 0600
            json.dump(record, out, ensure_ascii=False, default=str)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def forget(url: str, form: str, key: str, employee: str) -> None:
    """The database holds the draft now, or it was saved or thrown away: remove its file."""
    _path(url, form, key, employee).unlink(missing_ok=True)


def kept(url: str, employee: str) -> list[dict]:
    """This employee's drafts on this database that only a file holds: dicts with form, key,
    values, updated_at (naive UTC) and path. Unreadable files are left alone, not offered."""
    found = []
    try:
        paths = sorted(folder().glob("*.json"))
    except OSError:
        return []
    for path in paths:
        try:
            record = json.loads(path.read_text(encoding="utf-8"))
            if record["database"] != _database(url) or record["employee"] != owner(employee):
                continue
            values = record["values"] if isinstance(record["values"], dict) else {"_raw": record["values"]}
            found.append(
                {
                    "form": str(record["form"]),
                    "key": str(record["key"]),
                    "values": values,
                    "updated_at": dt.datetime.fromisoformat(record["updated_at"]),
                    "path": path,
                }
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return found

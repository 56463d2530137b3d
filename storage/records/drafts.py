"""Drafts: unsaved form text kept in the database so that nothing typed is ever lost
(docs/screens.md#keyboard-and-ssh, issue "Nothing lost").

A draft is identified by (form, key, employee): ``form`` names the form ("conversation",
"customer", ...), ``key`` the record it edits ("" for a new one, or e.g. "customer:12" for a
new conversation of customer 12), ``employee`` the login of whoever typed it. The payload is
the form's field values as JSON. A form saves its draft as the user types (debounced) and on
SIGHUP/SIGTERM, deletes it once the record is saved or the text deliberately discarded, and
Rapport offers the remaining drafts back on the next start.

When the database cannot take a draft (locked, full, gone), a file holds it
(``storage.records.draft_files``); ``pending`` offers those too, given the database's URL.

Drafts are private (docs/storage.md): in a shared database every function here is scoped to one
employee, whose login is compared ignoring case (``Anna`` and ``anna`` are one employee,
docs/data.md), so nobody is offered, shown or able to discard a colleague's draft.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from peewee import fn

from storage.db.models import Draft, db, utcnow
from storage.records import draft_files


@dataclass(frozen=True)
class DraftInfo:
    id: int  # a database draft's row id; negative for a draft only a file holds
    form: str
    key: str
    employee: str
    values: dict
    updated_at: dt.datetime
    file: Path | None = None  # the file that holds it (``draft_files``), if any


def _info(row: Draft) -> DraftInfo:
    try:
        values = json.loads(row.payload)
    except ValueError:
        values = {"_raw": row.payload}
    if not isinstance(values, dict):
        values = {"_raw": values}
    return DraftInfo(row.id, row.form, row.key, row.employee, values, row.updated_at)


def _owned_by(employee: str):
    """The condition "typed by this employee" (any case of the login, old rows included)."""
    return fn.LOWER(Draft.employee) == draft_files.owner(employee)


def save(form: str, key: str, employee: str, values: dict) -> int:
    """Create or replace the draft of (form, key, employee). Returns its id."""
    payload = json.dumps(values, ensure_ascii=False, default=str)
    with db.atomic():
        row = Draft.get_or_none((Draft.form == form) & (Draft.key == key) & _owned_by(employee))
        if row is None:
            return Draft.create(form=form, key=key, employee=draft_files.owner(employee), payload=payload).id
        Draft.update(payload=payload, updated_at=utcnow()).where(Draft.id == row.id).execute()
        return row.id


def discard(form: str, key: str, employee: str, url: str | None = None) -> None:
    """Forget the draft of (form, key, employee): its row, and its file on the database ``url``."""
    with db.atomic():
        Draft.delete().where((Draft.form == form) & (Draft.key == key) & _owned_by(employee)).execute()
    if url is not None:
        draft_files.forget(url, form, key, employee)


def discard_id(draft_id: int, employee: str) -> None:
    """Discard one of this employee's drafts (nothing happens to anyone else's)."""
    with db.atomic():
        Draft.delete().where((Draft.id == draft_id) & _owned_by(employee)).execute()


def discard_draft(draft: DraftInfo, employee: str) -> None:
    """Discard one of this employee's drafts as ``pending`` listed it: its row and its file."""
    if draft.id > 0:
        discard_id(draft.id, employee)
    if draft.file is not None:
        draft.file.unlink(missing_ok=True)


def pending(employee: str, url: str | None = None) -> list[DraftInfo]:
    """This employee's drafts, newest first; with the database's ``url``, also those only a file
    holds. Where a row and a file hold the same draft, the file's text is offered: a file outlives
    the row only when a later write to the database failed (``draft_files``)."""
    query = Draft.select().where(_owned_by(employee)).order_by(Draft.updated_at.desc(), Draft.id.desc())
    found = {(info.form, info.key): info for info in map(_info, query)}
    for number, kept in enumerate(draft_files.kept(url, employee) if url else [], start=1):
        row = found.get((kept["form"], kept["key"]))
        found[(kept["form"], kept["key"])] = DraftInfo(
            row.id if row else -number,
            kept["form"],
            kept["key"],
            draft_files.owner(employee),
            kept["values"],
            kept["updated_at"],
            kept["path"],
        )
    return sorted(found.values(), key=lambda d: (d.updated_at, d.id), reverse=True)


def get(draft_id: int, employee: str) -> DraftInfo | None:
    """One of this employee's drafts, or None (also for a colleague's draft id)."""
    row = Draft.get_or_none((Draft.id == draft_id) & _owned_by(employee))
    return _info(row) if row else None

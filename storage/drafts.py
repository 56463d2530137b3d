"""Drafts: unsaved form text kept in the database so that nothing typed is ever lost
(docs/screens.md#keyboard-and-ssh, issue "Nothing lost").

A draft is identified by (form, key, employee): ``form`` names the form ("conversation",
"customer", ...), ``key`` the record it edits ("" for a new one, or e.g. "customer:12" for a
new conversation of customer 12), ``employee`` the login of whoever typed it. The payload is
the form's field values as JSON. A form saves its draft as the user types (debounced) and on
SIGHUP/SIGTERM, deletes it once the record is saved or the text deliberately discarded, and
Rapport offers the remaining drafts back on the next start.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
import datetime as dt

from storage.models import Draft, db, utcnow


@dataclass(frozen=True)
class DraftInfo:
    id: int
    form: str
    key: str
    employee: str
    values: dict
    updated_at: dt.datetime


def _info(row: Draft) -> DraftInfo:
    try:
        values = json.loads(row.payload)
    except ValueError:
        values = {"_raw": row.payload}
    if not isinstance(values, dict):
        values = {"_raw": values}
    return DraftInfo(row.id, row.form, row.key, row.employee, values, row.updated_at)


def save(form: str, key: str, employee: str, values: dict) -> int:
    """Create or replace the draft of (form, key, employee). Returns its id."""
    payload = json.dumps(values, ensure_ascii=False, default=str)
    with db.atomic():
        row = Draft.get_or_none((Draft.form == form) & (Draft.key == key) & (Draft.employee == employee))
        if row is None:
            return Draft.create(form=form, key=key, employee=employee, payload=payload).id
        Draft.update(payload=payload, updated_at=utcnow()).where(Draft.id == row.id).execute()
        return row.id


def discard(form: str, key: str, employee: str) -> None:
    with db.atomic():
        Draft.delete().where(
            (Draft.form == form) & (Draft.key == key) & (Draft.employee == employee)
        ).execute()


def discard_id(draft_id: int) -> None:
    with db.atomic():
        Draft.delete().where(Draft.id == draft_id).execute()


def pending(employee: str) -> list[DraftInfo]:
    """This employee's drafts, newest first."""
    query = Draft.select().where(Draft.employee == employee).order_by(Draft.updated_at.desc(), Draft.id.desc())
    return [_info(row) for row in query]


def get(draft_id: int) -> DraftInfo | None:
    row = Draft.get_or_none(Draft.id == draft_id)
    return _info(row) if row else None

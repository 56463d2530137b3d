"""Rapport's side of a sync: the calendar items it wants in the calendar, and the records
behind items it pushed before (README.md#command-line).

An item's *digest* is a hash of its content lines without DTSTAMP: it changes exactly when
what Rapport would push changes (an edit, a completion, another mode), so the engine needs
no list of fields.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from storage.db.models import Booking, Conversation
from storage.exchange import calendar
from storage.exchange.calendar_items import Item, booking_event, follow_up_event, follow_up_todo, summary

Kind = Literal["follow-up", "booking"]
SUFFIX = "@rapport"


@dataclass
class Local:
    """One record as the calendar should show it; ``item`` None: not in the calendar."""

    kind: Kind
    record_id: int
    item: Item | None
    modified: dt.datetime  # the record's last edit, naive UTC
    sequence: int
    name: str  # for the summary: the item's SUMMARY
    in_scope: bool = True  # False: another employee's, not this sync's to touch

    @property
    def digest(self) -> str:
        return digest(self.item) if self.item else ""


def digest(item: Item) -> str:
    return hashlib.sha256("\n".join(item.lines).encode("utf-8")).hexdigest()[:32]


def _name(item: Item) -> str:
    for line in item.lines:
        if line.startswith("SUMMARY:"):
            return line[len("SUMMARY:") :].replace("\r\n ", "").replace("\\,", ",").replace("\\;", ";")
    return item.uid


def _follow_up(row: dict, mode: str, tz: ZoneInfo, in_scope: bool = True) -> Local:
    live = row.get("deleted_at") is None and row["follow_up"] is not None
    item = None
    if live and not row["completed"]:
        item = follow_up_event(row) if mode == "events" else follow_up_todo(row, tz)
    elif live and mode == "todos":
        item = follow_up_todo(row, tz)  # marked COMPLETED in the calendar
    local = Local("follow-up", row["id"], item, row["updated_at"], int(row["sequence"] or 0), "", in_scope)
    local.name = _name(item) if item else summary(row)
    return local


def _booking(row: dict, in_scope: bool = True) -> Local:
    item = booking_event(row) if row["cancelled_at"] is None else None
    name = row["title"] or row["customer"]
    return Local("booking", row["id"], item, row["updated_at"], int(row["sequence"] or 0), name, in_scope)


def wanted(employee_id: int | None, mode: str, tz: ZoneInfo) -> dict[str, Local]:
    """Every item this sync pushes: open follow-ups (with a follow-up date) and bookings not
    cancelled, of one employee or (``None``) everyone's, keyed by UID."""
    items: dict[str, Local] = {}
    for row in calendar.follow_up_rows(employee_id):
        items[row["uid"] + SUFFIX] = _follow_up(row, mode, tz)
    for row in calendar.booking_rows(employee_id):
        items[row["uid"] + SUFFIX] = _booking(row)
    return items


def records(uids: set[str], employee_id: int | None, mode: str, tz: ZoneInfo) -> dict[str, Local]:
    """The records behind UIDs pushed before, whatever their state now (done, deleted,
    cancelled, another employee's); UIDs without a record are left out."""
    plain = [uid[: -len(SUFFIX)] for uid in uids if uid.endswith(SUFFIX)]
    found: dict[str, Local] = {}
    for start in range(0, len(plain), 500):
        chunk = plain[start : start + 500]
        query = (
            calendar.conversation_query()
            .select_extend(Conversation.deleted_at, Conversation.employee.alias("employee_id"))
            .where(Conversation.uid.in_(chunk))
        )
        for row in query.dicts():
            mine = employee_id is None or row["employee_id"] == employee_id
            found[row["uid"] + SUFFIX] = _follow_up(row, mode, tz, mine)
        query = (
            calendar.booking_query().select_extend(Booking.employee.alias("employee_id")).where(Booking.uid.in_(chunk))
        )
        for row in query.dicts():
            mine = employee_id is None or row["employee_id"] == employee_id
            found[row["uid"] + SUFFIX] = _booking(row, mine)
    return found

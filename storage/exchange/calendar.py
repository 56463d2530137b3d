"""Calendar export of follow-ups and bookings as iCalendar (README.md#calendar-export-rapport-export-ics), for the command
line (``rapport export-ics``) and the TUI ("Create task", export to calendar).

- ``events`` mode (the default): every open follow-up as an all-day VEVENT on its
  follow-up date. Done follow-ups never appear in this mode.
- ``todos`` mode: VTODOs due on the follow-up date; with ``include_done`` the completed
  ones too, as STATUS:COMPLETED with COMPLETED (UTC) and PERCENT-COMPLETE:100.
- Bookings are timed VEVENTs in UTC in both modes (an appointment is not a to-do).

One joined query per kind selects everything (no query per row). Bookings are stored as
UTC instants, so they export the same whatever the exporting machine's zone; ``tz`` (default:
the system's zone) only says which days a ``--from/--to`` period covers and when a done
to-do was completed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from peewee import JOIN

from storage.db.models import Booking, Conversation, Customer, Employee, Method, Topic
from storage.errors import RapportError
from storage.exchange import ics
from storage.exchange.calendar_items import Item, booking_event, follow_up_event, follow_up_todo
from storage.timezones import day_bounds, system_zone_name

MODES = ("events", "todos")
PRODID = "-//Rapport//Rapport CRM//EN"
VDIR_SUFFIX = "@rapport.ics"

# Whose item it is, as a follow-up's and a booking's calendar items show it.
_WHO_FIELDS = (
    Customer.name.alias("customer"),
    Customer.number.alias("customer_number"),
    Customer.phone.alias("phone"),
    Customer.email.alias("email"),
    Employee.login.alias("employee"),
    Employee.name.alias("employee_name"),
)

_CONVERSATION_FIELDS = (
    Conversation.id,
    Conversation.uid,
    Conversation.date,
    Conversation.time_begin,
    Conversation.time_end,
    Conversation.follow_up,
    Conversation.note,
    Conversation.with_whom,
    Conversation.completed,
    Conversation.completed_on,
    Conversation.sequence,
    Conversation.created_at,
    Conversation.updated_at,
    *_WHO_FIELDS,
    Topic.name.alias("about"),
    Method.name.alias("how"),
)


@dataclass
class Export:
    """The items of one export, ready to be written as one calendar or as a vdir."""

    items: list[Item] = field(default_factory=list)
    follow_ups: int = 0
    bookings: int = 0
    stamp: dt.datetime = field(default_factory=lambda: _stamp(None))

    def text(self) -> str:
        """One published calendar (METHOD:PUBLISH, DTSTAMP = when it was made)."""
        return calendar_text(self.items, self.stamp)

    def describe(self) -> str:
        noun = "follow-up" if self.follow_ups == 1 else "follow-ups"
        booked = "booking" if self.bookings == 1 else "bookings"
        return f"{self.follow_ups} {noun} and {self.bookings} {booked}"


def calendar_text(items: list[Item], stamp: dt.datetime | None) -> str:
    """A VCALENDAR holding ``items``, lines ending in CRLF.

    With a ``stamp`` it is a published calendar: METHOD:PUBLISH, every DTSTAMP = ``stamp``.
    Without, it is a stored calendar object, as in a vdir synced to CalDAV: no METHOD
    (RFC 4791 §4.1 forbids it there) and DTSTAMP = the item's last edit (RFC 5545 §3.8.7.2),
    so an unchanged item gives the very same file.
    """
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:" + PRODID, "CALSCALE:GREGORIAN"]
    if stamp is not None:
        lines.append("METHOD:PUBLISH")
        stamp_line = "DTSTAMP:" + ics.utc(stamp)
    for item in items:
        lines.extend(item.with_stamp(stamp_line if stamp else "DTSTAMP:" + ics.utc(item.modified)))
    lines.append("END:VCALENDAR")
    return ics.CRLF.join(lines) + ics.CRLF


def _conversations():
    return (
        Conversation.select(*_CONVERSATION_FIELDS)
        .join(Customer, on=Conversation.customer == Customer.id)
        .switch(Conversation)
        .join(Employee, on=Conversation.employee == Employee.id)
        .switch(Conversation)
        .join(Topic, JOIN.LEFT_OUTER, on=Conversation.topic == Topic.id)
        .switch(Conversation)
        .join(Method, JOIN.LEFT_OUTER, on=Conversation.method == Method.id)
    )


def conversation_query():
    """Conversations joined with what their calendar items show (one row per conversation)."""
    return _conversations()


def follow_up_rows(
    employee_id: int | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    include_done: bool = False,
) -> list[dict]:
    """Follow-ups (not deleted, with a follow-up date) of one employee, or everyone's for
    ``None``, with the follow-up date in [date_from, date_to]; open ones unless
    ``include_done``. Ordered by follow-up date, customer name, id."""
    query = _conversations().where(Conversation.deleted_at.is_null(), Conversation.follow_up.is_null(False))
    if not include_done:
        query = query.where(~Conversation.completed)  # as the partial index says it
    if employee_id is not None:
        query = query.where(Conversation.employee == employee_id)
    if date_from:
        query = query.where(Conversation.follow_up >= date_from)
    if date_to:
        query = query.where(Conversation.follow_up <= date_to)
    return list(query.order_by(Conversation.follow_up, Customer.sort_name, Customer.name, Conversation.id).dicts())


def booking_rows(
    employee_id: int | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    zone_name: str | None = None,
) -> list[dict]:
    """Bookings (not cancelled) of one employee (or everyone's) starting in [date_from,
    date_to] (days of ``zone_name``, default the system's), with their customer and, when
    made from one, their conversation's details."""
    query = booking_query().where(Booking.cancelled_at.is_null())
    if employee_id is not None:
        query = query.where(Booking.employee == employee_id)
    zone_name = zone_name or system_zone_name()
    if date_from:
        query = query.where(Booking.start >= day_bounds(date_from, date_from, zone_name)[0])
    if date_to:
        query = query.where(Booking.start < day_bounds(date_to, date_to, zone_name)[1])
    return list(query.order_by(Booking.start, Booking.id).dicts())


def booking_query():
    """Bookings joined with what their calendar items show."""
    return (
        Booking.select(
            Booking.id,
            Booking.uid,
            Booking.start,
            Booking.end,
            Booking.title,
            Booking.location,
            Booking.note,
            Booking.sequence,
            Booking.created_at,
            Booking.updated_at,
            Booking.timezone,
            Booking.cancelled_at,
            Booking.conversation.alias("conversation_id"),
            *_WHO_FIELDS,
            Conversation.date,
            Conversation.time_begin,
            Conversation.time_end,
            Conversation.with_whom,
            Topic.name.alias("about"),
            Method.name.alias("how"),
        )
        .join(Customer, on=Booking.customer == Customer.id)
        .switch(Booking)
        .join(Employee, on=Booking.employee == Employee.id)
        .switch(Booking)
        .join(Conversation, JOIN.LEFT_OUTER, on=Booking.conversation == Conversation.id)
        .join(Topic, JOIN.LEFT_OUTER, on=Conversation.topic == Topic.id)
        .switch(Conversation)
        .join(Method, JOIN.LEFT_OUTER, on=Conversation.method == Method.id)
    )


def _stamp(stamp: dt.datetime | None) -> dt.datetime:
    return stamp or dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_export(
    employee_id: int | None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    mode: str = "events",
    include_done: bool = False,
    tz: ZoneInfo | None = None,
    stamp: dt.datetime | None = None,
    bookings_from: dt.date | None = None,
) -> Export:
    """Follow-ups and bookings of one employee (``None``: everyone) as calendar items,
    dated in [date_from, date_to]. ``bookings_from`` starts the
    bookings later than the follow-ups (a day's list: overdue follow-ups, coming bookings)."""
    if mode not in MODES:
        raise RapportError(f"calendar mode {mode!r}: use events or todos")
    if date_from and date_to and date_from > date_to:
        raise RapportError(f"--from {date_from} is after --to {date_to}")
    export = Export(stamp=_stamp(stamp))
    if mode == "events":
        rows = follow_up_rows(employee_id, date_from, date_to)
        export.items = [follow_up_event(row) for row in rows]
    else:
        rows = follow_up_rows(employee_id, date_from, date_to, include_done)
        export.items = [follow_up_todo(row, tz) for row in rows]
    export.follow_ups = len(rows)
    booked = booking_rows(employee_id, bookings_from or date_from, date_to, tz.key if tz is not None else None)
    export.items += [booking_event(row) for row in booked]
    export.bookings = len(booked)
    return export


def conversation_task(
    conversation_id: int, tz: ZoneInfo | None = None, stamp: dt.datetime | None = None, due: dt.date | None = None
) -> Export:
    """One conversation as a one-item to-do calendar ("Create task"), due on ``due``
    (default: its follow-up date)."""
    rows = list(_conversations().where(Conversation.id == conversation_id).dicts())
    if not rows:
        raise RapportError(f"conversation {conversation_id} does not exist")
    if due is not None:
        rows[0]["follow_up"] = due
    return Export(items=[follow_up_todo(rows[0], tz)], follow_ups=1, stamp=_stamp(stamp))


def write_atomic(path: Path, data: str) -> None:
    """Write ``data`` (UTF-8, line ends kept) so a reader never sees half a file."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # exports hold customer data
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".rapport-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_file(export: Export, path: Path, *, make_folder: bool = True) -> Path:
    """Write the calendar to ``path`` as every output file is written (``storage.exchange.outfile``:
    atomic, symlinks followed, special files in place). ``make_folder`` creates the export
    folder (the default places); ``-o FILE`` passes False: a missing folder is refused."""
    from storage.exchange.outfile import open_output

    if not export.items:
        raise RapportError("nothing to export: no follow-ups or bookings match")
    if make_folder:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)  # exports hold customer data
        except OSError as exc:
            raise RapportError(f"cannot create the folder {path.parent}: {exc.strerror}") from None
    with open_output(path) as out:
        out.write(export.text())
    return path


def safe_name(text: str) -> str:
    """``text`` with anything but letters, digits and ``@._-`` replaced, for file names."""
    return re.sub(r"[^A-Za-z0-9@._-]", "_", text)


def vdir_name(uid: str) -> str:
    """The file name of an item in a vdir: its UID plus ``.ics``."""
    return safe_name(uid) + ".ics"


def write_task(conversation_id: int, folder: Path, tz: ZoneInfo | None = None, due: dt.date | None = None) -> Path:
    """ "Create task": the conversation as a one-item to-do file in ``folder``; the path."""
    export = conversation_task(conversation_id, tz, due=due)
    return write_file(export, folder / ("task-" + vdir_name(export.items[0].uid)))

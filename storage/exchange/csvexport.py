"""Exporting customers, contacts, conversations and bookings as CSV or JSON (README.md#csv-files),
streamed row by row.

CSV has the import's columns, so an export imports again unchanged: dates YYYY-MM-DD, times
HH:MM, booleans 1/0, lookups by name. A cell a spreadsheet would run as a formula gets a
leading ' (``raw`` turns this off); import takes it away again, so export → import → export
gives back every byte. JSON is an array of objects with the same keys; there booleans are
true/false, numbers are numbers and an empty date, time or lookup is null (JSON is never
escaped). Conversations in the trash are left out; rows come in customer-number order, then
in conversation order (docs/data.md). Files are written by ``storage.exchange.outfile``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable, Iterator
from typing import IO

from peewee import JOIN, fn

from storage.db.models import Booking, Contact, Conversation, Customer, Employee, Method, PipelineStage, Topic
from storage.errors import RapportError
from storage.exchange.csvio import COLUMNS, escape_cell

FORMATS = ("csv", "json")


def customer_rows() -> Iterator[dict]:
    query = (
        Customer.select(
            Customer.number,
            Customer.name,
            Customer.email,
            Customer.phone,
            Customer.address,
            Customer.notes,
            Customer.cadence_days,
        )
        .order_by(Customer.number)
        .tuples()
    )
    for values in query.iterator():
        yield dict(zip(COLUMNS["customers"], values, strict=True))


def conversation_rows() -> Iterator[dict]:
    """Conversations not in the trash, with Python values (date, time, bool, int or None)."""
    C = Conversation
    query = (
        C.select(
            C.uid,
            Customer.number,
            Employee.login,
            C.date,
            C.time_begin,
            C.time_end,
            C.duration_minutes,
            C.follow_up,
            C.note,
            C.with_whom,
            Topic.name,
            Method.name,
            C.completed,
            C.completed_on,
            C.is_follow_up,
            PipelineStage.name,
            fn.COALESCE(C.promised_follow_up, C.follow_up),
        )
        .join_from(C, Customer)
        .join_from(C, Employee)
        .join_from(C, Topic, join_type=JOIN.LEFT_OUTER)
        .join_from(C, Method, join_type=JOIN.LEFT_OUTER)
        .join_from(C, PipelineStage, join_type=JOIN.LEFT_OUTER)
        .where(C.deleted_at.is_null())
        .order_by(Customer.number, C.date, C.time_begin.asc(nulls="first"), C.id)
        .tuples()
    )
    for values in query.iterator():
        yield dict(zip(COLUMNS["conversations"], values, strict=True))


def contact_rows() -> Iterator[dict]:
    query = (
        Contact.select(Customer.number, Contact.name, Contact.role, Contact.email, Contact.phone)
        .join(Customer)
        .order_by(Customer.number, Contact.name, Contact.id)
        .tuples()
    )
    for values in query.iterator():
        yield dict(zip(COLUMNS["contacts"], values, strict=True))


def _minute(value: dt.datetime | None) -> str | None:
    return value.strftime("%Y-%m-%d %H:%M") if value else None


def booking_rows() -> Iterator[dict]:
    """Bookings not cancelled, start and end to the minute as wall-clock time in the zone
    each was made in (README.md#calendar-export-rapport-export-ics: stored as UTC instants plus that zone)."""
    from storage.timezones import to_local

    Talk = Conversation.alias()
    query = (
        Booking.select(
            Booking.uid,
            Customer.number,
            Employee.login,
            Booking.start,
            Booking.end,
            Booking.timezone,
            Booking.title,
            Booking.location,
            Booking.note,
            Talk.uid,
        )
        .join_from(Booking, Customer)
        .join_from(Booking, Employee)
        .join_from(Booking, Talk, on=(Booking.conversation == Talk.id), join_type=JOIN.LEFT_OUTER)
        .where(Booking.cancelled_at.is_null())
        .order_by(Booking.start, Booking.id)
        .tuples()
    )
    for uid, number, login, start, end, zone, *rest in query.iterator():
        values = (uid, number, login, _minute(to_local(start, zone)), _minute(to_local(end, zone)), zone, *rest)
        yield dict(zip(COLUMNS["bookings"], values, strict=True))


ROWS: dict[str, Callable[..., Iterator[dict]]] = {
    "customers": customer_rows,
    "contacts": contact_rows,
    "conversations": conversation_rows,
    "bookings": booking_rows,
}


def _json_value(value):
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(_json_value(value))


def write_csv(kind: str, out: IO[str], *, raw: bool = False, progress=None) -> int:
    """Write the header and every row; RFC 4180 (CRLF, quotes only where needed). Cells a
    spreadsheet would run as formulas get a leading ' unless ``raw``."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    count = 0
    for row in ROWS[kind]():
        cells = [_csv_value(value) for value in row.values()]
        writer.writerow(cells if raw else [escape_cell(cell) for cell in cells])
        count += 1
        if progress and not count % 1000:
            progress(count)
    return count


def write_json(kind: str, out: IO[str], *, progress=None, **_) -> int:
    """Write a JSON array with one object per line, without holding the rows in memory."""
    count = 0
    out.write("[")
    for row in ROWS[kind]():
        out.write(",\n" if count else "\n")
        out.write(json.dumps({key: _json_value(value) for key, value in row.items()}, ensure_ascii=False))
        count += 1
        if progress and not count % 1000:
            progress(count)
    out.write("\n]\n" if count else "]\n")
    return count


def count_rows(kind: str) -> int:
    """How many rows an export of ``kind`` writes (for a progress bar)."""
    if kind == "conversations":
        return Conversation.select().where(Conversation.deleted_at.is_null()).count()
    if kind == "bookings":
        return Booking.select().where(Booking.cancelled_at.is_null()).count()
    return {"customers": Customer, "contacts": Contact}[kind].select().count()


def export(kind: str, fmt: str, out: IO[str], **options) -> int:
    """Write ``kind`` as ``fmt`` to ``out``; returns rows written. Options: ``raw`` (CSV
    without spreadsheet escaping), ``progress(count)``."""
    if fmt not in FORMATS:
        raise RapportError(f"unknown export format {fmt!r}: use csv or json")
    return (write_csv if fmt == "csv" else write_json)(kind, out, **options)


def export_to_file(kind: str, fmt: str, path, **options) -> int:
    """Export into ``path`` (``-`` for standard output) as ``storage.exchange.outfile`` writes files."""
    from storage.exchange.outfile import open_output

    with open_output(path) as out:
        return export(kind, fmt, out, **options)


def export_to_stdout(kind: str, fmt: str, **options) -> int:
    return export_to_file(kind, fmt, "-", **options)

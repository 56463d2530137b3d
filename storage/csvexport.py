"""Exporting customers and conversations as CSV or JSON (README.md#csv-files), streamed row by row.

CSV has the import's columns, so an export imports again unchanged: dates YYYY-MM-DD, times
HH:MM, booleans 1/0, lookups by name. JSON is an array of objects with the same keys; there
booleans are true/false, numbers are numbers and an empty date, time or lookup is null.
Conversations in the trash are left out; rows come in customer-number order, then in
conversation order (docs/data.md).
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

from peewee import JOIN

from storage.csvio import COLUMNS
from storage.errors import RapportError
from storage.models import Conversation, Customer, Employee, Method, PipelineStage, Topic

FORMATS = ("csv", "json")


def customer_rows() -> Iterator[dict]:
    query = (Customer.select(Customer.number, Customer.name, Customer.email, Customer.phone,
                             Customer.address, Customer.notes)
             .order_by(Customer.number).tuples())
    for values in query.iterator():
        yield dict(zip(COLUMNS["customers"], values))


def conversation_rows() -> Iterator[dict]:
    """Conversations not in the trash, with Python values (date, time, bool, int or None)."""
    C = Conversation
    query = (
        C.select(Customer.number, Employee.login, C.date, C.time_begin, C.time_end, C.duration_minutes,
                 C.follow_up, C.note, C.with_whom, Topic.name, Method.name, C.completed,
                 C.completed_on, C.is_follow_up, PipelineStage.name)
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
        yield dict(zip(COLUMNS["conversations"], values))


ROWS = {"customers": customer_rows, "conversations": conversation_rows}


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


def write_csv(kind: str, out: IO[str]) -> int:
    """Write the header and every row; RFC 4180 (CRLF, quotes only where needed)."""
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    count = 0
    for row in ROWS[kind]():
        writer.writerow([_csv_value(value) for value in row.values()])
        count += 1
    return count


def write_json(kind: str, out: IO[str]) -> int:
    """Write a JSON array with one object per line, without holding the rows in memory."""
    count = 0
    out.write("[")
    for row in ROWS[kind]():
        out.write(",\n" if count else "\n")
        out.write(json.dumps({key: _json_value(value) for key, value in row.items()}, ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def export(kind: str, fmt: str, out: IO[str]) -> int:
    """Write ``kind`` (customers or conversations) as ``fmt`` to ``out``; returns rows written."""
    if fmt not in FORMATS:
        raise RapportError(f"unknown export format {fmt!r}: use csv or json")
    return (write_csv if fmt == "csv" else write_json)(kind, out)


def export_to_file(kind: str, fmt: str, path: Path | str) -> int:
    """Export into ``path`` through a temporary file beside it, so a failed export never leaves
    a half-written file behind."""
    path = Path(path)
    folder = path.parent
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise RapportError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with open(handle, "w", encoding="utf-8", newline="") as out:
            count = export(kind, fmt, out)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as exc:
        raise RapportError(f"cannot write {path}: {exc.strerror}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return count


def export_to_stdout(kind: str, fmt: str) -> int:
    return export(kind, fmt, sys.stdout)

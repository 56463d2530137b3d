"""Importing customers and conversations from CSV (README.md#csv-files): all or nothing.

The file is read one row at a time inside one transaction: rows are checked and written in
batches, every problem is collected, and at the end any problem rolls the whole transaction
back, so either the whole file is imported or the database is unchanged and
``CsvImportError`` lists every problem with its line and column. (On SQLite the transaction
holds the write lock for the length of the import.)

A row whose key already exists (a customer number, ignoring case, or a conversation uid) is
an error naming the line, unless the mode is ``skip`` (``--skip-existing``: leave it) or
``update`` (``--update``: overwrite it with the file's columns), so importing the same file
twice never duplicates anything. A key that appears twice in one file is always an error.

Conversations name their lookups by text, matched case-insensitively: an unknown employee,
topic ("about") or method ("how") is created and listed in the summary; an unknown customer
number or pipeline stage is an error. An empty employee means the current employee.
Contacts and bookings: ``storage.exchange.csvimport_more``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from storage.config import os_full_name
from storage.db import bulk
from storage.db.cycle_store import ensure_fresh
from storage.db.database import write_transaction
from storage.db.models import Conversation, Customer, Employee, Method, PipelineStage, Topic, utcnow
from storage.exchange.csvcheck import RowChecker
from storage.exchange.csvio import CsvFile, show
from storage.limits import NOTE_MAX as TEXT_MAX

MODES = ("error", "skip", "update")
CHUNK = 500

CUSTOMER_FIELDS = (
    Customer.number,
    Customer.name,
    Customer.email,
    Customer.phone,
    Customer.address,
    Customer.notes,
    Customer.created_at,
    Customer.archived,
    Customer.cadence_days,
)
CONVERSATION_FIELDS = (
    Conversation.uid,
    Conversation.customer,
    Conversation.employee,
    Conversation.date,
    Conversation.time_begin,
    Conversation.time_end,
    Conversation.duration_minutes,
    Conversation.follow_up,
    Conversation.note,
    Conversation.with_whom,
    Conversation.topic,
    Conversation.method,
    Conversation.completed,
    Conversation.completed_on,
    Conversation.is_follow_up,
    Conversation.pipeline_stage,
    Conversation.created_at,
    Conversation.updated_at,
    Conversation.promised_follow_up,
)
# conversations.csv column → the model field its value goes to (for --update)
CONVERSATION_COLUMN_FIELDS = {
    "customer_number": "customer",
    "employee": "employee",
    "date": "date",
    "time_begin": "time_begin",
    "time_end": "time_end",
    "duration_minutes": "duration_minutes",
    "follow_up": "follow_up",
    "note": "note",
    "with_whom": "with_whom",
    "about": "topic",
    "how": "method",
    "completed": "completed",
    "completed_on": "completed_on",
    "is_follow_up": "is_follow_up",
    "pipeline_stage": "pipeline_stage",
    "promised_follow_up": "promised_follow_up",
}


@dataclass
class ImportSummary:
    """What an import did: rows imported, updated and skipped, and the lookups it created."""

    kind: str
    imported: int
    created: list[str] = field(default_factory=list)  # e.g. "employee 'anna'"
    updated: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        noun = self.kind[:-1] if self.imported == 1 else self.kind
        text = f"imported {self.imported} {noun}"
        if self.updated:
            text += f", updated {self.updated}"
        if self.skipped:
            text += f", skipped {self.skipped} already there"
        return text + ("; created " + ", ".join(self.created) if self.created else "")


class ErrorSink(Protocol):
    """What ``Existing.take`` reports to: a CSV row's RowChecker or a vCard's check."""

    def error(self, column: str, message: str) -> None: ...


class Existing:
    """Rows of the file whose key is already in the database: an error, skipped or kept
    for updating once the whole file has been checked."""

    def __init__(self, mode: str, what: str):
        if mode not in MODES:
            raise ValueError(mode)
        self.mode = mode
        self.what = what
        self.skipped = 0
        self.updates: list[tuple[int, dict]] = []

    def take(self, check: ErrorSink, column: str, key: str, row_id: int, values: dict) -> None:
        if self.mode == "error":
            check.error(
                column,
                f"{self.what} {show(key)} already exists in the database "
                "(--skip-existing leaves such rows, --update overwrites them)",
            )
        elif self.mode == "skip":
            self.skipped += 1
        else:
            self.updates.append((row_id, values))

    def apply(self, model) -> int:
        for row_id, values in self.updates:
            if values:
                model.update(values).where(model.id == row_id).execute()
        return len(self.updates)


def chunks(rows, size: int = CHUNK):
    rows = iter(rows)
    while chunk := list(islice(rows, size)):
        yield chunk


def import_customers(path: Path | str, mode: str = "error", progress=None) -> ImportSummary:
    """Import a customers file; numbers are unique ignoring case."""
    with CsvFile(path, "customers", progress) as table, write_transaction():
        existing = {
            number.lower(): id_ for number, id_ in Customer.select(Customer.number, Customer.id).tuples().iterator()
        }
        present = set(table.header)
        first_line: dict[str, int] = {}
        known = Existing(mode, "customer number")
        now = utcnow()

        def records():
            for line, row in table.rows():
                check = RowChecker(line, row, table.errors)
                number = check.key("number")
                key = number.lower()
                values = {
                    "name": check.text("name", required=True),
                    "email": check.text("email"),
                    "phone": check.text("phone"),
                    "address": check.text("address", strip=False, max_length=TEXT_MAX),
                    "notes": check.text("notes", strip=False, max_length=TEXT_MAX),
                    "cadence_days": check.cadence("cadence_days"),
                }
                if key in first_line:
                    check.error("number", f"customer number {show(number)} already appears on line {first_line[key]}")
                    continue
                if number:
                    first_line[key] = line
                if number and key in existing:
                    known.take(
                        check, "number", number, existing[key], {k: v for k, v in values.items() if k in present}
                    )
                    continue
                if not table.errors:  # after the first error nothing is kept: stop writing
                    *fields, cadence = values.values()
                    yield (number, *fields, now, False, cadence)

        count = bulk.insert_rows(Customer, CUSTOMER_FIELDS, records())
        table.finish()  # any error: raises, and the transaction rolls back
        updated = known.apply(Customer)
    return ImportSummary("customers", count, updated=updated, skipped=known.skipped)


class Lookup:
    """A pick list matched case-insensitively; a name it lacks is created on first use."""

    def __init__(self, label: str, column, extra: Callable[[str], dict] | None = None):
        self.label = label
        self.column = column
        self.extra: Callable[[str], dict] = extra or (lambda name: {})
        model = column.model
        self.ids = {name.lower(): id_ for name, id_ in model.select(column, model.id).tuples()}
        self.created: list[str] = []

    def id(self, name: str) -> int | None:
        if not name:
            return None
        key = name.lower()
        if key not in self.ids:
            self.ids[key] = self.column.model.insert({self.column.name: name, **self.extra(name)}).execute()
            self.created.append(f"{self.label} {show(name)}")
        return self.ids[key]


def employee_lookup() -> Lookup:
    return Lookup("employee", Employee.login, lambda login: {"name": (os_full_name(login) or login)[:255]})


def customer_ids() -> dict[str, int]:
    """Customer number (lower case) → id: numbers match ignoring case (docs/data.md)."""
    return {number.lower(): id_ for number, id_ in Customer.select(Customer.number, Customer.id).tuples().iterator()}


def existing_uids(model, uids: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for part in chunks(uids, 500):
        found.update(model.select(model.uid, model.id).where(model.uid.in_(part)).tuples())
    return found


def import_conversations(path: Path | str, default_login: str, mode: str = "error", progress=None) -> ImportSummary:
    """Import a conversations file. ``default_login`` owns rows whose employee is empty."""
    with CsvFile(path, "conversations", progress) as table, write_transaction():
        customers = customer_ids()
        employees = employee_lookup()
        topics = Lookup("topic", Topic.name)
        methods = Lookup("method", Method.name)
        stages = {
            name.lower(): id_
            for name, id_ in PipelineStage.select(PipelineStage.name, PipelineStage.id).tuples().iterator()
        }
        present = {CONVERSATION_COLUMN_FIELDS[c] for c in table.header if c in CONVERSATION_COLUMN_FIELDS}
        first_line: dict[str, int] = {}
        known = Existing(mode, "conversation uid")
        now = utcnow()
        new_uid = Conversation.uid.default

        def records():
            for chunk in chunks(table.rows()):
                there = existing_uids(Conversation, [row["uid"].strip() for _, row in chunk if row["uid"].strip()])
                for line, row in chunk:
                    check = RowChecker(line, row, table.errors)
                    uid = check.text("uid")
                    rec = _check_conversation(check, customers, stages, default_login)
                    if uid in first_line:
                        check.error("uid", f"uid {show(uid)} already appears on line {first_line[uid]}")
                        continue
                    if uid:
                        first_line[uid] = line
                    if table.errors:
                        continue  # nothing will be kept: check the rest without writing
                    values = (
                        rec["customer"],
                        employees.id(rec["employee"]),
                        rec["date"],
                        rec["time_begin"],
                        rec["time_end"],
                        rec["duration_minutes"],
                        rec["follow_up"],
                        rec["note"],
                        rec["with_whom"],
                        topics.id(rec["about"]),
                        methods.id(rec["how"]),
                        rec["completed"],
                        rec["completed_on"],
                        rec["is_follow_up"],
                        rec["pipeline_stage"],
                    )
                    if uid in there:
                        named = dict(zip([f.name for f in CONVERSATION_FIELDS[1:16]], values, strict=True))
                        named["promised_follow_up"] = rec["promised_follow_up"] or rec["follow_up"]
                        changes = {k: v for k, v in named.items() if k in present}
                        changes.update(updated_at=now, sequence=Conversation.sequence + 1)
                        known.take(check, "uid", uid, there[uid], changes)
                        continue
                    yield (uid or new_uid(), *values, now, now, rec["promised_follow_up"] or rec["follow_up"])

        count = bulk.insert_rows(Conversation, CONVERSATION_FIELDS, records())
        table.finish()
        updated = known.apply(Conversation)
        ensure_fresh()  # the imported customers' stored sale cycles, in this transaction
    created = employees.created + topics.created + methods.created
    return ImportSummary("conversations", count, created, updated=updated, skipped=known.skipped)


def _check_conversation(check: RowChecker, customers: dict, stages: dict, default_login: str) -> dict:
    number = check.text("customer_number", required=True)
    if number and number.lower() not in customers:
        check.error("customer_number", f"no customer with number {show(number)}")
    stage_name = check.text("pipeline_stage")
    if stage_name and stage_name.lower() not in stages:
        check.error("pipeline_stage", f"unknown pipeline stage {show(stage_name)}")
    rec: dict[str, Any] = {
        "customer": customers.get(number.lower()),
        "employee": check.key("employee", required=False) or default_login,
        "date": check.date("date", required=True),
        "time_begin": check.time("time_begin"),
        "time_end": check.time("time_end"),
        "duration_minutes": check.minutes("duration_minutes"),
        "follow_up": check.date("follow_up"),
        "note": check.text("note", strip=False, max_length=TEXT_MAX),
        "with_whom": check.text("with_whom", strip=False),
        "about": check.text("about"),
        "how": check.text("how"),
        "completed": check.boolean("completed"),
        "completed_on": check.date("completed_on"),
        "is_follow_up": check.boolean("is_follow_up"),
        "pipeline_stage": stages.get(stage_name.lower()) if stage_name else None,
        "promised_follow_up": check.date("promised_follow_up"),
    }
    if rec["promised_follow_up"] and not rec["follow_up"]:
        check.error("promised_follow_up", "a promised date needs a follow_up date")
    if rec["time_begin"] and rec["time_end"] and rec["time_end"] < rec["time_begin"]:
        check.error("time_end", f"{rec['time_end']:%H:%M} is before time_begin {rec['time_begin']:%H:%M}")
    return rec

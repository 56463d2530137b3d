"""Importing customers and conversations from CSV (README.md#csv-files): all or nothing.

The file is read one row at a time inside one transaction: rows are checked and written in
batches, every problem is collected, and at the end any problem rolls the whole transaction
back, so either the whole file is imported or the database is unchanged and
``CsvImportError`` lists every problem with its line and column. (On SQLite the transaction
holds the write lock for the length of the import.)

Conversations name their lookups by text, matched case-insensitively: an unknown employee,
topic ("about") or method ("how") is created and listed in the summary; an unknown customer
number or pipeline stage is an error. An empty employee means the current employee.
Duplicate customer numbers (in the file, or already in the database) are errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storage import bulk
from storage.cycle_store import ensure_fresh
from storage.csvio import CsvFile, RowChecker, show
from storage.database import write_transaction
from storage.models import Conversation, Customer, Employee, Method, PipelineStage, Topic, utcnow

CUSTOMER_FIELDS = (
    Customer.number, Customer.name, Customer.email, Customer.phone, Customer.address,
    Customer.notes, Customer.created_at, Customer.archived,
)
CONVERSATION_FIELDS = (
    Conversation.uid, Conversation.customer, Conversation.employee, Conversation.date,
    Conversation.time_begin, Conversation.time_end, Conversation.duration_minutes,
    Conversation.follow_up, Conversation.note, Conversation.with_whom, Conversation.topic,
    Conversation.method, Conversation.completed, Conversation.completed_on,
    Conversation.is_follow_up, Conversation.pipeline_stage, Conversation.created_at,
    Conversation.updated_at,
)


@dataclass
class ImportSummary:
    """What an import did: rows imported and the lookups it had to create."""

    kind: str
    imported: int
    created: list[str] = field(default_factory=list)  # e.g. "employee 'anna'"

    def __str__(self) -> str:
        noun = self.kind[:-1] if self.imported == 1 else self.kind
        text = f"imported {self.imported} {noun}"
        return text + ("; created " + ", ".join(self.created) if self.created else "")


def import_customers(path: Path | str) -> ImportSummary:
    """Import a customers file; a number already in the file or the database is an error."""
    with CsvFile(path, "customers") as table, write_transaction():
        existing = {number for (number,) in Customer.select(Customer.number).tuples()}
        first_line: dict[str, int] = {}
        now = utcnow()

        def records():
            for line, row in table.rows():
                check = RowChecker(line, row, table.errors)
                number = check.text("number", required=True, max_length=Customer.number.max_length)
                if number in first_line:
                    check.error("number", f"customer number {show(number)} already appears on line {first_line[number]}")
                elif number in existing:
                    check.error("number", f"customer number {show(number)} already exists in the database")
                elif number:
                    first_line[number] = line
                record = (
                    number,
                    check.text("name", required=True, max_length=Customer.name.max_length),
                    check.text("email", max_length=Customer.email.max_length),
                    check.text("phone", max_length=Customer.phone.max_length),
                    check.text("address", strip=False),
                    check.text("notes", strip=False),
                    now,
                    False,
                )
                if not table.errors:  # after the first error nothing is kept: stop writing
                    yield record

        count = bulk.insert_rows(Customer, CUSTOMER_FIELDS, records())
        table.finish()  # any error: raises, and the transaction rolls back
    return ImportSummary("customers", count)


class _Lookup:
    """A pick list matched case-insensitively; a name it lacks is created on first use."""

    def __init__(self, label: str, column, extra=None):
        self.label = label
        self.column = column
        self.max_length = column.max_length
        self.extra = extra or (lambda name: {})
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


def import_conversations(path: Path | str, default_login: str) -> ImportSummary:
    """Import a conversations file. ``default_login`` owns rows whose employee is empty."""
    with CsvFile(path, "conversations") as table, write_transaction():
        customers = dict(Customer.select(Customer.number, Customer.id).tuples())
        employees = _Lookup("employee", Employee.login, lambda login: {"name": login})
        topics = _Lookup("topic", Topic.name)
        methods = _Lookup("method", Method.name)
        stages = {name.lower(): id_ for name, id_ in PipelineStage.select(PipelineStage.name, PipelineStage.id).tuples()}
        now = utcnow()
        new_uid = Conversation.uid.default

        def records():
            for line, row in table.rows():
                check = RowChecker(line, row, table.errors)
                rec = _check_conversation(check, customers, stages, default_login)
                if table.errors:
                    continue  # nothing will be kept: check the rest without writing
                yield (new_uid(), rec["customer"], employees.id(rec["employee"]), rec["date"],
                       rec["time_begin"], rec["time_end"], rec["duration_minutes"], rec["follow_up"],
                       rec["note"], rec["with_whom"], topics.id(rec["about"]), methods.id(rec["how"]),
                       rec["completed"], rec["completed_on"], rec["is_follow_up"], rec["pipeline_stage"],
                       now, now)

        count = bulk.insert_rows(Conversation, CONVERSATION_FIELDS, records())
        table.finish()
        ensure_fresh()  # the imported customers' stored sale cycles, in this transaction
    return ImportSummary("conversations", count, employees.created + topics.created + methods.created)


def _check_conversation(check: RowChecker, customers: dict, stages: dict, default_login: str) -> dict:
    number = check.text("customer_number", required=True)
    if number and number not in customers:
        check.error("customer_number", f"no customer with number {show(number)}")
    stage_name = check.text("pipeline_stage")
    if stage_name and stage_name.lower() not in stages:
        check.error("pipeline_stage", f"unknown pipeline stage {show(stage_name)}")
    rec = {
        "customer": customers.get(number),
        "employee": check.text("employee", max_length=Employee.login.max_length) or default_login,
        "date": check.date("date", required=True),
        "time_begin": check.time("time_begin"),
        "time_end": check.time("time_end"),
        "duration_minutes": check.minutes("duration_minutes"),
        "follow_up": check.date("follow_up"),
        "note": check.text("note", strip=False),
        "with_whom": check.text("with_whom", strip=False, max_length=Conversation.with_whom.max_length),
        "about": check.text("about", max_length=Topic.name.max_length),
        "how": check.text("how", max_length=Method.name.max_length),
        "completed": check.boolean("completed"),
        "completed_on": check.date("completed_on"),
        "is_follow_up": check.boolean("is_follow_up"),
        "pipeline_stage": stages.get(stage_name.lower()) if stage_name else None,
    }
    if rec["time_begin"] and rec["time_end"] and rec["time_end"] < rec["time_begin"]:
        check.error("time_end", f"{rec['time_end']:%H:%M} is before time_begin {rec['time_begin']:%H:%M}")
    return rec

"""Importing customers and conversations from CSV (SPEC §8): all or nothing.

Every row is checked and every problem collected before anything is written; the checks and
the writes run in one transaction, so either the whole file is imported or the database is
unchanged and ``CsvImportError`` lists every problem with its line and column.

Conversations name their lookups by text, matched case-insensitively: an unknown employee,
topic ("about") or method ("how") is created and listed in the summary; an unknown customer
number or pipeline stage is an error. An empty employee means the current employee.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from storage import bulk
from storage.csvio import CsvImportError, LineError, RowChecker, read_table, show
from storage.database import write_transaction
from storage.models import Conversation, Customer, Employee, Method, PipelineStage, Topic, utcnow

CHUNK = 500  # values per IN (...) lookup
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


def _existing(column, values: list[str]) -> dict[str, int]:
    """{value: id} for the rows of ``column``'s table whose column holds one of ``values``."""
    found: dict[str, int] = {}
    model = column.model
    for start in range(0, len(values), CHUNK):
        chunk = values[start:start + CHUNK]
        found.update(model.select(column, model.id).where(column.in_(chunk)).tuples())
    return found


def import_customers(path: Path | str) -> ImportSummary:
    """Import a customers file; a number already in the file or the database is an error."""
    table = read_table(path, "customers")
    errors = table.errors
    first_line: dict[str, int] = {}
    now = utcnow()
    records = []
    for line, row in table.rows:
        check = RowChecker(line, row, errors)
        number = check.text("number", required=True, max_length=Customer.number.max_length)
        if number in first_line:
            check.error("number", f"customer number {show(number)} already appears on line {first_line[number]}")
        elif number:
            first_line[number] = line
        records.append((
            number,
            check.text("name", required=True, max_length=Customer.name.max_length),
            check.text("email", max_length=Customer.email.max_length),
            check.text("phone", max_length=Customer.phone.max_length),
            check.text("address", strip=False),
            check.text("notes", strip=False),
            now,
            False,
        ))
    with write_transaction():
        for number in _existing(Customer.number, list(first_line)):
            errors.append(LineError(first_line[number], "number",
                                    f"customer number {show(number)} already exists in the database"))
        if errors:
            raise CsvImportError(table.filename, errors)
        bulk.insert_rows(Customer, CUSTOMER_FIELDS, records)
    return ImportSummary("customers", len(records))


class _Lookup:
    """A pick list matched case-insensitively; names it lacks are collected for creation."""

    def __init__(self, label: str, column, max_length: int):
        self.label = label
        self.column = column
        self.max_length = max_length
        model = column.model
        self.ids = {name.lower(): id_ for name, id_ in model.select(column, model.id).tuples()}
        self.missing: dict[str, str] = {}  # lower -> spelling of its first use

    def key(self, name: str) -> str | None:
        if not name:
            return None
        key = name.lower()
        if key not in self.ids:
            self.missing.setdefault(key, name)
        return key

    def create(self, extra: dict | None = None) -> list[str]:
        """Insert the missing names; returns "label 'name'" for the summary."""
        model = self.column.model
        for key, name in self.missing.items():
            values = {self.column.name: name, **(extra(name) if extra else {})}
            self.ids[key] = model.insert(values).execute()
        return [f"{self.label} {show(name)}" for name in self.missing.values()]


def import_conversations(path: Path | str, default_login: str) -> ImportSummary:
    """Import a conversations file. ``default_login`` owns rows whose employee is empty."""
    table = read_table(path, "conversations")
    errors = table.errors
    with write_transaction():
        numbers = sorted({row["customer_number"].strip() for _, row in table.rows})
        customers = _existing(Customer.number, numbers)
        employees = _Lookup("employee", Employee.login, Employee.login.max_length)
        topics = _Lookup("topic", Topic.name, Topic.name.max_length)
        methods = _Lookup("method", Method.name, Method.name.max_length)
        stages = {name.lower(): id_ for name, id_ in PipelineStage.select(PipelineStage.name, PipelineStage.id).tuples()}
        parsed = []
        for line, row in table.rows:
            parsed.append(_check_conversation(RowChecker(line, row, errors), customers, employees,
                                              topics, methods, stages, default_login))
        if errors:
            raise CsvImportError(table.filename, errors)
        created = employees.create(lambda login: {"name": login})
        created += topics.create() + methods.create()
        now = utcnow()
        records = (
            (Conversation.uid.default(), rec["customer"], employees.ids[rec["employee"]], rec["date"],
             rec["time_begin"], rec["time_end"], rec["duration_minutes"], rec["follow_up"], rec["note"],
             rec["with_whom"], topics.ids.get(rec["topic"]), methods.ids.get(rec["method"]),
             rec["completed"], rec["completed_on"], rec["is_follow_up"], rec["pipeline_stage"], now, now)
            for rec in parsed
        )
        count = bulk.insert_rows(Conversation, CONVERSATION_FIELDS, records)
    return ImportSummary("conversations", count, created)


def _check_conversation(check: RowChecker, customers, employees, topics, methods, stages, default_login) -> dict:
    number = check.text("customer_number", required=True)
    if number and number not in customers:
        check.error("customer_number", f"no customer with number {show(number)}")
    login = check.text("employee", max_length=employees.max_length) or default_login
    stage_name = check.text("pipeline_stage")
    if stage_name and stage_name.lower() not in stages:
        check.error("pipeline_stage", f"unknown pipeline stage {show(stage_name)}")
    rec = {
        "customer": customers.get(number),
        "employee": employees.key(login),
        "date": check.date("date", required=True),
        "time_begin": check.time("time_begin"),
        "time_end": check.time("time_end"),
        "duration_minutes": check.minutes("duration_minutes"),
        "follow_up": check.date("follow_up"),
        "note": check.text("note", strip=False),
        "with_whom": check.text("with_whom", strip=False, max_length=Conversation.with_whom.max_length),
        "topic": topics.key(check.text("about", max_length=topics.max_length)),
        "method": methods.key(check.text("how", max_length=methods.max_length)),
        "completed": check.boolean("completed"),
        "completed_on": check.date("completed_on"),
        "is_follow_up": check.boolean("is_follow_up"),
        "pipeline_stage": stages.get(stage_name.lower()) if stage_name else None,
    }
    if rec["time_begin"] and rec["time_end"] and rec["time_end"] < rec["time_begin"]:
        check.error("time_end", f"{rec['time_end']:%H:%M} is before time_begin {rec['time_begin']:%H:%M}")
    return rec

"""Peewee models for every entity of docs/data.md.

The models are bound to ``db``, a DatabaseProxy that ``storage.db.database.open_database``
initialises at run time; nothing here opens a database at import.

Timestamps (created_at, updated_at, deleted_at) are naive UTC. Dates and times that the
user types (date, time_begin, follow_up) are naive local values. A booking's start and end
are instants (naive UTC) with the IANA zone it was made in (storage/timezones.py).
"""

from __future__ import annotations

import datetime as dt
import uuid

import peewee
from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
    TimeField,
)

from storage.db.sort_key import sort_key

db = DatabaseProxy()

STAGE_KINDS = ("open", "won", "lost", "closed")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)


def new_uid() -> str:
    return str(uuid.uuid4())


class BaseModel(Model):
    # Each ForeignKeyField ``x`` also gives ``x_id``, the raw id; the models declare those for
    # the type checker (annotations only: peewee does not read them).
    id = AutoField()

    class Meta:
        database = db
        legacy_table_names = False


class SortedByName(BaseModel):
    """A model whose rows list by ``sort_name``: ``storage.db.sort_key.sort_key`` of its name,
    filled in by every insert, update, create and save that sets the name (``storage.db.bulk``
    does the same for its fast inserts), so lists order by an index the same on both backends.
    """

    # DEFAULT '' in the table too, as the migration that added it made it: a row written by
    # plain SQL still lists (first, until its name is saved again).
    sort_name = CharField(default="", constraints=[peewee.SQL("DEFAULT ''")])

    @classmethod
    def sort_source(cls, data: dict) -> str | None:
        """The text the key is made of, from the fields being written (None: not written)."""
        return data.get("name")

    @classmethod
    def _normalize_data(cls, data, kwargs):
        normalized = super()._normalize_data(data, kwargs)
        if isinstance(normalized, dict):  # (a sort_name given is a default, or for a source None)
            by_name = {field.name: value for field, value in normalized.items() if isinstance(field, peewee.Field)}
            source = cls.sort_source(by_name)
            if isinstance(source, str):
                normalized[cls.sort_name] = sort_key(source)
        return normalized


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField(default=utcnow)


class Topic(BaseModel):
    name = CharField(unique=True)
    active = BooleanField(default=True)


class Method(BaseModel):
    name = CharField(unique=True)
    active = BooleanField(default=True)


class PipelineStage(BaseModel):
    name = CharField(unique=True)
    sort_order = IntegerField(default=0)
    kind = CharField(default="open")  # one of STAGE_KINDS
    active = BooleanField(default=True)
    stalled_after_days = IntegerField(null=True)  # docs/reports.md#pipeline "stalled after N days"; None: never


class Employee(SortedByName):
    login = CharField(unique=True)
    name = CharField(default="")
    default_topic = ForeignKeyField(Topic, null=True, on_delete="SET NULL")
    default_topic_id: int | None
    active = BooleanField(default=True)

    @classmethod
    def sort_source(cls, data: dict) -> str | None:
        """By the name shown: the display name, else the login (an update that empties the
        name without naming the login sets ``sort_name`` itself)."""
        return data.get("name") or data.get("login") or None

    @property
    def display_name(self) -> str:
        return self.name or self.login


class Customer(SortedByName):
    number = CharField(unique=True)
    name = CharField()
    email = CharField(default="")
    phone = CharField(default="")
    address = TextField(default="")
    notes = TextField(default="")
    created_at = DateTimeField(default=utcnow)
    archived = BooleanField(default=False)
    cadence_days = IntegerField(null=True)  # docs/reports.md "stay in touch every N days"; None: no cadence


class Contact(SortedByName):
    customer = ForeignKeyField(Customer, backref="contacts", on_delete="CASCADE")
    customer_id: int
    name = CharField()
    role = CharField(default="")
    email = CharField(default="")
    phone = CharField(default="")


class Conversation(BaseModel):
    uid = CharField(unique=True, default=new_uid)
    customer = ForeignKeyField(Customer, backref="conversations", on_delete="CASCADE")
    employee = ForeignKeyField(Employee, backref="conversations")
    customer_id: int
    employee_id: int
    date = DateField()
    time_begin = TimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    time_end = TimeField(null=True, formats=["%H:%M:%S", "%H:%M"])
    duration_minutes = IntegerField(null=True)
    follow_up = DateField(null=True)
    # The follow-up date first saved (docs/data.md#the-conversation-form); None means "never moved", i.e. follow_up.
    # storage.records.conversations._edit keeps it when the follow-up date moves.
    promised_follow_up = DateField(null=True)
    note = TextField(default="")
    with_whom = CharField(default="")
    topic = ForeignKeyField(Topic, null=True, on_delete="SET NULL")
    method = ForeignKeyField(Method, null=True, on_delete="SET NULL")
    topic_id: int | None
    method_id: int | None
    completed = BooleanField(default=False)
    completed_on = DateField(null=True)
    is_follow_up = BooleanField(default=False)
    follows = ForeignKeyField("self", null=True, backref="followed_by", on_delete="SET NULL")
    pipeline_stage = ForeignKeyField(PipelineStage, null=True, on_delete="SET NULL")
    follows_id: int | None
    pipeline_stage_id: int | None
    sequence = IntegerField(default=0)  # grows with each edit (iCalendar SEQUENCE)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    deleted_at = DateTimeField(null=True)


class Booking(BaseModel):
    uid = CharField(unique=True, default=new_uid)
    conversation = ForeignKeyField(Conversation, null=True, backref="bookings", on_delete="SET NULL")
    customer = ForeignKeyField(Customer, backref="bookings", on_delete="CASCADE")
    employee = ForeignKeyField(Employee, backref="bookings")
    conversation_id: int | None
    customer_id: int
    employee_id: int
    start = DateTimeField()  # naive UTC instant
    end = DateTimeField()  # naive UTC instant
    timezone = CharField(
        default="UTC"
    )  # IANA zone the booking was made in (README.md#calendar-export-rapport-export-ics)
    title = CharField(default="")
    location = CharField(default="")
    note = TextField(default="")
    sequence = IntegerField(default=0)
    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)
    cancelled_at = DateTimeField(null=True)  # cancelling is undoable: the row stays


class Draft(BaseModel):
    """Unsaved form text, kept so that a dropped session loses nothing (docs/screens.md#keyboard-and-ssh)."""

    form = CharField()  # which form, e.g. "conversation"
    key = CharField(default="")  # which record the form edits ("" for a new one)
    employee = CharField(default="")  # login of whoever typed it
    payload = TextField()  # JSON of the form's fields
    updated_at = DateTimeField(default=utcnow)


ALL_MODELS = [
    SchemaVersion,
    Topic,
    Method,
    PipelineStage,
    Employee,
    Customer,
    Contact,
    Conversation,
    Booking,
    Draft,
]


class SaleCycle(BaseModel):
    """A stored sale cycle (docs/reports.md#pipeline, all dates): kept by storage/db/cycle_store.py."""

    customer_id = IntegerField(index=True)
    start = DateField()
    close = DateField(null=True)  # None while open
    close_stage_id = IntegerField(null=True)  # the stage that ended it
    employee_id = IntegerField()  # of its latest pipeline conversation
    days = IntegerField(null=True)  # close − start, None while open

    class Meta:
        # covering the closes per stage and employee (storage/pipeline_sql.stored_closes)
        indexes = ((("close_stage_id", "employee_id", "close", "days"), False),)


class PipelineCustomer(BaseModel):
    """Per customer with pipeline conversations: its first and latest one (all dates)."""

    customer_id = IntegerField(primary_key=True)
    first_date = DateField(index=True)
    first_employee_id = IntegerField()
    latest_date = DateField(index=True)
    latest_stage_id = IntegerField()
    latest_employee_id = IntegerField()
    # the earliest conversation of the unbroken run at latest_stage_id ending with the latest
    # one: "days in stage" = D − stage_since (docs/reports.md#pipeline)
    stage_since = DateField(null=True)

    class Meta:
        # covering the customers per open stage and employee (stored_in_pipeline)
        indexes = ((("latest_stage_id", "latest_employee_id", "latest_date"), False),)


class PipelineDirty(BaseModel):
    """Customers whose stored cycles are stale (filled by triggers); -1 means all of them."""

    customer_id = IntegerField(primary_key=True)


ALL_MODELS += [SaleCycle, PipelineCustomer, PipelineDirty]


class SyncItem(BaseModel):
    """Two-way calendar sync state (README.md#command-line, storage/sync/): one row per item Rapport
    pushed to one target (a CalDAV collection or a vdir folder). No passwords here."""

    target = CharField()  # the collection URL or the folder's absolute path
    uid = CharField()  # the iCalendar UID, "<uid>@rapport"
    kind = CharField()  # "follow-up" or "booking"
    href = CharField(null=True)  # where it lives there; None once deleted over there
    etag = CharField(null=True)
    sequence = IntegerField(default=0)  # the SEQUENCE last pushed or pulled
    digest = CharField(default="")  # of the content last pushed or pulled (without DTSTAMP)
    synced_at = DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("target", "uid"), True),)


ALL_MODELS += [SyncItem]

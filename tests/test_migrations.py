"""The migration runner upgrades a database made by the first schema in place (docs/storage.md)."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest

from storage.db import migrations
from storage.db.connection import make_database
from storage.db.database import close_database, open_database
from storage.db.models import Booking, Conversation, Customer, Draft, SchemaVersion
from tests.conftest import BACKENDS


def build_v1(database: peewee.Database) -> None:
    """Schema version 1 exactly as first released, frozen here, with a few rows."""

    class V1(peewee.Model):
        class Meta:
            database = None
            legacy_table_names = False

    class SchemaVersion(V1):
        version = peewee.IntegerField()
        applied_at = peewee.DateTimeField()

    class Topic(V1):
        name = peewee.CharField(unique=True)
        active = peewee.BooleanField(default=True)

    class Method(V1):
        name = peewee.CharField(unique=True)
        active = peewee.BooleanField(default=True)

    class PipelineStage(V1):
        name = peewee.CharField(unique=True)
        sort_order = peewee.IntegerField(default=0)
        kind = peewee.CharField(default="open")
        active = peewee.BooleanField(default=True)

    class Employee(V1):
        login = peewee.CharField(unique=True)
        name = peewee.CharField(default="")
        default_topic = peewee.ForeignKeyField(Topic, null=True)
        active = peewee.BooleanField(default=True)

    class Customer(V1):
        number = peewee.CharField(unique=True)
        name = peewee.CharField()
        email = peewee.CharField(default="")
        phone = peewee.CharField(default="")
        address = peewee.TextField(default="")
        notes = peewee.TextField(default="")
        created_at = peewee.DateTimeField()
        archived = peewee.BooleanField(default=False)

    class Contact(V1):
        customer = peewee.ForeignKeyField(Customer)
        name = peewee.CharField()
        role = peewee.CharField(default="")
        email = peewee.CharField(default="")
        phone = peewee.CharField(default="")

    class Conversation(V1):
        uid = peewee.CharField(unique=True)
        customer = peewee.ForeignKeyField(Customer)
        employee = peewee.ForeignKeyField(Employee)
        date = peewee.DateField()
        time_begin = peewee.TimeField(null=True)
        time_end = peewee.TimeField(null=True)
        duration_minutes = peewee.IntegerField(null=True)
        follow_up = peewee.DateField(null=True)
        note = peewee.TextField(default="")
        with_whom = peewee.CharField(default="")
        topic = peewee.ForeignKeyField(Topic, null=True)
        method = peewee.ForeignKeyField(Method, null=True)
        completed = peewee.BooleanField(default=False)
        completed_on = peewee.DateField(null=True)
        is_follow_up = peewee.BooleanField(default=False)
        follows = peewee.ForeignKeyField("self", null=True)
        pipeline_stage = peewee.ForeignKeyField(PipelineStage, null=True)
        created_at = peewee.DateTimeField()
        updated_at = peewee.DateTimeField()
        deleted_at = peewee.DateTimeField(null=True)

    models = [SchemaVersion, Topic, Method, PipelineStage, Employee, Customer, Contact, Conversation]
    now = dt.datetime(2025, 1, 2, 3, 4, 5)
    with database.bind_ctx(models):
        database.create_tables(models)
        SchemaVersion.create(version=1, applied_at=now)
        topic = Topic.create(name="General")
        won = PipelineStage.create(name="Won", kind="won", sort_order=60)
        emp = Employee.create(login="anna", name="Anna")
        for i in range(3):
            cust = Customer.create(number=f"K{i}", name=f"Kunde {i}", created_at=now)
            for j in range(4):
                Conversation.create(
                    uid=f"uid-{i}-{j}",
                    customer=cust,
                    employee=emp,
                    date=dt.date(2025, 1, 1 + j),
                    note=f"note {i}/{j} — ünïcode",
                    topic=topic,
                    created_at=now,
                    updated_at=now,
                    pipeline_stage=won if j == 3 else None,
                    follow_up=dt.date(2025, 2, 1 + j) if j < 2 else None,
                )


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_v1_database_upgrades_in_place_and_keeps_every_row(database_url, tmp_path):
    raw = make_database(database_url)
    raw.connect()
    build_v1(raw)
    raw.close()

    database = open_database(database_url)  # runs the migration runner
    assert migrations.schema_version(database) == migrations.CURRENT_VERSION
    assert [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)] == list(
        range(1, migrations.CURRENT_VERSION + 1)
    )
    # v3: the pipeline metrics' covering indexes exist after the upgrade.
    indexes = {index.name for index in database.get_indexes("conversation")}
    assert {"conversation_pipeline_live", "conversation_stage_date"} <= indexes
    assert Customer.select().count() == 3
    # v7: every name got its reading-order key (storage/db/sort_key.py), and the index over it.
    assert [c.sort_name for c in Customer.select().order_by(Customer.id)] == ["kunde 0", "kunde 1", "kunde 2"]
    assert "customer_sort_name" in {index.name for index in database.get_indexes("customer")}
    assert Conversation.select().count() == 12
    conv = Conversation.get(Conversation.uid == "uid-2-3")
    assert conv.note == "note 2/3 — ünïcode"
    assert conv.pipeline_stage.name == "Won"
    assert conv.sequence == 0  # the column v2 added, filled with its default
    # issue 16's step: every existing follow-up date is what was promised.
    promised = {c.uid: (c.follow_up, c.promised_follow_up) for c in Conversation.select()}
    assert promised["uid-1-0"] == (dt.date(2025, 2, 1), dt.date(2025, 2, 1))
    assert promised["uid-1-3"] == (None, None)
    assert "conversation_follow_up_promised" in indexes
    # New tables of v2 exist and work.
    assert Booking.select().count() == 0
    Draft.create(form="conversation", payload="{}")
    # An upgrade does not re-seed the pick lists of a database that already had some.
    from storage.db.models import Topic

    assert [t.name for t in Topic.select()] == ["General"]

    if database_url.startswith("sqlite"):
        backup = tmp_path / "rapport.db.bak-1"
        assert backup.exists()
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
    close_database()


def test_newer_schema_is_refused(database_url):
    from storage.errors import RapportError

    open_database(database_url)
    SchemaVersion.create(version=migrations.CURRENT_VERSION + 5)
    close_database()
    with pytest.raises(RapportError, match="newer than this Rapport knows"):
        open_database(database_url)

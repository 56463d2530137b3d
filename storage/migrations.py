"""Schema versions and the migration runner (docs/storage.md).

A new database is created from the current models at ``CURRENT_VERSION`` and seeded with the
default pick lists once. An older database is upgraded in place on start, one step at a time,
inside one transaction; an SQLite file is first copied to ``rapport.db.bak-VERSION``.

Version history:
  1. the first schema: pick lists, employees, customers, contacts, conversations.
  2. conversation.sequence (iCalendar SEQUENCE), bookings, drafts, and the indexes the
     lists and reports need.
  3. two covering partial indexes over live pipeline conversations, for the pipeline
     metrics on a million conversations (storage/pipeline_sql.py explains them).
  4. a partial index of each customer's open follow-ups, for the customers list's "next
     follow-up" column (storage/queries.py): 24 ms a page without it, well under 1 ms with it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import peewee
from playhouse.migrate import SchemaMigrator, migrate

from storage.cycle_store import create_triggers
from storage.errors import RapportError
from storage.models import (
    ALL_MODELS,
    Booking,
    Draft,
    Method,
    PipelineCustomer,
    PipelineDirty,
    PipelineStage,
    SaleCycle,
    SchemaVersion,
    Topic,
)

CURRENT_VERSION = 6

# pg_advisory_xact_lock's first key for schema creation and upgrades ("RAPP" in ASCII).
SCHEMA_LOCK_KEY = 0x52415050

DEFAULT_STAGES = [
    ("Initial contact", "open"),
    ("Qualifying", "open"),
    ("Lead validated", "open"),
    ("Proposal", "open"),
    ("Negotiation", "open"),
    ("Won", "won"),
    ("Lost", "lost"),
    ("Not qualified", "closed"),
    ("Cancelled", "closed"),
]
DEFAULT_METHODS = ["Telephone", "Email", "Visit", "Video call", "Letter"]
DEFAULT_TOPICS = ["General", "Quote", "Order", "Support", "Complaint", "Payment"]

# Indexes beyond the unique ones the models declare. Plain SQL that both SQLite and
# PostgreSQL accept; partial indexes keep the follow-up and pipeline scans small.
INDEXES = [
    "CREATE INDEX IF NOT EXISTS conversation_customer_order ON conversation "
    "(customer_id, date, time_begin, id)",
    # One customer's conversations in docs/data.md order, trash left out: the Conversations tab
    # counts and pages them from this index alone, however deep the page.
    "CREATE INDEX IF NOT EXISTS conversation_customer_live ON conversation "
    "(customer_id, date, time_begin, id) WHERE deleted_at IS NULL",
    # The next three also cover the per-employee statistics (storage/reports.py), so that a
    # month or a year of them is read from the index alone, whichever one the planner picks.
    "CREATE INDEX IF NOT EXISTS conversation_employee_date ON conversation "
    "(employee_id, date, follow_up, deleted_at)",
    "CREATE INDEX IF NOT EXISTS conversation_date ON conversation "
    "(date, employee_id, follow_up, deleted_at)",
    # Open follow-ups (the daily report), for everyone and per employee. completed and
    # deleted_at are listed so SQLite sees the indexes as covering for the section counts.
    "CREATE INDEX IF NOT EXISTS conversation_open_follow_up ON conversation "
    "(follow_up, employee_id, completed, deleted_at) "
    "WHERE deleted_at IS NULL AND NOT completed AND follow_up IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS conversation_open_follow_up_employee ON conversation "
    "(employee_id, follow_up, completed, deleted_at) "
    "WHERE deleted_at IS NULL AND NOT completed AND follow_up IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS conversation_follow_up ON conversation "
    "(follow_up, employee_id, completed, completed_on, deleted_at) WHERE follow_up IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS conversation_pipeline ON conversation "
    "(customer_id, date, time_begin, id, pipeline_stage_id) WHERE pipeline_stage_id IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS conversation_pipeline_live ON conversation "
    "(customer_id, date, time_begin, id, pipeline_stage_id, employee_id) "
    "WHERE pipeline_stage_id IS NOT NULL AND deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS conversation_stage_date ON conversation "
    "(pipeline_stage_id, date, customer_id, time_begin, employee_id) "
    "WHERE pipeline_stage_id IS NOT NULL AND deleted_at IS NULL",
    "CREATE INDEX IF NOT EXISTS conversation_customer_open_follow_up ON conversation "
    "(customer_id, follow_up) "
    "WHERE deleted_at IS NULL AND NOT completed AND follow_up IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS conversation_follows ON conversation (follows_id)",
    "CREATE INDEX IF NOT EXISTS contact_customer ON contact (customer_id)",
    "CREATE INDEX IF NOT EXISTS customer_name ON customer (name)",
    "CREATE INDEX IF NOT EXISTS booking_start ON booking (start)",
    "CREATE INDEX IF NOT EXISTS booking_customer ON booking (customer_id)",
]


# PostgreSQL puts NULL last in an ascending index, SQLite first. Conversation order (docs/data.md) puts
# a missing time first, so on PostgreSQL the pipeline index says NULLS FIRST and its backward
# scan gives "latest first" without a sort (SQLite's CREATE INDEX has no NULLS clause).
POSTGRES_INDEXES = {
    "conversation_pipeline_live": "CREATE INDEX IF NOT EXISTS conversation_pipeline_live ON conversation "
    "(customer_id, date, time_begin NULLS FIRST, id, pipeline_stage_id, employee_id) "
    "WHERE pipeline_stage_id IS NOT NULL AND deleted_at IS NULL",
}


def _create_indexes(database: peewee.Database) -> None:
    from storage.database import is_sqlite

    for statement in INDEXES:
        name = statement.split()[5]  # CREATE INDEX IF NOT EXISTS <name> ON ...
        if not is_sqlite(database):
            statement = POSTGRES_INDEXES.get(name, statement)
        database.execute_sql(statement)


def _to_v2(database: peewee.Database) -> None:
    migrator = SchemaMigrator.from_database(database)
    migrate(migrator.add_column("conversation", "sequence", peewee.IntegerField(default=0)))
    database.create_tables([Booking, Draft], safe=True)
    _create_indexes(database)


def _to_v3(database: peewee.Database) -> None:
    _create_indexes(database)


def _to_v6(database: peewee.Database) -> None:
    """Stored sale cycles (storage/cycle_store.py): tables, triggers, filled for every customer."""
    from storage.cycle_store import create_triggers, refresh_all

    database.create_tables([SaleCycle, PipelineCustomer, PipelineDirty], safe=True)
    create_triggers(database)
    refresh_all()


# STEPS[n] upgrades a database at version n to version n + 1.
STEPS: dict[int, Callable[[peewee.Database], None]] = {
    1: _to_v2, 2: _to_v3, 3: _create_indexes, 4: _create_indexes, 5: _to_v6,
}


def schema_version(database: peewee.Database) -> int | None:
    """The recorded version, or None for a database without Rapport's tables."""
    if not database.table_exists(SchemaVersion._meta.table_name):
        return None
    row = SchemaVersion.select(peewee.fn.MAX(SchemaVersion.version)).scalar()
    return int(row) if row is not None else None


def seed_defaults() -> None:
    Topic.insert_many([{"name": n} for n in DEFAULT_TOPICS]).execute()
    Method.insert_many([{"name": n} for n in DEFAULT_METHODS]).execute()
    PipelineStage.insert_many(
        [{"name": n, "kind": k, "sort_order": (i + 1) * 10} for i, (n, k) in enumerate(DEFAULT_STAGES)]
    ).execute()


def _backup_sqlite(url: str, version: int) -> Path | None:
    from storage.database import sqlite_path

    path = sqlite_path(url)
    if not path.exists():
        return None
    backup = path.with_name(f"{path.name}.bak-{version}")
    shutil.copy2(path, backup)
    backup.chmod(0o600)
    return backup


# Every text column of the current schema not yet collated "C", as "table", "column", "type".
_PG_TEXT_COLUMNS = """
SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
  AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)
  AND a.attcollation <> 'pg_catalog."C"'::regcollation
ORDER BY c.relname, a.attnum
"""


def binary_text_order(database: peewee.Database) -> None:
    """On PostgreSQL, give every text column the "C" collation: names then sort and compare
    by code point, exactly as SQLite's BINARY does, whatever locale the server was set up
    with (en_US.UTF-8 would put "beta" before "Zeta" and ignore accents), so both backends
    list customers and reports in the same order and indexes still serve ORDER BY name.
    Run on a new schema before the indexes are made, and after every upgrade (a step may add
    a column; columns already collated "C" are left alone). SQLite needs nothing."""
    if not isinstance(database, peewee.PostgresqlDatabase):
        return
    for table, column, type_name in database.execute_sql(_PG_TEXT_COLUMNS).fetchall():
        database.execute_sql(
            f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {type_name} COLLATE "C"'
        )


def lock_schema(database: peewee.Database) -> None:
    """On PostgreSQL, take a transaction-scoped advisory lock for this schema, so that two
    Rapports connecting for the first time at the same moment do not both create (or upgrade)
    it: the second waits for the first to commit, then finds the schema done. SQLite needs
    none: its write transactions (BEGIN IMMEDIATE) already run one at a time."""
    if isinstance(database, peewee.PostgresqlDatabase):
        database.execute_sql(
            "SELECT pg_advisory_xact_lock(%s, hashtext(coalesce(current_schema(), '')))",
            (SCHEMA_LOCK_KEY,),
        )


def ensure_schema(database: peewee.Database, url: str = "") -> None:
    """Create the schema (and seed it) on an empty database, or upgrade an older one.

    On PostgreSQL everything happens in one transaction under ``lock_schema``. On SQLite the
    file is first copied to ``rapport.db.bak-VERSION``, outside any transaction, then upgraded.
    """
    from storage.database import is_sqlite

    with database.atomic():
        lock_schema(database)
        version = schema_version(database)
        if version is None:
            if database.get_tables():
                raise RapportError(
                    f"{url or 'the database'} holds tables but is not a Rapport database"
                )
            database.create_tables(ALL_MODELS)
            binary_text_order(database)
            _create_indexes(database)
            create_triggers(database)
            SchemaVersion.create(version=CURRENT_VERSION)
            seed_defaults()
            return
        if version == CURRENT_VERSION:
            return
        if version > CURRENT_VERSION:
            raise RapportError(
                f"database schema version {version} is newer than this Rapport knows "
                f"({CURRENT_VERSION}); upgrade Rapport"
            )
        if not is_sqlite(database):
            upgrade(database, version)  # nested: the same transaction, still holding the lock
            return
    if url:
        # Checkpoint so the copy holds every committed page, then copy before touching it.
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        _backup_sqlite(url, version)
    upgrade(database, version)


def upgrade(database: peewee.Database, from_version: int) -> None:
    """Run every step from ``from_version`` to CURRENT_VERSION in one transaction. The version
    is read again inside it: another Rapport may have upgraded the database meanwhile."""
    with database.atomic():
        lock_schema(database)
        version = max(from_version, schema_version(database) or from_version)
        if version >= CURRENT_VERSION:
            return
        while version < CURRENT_VERSION:
            STEPS[version](database)
            version += 1
            SchemaVersion.create(version=version)
        binary_text_order(database)

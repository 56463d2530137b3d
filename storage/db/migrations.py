"""Schema versions and the migration runner (docs/storage.md).

A new database is created from the current models at ``CURRENT_VERSION`` and seeded with the
default pick lists once. An older database is upgraded in place on start, one step at a time,
inside one transaction; an SQLite file is first copied to ``rapport.db.bak-VERSION``.

Version history:
  1. the first schema: pick lists, employees, customers, contacts, conversations.
  2. conversation.sequence (iCalendar SEQUENCE), bookings, drafts, and the indexes the
     lists and reports need.
  3. two covering partial indexes over live pipeline conversations, for the pipeline
     metrics on a million conversations (storage/reporting/pipeline_sql.py explains them).
  4. a partial index of each customer's open follow-ups, for the customers list's "next
     follow-up" column (storage/records/queries.py): 24 ms a page without it, well under 1 ms with it.
  5. (indexes)  6. stored sale cycles (storage/db/cycle_store.py).
  7. (``_promised_cadence_stalled``) conversation.promised_follow_up (set to the
     follow-up date for existing rows), customer.cadence_days, pipeline_stage.stalled_after_days,
     the statistics' covering index rebuilt with the promised date in it, and
     pipeline_customer.stage_since (days in stage, docs/reports.md#pipeline), filled by recomputing.
  8. bookings keep their zone (README.md#calendar-export-rapport-export-ics, ``_booking_zones``): booking.timezone and
     booking.cancelled_at; start and end, until now naive local times, become UTC instants,
     read in the config's ``timezone`` (else the system's zone) of whoever upgrades.
  9. sync_item: the two-way calendar sync's state (README.md#command-line, storage/sync/).
  10. customer numbers and employee logins unique ignoring case (docs/data.md), by unique indexes
     on lower(...) (``_to_nocase_keys``): existing customers whose numbers differ only in case
     keep their data, and all but the oldest get a free number (``AB-1`` → ``AB-1-2``, the
     id); employees whose logins differ only in case are one person, so the later ones are
     merged into the oldest (their conversations, bookings and drafts move to it).
  11. names in reading order (``_sort_names``): a ``sort_name`` column on customer, contact
     and employee (storage/db/sort_key.py), filled for every row, and the indexes lists page from.
  12. (``_live_notify``) on PostgreSQL, statement-level triggers that NOTIFY
     ``rapport_changes`` when a list's table changes, so other sessions refresh live
     (storage/db/changes.py); and extended statistics on (completed, follow_up, deleted_at),
     see ``POSTGRES_STATISTICS``. SQLite: none.
  13. (``_search_index``) the full-text search index of notes and with whom
     (storage/db/search_index.py: FTS5 and triggers on SQLite, a GIN index on PostgreSQL), filled.
  14. (``_stored_search_vector``) on PostgreSQL, the search index's vectors kept in a stored
     generated column, ``conversation.search_vector``, the GIN index over it instead of over
     the expression (storage/db/search_index.py says why). SQLite: nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import peewee

from storage.db.changes import create_notify_triggers
from storage.db.cycle_store import create_triggers
from storage.db.dialect import is_sqlite
from storage.db.models import (
    ALL_MODELS,
    Booking,
    Draft,
    Method,
    PipelineCustomer,
    PipelineDirty,
    PipelineStage,
    SaleCycle,
    SchemaVersion,
    SyncItem,
    Topic,
)
from storage.db.search_index import create_search_index
from storage.errors import RapportError

CURRENT_VERSION = 14

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
    "CREATE INDEX IF NOT EXISTS conversation_customer_order ON conversation (customer_id, date, time_begin, id)",
    # One customer's conversations in docs/data.md order, trash left out: the Conversations tab
    # counts and pages them from this index alone, however deep the page.
    "CREATE INDEX IF NOT EXISTS conversation_customer_live ON conversation "
    "(customer_id, date, time_begin, id) WHERE deleted_at IS NULL",
    # The next three also cover the per-employee statistics (storage/reporting/reports.py), so that a
    # month or a year of them is read from the index alone, whichever one the planner picks.
    "CREATE INDEX IF NOT EXISTS conversation_employee_date ON conversation (employee_id, date, follow_up, deleted_at)",
    "CREATE INDEX IF NOT EXISTS conversation_date ON conversation (date, employee_id, follow_up, deleted_at)",
    # Open follow-ups (the daily report), for everyone and per employee. completed and
    # deleted_at are listed so SQLite sees the indexes as covering for the section counts.
    "CREATE INDEX IF NOT EXISTS conversation_open_follow_up ON conversation "
    "(follow_up, employee_id, completed, deleted_at) "
    "WHERE deleted_at IS NULL AND NOT completed AND follow_up IS NOT NULL",
    "CREATE INDEX IF NOT EXISTS conversation_open_follow_up_employee ON conversation "
    "(employee_id, follow_up, completed, deleted_at) "
    "WHERE deleted_at IS NULL AND NOT completed AND follow_up IS NOT NULL",
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
# Indexes over columns later steps add: made by those steps (and for a new database).
LATER_INDEXES = [
    # covers the statistics by follow-up date (storage/reporting/reports.py), promised date included;
    # replaces version 2's conversation_follow_up, which lacked it.
    "CREATE INDEX IF NOT EXISTS conversation_follow_up_promised ON conversation "
    "(follow_up, employee_id, completed, completed_on, deleted_at, promised_follow_up) "
    "WHERE follow_up IS NOT NULL",
]
# Lists by name in reading order (storage/db/sort_key.py) page from these (made by _sort_names).
SORT_INDEXES = [
    "CREATE INDEX IF NOT EXISTS customer_sort_name ON customer (sort_name, name, id)",
    "CREATE INDEX IF NOT EXISTS contact_sort_name ON contact (customer_id, sort_name, name, id)",
]

# docs/data.md: customer numbers and logins are unique ignoring case (schema version 7; not in
# INDEXES, which earlier steps create before step 7 has removed old duplicates).
NOCASE_INDEXES = [
    "CREATE UNIQUE INDEX IF NOT EXISTS customer_number_nocase ON customer (lower(number))",
    "CREATE UNIQUE INDEX IF NOT EXISTS employee_login_nocase ON employee (lower(login))",
]


# PostgreSQL puts NULL last in an ascending index, SQLite first. Conversation order (docs/data.md) puts
# a missing time first, so on PostgreSQL the pipeline index says NULLS FIRST and its backward
# scan gives "latest first" without a sort (SQLite's CREATE INDEX has no NULLS clause).
POSTGRES_INDEXES = {
    "conversation_pipeline_live": "CREATE INDEX IF NOT EXISTS conversation_pipeline_live ON conversation "
    "(customer_id, date, time_begin NULLS FIRST, id, pipeline_stage_id, employee_id) "
    "WHERE pipeline_stage_id IS NOT NULL AND deleted_at IS NULL",
}


def create_indexes(database: peewee.Database, statements: list[str] = INDEXES) -> None:
    """Run these CREATE INDEX statements, each in its PostgreSQL form where that differs
    (``POSTGRES_INDEXES``); the demo rebuilds the ones it dropped through here too."""
    for statement in statements:
        name = statement.split()[5]  # CREATE INDEX IF NOT EXISTS <name> ON ...
        if not is_sqlite(database):
            statement = POSTGRES_INDEXES.get(name, statement)
        database.execute_sql(statement)


def _to_v2(database: peewee.Database) -> None:
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(database)
    migrate(migrator.add_column("conversation", "sequence", peewee.IntegerField(default=0)))
    database.create_tables([Booking, Draft], safe=True)
    create_indexes(database)


def _to_v3(database: peewee.Database) -> None:
    create_indexes(database)


def _to_v6(database: peewee.Database) -> None:
    """Stored sale cycles (storage/db/cycle_store.py): tables, triggers, filled for every customer."""
    from storage.db.cycle_store import create_triggers, refresh_all

    database.create_tables([SaleCycle, PipelineCustomer, PipelineDirty], safe=True)
    create_triggers(database)
    refresh_all()


def _has_column(database: peewee.Database, table: str, column: str) -> bool:
    """Whether ``table`` has ``column`` already. Early steps create their tables from today's
    models (columns of later steps included), so a step adds a column only where it is missing."""
    return column in {c.name for c in database.get_columns(table)}


def _promised_cadence_stalled(database: peewee.Database) -> None:
    """Issue 16: the promised follow-up date (existing rows promised what they show now), a
    customer's cadence, a stage's "stalled after N days"; the statistics' index with promised."""
    from playhouse.migrate import SchemaMigrator, migrate

    from storage.db.models import Conversation

    migrator = SchemaMigrator.from_database(database)
    migrate(
        migrator.add_column("conversation", "promised_follow_up", peewee.DateField(null=True)),
        migrator.add_column("customer", "cadence_days", peewee.IntegerField(null=True)),
        migrator.add_column("pipeline_stage", "stalled_after_days", peewee.IntegerField(null=True)),
    )
    Conversation.update(promised_follow_up=Conversation.follow_up).where(
        Conversation.follow_up.is_null(False)
    ).execute()
    database.execute_sql("DROP INDEX IF EXISTS conversation_follow_up")
    create_indexes(database, LATER_INDEXES)
    if not _has_column(database, "pipeline_customer", "stage_since"):
        migrate(migrator.add_column("pipeline_customer", "stage_since", peewee.DateField(null=True)))
    from storage.db.cycle_store import refresh_all

    refresh_all()


def _booking_zones(database: peewee.Database) -> None:
    """Bookings keep their zone: add booking.timezone and booking.cancelled_at, and turn
    every stored start and end (naive local time) into a UTC instant in the configured zone
    (config key ``timezone``), else the system's."""
    from storage.config import load_config
    from storage.timezones import configured_zone_name, to_utc

    try:
        zone_name = configured_zone_name(load_config())
    except RapportError:
        from storage.timezones import system_zone_name

        zone_name = system_zone_name()
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(database)
    if _has_column(database, "booking", "timezone"):  # a table made in this very upgrade: empty
        return
    migrate(
        migrator.add_column("booking", "timezone", peewee.CharField(default="UTC")),
        migrator.add_column("booking", "cancelled_at", peewee.DateTimeField(null=True)),
    )
    rows = database.execute_sql('SELECT id, start, "end" FROM booking').fetchall()
    field = peewee.DateTimeField()
    for booking_id, start, end in rows:
        start, end = (to_utc(field.python_value(value), zone_name) for value in (start, end))
        database.execute_sql(
            'UPDATE booking SET start = %s, "end" = %s, timezone = %s WHERE id = %s'.replace("%s", database.param),
            (start, end, zone_name, booking_id),
        )


def _sync_state(database: peewee.Database) -> None:
    """The two-way calendar sync's state table (storage/sync/)."""
    database.create_tables([SyncItem], safe=True)


def _to_nocase_keys(database: peewee.Database) -> None:
    """Customer numbers and logins unique ignoring case; see the version history above."""
    from storage.db.models import Customer, Draft, Employee

    groups: dict[str, list[tuple[int, str]]] = {}
    for id_, number in Customer.select(Customer.id, Customer.number).order_by(Customer.id).tuples().iterator():
        groups.setdefault(number.lower(), []).append((id_, number))
    taken = set(groups)
    for rows in groups.values():
        for id_, number in rows[1:]:
            new, n = f"{number}-{id_}", 2
            while new.lower() in taken:
                new, n = f"{number}-{id_}-{n}", n + 1
            taken.add(new.lower())
            Customer.update(number=new).where(Customer.id == id_).execute()
    people: dict[str, list[tuple[int, str]]] = {}
    for id_, login in Employee.select(Employee.id, Employee.login).order_by(Employee.id).tuples().iterator():
        people.setdefault(login.lower(), []).append((id_, login))
    links = [
        f
        for model in ALL_MODELS
        for f in model._meta.sorted_fields
        if isinstance(f, peewee.ForeignKeyField) and f.rel_model is Employee
    ]
    for rows in people.values():
        (keep, keep_login), *others = rows
        for id_, login in others:
            for link in links:
                link.model.update({link: keep}).where(link == id_).execute()
            Draft.update(employee=keep_login).where(Draft.employee == login).execute()
            Employee.delete().where(Employee.id == id_).execute()
    if any(len(rows) > 1 for rows in people.values()):
        from storage.db.cycle_store import refresh_all

        refresh_all()  # the stored cycles name employees by id
    for statement in NOCASE_INDEXES:
        database.execute_sql(statement)


def _sort_names(database: peewee.Database) -> None:
    """Issue 19, names in reading order: a ``sort_name`` column on customer, contact and
    employee, computed in Python for every row (the key needs Unicode data no SQL has)."""
    from storage.db.models import Contact, Customer, Employee
    from storage.db.sort_key import sort_key

    for model in (Customer, Contact, Employee):
        table = model._meta.table_name
        # Plain SQL: the migrator's NOT NULL step rebuilds an SQLite table (foreign keys!).
        if not _has_column(database, table, "sort_name"):
            database.execute_sql(f"ALTER TABLE \"{table}\" ADD COLUMN sort_name VARCHAR(255) NOT NULL DEFAULT ''")
        source = "CASE WHEN name <> '' THEN name ELSE login END" if model is Employee else "name"
        rows = database.execute_sql(f'SELECT id, {source} FROM "{table}"').fetchall()
        param = database.param
        for start in range(0, len(rows), 1000):
            database.cursor().executemany(
                f'UPDATE "{table}" SET sort_name = {param} WHERE id = {param}',
                [(sort_key(name), row_id) for row_id, name in rows[start : start + 1000]],
            )
    create_indexes(database, SORT_INDEXES)


# PostgreSQL plans each condition as if independent of the others: "not completed" (80 % of
# all conversations) times "has a follow-up" (35 %) made 15,000 of one employee's open
# follow-ups out of the 2,600 there are, and it read them through a wide index and the table
# (750 ms) instead of the partial index of open follow-ups (60 ms on a busy machine).
# Statistics over the three columns together let it see that most follow-ups are completed.
POSTGRES_STATISTICS = [
    "CREATE STATISTICS IF NOT EXISTS conversation_open_follow_up_stats (mcv, dependencies) "
    "ON completed, follow_up, deleted_at FROM conversation",
]


def create_postgres_statistics(database: peewee.Database, analyze: bool = False) -> None:
    from storage.db.dialect import is_sqlite

    if is_sqlite(database):
        return
    for statement in POSTGRES_STATISTICS:
        database.execute_sql(statement)
    if analyze:
        database.execute_sql("ANALYZE conversation")


def _live_notify(database: peewee.Database) -> None:
    """Issue 18: the change notifications of storage/db/changes.py (live refresh), and the
    planner statistics of open follow-ups on PostgreSQL."""
    create_notify_triggers(database)
    create_postgres_statistics(database, analyze=True)


def _search_index(database: peewee.Database) -> None:
    """Issue 16: the search index (storage/db/search_index.py), filled with every conversation.
    On PostgreSQL the text columns get their "C" collation first (an older database upgraded
    in this same run): the index's generated column forbids that change afterwards."""
    binary_text_order(database)
    create_search_index(database)


def _stored_search_vector(database: peewee.Database) -> None:
    """Issue 18: PostgreSQL's search vectors stored (storage/db/search_index.py), unless the
    step to version 13 of this same upgrade made them so already. SQLite: nothing."""
    if is_sqlite(database) or _has_column(database, "conversation", "search_vector"):
        return
    database.execute_sql("DROP INDEX IF EXISTS conversation_search")
    create_search_index(database)


# STEPS[n] upgrades a database at version n to version n + 1.
STEPS: dict[int, Callable[[peewee.Database], None]] = {
    1: _to_v2,
    2: _to_v3,
    3: create_indexes,
    4: create_indexes,
    5: _to_v6,
    6: _promised_cadence_stalled,
    7: _booking_zones,
    8: _sync_state,
    9: _to_nocase_keys,
    10: _sort_names,
    11: _live_notify,
    12: _search_index,
    13: _stored_search_vector,
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
    """Copy the file to ``rapport.db.bak-VERSION`` (0600, whole or not at all: a full disk
    leaves no truncated copy, and the upgrade does not start)."""
    from storage.db.connection import sqlite_path
    from storage.exchange.backup import backup_sqlite_file

    path = sqlite_path(url)
    if not path.exists():
        return None
    backup = path.with_name(f"{path.name}.bak-{version}")
    try:
        backup_sqlite_file(path, backup)
    except RapportError as exc:
        raise RapportError(
            f"{path} needs a schema upgrade, but its backup copy could not be "
            f"made ({exc}); nothing was changed: free some space and start again"
        ) from None
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
        database.execute_sql(f'ALTER TABLE "{table}" ALTER COLUMN "{column}" TYPE {type_name} COLLATE "C"')


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

    if schema_version(database) == CURRENT_VERSION:
        return  # a plain read: readers never wait for a writer (docs/storage.md), no lock at start
    with database.atomic():
        lock_schema(database)
        version = schema_version(database)
        if version is None:
            if database.get_tables():
                from storage.db.connection import redact

                raise RapportError(
                    f"{redact(url) if url else 'the database'} holds tables but is not a Rapport database"
                )
            database.create_tables(ALL_MODELS)
            binary_text_order(database)
            create_indexes(database, INDEXES + LATER_INDEXES + SORT_INDEXES)
            for statement in NOCASE_INDEXES:
                database.execute_sql(statement)
            create_triggers(database)
            create_notify_triggers(database)
            create_postgres_statistics(database)
            create_search_index(database, fill=False)
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

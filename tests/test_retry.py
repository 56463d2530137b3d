"""storage.db.retry: a lock, a conflict or a dropped connection is retried, else reported as one
line with nothing written (docs/storage.md). On SQLite a second sqlite3 connection holds the lock; on
PostgreSQL an admin connection terminates ours, as a server restart would."""

from __future__ import annotations

import sqlite3

import peewee
import psycopg2
import pytest

from storage.db import migrations
from storage.db.connection import sqlite_path
from storage.db.database import close_database, open_database
from storage.db.models import Conversation, Customer, db
from storage.db.retry import classify, retrying, run_write
from storage.errors import ConnectionLost, DatabaseBusy, RapportError, ValidationError
from storage.records import conversations
from tests import factories
from tests.conftest import BACKENDS, PG_URL, TODAY


@pytest.fixture(autouse=True)
def no_sleeping(monkeypatch):
    """Back-off delays are real in use; here they would only slow the suite down."""
    waits: list[float] = []
    monkeypatch.setattr("storage.db.retry.sleep", waits.append)
    return waits


def busy_error() -> peewee.OperationalError:
    return peewee.OperationalError("database is locked")


def lost_error() -> peewee.OperationalError:
    return peewee.OperationalError("server closed the connection unexpectedly")


def test_a_busy_write_is_retried_and_the_user_told(ctx, no_sleeping):
    cust = factories.customer("Acme")
    calls, told = [], []

    def rename():
        calls.append(1)
        Customer.update(name=f"Acme {len(calls)}").where(Customer.id == cust.id).execute()
        if len(calls) < 2:
            raise busy_error()

    run_write(rename, on_wait=lambda error, attempt: told.append((attempt, error.reason)))
    assert len(calls) == 2
    assert Customer.get_by_id(cust.id).name == "Acme 2"  # the first try was rolled back
    assert told == [(1, "another Rapport is writing to the database")]
    assert len(no_sleeping) == 1


def test_a_lost_connection_is_retried_with_growing_back_off(ctx, no_sleeping):
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 4:
            raise lost_error()

    run_write(flaky)
    assert len(calls) == 4
    assert no_sleeping == sorted(no_sleeping) and len(no_sleeping) == 3


def test_still_busy_after_every_try_is_one_line_and_writes_nothing(ctx):
    cust = factories.customer("Acme")

    @retrying
    def rename():
        Customer.update(name="changed").where(Customer.id == cust.id).execute()
        raise busy_error()

    with pytest.raises(DatabaseBusy) as info:
        rename()
    assert isinstance(info.value, RapportError)
    assert "\n" not in str(info.value) and "try again" in str(info.value)
    assert Customer.get_by_id(cust.id).name == "Acme"


def test_other_errors_pass_through_untried(ctx):
    calls = []

    def bad():
        calls.append(1)
        raise ValidationError({"date": "no such day"})

    with pytest.raises(ValidationError):
        run_write(bad)
    assert calls == [1]


def test_nested_write_is_retried_by_the_outermost_call_only(ctx):
    cust = factories.customer("Acme")
    calls = []

    @retrying
    def inner():
        calls.append("inner")
        Customer.update(name="inner").where(Customer.id == cust.id).execute()
        if calls.count("inner") == 1:
            raise busy_error()

    def outer():
        calls.append("outer")
        inner()

    run_write(outer)
    assert calls == ["outer", "inner", "outer", "inner"]
    assert Customer.get_by_id(cust.id).name == "inner"


def test_postgres_error_codes_are_classified():
    class Fake(Exception):  # psycopg2's errors carry a read-only pgcode
        def __init__(self, pgcode):
            self.pgcode = pgcode

    for code, kind in [
        ("40001", "conflict"),
        ("40P01", "conflict"),
        ("55P03", "busy"),
        ("57P01", "lost"),
        ("08006", "lost"),
        ("23505", None),
    ]:
        assert classify(peewee.OperationalError(Fake(code))) == kind, code
    assert classify(peewee.InterfaceError("connection already closed")) == "lost"
    assert classify(peewee.IntegrityError("UNIQUE constraint failed")) is None
    assert classify(ValueError("database is locked")) is None


# -- SQLite: another connection holds the write lock -----------------------------------------


def hold_sqlite_lock(url: str) -> sqlite3.Connection:
    other = sqlite3.connect(str(sqlite_path(url)), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def test_sqlite_lock_is_waited_out(sqlite_ctx):
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    db.execute_sql("PRAGMA busy_timeout = 20")  # ms; 10 s in use
    other = hold_sqlite_lock(sqlite_ctx.url)
    told = []

    def release(error, attempt):
        told.append(str(error))
        other.execute("COMMIT")  # the other Rapport finishes its save

    run_write(conversations.set_completed, conv.id, True, TODAY, on_wait=release)
    assert len(told) == 1 and "another Rapport is writing" in told[0]
    conv = Conversation.get_by_id(conv.id)
    assert conv.completed and conv.completed_on == TODAY and conv.sequence == 1


def test_sqlite_lock_held_too_long_is_database_busy(sqlite_ctx):
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    db.execute_sql("PRAGMA busy_timeout = 20")
    other = hold_sqlite_lock(sqlite_ctx.url)
    try:
        with pytest.raises(DatabaseBusy, match="another Rapport is writing"):
            conversations.set_completed(conv.id, True, TODAY)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert Conversation.get_by_id(conv.id).completed is False
    conversations.set_completed(conv.id, True, TODAY)  # the user's retry, once it is free
    assert Conversation.get_by_id(conv.id).completed is True


# -- PostgreSQL: the server drops our connection ---------------------------------------------

pg_only = pytest.mark.skipif(not PG_URL, reason="RAPPORT_TEST_POSTGRES is not set")


@pytest.fixture
def pg_ctx(request):
    from tests.conftest import PostgresSchema, make_ctx

    schema = PostgresSchema(PG_URL)
    try:
        yield make_ctx(schema.url)
    finally:
        close_database()
        schema.drop()


def drop_our_connection() -> None:
    """What a server restart does to us: terminate this process's backend from outside."""
    pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()


@pg_only
def test_postgres_read_after_a_dropped_connection_reconnects(pg_ctx):
    factories.customer("Acme")
    drop_our_connection()
    assert [c.name for c in Customer.select()] == ["Acme"]  # same schema, new connection


@pg_only
def test_postgres_write_after_a_dropped_connection_reconnects(pg_ctx):
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    drop_our_connection()
    conversations.set_completed(conv.id, True, TODAY)
    assert Conversation.get_by_id(conv.id).completed is True


@pg_only
def test_postgres_connection_dropped_mid_transaction_reruns_the_write_once(pg_ctx):
    cust = factories.customer("Acme")
    attempts, told = [], []

    def save():
        attempts.append(1)
        Conversation.create(customer=cust, employee=pg_ctx.employee(), date=TODAY, note="typed")
        if len(attempts) == 1:
            drop_our_connection()
        Customer.update(name="Acme AG").where(Customer.id == cust.id).execute()

    run_write(save, on_wait=lambda error, attempt: told.append(str(error)))
    assert len(attempts) == 2
    assert "lost the connection" in told[0] and "\n" not in told[0]
    assert [c.note for c in Conversation.select()] == ["typed"]
    assert Customer.get_by_id(cust.id).name == "Acme AG"


@pg_only
def test_postgres_server_gone_is_connection_lost(pg_ctx):
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    port = db.obj.connect_params.get("port")
    db.obj.connect_params["port"] = 1  # nothing listens there: the server "is down"
    drop_our_connection()
    with pytest.raises(ConnectionLost) as info:
        conversations.set_completed(conv.id, True, TODAY)
    assert "\n" not in str(info.value) and "try again" in str(info.value)
    with pytest.raises(ConnectionLost):
        Customer.select().count()  # a read says the same, instead of a traceback
    db.obj.connect_params["port"] = port  # the server is back
    conversations.set_completed(conv.id, True, TODAY)
    assert Conversation.get_by_id(conv.id).completed is True


# -- creating the schema is one transaction ---------------------------------------------------


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_schema_creation_that_fails_leaves_no_table(database_url, monkeypatch):
    def broken_seed():
        raise peewee.IntegrityError("seeding failed half-way")

    with monkeypatch.context() as patch:
        patch.setattr(migrations, "seed_defaults", broken_seed)
        with pytest.raises(RapportError, match="seeding failed"):
            open_database(database_url)
    database = open_database(database_url, migrate=False)
    assert database.get_tables() == []
    close_database()
    open_database(database_url)  # and the next start creates it all
    assert migrations.schema_version(db.obj) == migrations.CURRENT_VERSION

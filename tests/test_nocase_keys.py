"""Schema step 7 (issue 14): customer numbers and logins unique ignoring case. An old database
holding `ab-1`/`AB-1` and `anna`/`Anna` upgrades: no customer or conversation is lost, the
later customer gets a free number, the later employee is merged into the first."""

from __future__ import annotations

import peewee
import pytest

from storage.db.connection import make_database
from storage.db.database import close_database, open_database
from tests.conftest import BACKENDS
from tests.test_migrations import build_v1


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_old_case_duplicates_are_renamed_or_merged(database_url):
    from storage.db import migrations
    from storage.db.models import Conversation, Customer, Draft, Employee

    raw = make_database(database_url)
    raw.connect()
    build_v1(raw)  # customers K0..K2, employee anna with 12 conversations
    raw.execute_sql(
        "INSERT INTO customer (number, name, email, phone, address, notes, created_at, archived) "
        "VALUES ('k0', 'Second K0', '', '', '', '', '2025-01-01 00:00:00', false)"
    )
    raw.execute_sql("INSERT INTO employee (login, name, active) VALUES ('Anna', 'Anna again', true)")
    raw.execute_sql(
        "UPDATE conversation SET employee_id = (SELECT id FROM employee WHERE login = 'Anna') "
        f"WHERE uid LIKE {raw.param}",
        ("uid-1-%",),
    )
    raw.close()

    open_database(database_url)
    try:
        assert migrations.schema_version(Customer._meta.database) == migrations.CURRENT_VERSION
        numbers = sorted(c.number for c in Customer.select())
        second = Customer.get(Customer.name == "Second K0")
        assert numbers == sorted(["K0", "K1", "K2", f"k0-{second.id}"])
        assert [e.login for e in Employee.select()] == ["anna"]
        assert Conversation.select().count() == 12
        assert {c.employee.login for c in Conversation.select()} == {"anna"}
        Draft.create(form="x", employee="anna", payload="{}")
        with pytest.raises(peewee.IntegrityError), Customer._meta.database.atomic():
            Customer.create(number="K1".lower(), name="clash")
    finally:
        close_database()

"""docs/data.md limits: every save refuses a value outside them with a message on the field,
before anything reaches the database, on both backends (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest

from storage import limits
from storage.db.models import Booking, Contact, Conversation, Customer, Employee, Topic
from storage.errors import ValidationError
from storage.records import bookings, conversations, customers, lookups, staff
from storage.records.conversations import ConversationInput
from tests import factories

NOW = dt.datetime(2026, 3, 18, 10, 0)
LONG_NAME = "n" * 256
LONG_NOTE = "x" * 1_000_001


def errors_of(call) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.errors


def test_the_check_functions():
    assert limits.check_text("name", "a" * 255) is None
    assert "at most 255" in limits.check_text("name", "a" * 256)
    assert limits.check_date("date", dt.date(1900, 1, 1)) is None
    assert limits.check_date("date", dt.date(2999, 12, 31)) is None
    assert "1900 to 2999" in limits.check_date("date", dt.date(1899, 12, 31))
    assert limits.check_duration("duration", 100_000) is None
    assert limits.check_duration("duration", 100_001)
    assert limits.check_duration("duration", -1)
    assert limits.check_number("number", "K1") is None
    assert limits.check_number("number", " K1") == "no spaces at the start or end"
    assert limits.check_number("number", "") == "required"
    assert "at most 64" in limits.check_number("number", "9" * 65)
    assert limits.collect(a=None, b="bad") == {"b": "bad"}


@pytest.mark.parametrize("ctx", ["sqlite", "postgres"], indirect=True)
def test_customer_and_contact_limits(ctx):
    errors = errors_of(
        lambda: customers.save_customer(
            {
                "number": "9" * 65,
                "name": LONG_NAME,
                "phone": "1" * 256,
                "email": "a@" + "b" * 254,
                "notes": LONG_NOTE,
                "address": LONG_NOTE,
            }
        )
    )
    assert set(errors) == {"number", "name", "phone", "email", "notes", "address"}
    assert Customer.select().count() == 0
    # On the limit is fine: a 1,000,000-character note and 255-character name are saved whole.
    cid = customers.save_customer({"number": "9" * 64, "name": "n" * 255, "notes": "x" * 1_000_000})
    assert len(Customer.get_by_id(cid).notes) == 1_000_000
    errors = errors_of(lambda: customers.save_contact(cid, {"name": LONG_NAME, "role": LONG_NAME}))
    assert set(errors) == {"name", "role"}
    assert Contact.select().count() == 0


@pytest.mark.parametrize("ctx", ["sqlite", "postgres"], indirect=True)
def test_conversation_limits(ctx):
    acme = factories.customer("Acme")
    me = ctx.employee().id
    form = ConversationInput(
        acme.id,
        date="1899-12-31",
        follow_up="3000-01-01",
        duration="99999999999",
        with_whom=LONG_NAME,
        note=LONG_NOTE,
        duration_typed=True,
    )
    errors = errors_of(lambda: conversations.save(form, NOW, me))
    assert set(errors) == {"date", "follow_up", "duration", "with_whom", "note"}
    assert "100,000" in errors["duration"]
    far = ConversationInput(acme.id, follow_up="+999999")  # past the year 2999 (and date.max)
    assert set(errors_of(lambda: conversations.save(far, NOW, me))) == {"follow_up"}
    assert Conversation.select().count() == 0


@pytest.mark.parametrize("ctx", ["sqlite", "postgres"], indirect=True)
def test_booking_lookup_and_employee_limits(ctx):
    acme = factories.customer("Acme")
    me = ctx.employee()
    errors = errors_of(
        lambda: bookings.create(
            {
                "date": "1800-01-01",
                "start": "09:00",
                "end": "10:00",
                "title": LONG_NAME,
                "location": LONG_NAME,
                "note": LONG_NOTE,
            },
            customer_id=acme.id,
            employee_id=me.id,
        )
    )
    assert set(errors) == {"date", "title", "location", "note"}
    assert Booking.select().count() == 0
    topics = Topic.select().count()
    assert "name" in errors_of(lambda: lookups.add_value("topic", LONG_NAME))
    assert errors_of(lambda: lookups.add_value("stage", "Fine", sort_order="99999999999"))
    assert Topic.select().count() == topics
    lookups.add_value("topic", "t" * 255)  # on the limit
    employees = Employee.select().count()
    assert "login" in errors_of(lambda: staff.add_employee("l" * 65))
    assert "name" in errors_of(lambda: staff.add_employee("anna", LONG_NAME))
    assert Employee.select().count() == employees

"""Bookings: the form's validation, prefill from a conversation, revisions, a day's list."""

from __future__ import annotations

import datetime as dt

import pytest

from storage.db.models import Booking
from storage.errors import ValidationError
from storage.parsing import DATE_HINT
from storage.records import bookings
from tests import factories as f

GOOD = {
    "date": "2026-03-19",
    "start": "09:00",
    "end": "10:30",
    "title": "Visit",
    "location": "HQ",
    "note": "Bring samples",
}


def test_prefill_from_a_conversation(ctx):
    cust = f.customer("Acme GmbH")
    conv = f.conversation(cust, "2026-03-02", follow_up="2026-03-20", note="Quote follow-up", topic=f.topic("Quote"))
    assert bookings.prefill(conv.id) == {
        "date": "2026-03-20",
        "start": "09:00",
        "end": "10:00",
        "title": "Acme GmbH — Quote",
        "location": "",
        "note": "Quote follow-up",
    }
    plain = f.conversation(cust, "2026-03-02", note="")
    assert bookings.prefill(plain.id)["date"] == "2026-03-02"
    assert bookings.prefill(plain.id)["title"] == "Acme GmbH"
    # Never in the past: an overdue follow-up is booked from today on.
    assert bookings.prefill(plain.id, today=dt.date(2026, 3, 18))["date"] == "2026-03-18"
    assert bookings.prefill(conv.id, today=dt.date(2026, 3, 18))["date"] == "2026-03-20"


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date", "2026-02-30", "no such date: 2026-02-30"),
        ("date", "someday", f"not a date: {DATE_HINT}"),
        ("date", "", "required"),
        ("start", "9", "not a time (HH:MM)"),
        ("start", "25:00", "not a time (HH:MM)"),
        ("end", "08:59", "must be after the start"),
        ("end", "09:00", "must be after the start"),
        ("title", "   ", "required"),
    ],
)
def test_bad_form_names_the_field_and_saves_nothing(ctx, field, value, message):
    conv = f.conversation(f.customer(), "2026-03-02")
    with pytest.raises(ValidationError) as caught:
        bookings.create({**GOOD, field: value}, conversation_id=conv.id)
    assert caught.value.errors == {field: message}
    assert Booking.select().count() == 0


def test_create_update_and_list_a_day(ctx):
    cust = f.customer("Acme GmbH")
    conv = f.conversation(cust, "2026-03-02", employee_login="alice")
    booking = bookings.create(GOOD, conversation_id=conv.id, zone_name="UTC")
    stored = Booking.get_by_id(booking.id)
    assert (stored.customer_id, stored.employee.login) == (cust.id, "alice")
    assert (stored.start, stored.end) == (dt.datetime(2026, 3, 19, 9), dt.datetime(2026, 3, 19, 10, 30))
    assert bookings.form_values(stored) == GOOD
    bookings.update(booking.id, {**GOOD, "start": "11:00", "end": "12:00"})
    stored = Booking.get_by_id(booking.id)
    assert stored.sequence == 1 and stored.start == dt.datetime(2026, 3, 19, 11)
    other = bookings.create(
        {**GOOD, "date": "2026-03-20"}, customer_id=cust.id, employee_id=f.employee().id, zone_name="UTC"
    )
    day = dt.date(2026, 3, 19)
    assert [b.id for b in bookings.for_day(day, zone_name="UTC")] == [booking.id]
    assert [b.id for b in bookings.for_day(day, f.employee().id, "UTC")] == []
    assert [b.customer.name for b in bookings.for_day(day, stored.employee_id, "UTC")] == ["Acme GmbH"]
    assert [b.id for b in bookings.for_employee(None, day, day + dt.timedelta(days=1), "UTC")] == [booking.id, other.id]
    bookings.cancel(other.id)  # kept for undo, gone from every list
    assert [b.id for b in bookings.for_employee(None, day, day + dt.timedelta(days=1), "UTC")] == [booking.id]
    bookings.restore(other.id)
    assert len(bookings.for_employee(None, day, day + dt.timedelta(days=1), "UTC")) == 2


def test_booking_keeps_its_zone_and_stores_the_instant(ctx):
    conv = f.conversation(f.customer(), "2026-03-02")
    booking = bookings.create(
        {**GOOD, "start": "14:00", "end": "15:00"}, conversation_id=conv.id, zone_name="Europe/Berlin"
    )
    stored = Booking.get_by_id(booking.id)
    assert stored.timezone == "Europe/Berlin"
    assert stored.start == dt.datetime(2026, 3, 19, 13)  # 14:00 CET is 13:00 UTC
    assert bookings.form_values(stored)["start"] == "14:00"
    # The Berlin day 2026-03-19 seen from Tokyo: the booking is on the 19th there too (22:00).
    assert [b.id for b in bookings.for_day(dt.date(2026, 3, 19), zone_name="Asia/Tokyo")] == [booking.id]


def test_booking_date_takes_the_short_forms(ctx):
    conv = f.conversation(f.customer(), "2026-03-02")
    today = dt.date(2026, 3, 18)
    booking = bookings.create({**GOOD, "date": "+2"}, conversation_id=conv.id, zone_name="UTC", today=today)
    assert Booking.get_by_id(booking.id).start.date() == dt.date(2026, 3, 20)
    bookings.update(booking.id, {**GOOD, "date": "tomorrow"}, today=today)
    assert Booking.get_by_id(booking.id).start.date() == dt.date(2026, 3, 19)

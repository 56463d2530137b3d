"""Bookings: appointments made from a conversation ("Create booking", docs/data.md, docs/screens.md).

Start and end are naive local date-times, as the user typed them; the calendar export
converts them to UTC. Every edit bumps ``sequence`` and ``updated_at`` so calendar clients
see a new revision of the same event.
"""

from __future__ import annotations

import datetime as dt

from peewee import JOIN

from storage.errors import RapportError, ValidationError
from storage.models import Booking, Conversation, Customer, Topic, db, utcnow
from storage.retry import retrying

DEFAULT_START = dt.time(9, 0)
DEFAULT_END = dt.time(10, 0)


def _date(text: str, errors: dict) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        errors["date"] = "not a date (YYYY-MM-DD)" if text.strip() else "required"
        return None


def _time(text: str, field: str, errors: dict) -> dt.time | None:
    value = text.strip()
    try:
        hours, minutes = value.split(":")
        if len(minutes) != 2:
            raise ValueError
        return dt.time(int(hours), int(minutes))
    except ValueError:
        errors[field] = "not a time (HH:MM)" if value else "required"
        return None


def parse_form(values: dict[str, str]) -> dict:
    """The booking form's texts (date, start, end, title, location, note) as field values:
    ``start``/``end`` as datetimes. Raises ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    day = _date(values.get("date", ""), errors)
    start = _time(values.get("start", ""), "start", errors)
    end = _time(values.get("end", ""), "end", errors)
    title = values.get("title", "").strip()
    if not title:
        errors["title"] = "required"
    if start and end and end <= start:
        errors["end"] = "must be after the start"
    if errors:
        raise ValidationError(errors)
    return {
        "start": dt.datetime.combine(day, start),
        "end": dt.datetime.combine(day, end),
        "title": title,
        "location": values.get("location", "").strip(),
        "note": values.get("note", ""),
    }


def prefill(conversation_id: int, today: dt.date | None = None) -> dict[str, str]:
    """Form texts for a new booking made from a conversation: title "CUSTOMER — ABOUT",
    the follow-up date (else the conversation's date) but never before ``today`` (an
    appointment for an overdue follow-up is made for today or later), 09:00–10:00, and
    the conversation's note."""
    row = (
        Conversation.select(Conversation.date, Conversation.follow_up, Conversation.note,
                            Customer.name.alias("customer"), Topic.name.alias("about"))
        .join(Customer).switch(Conversation)
        .join(Topic, JOIN.LEFT_OUTER, on=Conversation.topic == Topic.id)
        .where(Conversation.id == conversation_id).dicts().first()
    )
    if row is None:
        raise RapportError(f"conversation {conversation_id} does not exist")
    title = f"{row['customer']} — {row['about']}" if row["about"] else row["customer"]
    return {
        "date": max(row["follow_up"] or row["date"], today or dt.date.min).isoformat(),
        "start": DEFAULT_START.strftime("%H:%M"),
        "end": DEFAULT_END.strftime("%H:%M"),
        "title": title,
        "location": "",
        "note": row["note"],
    }


@retrying
def create(values: dict[str, str], conversation_id: int | None = None,
           customer_id: int | None = None, employee_id: int | None = None) -> Booking:
    """A booking from the form's texts, for a conversation (its customer and employee
    unless given) or for a customer."""
    fields = parse_form(values)
    with db.atomic():
        if conversation_id is not None:
            conversation = Conversation.get_or_none(Conversation.id == conversation_id)
            if conversation is None:
                raise RapportError(f"conversation {conversation_id} does not exist")
            customer_id = customer_id or conversation.customer_id
            employee_id = employee_id or conversation.employee_id
        if customer_id is None or employee_id is None:
            raise RapportError("a booking needs a customer and an employee")
        return Booking.create(conversation=conversation_id, customer=customer_id,
                              employee=employee_id, **fields)


@retrying
def update(booking_id: int, values: dict[str, str]) -> None:
    """Change a booking from the form's texts; a new revision for calendar clients."""
    fields = parse_form(values)
    fields.update(sequence=Booking.sequence + 1, updated_at=utcnow())
    with db.atomic():
        if not Booking.update(**fields).where(Booking.id == booking_id).execute():
            raise RapportError(f"booking {booking_id} does not exist")


@retrying
def delete(booking_id: int) -> None:
    with db.atomic():
        Booking.delete().where(Booking.id == booking_id).execute()


def form_values(booking: Booking) -> dict[str, str]:
    """A booking as the form's texts (for editing)."""
    return {
        "date": booking.start.date().isoformat(),
        "start": booking.start.strftime("%H:%M"),
        "end": booking.end.strftime("%H:%M"),
        "title": booking.title,
        "location": booking.location,
        "note": booking.note,
    }


def between(start: dt.datetime, end: dt.datetime, employee_id: int | None = None) -> list[Booking]:
    """Bookings starting in [start, end), with their customer, in start order; one
    employee's or (``None``) everyone's."""
    query = (
        Booking.select(Booking, Customer).join(Customer)
        .where(Booking.start >= start, Booking.start < end)
        .order_by(Booking.start, Booking.id)
    )
    if employee_id is not None:
        query = query.where(Booking.employee == employee_id)
    return list(query)


def for_day(day: dt.date, employee_id: int | None = None) -> list[Booking]:
    """The bookings of one day (for the Follow-ups screen's day)."""
    start = dt.datetime.combine(day, dt.time.min)
    return between(start, start + dt.timedelta(days=1), employee_id)


def for_employee(employee_id: int | None, date_from: dt.date, date_to: dt.date) -> list[Booking]:
    """The bookings of one employee (or everyone) from ``date_from`` to ``date_to``, inclusive."""
    return between(dt.datetime.combine(date_from, dt.time.min),
                   dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time.min), employee_id)

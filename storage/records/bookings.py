"""Bookings: appointments made from a conversation ("Create booking", docs/data.md, docs/screens.md).

The form's date, start and end are wall-clock texts in the booking's zone (the employee's
``timezone``, else the system's); they are stored as UTC instants plus that zone's name
(storage/timezones.py), so every export gives the same instant. The date field takes every
form the other date fields take (``+2``, ``tomorrow``..., storage/parsing.py). Every edit bumps
``sequence`` and ``updated_at`` so calendar clients see a new revision of the same event.
Cancelling keeps the row (``cancelled_at``), so it can be undone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from storage import limits, parsing
from storage.db.models import Booking, Conversation, Customer, Topic, db, utcnow
from storage.db.retry import retrying
from storage.errors import RapportError, ValidationError
from storage.timezones import day_bounds, system_zone_name, to_local, to_utc

DEFAULT_START = dt.time(9, 0)
DEFAULT_END = dt.time(10, 0)


def _date(text: str, errors: dict, today: dt.date | None) -> dt.date | None:
    try:
        day = parsing.parse_date(text, today or dt.date.today())
    except ValueError as exc:
        errors["date"] = str(exc)
        return None
    if day is None:
        errors["date"] = "required"
    elif message := limits.check_date("date", day):
        errors["date"] = message
        return None
    return day


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


def _when(
    values: dict[str, str], zone_name: str, today: dt.date | None, errors: dict[str, str]
) -> tuple[dt.datetime, dt.datetime] | None:
    day = _date(values.get("date", ""), errors, today)
    start = _time(values.get("start", ""), "start", errors)
    end = _time(values.get("end", ""), "end", errors)
    if start and end and end <= start:
        errors["end"] = "must be after the start"
    if day is None or start is None or end is None or "end" in errors:
        return None
    return (to_utc(dt.datetime.combine(day, start), zone_name), to_utc(dt.datetime.combine(day, end), zone_name))


def parse_when(values: dict[str, str], zone_name: str, today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Date, start and end texts (wall-clock in ``zone_name``) as UTC instants; raises
    ValidationError naming each bad field (the Agenda's "move")."""
    errors: dict[str, str] = {}
    when = _when(values, zone_name, today, errors)
    if errors or when is None:
        raise ValidationError(errors)
    return when


def parse_form(values: dict[str, str], zone_name: str | None = None, today: dt.date | None = None) -> dict:
    """The booking form's texts (date, start, end, title, location, note) as field values:
    ``start``/``end`` as UTC instants of the wall-clock times in ``zone_name`` (default: the
    system's), ``timezone`` that zone. Raises ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    zone_name = zone_name or system_zone_name()
    when = _when(values, zone_name, today, errors)
    title = values.get("title", "").strip()
    if not title:
        errors["title"] = "required"
    errors.update(
        limits.check_texts(
            {"title": title, "location": values.get("location", "").strip(), "note": values.get("note", "")},
            {"title": limits.NAME_MAX, "location": limits.NAME_MAX, "note": limits.NOTE_MAX},
        )
    )
    if errors or when is None:
        raise ValidationError(errors)
    return {
        "start": when[0],
        "end": when[1],
        "timezone": zone_name,
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
        Conversation.select(
            Conversation.date,
            Conversation.follow_up,
            Conversation.note,
            Customer.name.alias("customer"),
            Topic.name.alias("about"),
        )
        .join(Customer)
        .switch(Conversation)
        .join(Topic, JOIN.LEFT_OUTER, on=Conversation.topic == Topic.id)
        .where(Conversation.id == conversation_id)
        .dicts()
        .first()
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
def create(
    values: dict[str, str],
    conversation_id: int | None = None,
    customer_id: int | None = None,
    employee_id: int | None = None,
    zone_name: str | None = None,
    today: dt.date | None = None,
) -> Booking:
    """A booking from the form's texts, for a conversation (its customer and employee
    unless given) or for a customer; times in ``zone_name`` (default: the system's)."""
    fields = parse_form(values, zone_name, today)
    with db.atomic():
        if conversation_id is not None:
            conversation = Conversation.get_or_none(Conversation.id == conversation_id)
            if conversation is None:
                raise RapportError(f"conversation {conversation_id} does not exist")
            customer_id = customer_id or conversation.customer_id
            employee_id = employee_id or conversation.employee_id
        if customer_id is None or employee_id is None:
            raise RapportError("a booking needs a customer and an employee")
        return Booking.create(conversation=conversation_id, customer=customer_id, employee=employee_id, **fields)


@retrying
def update(booking_id: int, values: dict[str, str], today: dt.date | None = None) -> None:
    """Change a booking from the form's texts (wall-clock times in the booking's own zone);
    a new revision for calendar clients."""
    booking = Booking.get_or_none(Booking.id == booking_id)
    if booking is None:
        raise RapportError(f"booking {booking_id} does not exist")
    change(booking_id, **parse_form(values, booking.timezone, today))


def change(booking_id: int, **fields) -> None:
    """Set fields of a booking (start/end as UTC instants) as a new revision."""
    fields.update(sequence=Booking.sequence + 1, updated_at=utcnow())
    with db.atomic():
        if not Booking.update(**fields).where(Booking.id == booking_id).execute():
            raise RapportError(f"booking {booking_id} does not exist")


@retrying
def move(booking_id: int, start: dt.datetime, end: dt.datetime) -> None:
    """New start and end (UTC instants); the end must be after the start."""
    if end <= start:
        raise ValidationError({"end": "must be after the start"})
    change(booking_id, start=start, end=end)


@retrying
def cancel(booking_id: int) -> None:
    """Cancel a booking: it leaves the Agenda and the calendars; ``restore`` undoes it."""
    change(booking_id, cancelled_at=utcnow())


@retrying
def restore(*booking_ids: int) -> None:
    """Undo cancelling one or more bookings (e.g. those a sync cancelled)."""
    for booking_id in booking_ids:
        change(booking_id, cancelled_at=None)


@retrying
def delete(booking_id: int) -> None:
    """Cancel a booking (kept for undo; the name the Follow-ups screen uses)."""
    cancel(booking_id)


def get(booking_id: int) -> Booking:
    """One booking (``Booking.DoesNotExist`` when there is none)."""
    return Booking.get_by_id(booking_id)


def of_conversation(conversation_id: int) -> Booking | None:
    """The latest booking (not cancelled) made from a conversation, if any."""
    return (
        Booking.select()
        .where(Booking.conversation == conversation_id, Booking.cancelled_at.is_null())
        .order_by(Booking.start.desc())
        .first()
    )


def local_times(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    """Start and end as wall-clock times in the booking's zone."""
    return to_local(booking.start, booking.timezone), to_local(booking.end, booking.timezone)


@dataclass(frozen=True)
class FormContents:
    """What the booking form shows: its texts, whose booking it is, and which booking it edits
    (None: a new one, made from ``conversation_id``)."""

    values: dict[str, str]
    customer_name: str
    conversation_id: int | None = None
    booking_id: int | None = None
    existing: bool = False  # a conversation's booking, opened to edit instead of a new one
    customer_id: int | None = None  # a new booking for a customer, without a conversation ...
    employee_id: int | None = None  # ... and its employee


def contents_for_booking(booking_id: int, existing: bool = False) -> FormContents:
    booking = Booking.select(Booking, Customer).join(Customer).where(Booking.id == booking_id).get()
    return FormContents(form_values(booking), booking.customer.name, booking.conversation_id, booking_id, existing)


def drafted_contents(
    values: dict[str, str], conversation_id: int | None, booking_id: int | None
) -> FormContents | None:
    """A booking form reopened from a draft of ``values``: for the booking it edited, if it is
    still there, else a new one for its conversation; None when that is gone too."""
    booking = Booking.select(Booking, Customer).join(Customer).where(Booking.id == (booking_id or 0)).first()
    if booking is not None:
        return FormContents(values, booking.customer.name, booking.conversation_id, booking.id)
    customer = (
        Customer.select(Customer.name).join(Conversation).where(Conversation.id == (conversation_id or 0)).first()
    )
    return None if customer is None else FormContents(values, customer.name, conversation_id)


def contents_like(booking_id: int, day: dt.date) -> FormContents:
    """A new booking on ``day`` for the customer and employee of ``booking_id``, at its times
    and with its title (the Agenda's n on a booking)."""
    booking = Booking.select(Booking, Customer).join(Customer).where(Booking.id == booking_id).get()
    values = {**form_values(booking), "date": day.isoformat(), "note": ""}
    return FormContents(values, booking.customer.name, customer_id=booking.customer_id, employee_id=booking.employee_id)


def contents_for_conversation(conversation_id: int, today: dt.date | None = None) -> FormContents:
    """The booking form for a conversation: its booking (not cancelled) to edit if it has
    one, else a new booking filled in from it (``prefill``)."""
    existing = of_conversation(conversation_id)
    if existing is not None:
        return contents_for_booking(existing.id, existing=True)
    return contents_for_new(conversation_id, today)


def contents_for_new(conversation_id: int, today: dt.date | None = None) -> FormContents:
    """A new booking made from a conversation, filled in from it (``prefill``)."""
    values = prefill(conversation_id, today)
    customer = Customer.select(Customer.name).join(Conversation).where(Conversation.id == conversation_id).get()
    return FormContents(values, customer.name, conversation_id)


def form_values(booking: Booking) -> dict[str, str]:
    """A booking as the form's texts (for editing), in the booking's zone."""
    start, end = local_times(booking)
    return {
        "date": start.date().isoformat(),
        "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "title": booking.title,
        "location": booking.location,
        "note": booking.note,
    }


def between(start: dt.datetime, end: dt.datetime, employee_id: int | None = None) -> list[Booking]:
    """Bookings (not cancelled) starting in [start, end) (UTC instants), with their
    customer, in start order; one employee's or (``None``) everyone's."""
    query = (
        Booking.select(Booking, Customer)
        .join(Customer)
        .where(Booking.start >= start, Booking.start < end, Booking.cancelled_at.is_null())
        .order_by(Booking.start, Booking.id)
    )
    if employee_id is not None:
        query = query.where(Booking.employee == employee_id)
    return list(query)


def for_day(day: dt.date, employee_id: int | None = None, zone_name: str | None = None) -> list[Booking]:
    """The bookings of one day of ``zone_name`` (default: the system's zone)."""
    return for_employee(employee_id, day, day, zone_name)


def for_employee(
    employee_id: int | None, date_from: dt.date, date_to: dt.date, zone_name: str | None = None
) -> list[Booking]:
    """The bookings of one employee (or everyone) from ``date_from`` to ``date_to``,
    inclusive, days of ``zone_name`` (default: the system's zone)."""
    return between(*day_bounds(date_from, date_to, zone_name or system_zone_name()), employee_id)

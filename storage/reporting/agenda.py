"""What the Agenda (F8, docs/screens.md) shows: bookings (timed) and open follow-ups (all day) of a
range of days, for one employee or everyone, in one zone's days and wall-clock times."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN

from storage.db.models import Booking, Conversation, Customer, Employee, Topic
from storage.timezones import day_bounds, to_local


@dataclass(frozen=True)
class Entry:
    kind: str  # "booking" or "follow-up"
    id: int  # the booking's or the conversation's
    day: dt.date
    start: dt.datetime | None  # local wall-clock times of a booking
    end: dt.datetime | None
    title: str
    customer_id: int
    customer: str
    location: str
    employee: str  # login
    conversation_id: int | None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def entries(first: dt.date, last: dt.date, employee_id: int | None, zone_name: str) -> list[Entry]:
    """Every day's follow-ups first (by customer), then its bookings by start time."""
    start, end = day_bounds(first, last, zone_name)
    booked = (
        Booking.select(Booking, Customer.name.alias("customer_name"), Employee.login.alias("login"))
        .join(Customer)
        .switch(Booking)
        .join(Employee)
        .where(Booking.start >= start, Booking.start < end, Booking.cancelled_at.is_null())
    )
    follow = (
        Conversation.select(
            Conversation.id,
            Conversation.follow_up,
            Conversation.customer.alias("customer_id"),
            Customer.name.alias("customer_name"),
            Topic.name.alias("about"),
            Employee.login.alias("login"),
        )
        .join(Customer)
        .switch(Conversation)
        .join(Employee)
        .switch(Conversation)
        .join(Topic, JOIN.LEFT_OUTER, on=Conversation.topic == Topic.id)
        .where(
            Conversation.follow_up >= first,
            Conversation.follow_up <= last,
            Conversation.deleted_at.is_null(),
            ~Conversation.completed,
        )
    )
    if employee_id is not None:
        booked = booked.where(Booking.employee == employee_id)
        follow = follow.where(Conversation.employee == employee_id)
    found = []
    for row in follow.dicts().iterator():
        title = f"Follow up: {row['about']}" if row["about"] else "Follow up"
        found.append(
            Entry(
                "follow-up",
                row["id"],
                row["follow_up"],
                None,
                None,
                title,
                row["customer_id"],
                row["customer_name"],
                "",
                row["login"],
                row["id"],
            )
        )
    for booking in booked.objects().iterator():
        local_start = to_local(booking.start, zone_name)
        found.append(
            Entry(
                "booking",
                booking.id,
                local_start.date(),
                local_start,
                to_local(booking.end, zone_name),
                booking.title or booking.customer_name,
                booking.customer_id,
                booking.customer_name,
                booking.location,
                booking.login,
                booking.conversation_id,
            )
        )
    found.sort(key=lambda e: (e.day, e.kind != "follow-up", e.start or dt.datetime.min, e.customer.casefold(), e.id))
    return found


def week_of(day: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week holding ``day``."""
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=6)

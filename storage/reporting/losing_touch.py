"""Losing touch (docs/reports.md): customers with a cadence ("stay in touch every N days") that nobody
has spoken to for longer than that.

A customer is losing touch on D when it has a cadence N, is not archived, and its latest
conversation (any employee, not deleted, dated ≤ D) is more than N days before D, or it has
none and was created more than N days before D. ``days_overdue`` = D − (that date + N) > 0.
Listed by days overdue (largest first), then name, then number.

One query: the customers with a cadence (few, in practice) and, per customer, the latest
date read from the ``conversation_customer_live`` index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from storage.db.models import Conversation, Customer, db
from storage.db.sort_key import sort_key


@dataclass(frozen=True, slots=True)
class LosingTouch:
    customer_id: int
    customer_number: str
    customer: str
    cadence_days: int
    last_conversation: dt.date | None
    days_overdue: int

    def as_json(self) -> dict:
        """docs/reports.md's keys, in its order."""
        return {
            "customer_number": self.customer_number,
            "customer": self.customer,
            "cadence_days": self.cadence_days,
            "last_conversation": self.last_conversation.isoformat() if self.last_conversation else None,
            "days_overdue": self.days_overdue,
        }


def _date(value) -> dt.date | None:
    """A date or timestamp column as SQLite (text) or PostgreSQL returns it, as a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def losing_touch(today: dt.date) -> list[LosingTouch]:
    C = Conversation
    latest = C.select(fn.MAX(C.date)).where(C.customer == Customer.id, C.deleted_at.is_null(), C.date <= today)
    query = Customer.select(
        Customer.id, Customer.number, Customer.name, Customer.cadence_days, Customer.created_at, latest.alias("latest")
    ).where(Customer.cadence_days.is_null(False), ~Customer.archived)
    found = []
    for cid, number, name, cadence, created_at, last in db.execute(query):
        last = _date(last)
        since = last if last is not None else _date(created_at)
        days = (today - since).days - cadence  # type: ignore[operator]  # created_at: NOT NULL
        if days > 0:
            found.append(LosingTouch(cid, number, name, cadence, last, days))
    found.sort(key=lambda row: (-row.days_overdue, sort_key(row.customer), row.customer, row.customer_number))
    return found

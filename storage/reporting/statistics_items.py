"""The conversations behind one number of the statistics (docs/reports.md), for the drill-down of
the Statistics screen: enter on anna's "Overdue" lists exactly the follow-ups counted there.

The conditions are those of ``storage.reporting.reports._count_per_employee``, written once here per
figure, so a list has as many rows as its number says (a test checks every figure).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from storage.db.models import Conversation, Customer, Employee, db

FIGURES = ("logged", "scheduled", "due", "done", "on_time", "open_overdue", "moved")


@dataclass(frozen=True, slots=True)
class StatItem:
    id: int
    customer_id: int
    customer: str
    employee: str  # login
    date: dt.date
    follow_up: dt.date | None
    promised: dt.date | None
    completed_on: dt.date | None
    note: str  # its first 200 characters


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _condition(figure: str, today: dt.date, first: dt.date, last: dt.date):
    C = Conversation
    promised = fn.COALESCE(C.promised_follow_up, C.follow_up)
    by_date = C.date.between(first, last)
    due = C.follow_up.is_null(False) & C.follow_up.between(first, last)
    return {
        "logged": by_date,
        "scheduled": by_date & C.follow_up.is_null(False),
        "due": due,
        "done": due & C.completed,
        "on_time": due & C.completed & C.completed_on.is_null(False) & (C.completed_on <= promised),
        "open_overdue": due & ~C.completed & (C.follow_up < today),
        "moved": due & (promised != C.follow_up),
    }[figure]


def statistics_items(
    figure: str, today: dt.date, date_from: dt.date, date_to: dt.date, login: str | None = None, limit: int = 5000
) -> list[StatItem]:
    """The conversations counted in ``figure`` for ``login`` (None: everyone) over the period
    (clipped to D as the statistics are), by follow-up date (or date), then customer."""
    if figure not in FIGURES:
        raise ValueError(f"unknown figure {figure!r}; one of {', '.join(FIGURES)}")
    last = min(date_to, today)
    if date_from > last:
        return []
    C = Conversation
    query = (
        C.select(
            C.id,
            Customer.id,
            Customer.name,
            Employee.login,
            C.date,
            C.follow_up,
            fn.COALESCE(C.promised_follow_up, C.follow_up),
            C.completed_on,
            fn.SUBSTR(C.note, 1, 200),
        )
        .join(Customer, on=(C.customer == Customer.id))
        .switch(C)
        .join(Employee, on=(C.employee == Employee.id))
        .where(C.deleted_at.is_null(), _condition(figure, today, date_from, last))
    )
    if login is not None:
        query = query.where(fn.LOWER(Employee.login) == login.lower())
    by_date = figure in ("logged", "scheduled")
    query = query.order_by(C.date if by_date else C.follow_up, Customer.name, C.id).limit(limit)
    return [
        StatItem(
            cid,
            cust,
            name,
            who,
            _date(date),  # type: ignore[arg-type]  # date: NOT NULL
            _date(follow_up),
            _date(promised),
            _date(completed_on),
            note or "",
        )
        for cid, cust, name, who, date, follow_up, promised, completed_on, note in db.execute(query)
    ]

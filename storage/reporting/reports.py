"""The follow-up report and the per-employee follow-up statistics (docs/reports.md).

Plain functions of (today, ...): the TUI screens and the ``rapport followups`` / ``rapport
stats`` commands both call these, so their numbers cannot disagree. The pipeline metrics
(docs/reports.md#pipeline) live in ``storage/reporting/pipeline.py``.

Definitions, with D = today:
- *open*: not deleted, not completed, with a follow-up date.
- *due*: open with follow-up ≤ D; *overdue* when follow-up < D, days overdue = D − follow-up.
- *upcoming*: open with follow-up in (D, D + 7]; its ``days_overdue`` is negative (−2 means
  "in two days"), so one number orders every item and ``days_overdue > 0`` means late.
- Lists are ordered by follow-up date, then customer name, then id.
- Statistics over [from, to] clip ``to`` to D ("only dates ≤ D count"), so a period that
  ends after D is the same as one ending on D; a period starting after D counts nothing.
  Deleted conversations never count. *logged* and *scheduled* go by the conversation date,
  *due*, *done*, *on_time* and *open_overdue* by the follow-up date. *done* is the
  completed flag; *on_time* also needs a known completed-on date ≤ the *promised* follow-up
  date (docs/data.md#the-conversation-form: the first one saved; snoozing never moves it); *moved* counts the due ones
  whose follow-up date differs from the promised one. A conversation without a stored promised
  date (``promised_follow_up`` NULL) never moved: its promise is its follow-up date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields
from functools import lru_cache

from peewee import JOIN, SQL, Case, fn

from storage.db.models import Conversation, Customer, Employee, Method, Topic, db
from storage.errors import RapportError
from storage.records.lookups import employee_by_login
from storage.reporting.pipeline import pipeline_metrics  # noqa: F401  (pipeline: storage/reporting/pipeline.py)
from storage.reporting.pipeline_sql import planner_hints

UPCOMING_DAYS = 7


@dataclass(slots=True)  # not frozen: a frozen dataclass's __init__ costs 3x (reports build thousands)
class FollowUpItem:
    """One open follow-up, with what the report shows about it (treat as read only)."""

    id: int
    uid: str
    customer_id: int
    customer_number: str
    customer: str
    employee: str  # login
    date: dt.date
    follow_up: dt.date
    days_overdue: int  # D − follow-up: > 0 late, 0 today, < 0 upcoming
    with_whom: str
    about: str
    how: str
    note: str

    @property
    def section(self) -> str:
        """'overdue', 'today' or 'upcoming'."""
        if self.days_overdue > 0:
            return "overdue"
        return "today" if self.days_overdue == 0 else "upcoming"

    def as_json(self) -> dict:
        """The ITEM of README.md#command-line, keys in its order, dates as YYYY-MM-DD."""
        return item_json(
            self.uid,
            self.customer_number,
            self.customer,
            self.employee,
            self.date.isoformat(),
            self.follow_up.isoformat(),
            self.days_overdue,
            self.with_whom,
            self.about,
            self.how,
            self.note,
        )


def item_json(
    uid: str,
    number: str,
    customer: str,
    login: str,
    date: str,
    follow_up: str,
    days_overdue: int,
    with_whom: str,
    about: str,
    how: str,
    note: str,
) -> dict:
    """The ITEM of README.md#command-line, keys in its order."""
    return {
        "uid": uid,
        "customer_number": number,
        "customer": customer,
        "employee": login,
        "date": date,
        "follow_up": follow_up,
        "days_overdue": days_overdue,
        "with_whom": with_whom,
        "about": about,
        "how": how,
        "note": note,
    }


def _employee_id(login: str | None) -> int | None:
    """The id behind a login (case-insensitive); None means everyone."""
    if login is None:
        return None
    found = employee_by_login(login)
    if found is None:
        raise RapportError(f"employee {login!r} does not exist")
    return found.id


def _open_follow_ups(employee_id: int | None):
    """Open follow-ups (not deleted, not completed, with a date); written so that the
    partial index ``conversation_open_follow_up`` serves it."""
    C = Conversation
    query = C.select().where(C.deleted_at.is_null(), ~C.completed, C.follow_up.is_null(False))
    if employee_id is not None:
        query = query.where(C.employee == employee_id)
    return query


SEEK_FROM = 200  # deeper offsets seek by follow-up date first (see _seek)


def _seek(query, offset: int):
    """Turn a deep offset into a shallow one: find the follow-up date at ``offset`` from the
    index alone, then start at that date. Rows are ordered by follow-up date first, so the
    rows before it are exactly those with an earlier date. Keeps the last page of a long
    overdue list as cheap as the first (the joins only run for one date's rows)."""
    C = Conversation
    if offset < SEEK_FROM:
        return query, offset
    first = query.select(C.follow_up).order_by(C.follow_up).limit(1).offset(offset).scalar()
    if first is None:  # past the end
        return None, 0
    before = query.where(C.follow_up < first).count()
    return query.where(C.follow_up >= first), offset - before


def _up_to_page_end(query, offset: int, limit: int):
    """Only the rows up to the page's last follow-up date, found from the index alone: the
    joins and the sort by customer then run for a page's rows, not for a whole long list
    (13,000 overdue follow-ups of everyone: 50 ms a page, now 5). Rows are ordered by
    follow-up date first, so those up to that date are the start of the list."""
    C = Conversation
    last = query.select(C.follow_up).order_by(C.follow_up).limit(1).offset(offset + limit - 1).scalar()
    return query if last is None else query.where(C.follow_up <= last)


def item_query(query, dates_as_text: bool = False):
    """What an item shows, in report order: (id, uid, customer id, number, name, login, date,
    follow-up, with whom, about, how, note) rows of the open follow-ups in ``query``; the two
    dates as 'YYYY-MM-DD' text on both backends with ``dates_as_text``."""
    C = Conversation
    date, follow_up = (C.date.cast("text"), C.follow_up.cast("text")) if dates_as_text else (C.date, C.follow_up)
    return (
        query.select(
            C.id,
            C.uid,
            Customer.id,
            Customer.number,
            Customer.name,
            Employee.login,
            date,
            follow_up,
            C.with_whom,
            Topic.name,
            Method.name,
            C.note,
        )
        .join(Customer, on=(C.customer == Customer.id))
        .switch(C)
        .join(Employee, on=(C.employee == Employee.id))
        .switch(C)
        .join(Topic, JOIN.LEFT_OUTER, on=(C.topic == Topic.id))
        .switch(C)
        .join(Method, JOIN.LEFT_OUTER, on=(C.method == Method.id))
        .order_by(C.follow_up, Customer.sort_name, Customer.name, C.id)
    )


def _items(today: dt.date, query, limit: int | None, offset: int) -> list[FollowUpItem]:
    if limit is not None:
        query, offset = _seek(query, offset)
        if query is None:
            return []
        query = _up_to_page_end(query, offset, limit)
    query = item_query(query)
    if limit is not None:
        query = query.limit(limit).offset(offset)
    items = []
    with planner_hints():  # the open follow-ups' partial index, in follow-up order
        rows = db.execute(query).fetchall()
    # Raw rows from the cursor: peewee's per-field conversion (dates tried against several
    # formats) cost more than the query itself on a list of thousands.
    for cid, uid, cust_id, number, name, login, date, follow_up, with_whom, about, how, note in rows:
        follow_up = _as_date(follow_up)
        items.append(
            FollowUpItem(
                id=cid,
                uid=uid,
                customer_id=cust_id,
                customer_number=number,
                customer=name,
                employee=login,
                date=_as_date(date),
                follow_up=follow_up,
                days_overdue=(today - follow_up).days,
                with_whom=with_whom or "",
                about=about or "",
                how=how or "",
                note=note or "",
            )
        )
    return items


def _as_date(value) -> dt.date:
    """A date column as SQLite (text) or PostgreSQL (date) returns it."""
    return value if isinstance(value, dt.date) else _parse_date(value)


@lru_cache(maxsize=8192)  # a report of thousands of rows holds a few hundred distinct dates
def _parse_date(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def due(
    today: dt.date, login: str | None = None, *, overdue_only: bool = False, limit: int | None = None, offset: int = 0
) -> list[FollowUpItem]:
    """Due on D (follow-up ≤ D), overdue ones first since they are older; with
    ``overdue_only`` just those before D. ``login`` None means everyone."""
    C = Conversation
    query = _open_follow_ups(_employee_id(login))
    query = query.where(C.follow_up < today if overdue_only else C.follow_up <= today)
    return _items(today, query, limit, offset)


def due_today(
    today: dt.date, login: str | None = None, *, limit: int | None = None, offset: int = 0
) -> list[FollowUpItem]:
    """Due exactly on D."""
    query = _open_follow_ups(_employee_id(login)).where(Conversation.follow_up == today)
    return _items(today, query, limit, offset)


def upcoming(
    today: dt.date, login: str | None = None, *, limit: int | None = None, offset: int = 0
) -> list[FollowUpItem]:
    """Open follow-ups in (D, D + 7]."""
    C = Conversation
    end = today + dt.timedelta(days=UPCOMING_DAYS)
    query = _open_follow_ups(_employee_id(login)).where(C.follow_up > today, C.follow_up <= end)
    return _items(today, query, limit, offset)


def follow_up_item(today: dt.date, conversation_id: int) -> FollowUpItem | None:
    """One conversation as a report item (whatever its state), or None when it has no
    follow-up date or does not exist."""
    C = Conversation
    query = C.select().where(C.id == conversation_id, C.follow_up.is_null(False))
    items = _items(today, query, None, 0)
    return items[0] if items else None


def snoozed(follow_up: dt.date, today: dt.date, days: int) -> dt.date:
    """The new follow-up date after a snooze of ``days``: counted from today for a
    follow-up that is due or overdue (so it leaves today's list), else from its date."""
    return max(follow_up, today) + dt.timedelta(days=days)


@dataclass(frozen=True)
class SectionCounts:
    overdue: int
    today: int
    upcoming: int


def section_counts(today: dt.date, login: str | None = None) -> SectionCounts:
    """How many open follow-ups are overdue, due today and upcoming (one index scan)."""
    C = Conversation
    end = today + dt.timedelta(days=UPCOMING_DAYS)
    query = (
        _open_follow_ups(_employee_id(login))
        .where(C.follow_up <= end)
        .select(
            fn.SUM(Case(None, [(C.follow_up < today, 1)], 0)),
            fn.SUM(Case(None, [(C.follow_up == today, 1)], 0)),
            fn.SUM(Case(None, [(C.follow_up > today, 1)], 0)),
        )
    )
    row = query.tuples().get()
    return SectionCounts(*(int(value or 0) for value in row))


def followups_report(today: dt.date, login: str | None = None) -> dict:
    """The JSON document of ``rapport followups --json`` (README.md#command-line), with the customers losing
    touch (docs/reports.md; whoever spoke to them, so the same for every ``login``)."""
    from storage.reporting.losing_touch import losing_touch

    C = Conversation
    end = today + dt.timedelta(days=UPCOMING_DAYS)
    query = item_query(_open_follow_ups(_employee_id(login)).where(C.follow_up <= end), dates_as_text=True)
    with planner_hints():  # one query for both sections: in follow-up order, the due ones first
        rows = db.execute(query).fetchall()
    # Straight from the rows (no FollowUpItem, no date objects): the report holds thousands.
    items = [
        item_json(
            uid,
            number,
            name,
            login,
            date[:10],
            follow_up[:10],
            (today - _parse_date(follow_up)).days,
            with_whom or "",
            about or "",
            how or "",
            note or "",
        )
        for _, uid, _, number, name, login, date, follow_up, with_whom, about, how, note in rows
    ]
    return {
        "date": today.isoformat(),
        "due": [item for item in items if item["days_overdue"] >= 0],
        "upcoming": [item for item in items if item["days_overdue"] < 0],
        "losing_touch": [row.as_json() for row in losing_touch(today)],
    }


# --- statistics ---------------------------------------------------------------------------


@dataclass(frozen=True)
class EmployeeStats:
    employee: str  # login; "" for the totals row
    logged: int = 0
    scheduled: int = 0
    due: int = 0
    done: int = 0
    on_time: int = 0
    open_overdue: int = 0
    moved: int = 0

    @property
    def on_time_rate(self) -> float | None:
        """100 × on_time / due, one decimal; None when nothing was due."""
        return round(100 * self.on_time / self.due, 1) if self.due else None

    def as_json(self) -> dict:
        """README.md#command-line's keys in its order, then ``moved`` (docs/reports.md)."""
        document = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "moved"}
        document["on_time_rate"] = self.on_time_rate
        document["moved"] = self.moved
        return document


COUNTS = ("logged", "scheduled", "due", "done", "on_time", "open_overdue", "moved")


@dataclass(frozen=True)
class Statistics:
    date_from: dt.date
    date_to: dt.date  # as asked; the figures stop at min(date_to, today)
    today: dt.date
    employees: list[EmployeeStats]

    @property
    def counted_to(self) -> dt.date:
        return min(self.date_to, self.today)

    @property
    def total(self) -> EmployeeStats:
        return EmployeeStats("", *(sum(getattr(e, name) for e in self.employees) for name in COUNTS))

    def as_json(self) -> dict:
        """The JSON document of ``rapport stats --json`` (README.md#command-line)."""
        return {
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "employees": [e.as_json() for e in self.employees],
        }


def month_period(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar month of ``day``: its first and last day."""
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def last_month_period(day: dt.date) -> tuple[dt.date, dt.date]:
    return month_period(day.replace(day=1) - dt.timedelta(days=1))


def year_period(day: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(day.year, 1, 1), dt.date(day.year, 12, 31)


def statistics(today: dt.date, date_from: dt.date | None = None, date_to: dt.date | None = None) -> Statistics:
    """Follow-up figures per employee over [from, to] (default: the month of D), clipped
    to D. Every active employee is listed, and any other with figures; ordered by login."""
    default_from, default_to = month_period(today)
    date_from = date_from or default_from
    date_to = date_to or default_to
    if date_from > date_to:
        raise RapportError(f"the period starts ({date_from}) after it ends ({date_to})")
    last = min(date_to, today)
    counts: dict[int, tuple[int, ...]] = {}
    if date_from <= last:
        counts = _count_per_employee(today, date_from, last)
    employees = Employee.select(Employee.id, Employee.login, Employee.active).order_by(Employee.login)
    rows = [
        EmployeeStats(e.login, *counts.get(e.id, (0,) * len(COUNTS))) for e in employees if e.active or e.id in counts
    ]
    return Statistics(date_from, date_to, today, rows)


def _count_per_employee(today: dt.date, first: dt.date, last: dt.date) -> dict[int, tuple[int, ...]]:
    """{employee id: (logged, scheduled, due, done, on_time, open_overdue, moved)} from two aggregate
    queries, one by conversation date and one by follow-up date, each answered from a covering
    index (``conversation_date`` and ``conversation_follow_up_promised``, storage/db/migrations.py)."""
    C = Conversation

    def count(condition):
        return fn.SUM(Case(None, [(condition, 1)], 0))

    promised = fn.COALESCE(C.promised_follow_up, C.follow_up)

    by_date = (
        C.select(C.employee, fn.COUNT(SQL("*")), count(C.follow_up.is_null(False)))
        .where(C.deleted_at.is_null(), C.date.between(first, last))
        .group_by(C.employee)
    )
    by_follow_up = (
        C.select(
            C.employee,
            fn.COUNT(SQL("*")),
            count(C.completed),
            count(C.completed & C.completed_on.is_null(False) & (C.completed_on <= promised)),
            count(~C.completed & (C.follow_up < today)),
            count(promised != C.follow_up),
        )
        .where(C.deleted_at.is_null(), C.follow_up.is_null(False), C.follow_up.between(first, last))
        .group_by(C.employee)
    )
    counts: dict[int, list[int]] = {}
    for employee_id, logged, scheduled in by_date.tuples().iterator():
        counts.setdefault(employee_id, [0] * len(COUNTS))[0:2] = [int(logged), int(scheduled or 0)]
    for employee_id, *figures in by_follow_up.tuples().iterator():
        counts.setdefault(employee_id, [0] * len(COUNTS))[2:] = [int(v or 0) for v in figures]
    return {key: tuple(values) for key, values in counts.items()}

"""One customer's conversations as the Conversations tab shows them: paged from SQL in the
order of docs/data.md (date, time begin with a missing time first, id) on SQLite and PostgreSQL,
filtered by text, open only and employee. Also the With Whom suggestions and an employee's
default topic for the conversation form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import JOIN, fn

from storage.db.models import Contact, Conversation, Customer, Employee, Method, PipelineStage, Topic
from storage.parsing import format_date, format_time

COLUMNS = (
    "Employee & Date",
    "Follow Up",
    "Note",
    "With Whom",
    "About",
    "How",
    "Completed",
    "I.F.",
    "Pipeline Position",
    "Time Begin",
    "Time End",
    "Duration",
)


@dataclass(frozen=True)
class ConversationFilter:
    text: str = ""  # in note or with whom; % and _ are literal
    open_only: bool = False  # not completed
    employee_id: int | None = None


@dataclass(frozen=True)
class ConversationRow:
    """One table row; ``cells()`` gives the texts in COLUMNS order."""

    id: int
    employee: str
    date: dt.date
    follow_up: dt.date | None
    note: str
    with_whom: str
    about: str
    how: str
    completed: bool
    is_follow_up: bool
    stage: str
    time_begin: dt.time | None
    time_end: dt.time | None
    duration: int | None

    @property
    def first_line(self) -> str:
        return self.note.strip().split("\n", 1)[0] if self.note.strip() else ""

    def cells(self) -> tuple[str, ...]:
        return (
            f"{format_date(self.date)} {self.employee}",
            format_date(self.follow_up),
            self.first_line,
            self.with_whom,
            self.about,
            self.how,
            "yes" if self.completed else "",
            "yes" if self.is_follow_up else "",
            self.stage,
            format_time(self.time_begin),
            format_time(self.time_end),
            "" if self.duration is None else str(self.duration),
        )


def _order():
    """docs/data.md order; NULLS FIRST is SQLite's default and explicit on PostgreSQL."""
    return (Conversation.date, Conversation.time_begin.asc(nulls="first"), Conversation.id)


def _where(customer_id: int, flt: ConversationFilter):
    where = (Conversation.customer == customer_id) & Conversation.deleted_at.is_null()
    if flt.text.strip():
        text = flt.text.strip()
        where &= Conversation.note.contains(text) | Conversation.with_whom.contains(text)
    if flt.open_only:
        where &= Conversation.completed == False  # noqa: E712
    if flt.employee_id is not None:
        where &= Conversation.employee == flt.employee_id
    return where


def count(customer_id: int, flt: ConversationFilter = ConversationFilter()) -> int:
    where = _where(customer_id, flt)
    if flt == ConversationFilter():
        # ``date >= date.min`` is always true (date is NOT NULL); it steers SQLite to the
        # conversation_customer_live index, which alone answers the unfiltered count, instead
        # of conversation_customer_id, whose every entry needs its row read for deleted_at
        # (45,000 conversations: ~11 -> ~3 ms, part of every save's list refresh). A filter
        # reads the rows anyway, in rowid order through conversation_customer_id: quicker.
        where &= Conversation.date >= dt.date.min
    return Conversation.select().where(where).count()


def _order_backwards():
    """``_order`` the other way round (the last row first)."""
    return (Conversation.date.desc(), Conversation.time_begin.desc(nulls="last"), Conversation.id.desc())


def page(
    customer_id: int,
    flt: ConversationFilter = ConversationFilter(),
    offset: int = 0,
    limit: int = 100,
    total: int | None = None,
) -> list[ConversationRow]:
    """Rows ``offset`` .. ``offset + limit`` of the customer's conversations; ``total``, their
    count when the caller knows it, lets a page in the second half be read from the end."""
    # Two steps: the ids of the page straight from the conversation_customer_live index
    # (a deep OFFSET then skips index entries, not joined rows), then those rows in full.
    # A page near the end is read backwards from the end, a short skip instead of a deep one
    # (PostgreSQL: the last page of 45,000 rows ~18 -> ~3 ms, the list after a save).
    query = Conversation.select(Conversation.id).where(_where(customer_id, flt))
    if total is not None and offset > total // 2 and offset < total:
        count = min(limit, total - offset)
        backwards = query.order_by(*_order_backwards()).limit(count).offset(total - offset - count)
        ids = [r[0] for r in backwards.tuples().iterator()][::-1]
    else:
        ids = [r[0] for r in query.order_by(*_order()).limit(limit).offset(offset).tuples().iterator()]
    rows = {r[0]: r for r in _rows().where(Conversation.id.in_(ids))} if ids else {}
    return [_row(rows[i]) for i in ids if i in rows]


def row(conversation_id: int) -> ConversationRow | None:
    """One conversation as a row (the detail line under the table)."""
    found = _rows().where(Conversation.id == conversation_id).first()
    return _row(found) if found else None


def row_customer(conversation_id: int) -> int | None:
    """The customer a conversation belongs to."""
    found = Conversation.select(Conversation.customer).where(Conversation.id == conversation_id).tuples().first()
    return found[0] if found else None


def customer_name(customer_id: int | None) -> str:
    found = Customer.select(Customer.name).where(Customer.id == customer_id).tuples().first()
    return found[0] if found else ""


def _rows():
    return (
        Conversation.select(
            Conversation.id,
            Employee.login,
            Conversation.date,
            Conversation.follow_up,
            Conversation.note,
            Conversation.with_whom,
            Topic.name,
            Method.name,
            Conversation.completed,
            Conversation.is_follow_up,
            PipelineStage.name,
            Conversation.time_begin,
            Conversation.time_end,
            Conversation.duration_minutes,
        )
        .join_from(Conversation, Employee)
        .join_from(Conversation, Topic, JOIN.LEFT_OUTER)
        .join_from(Conversation, Method, JOIN.LEFT_OUTER)
        .join_from(Conversation, PipelineStage, JOIN.LEFT_OUTER)
        .tuples()
    )


def _row(r: tuple) -> ConversationRow:
    return ConversationRow(
        id=r[0],
        employee=r[1],
        date=_date(r[2]),  # type: ignore[arg-type]  # date: NOT NULL
        follow_up=_date(r[3]),
        note=r[4] or "",
        with_whom=r[5] or "",
        about=r[6] or "",
        how=r[7] or "",
        completed=bool(r[8]),
        is_follow_up=bool(r[9]),
        stage=r[10] or "",
        time_begin=_time(r[11]),
        time_end=_time(r[12]),
        duration=r[13],
    )


def position(customer_id: int, conversation_id: int, flt: ConversationFilter = ConversationFilter()) -> int | None:
    """The row index of a conversation in the filtered list, None when it is not in it."""
    conv = Conversation.get_or_none(Conversation.id == conversation_id)
    if (
        conv is None
        or not Conversation.select().where(_where(customer_id, flt) & (Conversation.id == conversation_id)).exists()
    ):
        return None
    # The rows before it, counted part by part: each part is one range of the
    # conversation_customer_live index, where a count of their OR made SQLite gather every row
    # id of the customer first (45,000 conversations: ~30 -> ~5 ms; a saved conversation's
    # place in the list, when it is not near the cursor).
    same_day = Conversation.date == conv.date
    if conv.time_begin is None:
        parts = [
            Conversation.date < conv.date,
            same_day & Conversation.time_begin.is_null() & (Conversation.id < conv.id),
        ]
    else:
        parts = [
            Conversation.date < conv.date,
            same_day & Conversation.time_begin.is_null(),
            same_day & (Conversation.time_begin < conv.time_begin),
            same_day & (Conversation.time_begin == conv.time_begin) & (Conversation.id < conv.id),
        ]
    where = _where(customer_id, flt)
    return sum(Conversation.select().where(where & part).count() for part in parts)


def with_whom_suggestions(customer_id: int, limit: int = 200) -> list[str]:
    """The customer's contacts, then earlier With Whom values (most recent first), no repeats."""
    names = [
        c.name
        for c in Contact.select(Contact.name)
        .where(Contact.customer == customer_id)
        .order_by(Contact.sort_name, Contact.name, Contact.id)
    ]
    earlier = (
        Conversation.select(Conversation.with_whom, fn.MAX(Conversation.date).alias("last"))
        .where((Conversation.customer == customer_id) & (Conversation.with_whom != ""))
        .group_by(Conversation.with_whom)
        .order_by(fn.MAX(Conversation.date).desc())
        .limit(limit)
        .tuples()
    )
    seen: set[str] = set()
    result = []
    for name in names + [row[0] for row in earlier.iterator()]:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            result.append(name)
    return result


def default_topic_id(employee_id: int) -> int | None:
    """The employee's default About (None when none is set or it is no longer active)."""
    row = (
        Employee.select(Topic.id)
        .join(Topic)
        .where((Employee.id == employee_id) & (Topic.active == True))  # noqa: E712
        .tuples()
        .first()
    )
    return row[0] if row else None


def _date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _time(value) -> dt.time | None:
    if value is None or isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(str(value)[:8] if len(str(value)) > 5 else str(value))


def open_follow_ups(customer_id: int, except_id: int | None = None, limit: int = 200) -> list[tuple]:
    """A customer's open follow-ups (not completed, with a follow-up date, not in the trash),
    earliest follow-up first: (id, date, follow_up, the first 200 characters of the note).
    Ticking I.F. by hand offers them to link and complete (docs/data.md#the-conversation-form)."""
    C = Conversation
    query = (
        C.select(C.id, C.date, C.follow_up, fn.SUBSTR(C.note, 1, 200))
        .where(C.customer == customer_id, C.deleted_at.is_null(), ~C.completed, C.follow_up.is_null(False))
        .order_by(C.follow_up, C.date, C.id)
        .limit(limit)
    )
    if except_id is not None:
        query = query.where(C.id != except_id)
    return [
        (cid, _date(date), _date(follow_up), note or "") for cid, date, follow_up, note in query.tuples().iterator()
    ]

"""Queries the screens and commands ask for. Screens never build SQL themselves.

The customers list (docs/screens.md) is ``CustomerList(today, search)``, a row source for
``tui.widgets.paged_table``: ``count()``, ``fetch(offset, limit)`` and ``index_of(id)``. A page
is fetched in two steps, so the costly columns are computed for the visible rows only:
1. the page of customer ids, filtered by the search text, in reading order (sort key, name,
   id: the ``customer_sort_name`` index, see storage/db/sort_key.py), with LIMIT/OFFSET;
2. for those ids only, one scalar subquery per computed column (main contact, current stage,
   last conversation, next follow-up), each answered from a ``conversation`` index.

Search is case-insensitive over number, name, phone, email and every contact's name, phone and
email, and names match without their accents too ("lefevre" finds Lefèvre, via ``sort_name``); ``%``, ``_`` and backslashes are matched literally. A search of digits (with spaces,
dashes, dots, slashes, brackets or a plus) also matches phone numbers written with other
separators: "555 12" finds "+1 (555) 123-4567", and national and international forms find
each other: "0171 5550199" finds "+49 171 5550199" and the other way round (``phone_digits``).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from peewee import SQL, Case, NodeList, Tuple, fn

from storage.db.dialect import is_sqlite
from storage.db.models import Contact, Conversation, Customer, Employee, PipelineStage
from storage.db.sort_key import sort_key

NAME_ORDER = (Customer.sort_name, Customer.name, Customer.id)  # reading order (docs/data.md)
_PHONE_SEPARATORS = " -./()+"
_PHONE_SEARCH = re.compile(r"^[\d\s\-./()+]*\d[\d\s\-./()+]*$")


def like_pattern(text: str) -> str:
    """``%text%`` for LIKE ... ESCAPE '\\', with the wildcards in ``text`` escaped."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _like(expression, pattern: str):
    """Case-insensitive ``expression LIKE pattern`` (the pattern is already lower case).

    SQLite's LIKE ignores ASCII case by itself; PostgreSQL's ILIKE ignores case in any script.
    """

    operator = "LIKE" if is_sqlite() else "ILIKE"
    return NodeList((expression, SQL(operator), pattern, SQL("ESCAPE '\\'")))


def _digits_only(expression):
    for separator in _PHONE_SEPARATORS:
        expression = fn.REPLACE(expression, separator, "")
    return expression


def phone_digits(text: str) -> list[str]:
    """The digit runs a phone search looks for, with or without the country code or the
    leading 0: "0171 5550199" looks for 1715550199 (so "+49 171 5550199" is found), and
    "+49 171 5550199" (or "0049 ...") also for 171 5550199 after a 1-3 digit country code
    (so "0171 5550199" is found)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    international = text.lstrip().startswith("+") or digits.startswith("00")
    national = digits.lstrip("0") or digits
    found = [national]
    if international:
        found += [national[cut:] for cut in (1, 2, 3) if len(national) - cut >= 6]
    return found


def search_condition(search: str):
    """The WHERE condition of the customers search, or None for an empty search."""
    text = search.strip().lower()
    if not text:
        return None
    pattern = like_pattern(text)
    contact_match = _like(Contact.name, pattern) | _like(Contact.phone, pattern) | _like(Contact.email, pattern)
    customer_match = (
        _like(Customer.number, pattern)
        | _like(Customer.name, pattern)
        | _like(Customer.phone, pattern)
        | _like(Customer.email, pattern)
    )
    folded = like_pattern(sort_key(text))  # names also without accents: "celik" finds Çelik
    customer_match |= _like(Customer.sort_name, folded)
    contact_match |= _like(Contact.sort_name, folded)
    if _PHONE_SEARCH.match(text):
        for digits in phone_digits(text):
            customer_match |= _like(_digits_only(Customer.phone), like_pattern(digits))
            contact_match |= _like(_digits_only(Contact.phone), like_pattern(digits))
    # One pass over the contacts (an IN set), not a lookup per customer.
    return customer_match | Customer.id.in_(Contact.select(Contact.customer).where(contact_match))


@dataclass(frozen=True)
class CustomerRow:
    id: int
    number: str
    name: str
    main_contact: str
    phone: str
    stage: str
    last_conversation: dt.date | None
    next_follow_up: dt.date | None
    archived: bool


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


class CustomerList:
    """The customers list for one search text, as of ``today`` (a PagedTable row source).

    Without search text, pages come straight from the ``customer_name`` index. With search
    text, one scan collects the ids of the matching customers in list order (ids only: a few
    kilobytes for 10,000 customers), so counting, paging and finding a row need no second scan.
    """

    def __init__(self, today: dt.date, search: str = "") -> None:
        self.today = today
        self.search = search
        self._where = search_condition(search)
        self._ids: list[int] | None = None

    def _matching_ids(self) -> list[int]:
        if self._ids is None:
            query = Customer.select(Customer.id).where(self._where).order_by(*NAME_ORDER)
            self._ids = [row[0] for row in query.tuples().iterator()]
        return self._ids

    def count(self) -> int:
        if self._where is not None:
            self._ids = None  # count() starts a (re)load: search again
            return len(self._matching_ids())
        return Customer.select().count()

    def index_of(self, customer_id: int) -> int | None:
        """The position of a customer in this list, or None when the search excludes it."""
        if self._where is not None:
            try:
                return self._matching_ids().index(customer_id)
            except ValueError:
                return None
        customer = Customer.get_or_none(Customer.id == customer_id)
        if customer is None:
            return None
        before = Tuple(*NAME_ORDER) < Tuple(customer.sort_name, customer.name, customer.id)
        return Customer.select().where(before).count()

    def fetch(self, offset: int, limit: int) -> list[CustomerRow]:
        if self._where is not None:
            ids = self._matching_ids()[offset : offset + limit]
        else:
            ids = [
                row[0]
                for row in Customer.select(Customer.id)
                .order_by(*NAME_ORDER)
                .limit(limit)
                .offset(offset)
                .tuples()
                .iterator()
            ]
        if not ids:
            return []
        rows = {row["id"]: row for row in self._details(ids).dicts()}
        return [self._row(rows[i]) for i in ids if i in rows]

    def _details(self, ids: list[int]):
        today = self.today
        live = (Conversation.customer == Customer.id) & Conversation.deleted_at.is_null()
        latest_first = (Conversation.date.desc(), Conversation.time_begin.desc(nulls="LAST"), Conversation.id.desc())
        main_contact = Contact.select(Contact.name).where(Contact.customer == Customer.id).order_by(Contact.id).limit(1)
        stage = (
            Conversation.select(PipelineStage.name)
            .join(PipelineStage, on=(Conversation.pipeline_stage == PipelineStage.id))
            .where(live & Conversation.pipeline_stage.is_null(False) & (Conversation.date <= today))
            .order_by(*latest_first)
            .limit(1)
        )
        last = (
            Conversation.select(Conversation.date)
            .where(live & (Conversation.date <= today))
            .order_by(*latest_first)
            .limit(1)
        )
        follow_up = (
            Conversation.select(fn.MIN(Conversation.follow_up))
            # "NOT completed" as the partial index says it, so SQLite uses the index.
            .where(live & ~Conversation.completed & Conversation.follow_up.is_null(False))
        )
        return Customer.select(
            Customer.id,
            Customer.number,
            Customer.name,
            Customer.phone,
            Customer.archived,
            main_contact.alias("main_contact"),
            stage.alias("stage"),
            last.alias("last_conversation"),
            follow_up.alias("next_follow_up"),
        ).where(Customer.id.in_(ids))

    @staticmethod
    def _row(row: dict) -> CustomerRow:
        return CustomerRow(
            id=row["id"],
            number=row["number"],
            name=row["name"],
            main_contact=row["main_contact"] or "",
            phone=row["phone"] or "",
            stage=row["stage"] or "",
            last_conversation=_as_date(row["last_conversation"]),
            next_follow_up=_as_date(row["next_follow_up"]),
            archived=bool(row["archived"]),
        )


@dataclass(frozen=True)
class StageEvent:
    conversation_id: int
    date: dt.date
    time: dt.time | None
    stage: str
    kind: str
    employee: str
    note: str  # the first line of the note, cut to about 60 characters


def excerpt(note: str, length: int = 60) -> str:
    first = (note or "").strip().splitlines()[0] if (note or "").strip() else ""
    return first if len(first) <= length else first[: length - 1] + "…"


def _stage_history_where(customer_id: int):
    return (
        (Conversation.customer == customer_id)
        & Conversation.pipeline_stage.is_null(False)
        & Conversation.deleted_at.is_null()
    )


def stage_history_count(customer_id: int) -> int:
    """How many pipeline conversations (not deleted) the customer has."""
    return Conversation.select().where(_stage_history_where(customer_id)).count()


def stage_history(customer_id: int, offset: int = 0, limit: int | None = None) -> list[StageEvent]:
    """The customer's pipeline conversations (not deleted), newest first; a page of them when
    ``limit`` is given (a customer may have thousands)."""
    query = (
        Conversation.select(
            Conversation.id,
            Conversation.date,
            Conversation.time_begin,
            Conversation.note,
            PipelineStage.name.alias("stage"),
            PipelineStage.kind.alias("kind"),
            Case(None, [(Employee.name != "", Employee.name)], Employee.login).alias("employee"),
        )
        .join(PipelineStage, on=(Conversation.pipeline_stage == PipelineStage.id))
        .switch(Conversation)
        .join(Employee, on=(Conversation.employee == Employee.id))
        .where(_stage_history_where(customer_id))
        .order_by(Conversation.date.desc(), Conversation.time_begin.desc(nulls="LAST"), Conversation.id.desc())
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return [
        StageEvent(
            conversation_id=r["id"],
            date=_as_date(r["date"]),  # type: ignore[arg-type]  # date: NOT NULL
            time=r["time_begin"],
            stage=r["stage"],
            kind=r["kind"],
            employee=r["employee"],
            note=excerpt(r["note"]),
        )
        for r in query.dicts().iterator()
    ]

"""``rapport followups --json``, written fast (docs/performance.md: the whole process within 400 ms of a
bare ``python -c "import peewee"``, on a million conversations with some 20,000 open
follow-ups, 10 MB of JSON).

The document is exactly what ``json.dump(reports.followups_report(...), ensure_ascii=False,
indent=2)`` writes (a test compares them), made without its costs: ``json`` with ``indent``
runs its pure-Python encoder, about 30 µs a value; here each item is one template filled
with strings escaped by ``json``'s own C function, straight from the database rows, with no
item objects in between.
"""

from __future__ import annotations

import datetime as dt
import json
from json.encoder import encode_basestring  # the C function json.dumps(ensure_ascii=False) uses

from storage.db.dialect import is_sqlite
from storage.db.models import Conversation, db
from storage.reporting import reports
from storage.reporting.losing_touch import losing_touch
from storage.reporting.pipeline_sql import planner_hints

ITEM = (
    '    {{\n      "uid": {},\n      "customer_number": {},\n      "customer": {},\n'
    '      "employee": {},\n      "date": "{}",\n      "follow_up": "{}",\n'
    '      "days_overdue": {},\n      "with_whom": {},\n      "about": {},\n      "how": {},\n'
    '      "note": {}\n    }}'
)


# On PostgreSQL the server writes the items (format, to_json: C code, no values to Python), both
# sections in one statement, in report order, and they arrive as UTF-8 bytes (psycopg2's BYTES
# caster) that go to the output as they are: 10 MB decoded, copied into one str and encoded
# again cost the process 150 ms.
# to_json escapes a string as json.dumps(ensure_ascii=False) does: \" \\ \b \f \n \r \t,
# other control characters as \u00xx, everything else as it is (the test compares them).
PG_ITEM = ITEM.replace("{{", "{").replace("}}", "}").replace("{}", "%s")
PG_ITEMS = """
    SELECT c.follow_up <= %(today)s,
           format(%(item)s, to_json(c.uid)::text, to_json(cu.number)::text,
                  to_json(cu.name)::text, to_json(e.login)::text, c.date::text, c.follow_up::text,
                  %(today)s::date - c.follow_up, to_json(coalesce(c.with_whom, ''))::text,
                  to_json(coalesce(t.name, ''))::text, to_json(coalesce(m.name, ''))::text,
                  to_json(coalesce(c.note, ''))::text)
    FROM conversation c JOIN customer cu ON cu.id = c.customer_id
    JOIN employee e ON e.id = c.employee_id
    LEFT JOIN topic t ON t.id = c.topic_id LEFT JOIN method m ON m.id = c.method_id
    WHERE c.deleted_at IS NULL AND NOT c.completed AND c.follow_up IS NOT NULL
      AND c.follow_up <= %(end)s AND (%(employee)s::integer IS NULL OR c.employee_id = %(employee)s)
    ORDER BY c.follow_up, cu.sort_name, cu.name, c.id"""


def _sections_postgres(today: dt.date, employee_id: int | None, end: dt.date) -> list[list[bytes]]:
    from psycopg2.extensions import BYTES, register_type

    # In follow-up order from the open follow-ups' partial index, each date's few rows then
    # sorted by customer (an ordered string_agg sorted all 10 MB: 20 % more server time).
    with planner_hints():
        cursor = db.cursor()
        register_type(BYTES, cursor)  # text as the server's UTF-8 bytes, not decoded
        cursor.execute(PG_ITEMS, {"item": PG_ITEM, "today": today, "end": end, "employee": employee_id})
        rows = cursor.fetchall()
    due = b",\n".join(item for is_due, item in rows if is_due)
    return [_listed(due), _listed(b",\n".join(item for is_due, item in rows if not is_due))]


def _listed(items: bytes) -> list[bytes]:
    """The items as a JSON list at the document's second level, in pieces (not copied again)."""
    return [b"[\n", items, b"\n  ]"] if items else [b"[]"]


def _items(today: dt.date, query) -> list[bytes]:
    parse, esc = reports._parse_date, encode_basestring  # parse: cached per distinct date
    texts = []
    # Dates arrive as text from both backends (no date objects made and printed again).
    for _, uid, _, number, name, login, date, follow_up, with_whom, about, how, note in db.execute(
        reports.item_query(query, dates_as_text=True)
    ):
        texts.append(
            ITEM.format(
                esc(uid),
                esc(number),
                esc(name),
                esc(login),
                date[:10],
                follow_up[:10],
                (today - parse(follow_up)).days,
                esc(with_whom or ""),
                esc(about or ""),
                esc(how or ""),
                esc(note or ""),
            )
        )
    return _listed(",\n".join(texts).encode())


def parts(today: dt.date, login: str | None = None) -> list[bytes]:
    """The JSON text of the follow-up report, with its final newline, as UTF-8 pieces to be
    written one after the other (``write``)."""
    C = Conversation
    employee_id = reports._employee_id(login)
    end = today + dt.timedelta(days=reports.UPCOMING_DAYS)
    if is_sqlite():
        open_ = reports._open_follow_ups(employee_id)
        due = _items(today, open_.where(C.follow_up <= today))
        upcoming = _items(today, open_.where(C.follow_up > today, C.follow_up <= end))
    else:
        due, upcoming = _sections_postgres(today, employee_id, end)
    # A short list (customers, not conversations): json itself, indented one level deeper
    # (a JSON text has no raw line breaks inside its strings).
    losing = json.dumps([row.as_json() for row in losing_touch(today)], ensure_ascii=False, indent=2)
    return [
        f'{{\n  "date": "{today.isoformat()}",\n  "due": '.encode(),
        *due,
        b',\n  "upcoming": ',
        *upcoming,
        f',\n  "losing_touch": {losing.replace(chr(10), chr(10) + "  ")}\n}}\n'.encode(),
    ]


def document(today: dt.date, login: str | None = None) -> str:
    """The JSON text of the follow-up report, with its final newline."""
    return b"".join(parts(today, login)).decode()


def write(stream, today: dt.date, login: str | None = None) -> None:
    """Write the document to a text stream, through its bytes underneath when it has them."""
    pieces = parts(today, login)
    binary = getattr(stream, "buffer", None)
    if binary is None:
        stream.write(b"".join(pieces).decode())
        return
    stream.flush()
    for piece in pieces:
        binary.write(piece)

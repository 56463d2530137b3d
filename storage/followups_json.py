"""``rapport followups --json``, written fast (SPEC §11: the whole process within 400 ms of a
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

from storage import reports
from storage.losing_touch import losing_touch
from storage.models import Conversation, db

ITEM = ('    {{\n      "uid": {},\n      "customer_number": {},\n      "customer": {},\n'
        '      "employee": {},\n      "date": "{}",\n      "follow_up": "{}",\n'
        '      "days_overdue": {},\n      "with_whom": {},\n      "about": {},\n      "how": {},\n'
        '      "note": {}\n    }}')


def _items(today: dt.date, query) -> str:
    parse, esc = reports._parse_date, encode_basestring  # parse: cached per distinct date
    texts = []
    # Dates arrive as text from both backends (no date objects made and printed again).
    for (_, uid, _, number, name, login, date, follow_up, with_whom, about, how,
         note) in db.execute(reports.item_query(query, dates_as_text=True)):
        texts.append(ITEM.format(
            esc(uid), esc(number), esc(name), esc(login), date[:10], follow_up[:10],
            (today - parse(follow_up)).days, esc(with_whom or ""),
            esc(about or ""), esc(how or ""), esc(note or "")))
    return "[\n" + ",\n".join(texts) + "\n  ]" if texts else "[]"


def document(today: dt.date, login: str | None = None) -> str:
    """The JSON text of the follow-up report, with its final newline."""
    C = Conversation
    employee_id = reports._employee_id(login)
    open_ = reports._open_follow_ups(employee_id)
    end = today + dt.timedelta(days=reports.UPCOMING_DAYS)
    due = _items(today, open_.where(C.follow_up <= today))
    upcoming = _items(today, open_.where(C.follow_up > today, C.follow_up <= end))
    # A short list (customers, not conversations): json itself, indented one level deeper
    # (a JSON text has no raw line breaks inside its strings).
    losing = json.dumps([row.as_json() for row in losing_touch(today)], ensure_ascii=False, indent=2)
    return (f'{{\n  "date": "{today.isoformat()}",\n  "due": {due},\n  "upcoming": {upcoming},\n'
            f'  "losing_touch": {losing.replace(chr(10), chr(10) + "  ")}\n}}\n')

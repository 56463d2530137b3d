"""Full-text search over every conversation's note and with whom (docs/screens.md Search, README.md#command-line).

The index is kept in step by the database itself, whoever writes (forms, import, demo, sync,
raw SQL):
- SQLite: an FTS5 table ``conversation_fts`` over ``conversation`` (external content,
  tokenizer ``unicode61``) and three triggers (insert, update of note or with whom, delete);
- PostgreSQL: a GIN index ``conversation_search`` over the stored column ``search_vector``
  (``to_tsvector('simple', …)``, no stemming, the first 100,000 characters of a note: a
  tsvector holds at most 1 MB).
Trashed conversations stay indexed and are left out when searching, so a restored one is
found again at once.

What the user types is never query syntax: it is cut into words (runs of letters and digits,
any script; everything else, ``%``, ``_``, quotes, ``*``, ``AND``/``OR``/``NOT`` as plain words,
separates them), and each word must start a word of the note or of with whom, in any order
(prefix matching: ``contr`` finds "contract"). Case is ignored; accents are not (both
backends alike).

Order: best match first (SQLite's bm25, PostgreSQL's ts_rank_cd by length; with whom weighs like the note),
then newest (date, time, id). For speed on a million conversations, a broad query is ranked
among its ``CANDIDATES`` newest matches (by id, i.e. the latest logged).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from storage.db.dialect import is_sqlite
from storage.db.models import db
from storage.db.search_index import search_vector

CANDIDATES = 500  # matches ranked at most (the newest ones): bm25 costs ~15 µs a row
SNIPPET = 4000  # characters of a note fetched for showing and highlighting
_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """The words of what the user typed, lowercased, each once, in order."""
    seen: list[str] = []
    for word in _WORD.findall(text.lower()):
        if word not in seen:
            seen.append(word)
    return seen


@dataclass(frozen=True, slots=True)
class SearchResult:
    id: int
    uid: str
    customer_id: int
    customer_number: str
    customer: str
    employee: str  # login
    date: dt.date
    with_whom: str
    note: str  # its first ``note_chars`` characters
    rank: float

    def as_json(self) -> dict:
        """The result of README.md#command-line ``rapport search --json``."""
        return {
            "uid": self.uid,
            "customer_number": self.customer_number,
            "customer": self.customer,
            "employee": self.employee,
            "date": self.date.isoformat(),
            "with_whom": self.with_whom,
            "note": self.note,
        }


def search(
    text: str, *, employee_id: int | None = None, limit: int = 50, offset: int = 0, note_chars: int | None = SNIPPET
) -> list[SearchResult]:
    """Conversations not in the trash matching every word of ``text``, best first; each with
    the first ``note_chars`` characters of its note (None: all of it)."""
    terms = words(text)
    if not terms or limit <= 0:
        return []
    if is_sqlite():
        match = " ".join('"' + term + '"*' for term in terms)  # only letters and digits inside
        candidates = f"""
            SELECT c.id, bm25(conversation_fts) AS rank, c.date, c.time_begin FROM conversation_fts
            JOIN conversation c ON c.id = conversation_fts.rowid
            WHERE conversation_fts MATCH ? AND c.deleted_at IS NULL {{employee}}
            ORDER BY conversation_fts.rowid DESC LIMIT {CANDIDATES}"""
        order = "{p}rank, {c}date DESC, {c}time_begin DESC, {c}id DESC"
    else:
        match = " & ".join(term + ":*" for term in terms)
        candidates = f"""
            SELECT c.id, ts_rank_cd({search_vector()}, to_tsquery('simple', %s), 1) AS rank,
                   c.date, c.time_begin
            FROM (SELECT c.id, c.search_vector, c.date, c.time_begin FROM conversation c
                  WHERE {search_vector()} @@ to_tsquery('simple', %s)
                    AND c.deleted_at IS NULL {{employee}}
                  ORDER BY c.id DESC LIMIT {CANDIDATES}) c"""
        order = "{p}rank DESC, {c}date DESC, {c}time_begin DESC NULLS LAST, {c}id DESC"
    params: list = [match] if is_sqlite() else [match, match]
    employee = ""
    if employee_id is not None:
        employee = f"AND c.employee_id = {db.param}"
        params.append(employee_id)
    # Ranked among the candidates, then only the page's rows are joined and their notes read.
    sql = f"""
        WITH m AS MATERIALIZED ({candidates.format(employee=employee)}),
        page AS MATERIALIZED (SELECT id, rank, date, time_begin FROM m
                              ORDER BY {order.format(p="", c="")}
                              LIMIT {int(limit)} OFFSET {int(offset)})
        SELECT c.id, c.uid, cu.id, cu.number, cu.name, e.login, c.date, c.with_whom,
               {"c.note" if note_chars is None else f"substr(c.note, 1, {int(note_chars)})"}, page.rank
        FROM page JOIN conversation c ON c.id = page.id
        JOIN customer cu ON cu.id = c.customer_id
        JOIN employee e ON e.id = c.employee_id
        ORDER BY {order.format(p="page.", c="c.")}"""
    rows = db.execute_sql(sql, params).fetchall()
    return [
        SearchResult(cid, uid, cust, number, name, login, _date(date), with_whom or "", note or "", float(rank or 0))
        for cid, uid, cust, number, name, login, date, with_whom, note, rank in rows
    ]


def _date(value) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def search_document(text: str, *, employee_id: int | None = None, limit: int = 50) -> dict:
    """The JSON document of ``rapport search --json`` (README.md#command-line)."""
    return {
        "query": text,
        "results": [r.as_json() for r in search(text, employee_id=employee_id, limit=limit, note_chars=None)],
    }


def highlight_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) of every word in ``text`` that starts with one of ``terms`` (as the index
    matches them): for showing matched words highlighted, as literal text."""
    if not terms:
        return []
    pattern = re.compile("(?<![^\\W_])(?:" + "|".join(re.escape(t) for t in terms) + ")[^\\W_]*", re.IGNORECASE)
    return [m.span() for m in pattern.finditer(text)]

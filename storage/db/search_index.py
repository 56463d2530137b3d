"""The full-text search index of notes and with whom (storage/reporting/search.py queries it),
kept in step by the database itself, whoever writes (forms, import, demo, sync, raw SQL):
- SQLite: an FTS5 table ``conversation_fts`` over ``conversation`` (external content,
  tokenizer ``unicode61``) and three triggers (insert, update of note or with whom, delete);
- PostgreSQL: a stored generated column ``conversation.search_vector``
  (``to_tsvector('simple', …)``, no stemming, the first 100,000 characters of a note: a
  tsvector holds at most 1 MB) and a GIN index ``conversation_search`` over it. Stored, not
  an expression index: the search's first page walks the newest conversations testing each
  one (storage/reporting/search.py), and ``to_tsvector`` made again for every row tested cost
  100-250 ms a page on a million conversations; the demo's bulk write has the server make
  the vectors while Python makes the next rows.

The generated column names ``note`` and ``with_whom``, so PostgreSQL refuses to change their
type (a collation included) while it exists: a migration that must, drops it first.
"""

from __future__ import annotations

from contextlib import contextmanager

from storage.db.dialect import is_sqlite

SQLITE_SCHEMA = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS conversation_fts USING fts5(
           note, with_whom, content='conversation', content_rowid='id',
           tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER IF NOT EXISTS conversation_fts_insert AFTER INSERT ON conversation
       BEGIN INSERT INTO conversation_fts (rowid, note, with_whom)
             VALUES (NEW.id, NEW.note, NEW.with_whom); END""",
    """CREATE TRIGGER IF NOT EXISTS conversation_fts_update AFTER UPDATE OF note, with_whom
       ON conversation
       BEGIN INSERT INTO conversation_fts (conversation_fts, rowid, note, with_whom)
             VALUES ('delete', OLD.id, OLD.note, OLD.with_whom);
             INSERT INTO conversation_fts (rowid, note, with_whom)
             VALUES (NEW.id, NEW.note, NEW.with_whom); END""",
    """CREATE TRIGGER IF NOT EXISTS conversation_fts_delete AFTER DELETE ON conversation
       BEGIN INSERT INTO conversation_fts (conversation_fts, rowid, note, with_whom)
             VALUES ('delete', OLD.id, OLD.note, OLD.with_whom); END""",
]
SQLITE_REBUILD = "INSERT INTO conversation_fts (conversation_fts) VALUES ('rebuild')"


def search_vector(alias: str = "c") -> str:
    """PostgreSQL: the indexed column, for queries."""
    return f"{alias}.search_vector"


POSTGRES_VECTOR = "to_tsvector('simple'::regconfig, left(note, 100000) || ' ' || with_whom)"
POSTGRES_SCHEMA = [
    "ALTER TABLE conversation ADD COLUMN IF NOT EXISTS search_vector tsvector "
    f"GENERATED ALWAYS AS ({POSTGRES_VECTOR}) STORED",
    "CREATE INDEX IF NOT EXISTS conversation_search ON conversation USING GIN (search_vector)",
]


def create_search_index(database, fill: bool = True) -> None:
    """Create the index (and on SQLite its triggers); ``fill`` indexes the rows already there."""
    database = getattr(database, "obj", database)  # the models' DatabaseProxy, or a database
    if is_sqlite(database):
        for statement in SQLITE_SCHEMA:
            database.execute_sql(statement)
        if fill:
            database.execute_sql(SQLITE_REBUILD)
    else:
        for statement in POSTGRES_SCHEMA:
            database.execute_sql(statement)


@contextmanager
def index_paused(database):
    """For a bulk write of many conversations (the demo): the index is not kept row by row
    (on SQLite the triggers cost ~60 µs a row, 10x a rebuild) but rebuilt once afterwards,
    inside the same transaction. (On PostgreSQL each row's vector is still made as it arrives:
    the generated column.)"""
    database = getattr(database, "obj", database)
    if is_sqlite(database):
        for name in ("conversation_fts_insert", "conversation_fts_update", "conversation_fts_delete"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        database.execute_sql("DROP INDEX IF EXISTS conversation_search")
    yield
    create_search_index(database, fill=True)

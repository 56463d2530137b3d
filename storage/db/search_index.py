"""The full-text search index of notes and with whom (storage/reporting/search.py queries it),
kept in step by the database itself, whoever writes (forms, import, demo, sync, raw SQL):
- SQLite: an FTS5 table ``conversation_fts`` over ``conversation`` (external content,
  tokenizer ``unicode61``) and three triggers (insert, update of note or with whom, delete);
- PostgreSQL: a GIN expression index ``conversation_search`` over ``search_vector()``
  (``to_tsvector('simple', …)``, no stemming, the first 100,000 characters of a note: a
  tsvector holds at most 1 MB).
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
    """PostgreSQL: the indexed expression (the index and the query must spell it alike)."""
    return (f"to_tsvector('simple'::regconfig, left({alias}.note, 100000) || ' ' || "
            f"{alias}.with_whom)")


POSTGRES_SCHEMA = [
    f"CREATE INDEX IF NOT EXISTS conversation_search ON conversation USING GIN ({search_vector('conversation')})",
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
    inside the same transaction."""
    database = getattr(database, "obj", database)
    if is_sqlite(database):
        for name in ("conversation_fts_insert", "conversation_fts_update", "conversation_fts_delete"):
            database.execute_sql(f"DROP TRIGGER IF EXISTS {name}")
    else:
        database.execute_sql("DROP INDEX IF EXISTS conversation_search")
    yield
    create_search_index(database, fill=True)

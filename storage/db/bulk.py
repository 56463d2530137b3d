"""Fast inserts of many rows, for CSV import and demo data.

Peewee builds SQL for every row of ``insert_many`` in Python, which costs more than the
database does. Here the SQL is built once and the rows go to the driver in batches:
``executemany`` on SQLite, ``COPY ... FROM STDIN`` in CSV format on PostgreSQL, in chunks
(multi-row INSERTs made 1,000,000 demo conversations take minutes).
Values are stored exactly as peewee stores them (dates 'YYYY-MM-DD', times 'HH:MM:SS',
timestamps 'YYYY-MM-DD HH:MM:SS', booleans 1/0 on SQLite), so models read them back unchanged.

Call these inside a transaction (``db.atomic()``): they never commit.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence

import peewee

from storage.db.dialect import is_sqlite
from storage.db.models import BaseModel, db
from storage.db.sort_key import sort_key

PAGE = 1000


TEMPORAL_FIELDS = (peewee.DateField, peewee.TimeField, peewee.DateTimeField)
TEXTS_KEPT = 100_000  # distinct dates and times remembered as text (a demo has some 50,000)


def _as_stored(rows: Iterable[Sequence], fields: Sequence[peewee.Field], booleans: bool) -> Iterator[Sequence]:
    """The rows with dates, times and timestamps as their ISO text, as peewee stores them
    (``str``, made once per distinct value: a million rows hold few distinct dates, and ``str``
    of a demo row's eight dates and times cost more than the rest of its CSV); with
    ``booleans``, booleans as 1/0 (as peewee stores them on SQLite)."""
    temporal = [i for i, field in enumerate(fields) if isinstance(field, TEMPORAL_FIELDS)]
    flags = [i for i, field in enumerate(fields) if isinstance(field, peewee.BooleanField)] if booleans else []
    if not temporal and not flags:
        yield from rows
        return
    texts: dict = {}
    for row in rows:
        row = list(row)
        for position in temporal:
            value = row[position]
            if value is not None:
                text = texts.get(value)
                if text is None:
                    if len(texts) >= TEXTS_KEPT:
                        texts.clear()
                    text = texts[value] = str(value)
                row[position] = text
        for position in flags:
            if row[position] is not None:
                row[position] = int(row[position])
        yield row


def _defaults(model: type[peewee.Model], fields: Sequence[peewee.Field]) -> list[peewee.Field]:
    """The fields left out of ``fields`` that have a default (peewee would fill them in)."""
    given = {field.name for field in fields}  # by name: Field.__eq__ builds SQL, not a bool
    return [
        field
        for field in model._meta.sorted_fields
        if field.name not in given and field.default is not None and not isinstance(field, peewee.AutoField)
    ]


def _with_defaults(rows: Iterable[Sequence], extra: list[peewee.Field]) -> Iterable[Sequence]:
    if not extra:
        yield from rows
        return
    for row in rows:
        yield (*row, *(field.default() if callable(field.default) else field.default for field in extra))


def _with_sort_key(
    model: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Sequence]
) -> tuple[Sequence[peewee.Field], Iterable[Sequence]]:
    """Add the ``sort_name`` of a model sorted by name (``storage.db.models.SortedByName``)."""
    names = [field.name for field in fields]
    if not hasattr(model, "sort_source") or "sort_name" in names:
        return fields, rows

    def keyed() -> Iterator[tuple]:
        for row in rows:
            yield (*row, sort_key(model.sort_source(dict(zip(names, row, strict=True))) or ""))

    return [*fields, model.sort_name], keyed()  # type: ignore[attr-defined]  # a SortedByName


def _sql(model: type[peewee.Model], fields: Sequence[peewee.Field]) -> tuple[str, str]:
    table = model._meta.table_name
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    return f'INSERT INTO "{table}" ({columns}) VALUES ', ", ".join([db.obj.param] * len(fields))


def insert_rows(
    model: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Sequence], streaming: bool = False
) -> int:
    """Insert ``rows`` (tuples of Python values in the order of ``fields``); fields left out
    get their model default. Returns the count.

    ``streaming``: the rows are made while they are sent (one COPY on PostgreSQL), so making
    them must not use the database; otherwise they are sent a page at a time."""
    fields, rows = _with_sort_key(model, fields, rows)
    extra = _defaults(model, fields)
    rows = _with_defaults(rows, extra)
    head, params = _sql(model, [*fields, *extra])
    cursor = db.cursor()
    count = 0
    if is_sqlite():
        statement = f"{head}({params})"
        for batch in _batches(_as_stored(rows, [*fields, *extra], booleans=True)):
            cursor.executemany(statement, batch)
            count += len(batch)
        return count
    copy = _copy_statement(model, [*fields, *extra])
    rows = _as_stored(rows, [*fields, *extra], booleans=False)
    for part in [rows] if streaming else _batches(rows, COPY_PAGE):
        stream = _CsvStream(part)
        cursor.copy_expert(copy, stream, size=COPY_CHUNK)
        count += stream.count
    return count


COPY_PAGE = 20_000  # rows per COPY when not streaming

COPY_CHUNK = 256 * 1024  # characters handed to the driver at a time


class _CsvStream:
    """The rows as one CSV text, made as the driver reads it: a single COPY for all of them,
    so the server stores one chunk while Python makes the next (two processes, two cores)."""

    def __init__(self, rows: Iterable[Sequence]) -> None:
        self._rows = iter(rows)
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, lineterminator="\n")
        self.count = 0

    def read(self, size: int = -1) -> str:
        buffer, writer = self._buffer, self._writer
        buffer.seek(0)
        buffer.truncate()
        for batch in _batches(self._rows, 500):
            writer.writerows(batch)
            self.count += len(batch)
            if buffer.tell() >= size > 0:
                break
        return buffer.getvalue()

    readline = read


TEXT_FIELDS = (peewee.CharField, peewee.TextField)


def _copy_statement(model: type[peewee.Model], fields: Sequence[peewee.Field]) -> str:
    """COPY in CSV format, written by the csv module (in C): None is an unquoted empty field,
    which is NULL; text columns are NOT NULL, so FORCE_NOT_NULL reads their empty fields as
    ''. Booleans arrive as True/False, dates, times and timestamps in ISO form."""
    if any(isinstance(f, TEXT_FIELDS) and f.null for f in fields):
        raise ValueError(f"bulk.insert_rows cannot tell '' from NULL in a nullable text column of {model.__name__}")
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    text = ", ".join(f'"{f.column_name}"' for f in fields if isinstance(f, TEXT_FIELDS))
    force = f", FORCE_NOT_NULL ({text})" if text else ""
    return f'COPY "{model._meta.table_name}" ({columns}) FROM STDIN WITH (FORMAT csv{force})'


def _batches(rows: Iterable[Sequence], size: int = PAGE) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def next_id(model: type[BaseModel]) -> int:
    """The first free primary key, for rows that are inserted with explicit ids."""
    return (model.select(peewee.fn.MAX(model.id)).scalar() or 0) + 1


def sync_id_sequence(model: type[peewee.Model]) -> None:
    """After inserting explicit ids on PostgreSQL, move the serial sequence past them."""
    if is_sqlite():
        return
    table = model._meta.table_name
    db.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
        f'COALESCE((SELECT MAX(id) FROM "{table}"), 0) + 1, false)'
    )

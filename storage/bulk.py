"""Fast inserts of many rows, for CSV import and demo data.

Peewee builds SQL for every row of ``insert_many`` in Python, which costs more than the
database does. Here the SQL is built once and the rows go to the driver in batches:
``executemany`` on SQLite, ``execute_values`` (one statement per page) on PostgreSQL.
Values are stored exactly as peewee stores them (dates 'YYYY-MM-DD', times 'HH:MM:SS',
timestamps 'YYYY-MM-DD HH:MM:SS', booleans 1/0 on SQLite), so models read them back unchanged.

Call these inside a transaction (``db.atomic()``): they never commit.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

import peewee

from storage.dialect import is_sqlite
from storage.models import db

PAGE = 1000


def _sqlite_converters(fields: Sequence[peewee.Field]) -> list[tuple[int, type]]:
    """(position, converter) for the columns whose Python values SQLite cannot take as they
    are: dates, times and timestamps become their ISO text, booleans 1/0 (as peewee stores them)."""
    converters = []
    for position, field in enumerate(fields):
        if isinstance(field, (peewee.DateField, peewee.TimeField, peewee.DateTimeField)):
            converters.append((position, str))
        elif isinstance(field, peewee.BooleanField):
            converters.append((position, int))
    return converters


def _for_sqlite(rows: Iterable[Sequence], fields: Sequence[peewee.Field]) -> Iterator[list]:
    converters = _sqlite_converters(fields)
    for row in rows:
        row = list(row)
        for position, convert in converters:
            value = row[position]
            if value is not None:
                row[position] = convert(value)
        yield row


def _defaults(model: type[peewee.Model], fields: Sequence[peewee.Field]) -> list[peewee.Field]:
    """The fields left out of ``fields`` that have a default (peewee would fill them in)."""
    given = {field.name for field in fields}  # by name: Field.__eq__ builds SQL, not a bool
    return [
        field for field in model._meta.sorted_fields
        if field.name not in given and field.default is not None and not isinstance(field, peewee.AutoField)
    ]


def _with_defaults(rows: Iterable[Sequence], extra: list[peewee.Field]) -> Iterable[Sequence]:
    if not extra:
        yield from rows
        return
    for row in rows:
        yield (*row, *(field.default() if callable(field.default) else field.default for field in extra))


def _sql(model: type[peewee.Model], fields: Sequence[peewee.Field]) -> tuple[str, str]:
    table = model._meta.table_name
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    return f'INSERT INTO "{table}" ({columns}) VALUES ', ", ".join([db.obj.param] * len(fields))


def insert_rows(model: type[peewee.Model], fields: Sequence[peewee.Field], rows: Iterable[Sequence]) -> int:
    """Insert ``rows`` (tuples of Python values in the order of ``fields``); fields left out
    get their model default. Returns the count."""
    extra = _defaults(model, fields)
    rows = _with_defaults(rows, extra)
    head, params = _sql(model, [*fields, *extra])
    cursor = db.cursor()
    count = 0
    if is_sqlite():
        statement = f"{head}({params})"
        for batch in _batches(_for_sqlite(rows, [*fields, *extra])):
            cursor.executemany(statement, batch)
            count += len(batch)
        return count
    from psycopg2.extras import execute_values

    for batch in _batches(rows):
        execute_values(cursor, head + "%s", batch, page_size=PAGE)
        count += len(batch)
    return count


def _batches(rows: Iterable[Sequence]) -> Iterator[list]:
    batch: list = []
    for row in rows:
        batch.append(row)
        if len(batch) >= PAGE:
            yield batch
            batch = []
    if batch:
        yield batch


def next_id(model: type[peewee.Model]) -> int:
    """The first free primary key, for rows that are inserted with explicit ids."""
    return (model.select(peewee.fn.MAX(model.id)).scalar() or 0) + 1


def sync_id_sequence(model: type[peewee.Model]) -> None:
    """After inserting explicit ids on PostgreSQL, move the serial sequence past them."""
    if is_sqlite():
        return
    table = model._meta.table_name
    db.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
        f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 0) + 1, false)"
    )

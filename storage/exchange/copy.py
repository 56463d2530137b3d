"""``rapport copy --to URL``: everything in this database into an empty one of either backend
(README.md#command-line), e.g. from a laptop's SQLite into the team's PostgreSQL.

Every table of ``models.ALL_MODELS`` is copied row by row with its ids, so uids, the trash,
history, drafts and the stored pipeline tables all arrive as they are (tables added by later
schema versions are included as long as their model is listed there). The target gets the
current schema first; it must hold no data of its own (its seeded pick lists are replaced by
the source's). The copy runs in one transaction on the target: all or nothing.
"""

from __future__ import annotations

import peewee

from storage.db.models import ALL_MODELS, SchemaVersion, db
from storage.errors import RapportError

BATCH = 1000
# Seeded into every new database: replaced by the source's rows, not "data of its own".
SEEDED = {"topic", "method", "pipeline_stage"}


def _models() -> list[type[peewee.Model]]:
    return [m for m in peewee.sort_models(ALL_MODELS) if m is not SchemaVersion]  # type: ignore[attr-defined]  # sort_models: not in peewee's stubs


def _open_target(url: str) -> peewee.Database:
    """Open ``url``, create the current schema in it, and check that it holds no data."""
    from storage.db import migrations
    from storage.db.connection import make_database, redact
    from storage.db.database import _use_wal
    from storage.db.dialect import is_sqlite

    source = db.obj
    target = make_database(url)
    db.initialize(target)  # the schema code speaks through the models
    try:
        target.connect(reuse_if_open=True)
        if is_sqlite(target):
            _use_wal(target, url)
        migrations.ensure_schema(target, url)
        busy = [m._meta.table_name for m in _models() if m._meta.table_name not in SEEDED and m.select().exists()]
        if busy:
            raise RapportError(
                f"{redact(url)} already holds data ({', '.join(busy[:4])}); copy needs an empty database"
            )
    except BaseException:
        target.close()
        raise
    finally:
        db.initialize(source)
    return target


def _same_place(url: str) -> bool:
    from storage.db.connection import is_file_url, sqlite_path
    from storage.db.dialect import is_sqlite

    if is_sqlite(db.obj) and is_file_url(url):
        import os

        return os.path.realpath(sqlite_path(url)) == os.path.realpath(db.obj.database)
    return False


def _convert(fields: list[peewee.Field], to_sqlite: bool):
    """Raw values read from the source → values the target's driver takes."""

    def convert(row):
        out = []
        for field, value in zip(fields, row, strict=True):
            value = field.python_value(value) if value is not None else None
            if to_sqlite and value is not None:
                if isinstance(field, peewee.BooleanField):
                    value = int(bool(value))
                elif isinstance(field, (peewee.DateField, peewee.TimeField, peewee.DateTimeField)):
                    value = str(value)
            out.append(value)
        return out

    return convert


def copy_to(url: str, progress=None) -> dict[str, int]:
    """Copy every table into the database at ``url``; returns rows copied per table."""
    from storage.db.dialect import is_sqlite

    if _same_place(url):
        raise RapportError("--to names the database this copy reads from")
    source = db.obj
    target = _open_target(url)
    to_sqlite = is_sqlite(target)
    models = _models()
    totals = {m: m.select().count() for m in models}
    grand, done, counts = sum(totals.values()) or 1, 0, {}
    try:
        with target.atomic():
            for model in reversed(models):
                target.execute_sql(f'DELETE FROM "{model._meta.table_name}"')
            for model in models:
                counts[model._meta.table_name] = _copy_table(
                    source,
                    target,
                    model,
                    to_sqlite,
                    lambda n: progress and progress(done + n, grand),  # noqa: B023 (called here)
                )
                done += totals[model]
            for model in models:  # tables the target's triggers filled after they were copied
                table = model._meta.table_name
                if target.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] != totals[model]:
                    target.execute_sql(f'DELETE FROM "{table}"')
                    _copy_table(source, target, model, to_sqlite, lambda n: None)
            if not to_sqlite:
                for model in models:
                    _sync_sequence(target, model)
    finally:
        target.close()
    return counts


def _copy_table(source, target, model, to_sqlite: bool, progress) -> int:
    table = model._meta.table_name
    fields = list(model._meta.sorted_fields)
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    later = [i for i, f in enumerate(fields) if isinstance(f, peewee.ForeignKeyField) and f.rel_model is model]
    param = target.param
    insert = f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join([param] * len(fields))})'
    convert = _convert(fields, to_sqlite)
    order = f'"{model._meta.primary_key.column_name}"' if model._meta.primary_key else columns
    cursor = source.execute_sql(f'SELECT {columns} FROM "{table}" ORDER BY {order}')
    pending, count = [], 0
    out = target.cursor()
    while rows := cursor.fetchmany(BATCH):
        batch = [convert(row) for row in rows]
        for row in batch:  # a row pointing at its own table gets the link afterwards
            if later and any(row[i] is not None for i in later):
                pending.append((row[0], [row[i] for i in later]))
                for i in later:
                    row[i] = None
        out.executemany(insert, batch)
        count += len(batch)
        progress(count)
    for key, values in pending:
        sets = ", ".join(f'"{fields[i].column_name}" = {param}' for i in later)
        out.execute(f'UPDATE "{table}" SET {sets} WHERE "{fields[0].column_name}" = {param}', (*values, key))
    return count


def _sync_sequence(target, model) -> None:
    key = model._meta.primary_key
    if not isinstance(key, peewee.AutoField):
        return
    table = model._meta.table_name
    target.execute_sql(
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{key.column_name}'), "
        f'COALESCE((SELECT MAX("{key.column_name}") FROM "{table}"), 0) + 1, false)'
    )

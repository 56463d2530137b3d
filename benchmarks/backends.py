"""Where benchmarks/run.py keeps its reference data: an SQLite file under benchmarks/.cache/
(the default) or, with ``--database postgresql://…``, a schema of that PostgreSQL database.

On PostgreSQL each data size gets its own schema (``rapport_reference_full``,
``rapport_reference_quick``), so the reference data never lands in a database's ``public``
schema, and is built once: a finished build is marked by a comment on its schema naming the
sizes, seed, D and schema version it was built with; an unfinished or different one is
dropped and rebuilt.
Use a database of its own for it: ``createdb -h 127.0.0.1 -U postgres rapport_bench``.
"""

from __future__ import annotations

import time
from urllib.parse import quote, urlparse


def backend(url: str) -> str:
    """ "sqlite" or "postgresql", from a database URL."""
    scheme = url.split(":", 1)[0].lower()
    return "postgresql" if scheme in ("postgresql", "postgres") else "sqlite"


def schema_url(base_url: str, schema: str) -> str:
    """``base_url`` with ``search_path`` set to ``schema`` (a libpq option riding along)."""
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options=" + quote(f"-csearch_path={schema}")


def _admin(base_url: str):
    import psycopg2

    parsed = urlparse(base_url)
    connection = psycopg2.connect(base_url.split("?", 1)[0] if parsed.query else base_url)
    connection.autocommit = True
    return connection


def postgres_reference(base_url: str, size: str, sizes: dict, seed: int, today, rebuild: bool, build, log) -> str:
    """The URL of the reference schema of this size in ``base_url``'s database, built by
    ``build(url)`` unless a finished build with the same parameters is already there."""
    from storage.db.migrations import CURRENT_VERSION

    schema = f"rapport_reference_{size}"
    marker = f"rapport reference data: {sizes} seed={seed} today={today.isoformat()} schema version {CURRENT_VERSION}"
    url = schema_url(base_url, schema)
    connection = _admin(base_url)
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = %s", (schema,))
            found = cur.fetchone()
            if found and found[0] == marker and not rebuild:
                return url
            cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
            cur.execute(f'CREATE SCHEMA "{schema}"')
        start = time.perf_counter()
        build(url)
        log(f"built in {time.perf_counter() - start:.1f} s (PostgreSQL schema {schema})")
        with connection.cursor() as cur:
            cur.execute(f'COMMENT ON SCHEMA "{schema}" IS %s', (marker,))
            cur.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", (schema,))
            for (table,) in cur.fetchall():  # the visibility map lets index-only scans skip the heap
                cur.execute(f'VACUUM ANALYZE "{schema}"."{table}"')
    finally:
        connection.close()
    return url

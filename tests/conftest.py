"""Fixtures: a fresh database per test, on SQLite (a file under tmp_path) and, when
RAPPORT_TEST_POSTGRES holds a URL, on PostgreSQL (a schema of its own).

- ``ctx``: an opened database and its Context, once per backend (storage, reports,
  import/export and calendar tests use this one).
- ``sqlite_ctx``: SQLite only (TUI tests, file-level tests).
- ``app``: the Textual app on ``sqlite_ctx``.
- ``database_url``: an empty database (no schema yet), for tests of creating one.

The databases of ``ctx`` and ``sqlite_ctx`` are created and migrated once per test process
(``MigratedTemplates``), then handed to each test in the state a new one has: a copy of the
SQLite file; on PostgreSQL, the process's schema with every table emptied and the default
rows seeded again. Creating a database from scratch is tested by the tests that use
``database_url`` or a URL of their own (test_database, test_migrations, test_concurrency).

Nothing here touches the user's real data: HOME and the platformdirs folders point into
tmp_path for every test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from urllib.parse import quote

import pytest

from storage.context import Context
from storage.db.database import close_database, open_database

# Fixtures shared by several test modules but kept beside their helpers: other_rapport.
pytest_plugins = ["tests.locking"]

PG_ENV = "RAPPORT_TEST_POSTGRES"
PG_URL = os.environ.get(PG_ENV, "").strip()
PG_SKIP_REASON = f"{PG_ENV} is not set: no PostgreSQL server to test team mode against"

TODAY = dt.date(2026, 3, 18)  # a Wednesday; tests that need a fixed D use it

BACKENDS = [
    "sqlite",
    pytest.param("postgres", marks=pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)),
]


# Files whose tests run whole processes (the app in a terminal, servers, writers) and take
# seconds each: run first, so that the workers that finish early share out the short tests
# at the end instead of waiting for one long test (pytest-xdist --dist worksteal).
SLOW_FILES_FIRST = (
    "test_prepared_modes.py",
    "test_two_instances.py",
    "test_live.py",
    "test_hangup.py",
    "test_crash_app.py",
    "test_session_faults.py",
    "test_sync_caldav.py",
    "test_concurrency.py",
    "test_backends_agree.py",
    "test_hostile_tui.py",
)


def pytest_collection_modifyitems(items) -> None:
    items.sort(key=lambda item: item.path.name not in SLOW_FILES_FIRST)  # (a stable sort)


@pytest.fixture(autouse=True, scope="session")
def idle_checked_every_5_ms():
    """Pilot waits after each key (and in ``pause()``) until the process is idle: Textual
    (textual._wait) sleeps 20 ms at a time and calls the process idle once it used under 1 ms
    of CPU in one of them, so every key costs at least 40 ms, most of the suite's time. Here
    it looks every 5 ms, for the same share of CPU (under 0.25 ms): idle is told 4 times
    sooner. (A private module of Textual: ``raising=True`` fails loudly if it changes.)"""
    import textual._wait

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(textual._wait, "SLEEP_GRANULARITY", 0.005, raising=True)
        patch.setattr(textual._wait, "SLEEP_IDLE", 0.005 / 20, raising=True)
        yield


@pytest.fixture(autouse=True)
def no_screens_prepared_in_the_background(monkeypatch):
    """Main screens are not prepared in the background after the first frame (a speed
    feature of tui.app, tested on its own in test_prepared_modes.py and kept on in the tests
    that run the real ``rapport`` in a terminal): a test sees only the screens it opens, and
    its waits for an idle app do not wait for screens it never uses."""
    from tui.app import RapportApp

    monkeypatch.setattr(RapportApp, "PREPARE_AFTER", 3600)


@pytest.fixture(autouse=True)
def pause_waits_for_database_work(monkeypatch):
    """``pilot.pause()`` first lets the database work asked so far finish (tui.dbwork runs it
    on its own threads), the keys held for a screen that is opening reach it (tui.app) and
    the animations (a smooth scroll) end, so a test that presses keys and pauses sees their
    outcome on a loaded machine too. A wait on conditions, not a fixed sleep. (The idle
    checks every 5 ms, ``idle_checked_every_5_ms``, fall between an animation's frames.)"""
    from textual.pilot import Pilot

    from tui import dbwork

    original = Pilot.pause

    async def pause(self, delay=None):
        await dbwork.wait_idle()
        await original(self, delay)
        for _ in range(500):  # keys held for a screen still opening (tui.app), or more work
            animator = self.app.animator
            if (
                getattr(self.app, "_held", None) is None
                and not dbwork.busy()
                and not (animator._animations or animator._scheduled)
            ):
                break
            await dbwork.wait_idle()
            await animator.wait_until_complete()
            await original(self, 0.01)

    pause.without_waiting_for_database_work = original  # for a test holding the database
    monkeypatch.setattr(Pilot, "pause", pause)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Point HOME and the XDG folders at tmp_path so platformdirs never finds real data."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local/share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local/state"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(home / "Documents"))
    monkeypatch.delenv("RAPPORT_DATABASE", raising=False)
    monkeypatch.delenv("RAPPORT_CONFIG", raising=False)
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("LOGNAME", "tester")
    return home


def sqlite_url(tmp_path) -> str:
    return "sqlite:///" + str(tmp_path / "rapport.db")


class PostgresSchema:
    """A schema of its own in the RAPPORT_TEST_POSTGRES database, for one test."""

    def __init__(self, base_url: str):
        import psycopg2

        self.base_url = base_url
        self.name = "rapport_test_" + uuid.uuid4().hex[:12]
        self._admin = psycopg2.connect(base_url)
        self._admin.autocommit = True
        with self._admin.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{self.name}"')
        sep = "&" if "?" in base_url else "?"
        self.url = f"{base_url}{sep}options=" + quote(f"-csearch_path={self.name}")

    def drop(self) -> None:
        with self._admin.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')
        self._admin.close()


@pytest.fixture
def database_url(request, tmp_path):
    """The URL of a fresh, empty database on the backend named by ``request.param``."""
    backend = getattr(request, "param", "sqlite")
    if backend == "postgres":
        schema = PostgresSchema(PG_URL)
        yield schema.url
        close_database()
        schema.drop()
    else:
        yield sqlite_url(tmp_path)
        close_database()


def make_ctx(url: str, today: dt.date | None = TODAY, login: str = "tester") -> Context:
    open_database(url)
    return Context(url=url, config={}, today_override=today, login=login)


# What a test may change in a schema besides its rows (tables, columns, indexes, triggers):
# when it did, the next test gets a new schema instead of an emptied one.
PG_SHAPE = """
SELECT md5(coalesce(string_agg(item, ',' ORDER BY item), '')) FROM (
  SELECT c.relname || ':' || c.relkind::text || ':' || coalesce(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), '') AS item
  FROM pg_class c LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE c.relnamespace = %(schema)s::regnamespace
  UNION ALL
  SELECT t.tgname || ':' || t.tgrelid::regclass::text FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relnamespace = %(schema)s::regnamespace
) shape
"""


class MigratedTemplates:
    """One migrated database per test process and backend, handed out fresh to each test:
    creating and migrating one per test cost about 15 ms on SQLite and 150 ms on PostgreSQL."""

    def __init__(self, folder) -> None:
        self.folder = folder
        self._sqlite_file = None
        self._pg: PostgresSchema | None = None
        self._pg_shape = None

    def sqlite_url(self, tmp_path) -> str:
        """A copy of a new, migrated SQLite file at ``sqlite_url(tmp_path)``."""
        if self._sqlite_file is None:
            url = sqlite_url(self.folder)
            open_database(url)
            close_database()  # (checkpoints the WAL into the file: the copy is whole)
            self._sqlite_file = self.folder / "rapport.db"
        target = tmp_path / "rapport.db"
        shutil.copyfile(self._sqlite_file, target)
        target.chmod(0o600)  # as Rapport creates it
        return sqlite_url(tmp_path)

    def postgres_url(self) -> str:
        """The process's schema, as new: every table emptied (identities restarted), the
        schema version and the default rows written again as on creation."""
        from storage.db import migrations
        from storage.db.models import db

        if self._pg is not None and not self._empty(self._pg):
            self._pg.drop()  # changed by the last test, or still in use: a new one
            self._pg = None
        if self._pg is None:
            self._pg = PostgresSchema(PG_URL)
            open_database(self._pg.url)
            close_database()
            self._pg_shape = self._shape(self._pg)
            return self._pg.url
        open_database(self._pg.url)  # (the version is current: nothing to migrate)
        with db.atomic():
            migrations.seed_defaults()
        close_database()
        return self._pg.url

    def _shape(self, schema: PostgresSchema) -> str:
        with schema._admin.cursor() as cur:
            cur.execute(PG_SHAPE, {"schema": schema.name})
            return cur.fetchone()[0]

    def _empty(self, schema: PostgresSchema) -> bool:
        """Empty every table of ``schema`` and restart its identities, if its shape is as
        created and no other session holds a lock on it (a process a test started may still
        be ending). DELETE with triggers and foreign keys off (session_replication_role) takes
        milliseconds on a few rows; TRUNCATE, used when that role may not be set, about 0.3 s."""
        import psycopg2

        from storage.db import migrations
        from storage.db.models import SchemaVersion

        if self._shape(schema) != self._pg_shape:
            return False
        with schema._admin.cursor() as cur:
            cur.execute(
                "SELECT format('%%I.%%I', schemaname, tablename) FROM pg_tables WHERE schemaname = %s", (schema.name,)
            )
            tables = [name for (name,) in cur.fetchall()]
            try:
                cur.execute("BEGIN")
                cur.execute("SET LOCAL lock_timeout = '2s'")
                try:
                    cur.execute("SAVEPOINT replica")
                    cur.execute("SET LOCAL session_replication_role = replica")
                    for table in tables:
                        cur.execute(f"DELETE FROM {table}")
                except psycopg2.errors.InsufficientPrivilege:
                    cur.execute("ROLLBACK TO SAVEPOINT replica")
                    cur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
                cur.execute(
                    "SELECT setval(format('%%I.%%I', schemaname, sequencename)::regclass, 1, false) "
                    "FROM pg_sequences WHERE schemaname = %s",
                    (schema.name,),
                )
                cur.execute(
                    f'INSERT INTO "{schema.name}"."{SchemaVersion._meta.table_name}" (version, applied_at) '
                    "VALUES (%s, now() AT TIME ZONE 'UTC')",
                    (migrations.CURRENT_VERSION,),
                )
                cur.execute("COMMIT")
                return True
            except psycopg2.Error:
                cur.execute("ROLLBACK")
                return False

    def close(self) -> None:
        if self._pg is not None:
            self._pg.drop()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory):
    templates = MigratedTemplates(tmp_path_factory.mktemp("migrated"))
    yield templates
    templates.close()


@pytest.fixture(params=BACKENDS)
def ctx(request, tmp_path, migrated):
    """An opened, migrated, seeded database on each backend, with D = TODAY."""
    url = migrated.postgres_url() if request.param == "postgres" else migrated.sqlite_url(tmp_path)
    yield make_ctx(url)
    close_database()


@pytest.fixture
def sqlite_ctx(tmp_path, migrated):
    yield make_ctx(migrated.sqlite_url(tmp_path))
    close_database()


@pytest.fixture
def app(sqlite_ctx, request):
    """The app. An unexpected error no longer ends it (tui.crash writes a report and it goes
    on), so a test fails here when one was written, unless it is marked ``crash_expected``."""
    from tui.app import RapportApp

    app = RapportApp(sqlite_ctx)
    yield app
    if request.node.get_closest_marker("crash_expected") is None:
        assert app.crash_reports == [], f"unexpected errors, reports: {app.crash_reports}"

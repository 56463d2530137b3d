"""Fixtures: a fresh database per test, on SQLite (a file under tmp_path) and, when
RAPPORT_TEST_POSTGRES holds a URL, on PostgreSQL (a schema of its own, dropped afterwards).

- ``ctx``: an opened database and its Context, once per backend (storage, reports,
  import/export and calendar tests use this one).
- ``sqlite_ctx``: SQLite only (TUI tests, file-level tests).
- ``app``: the Textual app on ``sqlite_ctx``.

Nothing here touches the user's real data: HOME and the platformdirs folders point into
tmp_path for every test.
"""

from __future__ import annotations

import datetime as dt
import os
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


@pytest.fixture(autouse=True)
def pause_waits_for_database_work(monkeypatch):
    """``pilot.pause()`` first lets the database work asked so far finish (tui.dbwork runs it
    on its own threads) and the keys held for a screen that is opening reach it (tui.app), so
    a test that presses keys and pauses sees their outcome on a loaded machine too. A wait on
    conditions, not a fixed sleep."""
    from textual.pilot import Pilot

    from tui import dbwork

    original = Pilot.pause

    async def pause(self, delay=None):
        await dbwork.wait_idle()
        await original(self, delay)
        for _ in range(500):  # keys held for a screen still opening (tui.app), or more work
            if getattr(self.app, "_held", None) is None and not dbwork.busy():
                break
            await dbwork.wait_idle()
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


@pytest.fixture(params=BACKENDS)
def ctx(request, tmp_path):
    """An opened, migrated, seeded database on each backend, with D = TODAY."""
    if request.param == "postgres":
        schema = PostgresSchema(PG_URL)
        try:
            yield make_ctx(schema.url)
        finally:
            close_database()
            schema.drop()
    else:
        yield make_ctx(sqlite_url(tmp_path))
        close_database()


@pytest.fixture
def sqlite_ctx(tmp_path):
    yield make_ctx(sqlite_url(tmp_path))
    close_database()


@pytest.fixture
def app(sqlite_ctx, request):
    """The app. An unexpected error no longer ends it (tui.crash writes a report and it goes
    on), so a test fails here when one was written, unless it is marked ``crash_expected``."""
    from tui.app import RapportApp

    app = RapportApp(sqlite_ctx)
    # Main screens are not prepared in the background here (a speed feature, tested on its
    # own in test_prepared_modes.py): a test sees only the screens it opens, and their data.
    app.PREPARE_AFTER = 3600
    yield app
    if request.node.get_closest_marker("crash_expected") is None:
        assert app.crash_reports == [], f"unexpected errors, reports: {app.crash_reports}"

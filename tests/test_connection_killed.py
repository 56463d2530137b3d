"""Team mode (issue 13): the server drops the app's connections (``pg_terminate_backend``, as a
restart or a DBA would) while a form is open. ctrl+s still saves (a new connection), the app
stays up and nothing typed is lost. Needs RAPPORT_TEST_POSTGRES."""

from __future__ import annotations

import pytest
from textual.widgets import Input, TextArea

from screens.conversation_form import ConversationForm
from storage.db.models import Conversation, Customer, db
from tests import factories
from tests.conftest import PG_SKIP_REASON, PG_URL
from tests.tui_helpers import type_text, wait_until
from tui import dbwork

pytestmark = pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)
TYPED = "Kept through a server restart"


def backend_pid() -> int:
    return db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


async def kill_app_connections(app, pilot) -> None:
    """Terminate the UI thread's and the database threads' connections of this app."""
    import peewee
    import psycopg2

    from storage.errors import ConnectionLost

    try:
        pids = [backend_pid()]
    except (peewee.DatabaseError, ConnectionLost):  # the UI thread's is gone already
        pids = []
    for run in (dbwork.run_db, dbwork.read_db, dbwork.read_rows):
        job = run(app.screen, backend_pid, busy="")
        await wait_until(pilot, job.finished.is_set)
        pids.append(job.result)
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        for pid in set(pids):
            cur.execute("SELECT pg_terminate_backend(%s)", (pid,))
    admin.close()


@pytest.mark.parametrize("ctx", ["postgres"], indirect=True)
async def test_customer_and_conversation_saved_after_the_connections_were_killed(ctx):
    from tui.app import RapportApp

    acme = factories.customer("Acme")
    ctx.employee()
    app = RapportApp(ctx)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("n")
        await wait_until(pilot, lambda: getattr(app.focused, "id", "") == "customer-name")
        await type_text(pilot, "Killed GmbH")
        await kill_app_connections(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: Customer.select().where(Customer.name == "Killed GmbH").exists(), what="the customer saved"
        )
        assert app.screen.query_one("#customer-name", Input).value == "Killed GmbH"

        app.push_screen(ConversationForm.new(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        await type_text(pilot, TYPED)
        await kill_app_connections(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot,
            lambda: Conversation.select().where(Conversation.note == TYPED).exists(),
            what="the conversation saved",
        )
        assert app.is_running and app.crash_reports == []


@pytest.fixture
def own_role(ctx):
    """A login role of its own for the app (the server can then refuse just its connections:
    ``CONNECTION LIMIT 0``, as a server that is down would) and its URL."""
    import uuid
    from urllib.parse import quote, urlparse

    import psycopg2

    role = "rapport_i13_" + uuid.uuid4().hex[:10]
    schema = dict(part.split("=", 1) for part in urlparse(ctx.url).query.split("&"))["options"]
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"CREATE ROLE {role} LOGIN")
    search_path = schema.replace("%3D", "=").split("=", 1)[1]
    with admin.cursor() as cur:
        cur.execute(f'GRANT ALL ON SCHEMA "{search_path}" TO {role}')
        cur.execute(f'GRANT ALL ON ALL TABLES IN SCHEMA "{search_path}" TO {role}')
        cur.execute(f'GRANT ALL ON ALL SEQUENCES IN SCHEMA "{search_path}" TO {role}')
    parsed = urlparse(PG_URL)
    url = parsed._replace(netloc=f"{role}@{parsed.hostname}:{parsed.port or 5432}").geturl()
    url += ("&" if "?" in url else "?") + "options=" + quote(f"-csearch_path={search_path}")

    def refuse(limit: int) -> None:
        with admin.cursor() as cur:
            cur.execute(f"ALTER ROLE {role} CONNECTION LIMIT {limit}")

    yield url, refuse
    with admin.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = %s", (role,))
    from storage.db.database import close_database

    close_database()
    with admin.cursor() as cur:
        cur.execute(f'REVOKE ALL ON ALL TABLES IN SCHEMA "{search_path}" FROM {role}')
        cur.execute(f'REVOKE ALL ON ALL SEQUENCES IN SCHEMA "{search_path}" FROM {role}')
        cur.execute(f'REVOKE ALL ON SCHEMA "{search_path}" FROM {role}')
        cur.execute(f"DROP ROLE IF EXISTS {role}")
    admin.close()


@pytest.mark.parametrize("ctx", ["postgres"], indirect=True)
async def test_a_server_that_refuses_connections_costs_nothing_typed(ctx, own_role, monkeypatch):
    from storage.context import Context
    from storage.db.database import close_database, open_database
    from tui.app import RapportApp

    monkeypatch.setattr("storage.db.retry.sleep", lambda seconds: None)
    url, refuse = own_role
    acme = factories.customer("Acme")
    ctx.employee()
    close_database()
    open_database(url)
    app = RapportApp(Context(url=url, config={}, today_override=ctx.today_override, login=ctx.login))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TextArea))
        await type_text(pilot, TYPED)
        refuse(0)
        await kill_app_connections(app, pilot)
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: "Not saved" in " ".join(n.message for n in app._notifications), what="the one line"
        )
        assert isinstance(app.screen, ConversationForm) and app.is_running
        assert app.screen.query_one("#note", TextArea).text == TYPED
        refuse(-1)  # the server is back
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: not isinstance(app.screen, ConversationForm), what="the save")
        assert Conversation.get().note == TYPED and app.crash_reports == []


@pytest.mark.parametrize("ctx", ["postgres"], indirect=True)
async def test_lists_and_conversation_keys_while_the_server_refuses_connections(ctx, own_role, monkeypatch):
    """A list's page fetch and c on the Conversations tab with the server refusing the app
    (its connections killed, no new ones): one line each, the app answers keys meanwhile, and
    the next key after the server is back fetches the rows and completes the conversation."""
    from storage.context import Context
    from storage.db.database import close_database, open_database
    from tests.locking import shown
    from tests.panel_host import PanelHost
    from tui.app import RapportApp

    monkeypatch.setattr("storage.db.retry.sleep", lambda seconds: None)
    url, refuse = own_role
    acme = factories.customer("Acme")
    for i in range(120):
        factories.customer(f"Customer {i:03}")
    conv = factories.conversation(acme, "2026-03-10", note="Call back")
    ctx.employee()
    close_database()
    open_database(url)
    app = RapportApp(Context(url=url, config={}, today_override=ctx.today_override, login=ctx.login))
    app.PREPARE_AFTER = 3600
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: "Acme" in shown(app), what="the customer list")
        refuse(0)
        await kill_app_connections(app, pilot)
        await pilot.press("end")
        await wait_until(pilot, lambda: "List not refreshed" in shown(app), what="the list's one line")
        assert "Customer 119" not in shown(app) and app.is_running
        refuse(-1)  # the server is back
        await pilot.press("up")
        await wait_until(pilot, lambda: "Customer 119" in shown(app), what="the last customers")

        app.push_screen(PanelHost(acme.id))
        await wait_until(pilot, lambda: "Call back" in shown(app), what="the conversation")
        app.clear_notifications()
        refuse(0)
        await kill_app_connections(app, pilot)
        await pilot.press("c")
        await wait_until(pilot, lambda: "Not changed" in shown(app), what="c: the one line")
        assert isinstance(app.screen, PanelHost) and app.is_running
        refuse(-1)
        await pilot.press("c")
        await wait_until(pilot, lambda: Conversation.get_by_id(conv.id).completed, what="c completes it")
        assert app.crash_reports == []


@pytest.mark.parametrize("ctx", ["postgres"], indirect=True)
async def test_tables_employees_agenda_and_sync_while_the_server_refuses_connections(
    ctx, own_role, monkeypatch, tmp_path
):
    """F6, F7, F8 and y (sync) with the server refusing the app: one line each ("Not listed: …",
    "Agenda not shown: …", "Not synced: …"), no crash report, the app answers keys; F6 and F7
    again once the server is back list their rows."""
    from storage.context import Context
    from storage.db.database import close_database, open_database
    from tests.locking import shown
    from tui.app import RapportApp

    monkeypatch.setattr("storage.db.retry.sleep", lambda seconds: None)
    url, refuse = own_role
    factories.customer("Acme")
    factories.employee("zoe", name="Zoe Zed")
    ctx.employee()
    close_database()
    open_database(url)
    config = {"sync": {"vdir": str(tmp_path / "calendar"), "as": "todos"}}
    app = RapportApp(Context(url=url, config=config, today_override=ctx.today_override, login=ctx.login))
    app.PREPARE_AFTER = 3600
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: "Acme" in shown(app), what="the customer list")
        refuse(0)
        await kill_app_connections(app, pilot)
        for key, mode, line in (
            ("f6", "maintenance", "Not listed"),
            ("f7", "employees", "Not listed"),
            ("f8", "agenda", "Agenda not shown"),
            ("y", "agenda", "Not synced"),  # the calendar sync, on tui.dbwork too
        ):
            app.clear_notifications()
            await pilot.press(key)
            await wait_until(pilot, lambda: line in shown(app), what=f"{key}: the one line")  # noqa: B023
            assert app.current_mode == mode and app.is_running
        refuse(-1)  # the server is back
        await pilot.press("f6")
        await wait_until(pilot, lambda: "Complaint" in shown(app), what="the topics")
        await pilot.press("f7")
        await wait_until(pilot, lambda: "Zoe Zed" in shown(app), what="the employees")
        assert app.crash_reports == []

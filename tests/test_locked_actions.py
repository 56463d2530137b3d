"""Keys that read or change records while another Rapport holds the write lock (issue 13,
docs/screens.md#keyboard-and-ssh): the storage call runs on tui.dbwork's threads, never on
the UI thread (``thread_log``), the app stays up and says so in one line where the user acted,
and the same key succeeds once the lock is gone. Lists (page fetches), Search, the Pipeline
dashboard and the calendar actions read only; the Conversations tab's c/d/u write."""

from __future__ import annotations

import datetime as dt
import functools
import threading

from screens.pipeline import PipelineScreen
from storage.db.models import Conversation
from storage.records import conversation_list, conversations
from storage.records.queries import CustomerList
from storage.reporting import pipeline, search
from tests import factories
from tests.conftest import TODAY
from tests.locking import keys_under_lock, shown
from tests.panel_host import PanelHost
from tests.tui_helpers import keys_without_waiting_for_database_work, thread_log, wait_until
from tui.widgets.conversations_panel import ConversationsPanel


async def test_conversations_tab_c_d_u_under_lock(app, other_rapport, monkeypatch):
    log = [thread_log(monkeypatch, conversations, name) for name in ("toggle_completed", "delete", "restore")]
    acme = factories.customer("Acme")
    conv = factories.conversation(acme, "2026-03-10", follow_up="2026-03-17", note="Call back")

    row = functools.partial(Conversation.get_by_id, conv.id)

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(PanelHost(acme.id))
        await pilot.pause()
        panel = app.screen.query_one(ConversationsPanel)
        await wait_until(pilot, lambda: panel.table.cursor_row_id == conv.id, what="the row")
        await keys_under_lock(pilot, other_rapport, ("c",), lambda: row().completed)
        await wait_until(pilot, lambda: panel.table.cursor_row_id == conv.id, what="the row again")
        await keys_under_lock(pilot, other_rapport, ("d",), lambda: row().deleted_at is not None)
        await wait_until(pilot, lambda: "Call back" not in shown(app), what="the row gone")
        await keys_under_lock(pilot, other_rapport, ("u",), lambda: row().deleted_at is None)
        await wait_until(pilot, lambda: "Call back" in shown(app), what="the row back")
    assert [where for calls in log for where in calls] and "ui" not in sum(log, [])
    assert app.crash_reports == []


async def test_lists_fetch_their_pages_off_the_ui_thread(app, monkeypatch):
    """The customer list, a customer's Conversations tab and the Follow-ups list, scrolled to
    the end and back: every count and page comes from the database reader."""
    logs = [thread_log(monkeypatch, CustomerList, name) for name in ("count", "fetch")]
    logs += [thread_log(monkeypatch, conversation_list, name) for name in ("count", "page")]
    from storage.reporting import reports

    logs += [thread_log(monkeypatch, reports, name) for name in ("section_counts", "due", "upcoming")]
    acme = factories.customer("Acme")
    for i in range(120):
        factories.customer(f"Customer {i:03}")
        factories.conversation(
            acme,
            TODAY - dt.timedelta(days=i + 1),
            note=f"Note {i:03}",
            follow_up=(TODAY + dt.timedelta(days=i % 5)).isoformat(),
        )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: "Acme" in shown(app), what="the customer list")
        await pilot.press("end")
        await wait_until(pilot, lambda: "Customer 119" in shown(app), what="the last customer")
        await pilot.press("home")
        await wait_until(pilot, lambda: "Acme" in shown(app), what="the first customer again")
        app.push_screen(PanelHost(acme.id))
        await wait_until(pilot, lambda: "Note 000" in shown(app), what="the newest conversation")
        await pilot.press("home")
        await wait_until(pilot, lambda: "Note 119" in shown(app), what="the oldest conversation")
        await pilot.press("escape", "f3")
        await wait_until(pilot, lambda: "Note 0" in shown(app), what="the follow-ups")
        await pilot.press("end")
        await pilot.pause()
    assert all(logs[:4]), "each storage call ran at least once"
    assert "ui" not in sum(logs, [])


async def test_search_runs_off_the_ui_thread(app, monkeypatch):
    log = thread_log(monkeypatch, search, "search")
    acme = factories.customer("Acme")
    factories.conversation(acme, "2026-03-10", note="quarterly pricing call")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f9")
        await pilot.press(*"pricing", "enter")
        await wait_until(pilot, lambda: "quarterly pricing" in shown(app), what="the result")
    assert log and "ui" not in log


async def test_pipeline_under_lock(app, other_rapport, monkeypatch):
    """A pipeline conversation saved makes the stored cycles stale: computing the dashboard
    writes them first (storage/db/cycle_store.py), which waits for the lock."""
    logs = [thread_log(monkeypatch, pipeline, name) for name in ("pipeline_report", "won_lost_by_month")]
    monkeypatch.setattr("screens.pipeline.pipeline_report", pipeline.pipeline_report)
    monkeypatch.setattr("screens.pipeline.won_lost_by_month", pipeline.won_lost_by_month)
    acme = factories.customer("Acme")
    factories.conversation(acme, "2026-03-10", stage_name="Won", note="Signed")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        other_rapport.execute("BEGIN IMMEDIATE")
        await pilot.press("f5")
        await wait_until(pilot, lambda: "Pipeline not computed" in shown(app), what="the message")
        assert isinstance(app.screen, PipelineScreen) and app.is_running
        other_rapport.execute("COMMIT")
        await pilot.press("p")
        await wait_until(
            pilot,
            lambda: (
                "not computed" not in app.screen.query_one("#pipeline-summary").render().plain
                and "computing" not in app.screen.query_one("#pipeline-summary").render().plain
            ),
            what="the numbers after the lock was released",
        )
    assert logs[0] and "ui" not in sum(logs, [])


async def test_calendar_actions_run_off_the_ui_thread_and_keep_keys_typed_meanwhile(app, monkeypatch):
    """t (task), x (export) and b (booking: whether the conversation has one is read first):
    the keys typed right after b reach the booking form, in order."""
    from storage.config import export_folder
    from storage.exchange import calendar
    from storage.records import bookings

    logs = [thread_log(monkeypatch, calendar, name) for name in ("write_task", "build_export")]
    logs.append(thread_log(monkeypatch, bookings, "of_conversation"))
    gate, looked_up = threading.Event(), bookings.of_conversation

    def slow_lookup(conversation_id):  # a slow database: the keys after b arrive meanwhile
        gate.wait(30)
        return looked_up(conversation_id)

    monkeypatch.setattr(bookings, "of_conversation", slow_lookup)
    acme = factories.customer("Acme")
    factories.conversation(acme, "2026-03-10", follow_up="2026-03-20", note="Call back")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(PanelHost(acme.id))
        await wait_until(pilot, lambda: "Call back" in shown(app), what="the conversation")
        await pilot.press("t")
        await wait_until(pilot, lambda: "Create task: due on" in shown(app), what="the due-date prompt")
        await pilot.press("enter")
        await wait_until(pilot, lambda: "written to" in shown(app), what="the task written")
        await pilot.press("x")
        await wait_until(pilot, lambda: "Exported" in shown(app), what="the export")
        keys_without_waiting_for_database_work(monkeypatch)
        await pilot.press("b", "tab", "tab", "tab", "end", "space", *"Lunch")
        gate.set()
        await wait_until(pilot, lambda: getattr(app.focused, "id", None) == "title", what="the title field")
        assert app.focused.value.endswith(" Lunch")
    assert len(list(export_folder(app.ctx.config).glob("*.ics"))) == 2
    assert all(logs) and "ui" not in sum(logs, [])


async def test_discarding_an_offered_draft_under_lock(app, other_rapport, monkeypatch):
    from screens.drafts import DraftsScreen
    from storage.records import drafts

    log = thread_log(monkeypatch, drafts, "discard_id")
    drafts.save("conversation", "customer:1", "tester", {"note": "throw me away"})
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, DraftsScreen), what="the drafts offered")
        await keys_under_lock(pilot, other_rapport, ("d",), lambda: not drafts.pending("tester"))
    assert log and "ui" not in log


async def test_deleting_a_contact_under_lock(app, other_rapport, monkeypatch):
    from screens.customer_form import CustomerForm
    from storage.db.models import Contact
    from storage.records import customers

    logs = [thread_log(monkeypatch, customers, name) for name in ("contacts", "delete_contact")]
    acme = factories.customer("Acme")
    ann = Contact.create(customer=acme, name="Ann Buyer")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.push_screen(CustomerForm(acme.id))
        await pilot.press("2")
        await wait_until(pilot, lambda: "Ann Buyer" in shown(app), what="the contact")
        await keys_under_lock(pilot, other_rapport, ("d", "y"), lambda: Contact.get_or_none(id=ann.id) is None)
        assert isinstance(app.screen, CustomerForm)
        await wait_until(pilot, lambda: "Ann Buyer" not in shown(app), what="the list without it")
    assert all(logs) and "ui" not in sum(logs, [])


async def test_tables_employees_pickers_and_their_drafts_read_off_the_ui_thread(app, monkeypatch):
    """F6 and F7 (their lists, d's "what uses it", n's topic choices), the employee picker (v)
    and two drafts reopened at start (an employee, a topic): every read on tui.dbwork's
    threads; keys typed at once after a key that opens something still reach it."""
    from screens import employee_form
    from screens.drafts import DraftsScreen
    from screens.employee_form import EmployeeForm
    from screens.employee_picker import EmployeePicker
    from screens.value_form import ValueForm
    from storage.db.models import Employee, Topic
    from storage.records import drafts, lookups
    from tests.tui_helpers import drafts_offered

    logs = [thread_log(monkeypatch, lookups, name) for name in ("values", "uses", "employees", "topics")]
    logs.append(thread_log(monkeypatch, employee_form, "topic_options"))
    drafts.save("employee", "", "tester", {"login": "zoe", "name": "Zoe", "default_topic": None})
    drafts.save("topic", "", "tester", {"name": "Warranty"})
    app.PREPARE_AFTER = 3600  # (no main screen prepared meanwhile: a quicker test)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        for _ in range(2):  # each draft reopened, then saved: its draft is gone (no copy left)
            await wait_until(pilot, lambda: drafts_offered(app), what="the drafts offered")
            await pilot.press("enter")
            await wait_until(pilot, lambda: isinstance(app.screen, EmployeeForm | ValueForm), what="the form")
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: not isinstance(app.screen, EmployeeForm | ValueForm), what="the save")
            if drafts.pending("tester"):
                app.push_screen(DraftsScreen())
        assert Employee.get(Employee.login == "zoe").name == "Zoe" and Topic.get(Topic.name == "Warranty")
        assert drafts.pending("tester") == []

        await pilot.press("f6", "d")
        await wait_until(pilot, lambda: "Nothing uses it" in shown(app), what="the question about Complaint")
        await pilot.press("n", "f7", "end", "enter", "end", *" Zed")  # zoe: edit her name
        await wait_until(pilot, lambda: isinstance(app.screen, EmployeeForm), what="the employee form")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Employee zoe saved." in shown(app), what="the saved employee")
        assert Employee.get(Employee.login == "zoe").name == "Zoe Zed"
        await pilot.press("f3", "v", "end", "enter")  # the last employee: zoe
        await wait_until(pilot, lambda: "zoe" in shown(app) and not isinstance(app.screen, EmployeePicker))
        assert app.screen.whose == "zoe"
    assert all(logs), "each storage call ran at least once"
    assert "ui" not in sum(logs, [])


async def test_agenda_m_keeps_the_keys_typed_while_the_booking_is_read(app, monkeypatch):
    """m reads the booking (off the UI thread) before its prompt opens: the date typed right
    after m, and enter, reach the prompt and move the booking."""
    from screens.booking_move import BookingMove
    from storage.db.models import Booking
    from storage.records import bookings

    conv = factories.conversation(factories.customer("Acme"), "2026-03-02", follow_up=TODAY.isoformat())
    booking = bookings.create(
        {"date": TODAY.isoformat(), "start": "14:00", "end": "15:00", "title": "Visit"}, conv.id, zone_name="UTC"
    )
    gate, read = threading.Event(), bookings.get

    def slow_read(booking_id):  # a slow database: the keys after m arrive meanwhile
        gate.wait(30)
        return read(booking_id)

    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f8")
        await wait_until(pilot, lambda: "Visit" in shown(app), what="the booking")
        app.screen.select_key(f"booking:{booking.id}")
        monkeypatch.setattr(bookings, "get", slow_read)
        keys_without_waiting_for_database_work(monkeypatch)
        await pilot.press("m", *"tomorrow", "enter")
        gate.set()
        await wait_until(pilot, lambda: Booking.get().start.date() == TODAY + dt.timedelta(days=1), what="the move")
        assert not isinstance(app.screen, BookingMove)


async def test_agenda_cancel_and_undo_under_lock(app, other_rapport):
    """c and u on a booking while another Rapport writes: "Not changed: …" (a key's line, not
    a form's "Not saved … ctrl+s"), and the same key once the lock is gone."""
    from storage.db.models import Booking
    from storage.records import bookings

    conv = factories.conversation(factories.customer("Acme"), "2026-03-02", follow_up=TODAY.isoformat())
    booking = bookings.create(
        {"date": TODAY.isoformat(), "start": "14:00", "end": "15:00", "title": "Visit"}, conv.id, zone_name="UTC"
    )
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("f8")
        await wait_until(pilot, lambda: "Visit" in shown(app), what="the booking")
        app.screen.select_key(f"booking:{booking.id}")
        await keys_under_lock(pilot, other_rapport, ("c",), lambda: Booking.get().cancelled_at is not None)
        await keys_under_lock(pilot, other_rapport, ("u",), lambda: Booking.get().cancelled_at is None)

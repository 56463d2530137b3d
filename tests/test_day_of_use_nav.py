"""Issue 19, navigation and state: F-keys show a screen's main view, the pipeline drill-down
stays fresh and fails politely, one conversation form at a time, inline errors go once fixed."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from screens.conversation_form import ConversationForm
from screens.customer_form import CustomerForm
from screens.pipeline import PipelineScreen
from screens.pipeline_customers import PipelineCustomers
from tests import factories as f
from tests.test_pipeline_screen import make_shop, open_dashboard
from tests.tui_helpers import keys_without_waiting_for_database_work, screen_text, type_text, wait_until
from tui import dbwork


async def settle(app, pilot) -> None:
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()


async def drill_into_pipeline_and_open_a_customer(app, pilot) -> None:
    await open_dashboard(app, pilot)
    await pilot.press("enter")  # "In pipeline": Delta and [bold]Echo[/]
    await settle(app, pilot)
    assert isinstance(app.screen, PipelineCustomers)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, CustomerForm)


async def test_f5_after_a_drill_down_shows_the_dashboard(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await drill_into_pipeline_and_open_a_customer(app, pilot)
        await pilot.press("f3", "f5")
        await settle(app, pilot)
        assert isinstance(app.screen, PipelineScreen)
        assert "As of 2026-03-18" in screen_text(app)
        await drill_into_pipeline_and_open_a_customer(app, pilot)
        await pilot.press("f5")  # on the screen's own key too
        await settle(app, pilot)
        assert isinstance(app.screen, PipelineScreen)


async def test_an_f_key_never_closes_a_form_with_typed_text(app):
    cust = f.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        await type_text(pilot, "half a note")
        await pilot.press("f3", "f2")
        await settle(app, pilot)
        assert isinstance(app.screen, ConversationForm)
        assert app.screen.query_one("#note", TextArea).text == "half a note"


async def test_the_drill_down_list_is_fresh_after_moving_a_customer(app):
    make_shop()
    async with app.run_test(size=(80, 24)) as pilot:
        await drill_into_pipeline_and_open_a_customer(app, pilot)
        opened = app.screen.customer_id
        f.conversation(f.Customer.get_by_id(opened), "2026-03-18", stage_name="Won")
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, PipelineCustomers)
        assert "1 row" in screen_text(app)
        assert [row.customer_id for row in app.screen.rows] != [] and opened not in [
            row.customer_id for row in app.screen.rows
        ]


async def test_a_failed_drill_down_keeps_the_dashboard_summary(app, monkeypatch):
    import storage.reporting.pipeline_customers
    from storage.errors import RapportError

    make_shop()

    def broken(*args):
        raise RapportError("database is locked")

    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        monkeypatch.setattr(storage.reporting.pipeline_customers, "metric_customers", broken)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, PipelineScreen)
        assert "As of 2026-03-18 · closed any time · everyone" in screen_text(app)
        assert "not computed" not in screen_text(app)
        shown = [n.message for n in app._notifications if n.message != "Loading…"]  # (a slow moment)
        assert shown == ["Customers not listed: database is locked"]


async def test_ctrl_n_in_an_open_conversation_form_opens_no_second_form(app):
    f.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n", "enter")  # quick add, the highlighted customer
        await settle(app, pilot)
        assert isinstance(app.screen, ConversationForm)
        depth = len(app.screen_stack)
        await pilot.press("tab", "ctrl+n")
        await settle(app, pilot)
        assert len(app.screen_stack) == depth and isinstance(app.screen, ConversationForm)
        assert app.focused is app.screen.query_one("#note", TextArea)
        assert sum(isinstance(s, ConversationForm) for s in app.screen_stack) == 1


async def test_an_inline_error_goes_as_soon_as_the_field_is_corrected(app):
    cust = f.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(cust.id))
        await pilot.pause()
        await type_text(pilot, "call")
        form = app.screen
        form.query_one("#time_begin", Input).value = "10:00"
        form.query_one("#time_end", Input).value = "09:15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Time End is before Time Begin" in screen_text(app)
        assert app.focused is form.query_one("#time_end", Input)
        await pilot.press("end", "backspace", "backspace")  # "09:": still wrong, says why
        await pilot.pause()
        assert "Time End: " in screen_text(app)
        await type_text(pilot, "59")
        await pilot.pause()
        assert "Time End is before Time Begin" in screen_text(app)
        await pilot.press("home", "delete", "delete")
        await type_text(pilot, "11")  # 11:59
        await pilot.pause()
        assert "Time End" not in screen_text(app)


async def test_a_drill_down_that_arrives_after_the_user_left_is_not_pushed(app, monkeypatch):
    import threading

    import storage.reporting.pipeline_customers

    make_shop()
    release = threading.Event()
    real = storage.reporting.pipeline_customers.metric_customers

    def slow(*args):
        release.wait(10)
        return real(*args)

    async with app.run_test(size=(80, 24)) as pilot:
        await open_dashboard(app, pilot)
        monkeypatch.setattr(storage.reporting.pipeline_customers, "metric_customers", slow)
        keys_without_waiting_for_database_work(monkeypatch)  # (the drill-down is held up)
        await pilot.press("enter", "f3")
        await wait_until(pilot, lambda: app.current_mode == "followups", "F3 while the drill-down is on its way")
        release.set()
        await dbwork.wait_idle()
        await settle(app, pilot)
        assert app.current_mode == "followups" and len(app.screen_stack) == 1
        await pilot.press("f5")
        await settle(app, pilot)
        assert isinstance(app.screen, PipelineScreen)
        assert not any(isinstance(s, PipelineCustomers) for s in app.screen_stack)

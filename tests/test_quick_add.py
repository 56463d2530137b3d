"""Quick add (ctrl+n) from the Customers screen, from inside its search input, and from a
customer's form, with real key presses at 80x24."""

from __future__ import annotations

from screens.conversation_form import ConversationForm
from screens.customers import CustomersScreen
from screens.quick_add import QuickAddScreen
from storage.db.models import Conversation
from tests import factories
from tests.conftest import TODAY
from tests.tui_helpers import screen_text, type_text


async def pressed(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def assert_logged(customer, note: str) -> None:
    conv = Conversation.get(Conversation.note == note)
    assert conv.customer_id == customer.id
    assert (conv.employee.login, conv.date) == ("tester", TODAY)
    assert conv.time_begin is not None and conv.time_end is not None


async def test_quick_add_from_the_customers_screen_preselects_the_highlighted(app):
    factories.customer("Acme")
    beta = factories.customer("Beta")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        customers = app.screen
        assert isinstance(customers, CustomersScreen)
        customers.table.focus()
        await pressed(pilot, "down")
        assert customers.highlighted_customer_id == beta.id
        await pressed(pilot, "ctrl+n")
        assert isinstance(app.screen, QuickAddScreen)
        await pressed(pilot, "enter")
        form = app.screen
        assert isinstance(form, ConversationForm) and form.customer_id == beta.id
        assert app.focused is form.query_one("#note")
        await type_text(pilot, "Rang about the order")
        await pressed(pilot, "ctrl+s")
        assert app.screen is customers
        assert app.focused is customers.table
        assert "Conversation saved for Beta." in [n.message for n in app._notifications]
    assert_logged(beta, "Rang about the order")


async def test_quick_add_from_inside_the_search_input(app):
    factories.customer("Acme")
    gamma = factories.customer("Gamma")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        customers = app.screen
        customers.search.focus()
        await type_text(pilot, "xyz")
        await pressed(pilot, "ctrl+n")
        assert isinstance(app.screen, QuickAddScreen)
        assert "Quick add" in screen_text(app)
        await type_text(pilot, "gam")
        await pressed(pilot, "enter")
        assert app.screen.customer_id == gamma.id
        await type_text(pilot, "Quick one")
        await pressed(pilot, "ctrl+s")
        assert app.screen is customers
        assert app.focused is customers.search
        assert customers.search.value == "xyz"
    assert_logged(gamma, "Quick one")


async def test_quick_add_on_a_customer_form_is_for_that_customer(app):
    from screens.customer_form import CustomerForm

    factories.customer("Acme")
    delta = factories.customer("Delta")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(CustomerForm(delta.id))
        await pilot.pause()
        customer_form = app.screen
        await pressed(pilot, "ctrl+n")
        assert isinstance(app.screen, ConversationForm) and app.screen.customer_id == delta.id
        await type_text(pilot, "On the form")
        await pressed(pilot, "ctrl+s")
        assert app.screen is customer_form
    assert_logged(delta, "On the form")


async def test_escape_in_quick_add_asks_before_dropping_typed_text(app):
    acme = factories.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        customers = app.screen
        await pressed(pilot, "ctrl+n", "enter")
        await type_text(pilot, "typed")
        await pressed(pilot, "escape")
        assert "Discard" in screen_text(app)
        await pressed(pilot, "n")  # no: keep typing
        assert isinstance(app.screen, ConversationForm)
        await pressed(pilot, "escape", "y")
        assert app.screen is customers
    assert Conversation.select().count() == 0
    assert acme.id


async def test_arrows_move_the_picker_while_typing_and_ctrl_n_twice_opens_one(app):
    factories.customer("Acme")
    beta = factories.customer("Beta")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pressed(pilot, "ctrl+n", "ctrl+n")
        assert sum(isinstance(s, QuickAddScreen) for s in app.screen_stack) == 1
        await pressed(pilot, "down", "enter")
        assert isinstance(app.screen, ConversationForm) and app.screen.customer_id == beta.id


async def test_enter_typed_before_the_filtered_rows_arrive_chooses_once_they_do(app, monkeypatch):
    """ctrl+n, a few letters, enter and the note typed in one burst while the database is slow
    to answer the filter: enter chooses the customer the rows show, and the note goes to the
    conversation form, not into the filter."""
    import threading

    from screens.quick_add import PickerRows
    from tests.tui_helpers import keys_without_waiting_for_database_work, wait_until

    factories.customer("Acme")
    beta = factories.customer("Beta Logistics")
    answer = threading.Event()
    count = PickerRows.count

    def slow_count(self):  # the filter's rows take a while to come
        answer.wait(10)
        return count(self)

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await wait_until(pilot, lambda: isinstance(app.screen, QuickAddScreen), "the picker")
        monkeypatch.setattr(PickerRows, "count", slow_count)
        keys_without_waiting_for_database_work(monkeypatch)
        await pilot.press(*"Beta", "enter", *"quote sent")
        answer.set()
        await wait_until(pilot, lambda: isinstance(app.screen, ConversationForm), "the conversation form")
        await wait_until(
            pilot, lambda: [a.text for a in app.screen.query("#note")] == ["quote sent"], "the note typed ahead"
        )
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Conversation.select().count() == 1, "the conversation saved")
    assert_logged(beta, "quote sent")

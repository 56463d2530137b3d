"""Opening a customer shows General as a read-only card; e swaps in the editable fields.
The tabs are a TabStrip: 1-4, left/right and ctrl+t switch them; a new customer's other tabs
are disabled until it is saved. Driven by real keys at 80x24."""

from __future__ import annotations

from textual.widgets import Input

from screens.customer_form import CustomerForm
from screens.customers import CustomersScreen
from storage.db.models import Customer
from tests import factories as f
from tests.screen_text import screen_text
from tests.tui_helpers import drafted_customer, drafts_offered, wait_until
from tui.widgets.customer_card import CustomerCard
from tui.widgets.tab_strip import TabStrip


async def open_first_customer(app, pilot) -> CustomerForm:
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    form = app.screen
    assert isinstance(form, CustomerForm)
    return form


async def test_open_shows_a_card_and_e_edits(app):
    cust = f.customer(
        "Acme [b]Ltd[/b]",
        number="A-1",
        phone="030 1234",
        notes="first line\nsecond [link=x]line\x1b[2J",
        address="Hauptstr. 1\n10115 Berlin",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_first_customer(app, pilot)
        assert form.query(CustomerCard) and not form.query(Input)  # nothing editable yet
        shown = screen_text(app)
        for text in (
            "A-1  Acme [b]Ltd[/b]",
            "030 1234",
            "Hauptstr. 1",
            "10115 Berlin",
            "first line",
            "second [link=x]line\u241b[2J",
            "Archived  no",
        ):
            assert text in shown, text
        assert "\x1b" not in shown
        assert "e Edit" in shown and "Save" not in shown  # the footer offers e, not ctrl+s
        await pilot.press("ctrl+s")  # nothing can be typed on the card: nothing happens
        await pilot.pause()
        assert form.query(CustomerCard) and app.screen is form
        await pilot.press("e")
        await pilot.pause()
        assert not form.query(CustomerCard)
        name = form.query_one("#customer-name", Input)
        assert app.focused is name and name.value == "Acme [b]Ltd[/b]"
        assert "Save" in screen_text(app) and "e Edit" not in screen_text(app)
        assert form.query_one("#customer-notes").text == "first line\nsecond [link=x]line\x1b[2J"
        await pilot.press("end", "space", "x", "ctrl+s")
        await pilot.pause()
        assert Customer.get_by_id(cust.id).name == "Acme [b]Ltd[/b] x"
        assert Customer.get_by_id(cust.id).notes == "first line\nsecond [link=x]line\x1b[2J"
        await pilot.press("escape")  # saved: closes without asking
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)


async def test_escape_on_the_card_closes_at_once_and_nothing_changes(app):
    cust = f.customer("Plain", number="P-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_customer(app, pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.get_by_id(cust.id).name == "Plain"


async def test_card_shows_what_another_session_saved_when_the_form_comes_back(app):
    cust = f.customer("Before", number="B-1")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_first_customer(app, pilot)
        await pilot.press("3")
        await wait_until(
            pilot, lambda: app.focused is form.query_one("#conversations-table"), "the conversations list focused"
        )
        await pilot.press("n")  # a new conversation on top of the form
        await wait_until(pilot, lambda: app.screen is not form, "the conversation form")
        Customer.update(name="After").where(Customer.id == cust.id).execute()  # another session
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is form
        await pilot.press("1")
        await pilot.pause()
        assert "After" in screen_text(app)


async def test_tabs_switch_with_digits_arrows_and_ctrl_t(app):
    cust = f.customer("Tabs Ltd", number="T-1")
    f.conversation(cust, "2026-03-01", note="a note on the third tab")
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_first_customer(app, pilot)
        strip = form.query_one(TabStrip)
        assert app.focused is strip and strip.active == "tab-general"
        await pilot.press("right")
        await pilot.pause()
        assert strip.active == "tab-contacts" and form.query_one("#tab-contacts").display
        await pilot.press("3")
        await pilot.pause()
        assert strip.active == "tab-conversations"
        assert "a note on the third tab" in screen_text(app)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert strip.active == "tab-pipeline"
        assert not form.query_one("#tab-conversations").display
        await pilot.press("1")
        await pilot.pause()
        strip.focus()
        await pilot.press("left")  # wraps round to the last tab
        await pilot.pause()
        assert strip.active == "tab-pipeline"


async def test_new_customer_tabs_stay_disabled_until_saved(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        strip = form.query_one(TabStrip)
        assert strip.disabled_tabs == {"tab-contacts", "tab-conversations", "tab-pipeline"}
        strip.focus()
        await pilot.press("right")
        await pilot.pause()
        assert strip.active == "tab-general"  # nothing else to go to
        await pilot.click(TabStrip, offset=(20, 0))  # a click on a disabled tab does nothing
        await pilot.pause()
        assert strip.active == "tab-general"
        form.query_one("#customer-name", Input).focus()
        await pilot.press("N", "e", "w", "ctrl+s")
        await pilot.pause()
        assert Customer.get(Customer.name == "New")
        assert strip.disabled_tabs == set()
        await pilot.press("right")
        await pilot.pause()
        assert strip.active == "tab-contacts"


async def test_a_customer_saved_from_a_draft_offered_at_start_shows_in_the_list(app):

    f.customer("Existing", number="E-1")
    drafted_customer("D-1", "Drafted Ltd")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: drafts_offered(app), "the drafts offered")
        await pilot.press("enter")  # restore the draft offered at start
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), "the restored form")
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        assert "Drafted Ltd" in screen_text(app) and "Existing" in screen_text(app)


async def test_keys_typed_right_after_a_tab_digit_reach_that_tab(app):
    """On an open customer, "3", "n", a note and ctrl+s arriving in one burst (a paste, a fast
    typist over SSH): n reaches the Conversations list once it has the focus, and the note is
    saved, nothing typed lost."""
    from textual import events

    from storage.db.models import Conversation

    acme = f.customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(CustomerForm(acme.id))
        await wait_until(pilot, lambda: isinstance(app.focused, TabStrip), "the customer's card")
        for key, char in [("3", "3"), ("n", "n"), *[(c, c) for c in "burst"], ("ctrl+s", None)]:
            app.post_message(events.Key(key, char))  # all at once, before any is handled
        await wait_until(
            pilot,
            lambda: Conversation.select().where(Conversation.note == "burst").exists(),
            "the conversation typed after 3 n saved",
        )

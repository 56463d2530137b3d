"""The Customers screen and the customer form, driven by real key presses at 80x24."""

from __future__ import annotations

from textual.widgets import Input

from screens.confirm import ConfirmScreen
from screens.customer_form import CustomerForm
from screens.customers import CustomersScreen
from screens.help import HelpScreen
from storage.db.models import Contact, Customer
from storage.records import customers
from tests import factories as f
from tests.screen_text import screen_text
from tui.widgets.paged_table import PagedTable

NASTY_NAME = "[bold]x[/]"
NASTY_NOTE = "closing [/] tag [link=x]y \x1b[31mred"


async def type_text(pilot, text: str) -> None:
    await pilot.press(*[c if c != " " else "space" for c in text])


def table(app) -> PagedTable:
    return app.screen.query_one("#customer-table", PagedTable)


async def test_search_by_part_of_a_contact_phone(app):
    f.customer("Alpha Ltd", number="A-1")
    gamma = f.customer("Gamma Ltd", number="G-1")
    customers.save_contact(gamma.id, {"name": "Hildegard Vogel", "phone": "0711 / 44 55 66"})
    f.customer("Zeta Ltd", number="Z-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert table(app).row_count == 3
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await type_text(pilot, "4455")
        await pilot.pause()
        assert table(app).row_count == 1
        assert table(app).cursor_row_id == gamma.id
        shown = screen_text(app)
        assert "Gamma Ltd" in shown and "Alpha Ltd" not in shown
        await pilot.press("down", "enter")  # down leaves the search, enter opens
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm) and app.screen.customer_id == gamma.id
        assert "G-1  Gamma Ltd" in screen_text(app)


async def test_new_customer_validation_keeps_typed_text(app):
    f.customer("Existing", number="N-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        form.query_one("#customer-number", Input).value = ""
        await pilot.press("tab")  # from Name to Phone
        await type_text(pilot, "030 1234")
        await pilot.press("ctrl+s")
        await pilot.pause()
        shown = screen_text(app)
        assert "Name is required." in shown and "Number is required." in shown
        assert form.query_one("#customer-phone", Input).value == "030 1234"
        assert Customer.select().count() == 1
        # The focus is on the first bad field; typing there keeps what was typed elsewhere.
        assert app.focused is form.query_one("#customer-number", Input)
        await type_text(pilot, "n-1")
        await pilot.press("tab")
        await type_text(pilot, "New Co")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "already used" in screen_text(app)
        assert Customer.select().count() == 1
        assert form.query_one("#customer-name", Input).value == "New Co"
        assert app.focused is form.query_one("#customer-number", Input)
        await pilot.press("end", "backspace", "backspace", "backspace")
        await type_text(pilot, "N-2")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = Customer.get(Customer.number == "N-2")
        assert (saved.name, saved.phone) == ("New Co", "030 1234")
        assert "N-2  New Co" in screen_text(app)
        # Saved: 2 goes straight to Contacts; n adds one through the small form.
        await pilot.press("2")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Ann Buyer")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [c.name for c in Contact.select().where(Contact.customer == saved.id)] == ["Ann Buyer"]
        assert "Ann Buyer" in screen_text(app)
        await pilot.press("escape")  # nothing unsaved: straight back to the list
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        assert table(app).cursor_row_id == saved.id
        assert "Ann Buyer" in screen_text(app)


async def test_escape_on_a_dirty_form_asks_first(app):
    cust = f.customer("Acme", number="A-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await type_text(pilot, " Corp")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Discard" in screen_text(app)
        await pilot.press("n")  # keep typing
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm)
        assert app.screen.query_one("#customer-name", Input).value == "Acme Corp"
        await pilot.press("escape", "y")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        assert Customer.get_by_id(cust.id).name == "Acme"


async def test_user_text_is_shown_literally_in_list_and_form(app):
    cust = f.customer(NASTY_NAME, number="[/]", notes=NASTY_NOTE, phone="\x1b[2J")
    customers.save_contact(cust.id, {"name": NASTY_NOTE})
    f.conversation(cust, "2026-03-01", stage_name="Proposal", note=NASTY_NOTE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = screen_text(app)
        assert NASTY_NAME in shown and "Proposal" in shown
        await pilot.press("enter")
        await pilot.pause()
        shown = screen_text(app)
        assert f"[/]  {NASTY_NAME}" in shown
        assert "closing [/] tag [link=x]y" in shown
        for tab in ("2", "3", "4"):  # digits switch tabs; each tab focuses its list
            await pilot.press(tab)
            await pilot.pause()
            assert "\x1b" not in screen_text(app)
            if tab == "3":
                assert "closing [/] tag" in screen_text(app)  # the conversations table
        assert "closing [/] tag [link=x]y" in screen_text(app)  # the note on the Pipeline tab


async def test_f1_lists_the_keys(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "This screen: Customers" in shown
        assert "New" in shown and "Edit" in shown and "Open" in shown
        assert "Scroll Left" not in shown  # Textual's own keys stay out
        pages = [shown]
        for key in ("pagedown", "pagedown", "end"):  # it scrolls
            await pilot.press(key)
            await pilot.pause()
            pages.append(screen_text(app))
        everything = "\n".join(pages)
        for expected in ("Everywhere", "Quick add", "Follow-ups", "In every list", "In every form"):
            assert expected in everything
        assert "snooze" not in everything.lower()  # the Follow-ups list's keys, not this one's
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)


async def test_palette_lists_global_and_screen_actions(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for name in (
            "Customers",
            "Follow-ups",
            "Quick add conversation",
            "New customer",
            "Help: all keys",
            "Customers: Edit (e)",
        ):
            assert name in titles
        new_customer = next(c for c in app.get_system_commands(app.screen) if c.title == "New customer")
        await new_customer.callback()
        await pilot.pause()
        assert isinstance(app.screen, CustomerForm) and app.screen.customer_id is None


async def test_typed_customer_text_is_kept_as_a_draft_and_restored(app):
    from screens import customer_form
    from storage.records import drafts

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        await type_text(pilot, "Half typed")
        app.screen.flush_draft()  # what SIGHUP, SIGTERM and quit do
        [draft] = drafts.pending("tester")
        assert draft.form == "customer" and draft.values["name"] == "Half typed"
        await pilot.press("escape", "y")  # discard: the draft goes too
        await pilot.pause()
        assert drafts.pending("tester") == []
        customer_form.restore_draft(app, draft)  # as the drafts screen does on restore
        await pilot.pause()
        form = app.screen
        assert isinstance(form, CustomerForm)
        assert form.query_one("#customer-name", Input).value == "Half typed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert Customer.get(Customer.name == "Half typed")
        assert drafts.pending("tester") == []

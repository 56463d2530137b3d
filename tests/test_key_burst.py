"""Keys that arrive in one burst (a fast typist over SSH, a paste, tmux send-keys) are
handled in order: text typed after tab goes to the next field, and ctrl+s saves every
character typed before it."""

from __future__ import annotations

import unicodedata

from textual import events
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from screens.customer_form import CustomerForm
from storage.db.models import Contact, Customer
from tests.factories import customer
from tests.tui_helpers import wait_until
from tui.widgets.paged_table import PagedTable


def key_event(key: str) -> events.Key:
    """The event Textual's driver makes for ``key`` (as Pilot.press does)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


def burst(app, *parts: str) -> None:
    """Send every key at once, without waiting between them: strings are typed character by
    character, names in angle brackets (<tab>, <ctrl+s>) are single keys."""
    for part in parts:
        keys = [part[1:-1]] if part.startswith("<") and part.endswith(">") else list(part)
        for key in keys:
            event = key_event(key)
            event.set_sender(app)
            app._driver.send_message(event)


async def test_a_burst_across_fields_and_a_save_loses_nothing(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")  # new customer: the cursor is in Name
        await wait_until(pilot, lambda: getattr(app.focused, "id", "") == "customer-name")
        burst(app, "Acme [bold]GmbH[/]", "<tab>", "+49 30 1234567", "<ctrl+s>")
        await wait_until(pilot, lambda: Customer.select().exists(), what="the save")
        saved = Customer.get()
        assert (saved.name, saved.phone) == ("Acme [bold]GmbH[/]", "+49 30 1234567")


async def test_a_burst_in_the_contact_form(app):
    acme = customer("Acme")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(
            pilot,
            lambda: isinstance(app.focused, PagedTable) and app.focused.cursor_row_id == acme.id,
            "the customers list",
        )
        await pilot.press("enter", "2")
        await wait_until(
            pilot,
            lambda: (
                isinstance(app.screen, CustomerForm)
                and app.focused is not None
                and any(node.id == "contacts-pane" for node in app.focused.ancestors_with_self)
            ),
            "the Contacts tab's list, focused",
        )
        await pilot.press("n")
        await wait_until(pilot, lambda: getattr(app.focused, "id", "") == "contact-name")
        burst(app, "Jana Nováková", "<tab>", "Buyer", "<tab>", "+420 777 888 999", "<ctrl+s>")
        await wait_until(pilot, lambda: Contact.select().exists(), what="the save")
        contact = Contact.get(Contact.customer == acme)
        assert (contact.name, contact.role, contact.phone) == ("Jana Nováková", "Buyer", "+420 777 888 999")


async def test_keys_typed_right_after_the_key_that_opens_a_form_reach_it(app):
    """n opens the new-customer form; the name typed at once, in the same burst, is not
    lost however long the form takes to open (docs/screens.md#keyboard-and-ssh type-ahead)."""
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_until(pilot, lambda: app.screen.query("PagedTable"), what="the customers list")
        burst(app, "n", "Quick Typist AG", "<tab>", "+41 1", "<ctrl+s>")
        await wait_until(pilot, lambda: Customer.select().exists(), what="the save")
        saved = Customer.get()
        assert (saved.name, saved.phone) == ("Quick Typist AG", "+41 1")

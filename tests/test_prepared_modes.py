"""Main screens are prepared in the background after the first frame (docs/performance.md first-time
switches): every mode's screen is mounted before its key is pressed, and switching to it then
shows that same screen. Uses Textual's private ``_init_mode``/``_screen_stacks`` (tui/app.py):
this test fails loudly when Textual changes them."""

from __future__ import annotations

from tests.tui_helpers import wait_until


async def test_every_main_screen_is_prepared_and_reused(app):
    app.PREPARE_AFTER = 0.3  # as in the real app (tests/conftest.py turns it off)
    async with app.run_test(size=(120, 40)) as pilot:

        def prepared_all() -> bool:
            stacks = app._screen_stacks
            return set(stacks) >= set(app.MODES) and all(stacks[mode][0].is_mounted for mode in app.MODES)

        await wait_until(pilot, prepared_all, timeout=60, what="every main screen prepared and mounted")
        prepared = {mode: app._screen_stacks[mode][0] for mode in app.MODES}
        assert all(screen.is_mounted for screen in prepared.values())
        # Styled as they mounted: showing one does not restyle the whole app first.
        assert all(screen._css_update_count == app._css_update_count for screen in prepared.values())
        assert app.current_mode == "customers"
        for mode in app.MODES:
            await app.switch_mode(mode)
            # Shown at once: no update held back (Textual's delay_update after a switch)
            assert app._batch_count == 0
            await pilot.pause()
            assert app.screen is prepared[mode]


SPARES = {"_spare conversation", "_spare customer", "_spare contact", "_spare booking"}


async def test_the_forms_opened_most_are_built_in_the_background(app):
    """After the main screens, one of each form opened most is kept built out of sight (tui/app.py
    spares): their stylesheets are loaded, no draft is written, and n shows the customer form
    kept, with a number suggested as it opens."""
    from screens.conversation_form import ConversationForm
    from screens.customer_form import CustomerForm
    from storage.db.models import Draft
    from tui.widgets.draft_keeper import LIVE_FORMS

    app.PREPARE_AFTER = 0.3
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.prepared, timeout=60, what="the forms built once")
        assert set(app._screen_stacks) - set(app.MODES) == SPARES
        for form in (CustomerForm, ConversationForm):
            assert app.stylesheet.has_source(str(form.CSS_PATH), "")
        spares = {app._screen_stacks[mode][0] for mode in SPARES}
        assert set(LIVE_FORMS) == spares and Draft.select().count() == 0
        spare = app._screen_stacks["_spare customer"][0]
        assert spare.query_one("#customer-number").value == ""  # (read when it opens)
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen is spare, what="the customer form kept")
        assert spare.customer_id is None and app.focused.id == "customer-name"
        assert spare.query_one("#customer-number").value == "1"
        search = app._screen_stacks["search"][0]  # laid out and drawn while hidden: shown
        drawn = []  # (it reloads nothing when shown), its widgets render nothing anew (but
        for widget in search.walk_children():  # the keys of the footer)
            if "Footer" in {type(node).__name__ for node in (widget, *widget.ancestors)}:
                continue
            widget.render = lambda original=widget.render: drawn.append(original) or original()
        await pilot.press("escape", "f9")
        await wait_until(pilot, lambda: app.screen is search, what="the search screen")
        await pilot.pause()
        assert drawn == []


async def test_the_customer_form_kept_takes_a_new_customer_then_an_existing_one(app):
    """n shows the customer form kept built: the keys typed right after it land in its fields
    in order and it saves; closed, it is kept again, and e on another customer shows that
    customer in it (nothing left of the first, its tabs enabled) and saves the change to it."""
    from screens.customer_form import CustomerForm
    from storage.db.models import Customer
    from tests import factories

    app.PREPARE_AFTER = 0.3
    factories.customer("Taken", number="1", phone="111", notes="first line\nsecond")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.prepared, timeout=60, what="everything prepared")
        spare = app._screen_stacks["_spare customer"][0]
        await pilot.press("n", *"Acme", "tab", *"555")
        await wait_until(
            pilot,
            lambda: app.focused is not None and app.focused.id == "customer-phone" and app.focused.value == "555",
            what="the keys typed",
        )
        assert app.screen is spare
        assert spare.query_one("#customer-name").value == "Acme"
        assert spare.query_one("#customer-number").value == "2"
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: Customer.select().where(Customer.name == "Acme").exists(), what="the customer saved"
        )
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, CustomerForm), what="the form closed")
        second = app._screen_stacks["_spare customer"][0]
        assert second is spare  # (tui/forms.py SpareForm)
        app.screen.table.select_row_id(Customer.get(Customer.name == "Taken").id)
        await pilot.press("e", "end", *" Ltd")
        await wait_until(pilot, lambda: app.screen is second, what="the second form kept")
        await wait_until(pilot, lambda: second.query_one("#customer-name").value == "Taken Ltd", what="the keys")
        assert second.query_one("#customer-phone").value == "111"
        assert second.query_one("#customer-notes").text == "first line\nsecond"
        assert second.title.endswith("Taken") and not second.tabs.disabled_tabs
        assert second.has_unsaved_changes()  # " Ltd" typed
        await pilot.press("ctrl+s")
        await wait_until(
            pilot, lambda: Customer.get(Customer.number == "1").name == "Taken Ltd", what="the change saved"
        )
        assert Customer.select().count() == 2


async def test_the_conversation_form_kept_takes_an_edit_and_a_new_one(app):
    """e on a conversation shows the conversation form kept built, filled with it (its
    inactive topic offered and kept); the keys typed after e land in the note; closed, the
    form is kept again, and n shows a new conversation in it, with the employee's default
    topic and nothing left of the edit."""
    from screens.conversation_form import ConversationForm
    from storage.db.models import Conversation, Employee, Topic
    from tests import factories

    app.PREPARE_AFTER = 0.3
    acme = factories.customer("Acme")
    old_topic = factories.topic("Complaint")
    conv = factories.conversation(acme, "2026-03-01", note="Called", topic=old_topic)
    Topic.update(active=False).where(Topic.id == old_topic.id).execute()
    default = Topic.select().where(Topic.active == True).order_by(Topic.id.desc()).first()  # noqa: E712
    Employee.update(default_topic=default).execute()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.prepared, timeout=60, what="everything prepared")
        spare = app._screen_stacks["_spare conversation"][0]
        await pilot.press("enter", "3")
        await wait_until(pilot, lambda: app.screen.query("ConversationsPanel PagedTable"), what="the conversations")
        table = app.screen.query_one("ConversationsPanel PagedTable")
        await wait_until(pilot, lambda: table.cursor_row_id == conv.id, what="the conversation highlighted")
        await pilot.press("e", "end", *" back")
        await wait_until(pilot, lambda: app.screen is spare, what="the conversation form kept")
        await wait_until(pilot, lambda: spare.query_one("#note").text == "Called back", what="the keys typed")
        assert "Edit conversation — Acme" in str(spare.query_one("#form-title").render())
        assert spare.query_one("#topic").value == old_topic.id
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Conversation.get_by_id(conv.id).note == "Called back", what="the save")
        assert Conversation.get_by_id(conv.id).topic_id == old_topic.id
        second = app._screen_stacks["_spare conversation"][0]
        assert second is spare  # (tui/forms.py SpareForm)
        await pilot.press("n", *"New one")
        await wait_until(pilot, lambda: app.screen is second, what="the second form kept")
        await wait_until(pilot, lambda: second.query_one("#note").text == "New one", what="the keys typed")
        assert "New conversation — Acme" in str(second.query_one("#form-title").render())
        assert second.query_one("#topic").value == default.id
        assert [second.query_one(f"#{name}").value for name in ("date", "time_begin")] != ["2026-03-01", ""]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: Conversation.select().count() == 2, what="the new conversation")
        new = Conversation.select().order_by(Conversation.id.desc()).first()
        assert (new.note, new.customer_id, new.topic_id) == ("New one", acme.id, default.id)
        assert not isinstance(app.screen, ConversationForm)

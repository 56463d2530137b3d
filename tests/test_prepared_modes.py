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
            await pilot.pause()
            assert app.screen is prepared[mode]


async def test_the_forms_opened_most_are_built_in_the_background(app):
    """After the main screens, a conversation form is built out of sight and dropped (tui/app.py
    specimens) and a new customer's form kept (spares): their stylesheets are loaded, nothing
    else of them is left, no draft is written, and n opens the customer form."""
    from screens.conversation_form import ConversationForm
    from screens.customer_form import CustomerForm
    from storage.db.models import Draft
    from tui.widgets.draft_keeper import LIVE_FORMS

    app.PREPARE_AFTER = 0.3
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.prepared, timeout=60, what="the forms built once")
        assert set(app._screen_stacks) - set(app.MODES) == {"_spare new customer"}  # (below)
        for form in (CustomerForm, ConversationForm):
            assert app.stylesheet.has_source(str(form.CSS_PATH), "")
        spare = app._screen_stacks["_spare new customer"][0]
        assert set(LIVE_FORMS) == {spare} and Draft.select().count() == 0
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the customer form")
        assert app.screen.customer_id is None and app.focused.id == "customer-name"
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


async def test_a_spare_new_customer_form_takes_the_keys_typed_after_n(app):
    """n shows the new customer's form kept built (tui/app.py spares): the keys typed right
    after it land in its fields in order, its number is suggested afresh (another customer
    took the one it was built with), it saves, and the next n gets a new form."""
    from screens.customer_form import CustomerForm
    from storage.db.models import Customer
    from tests import factories

    app.PREPARE_AFTER = 0.3
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.prepared, timeout=60, what="everything prepared")
        spare = app._screen_stacks["_spare new customer"][0]
        assert spare.query_one("#customer-number").value == "1"
        factories.customer("Taken", number="1")
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
        stack = app._screen_stacks["_spare new customer"]
        await wait_until(pilot, lambda: stack and stack[0].is_mounted, what="a new spare")
        assert stack[0] is not spare and stack[0].query_one("#customer-number").value == "3"

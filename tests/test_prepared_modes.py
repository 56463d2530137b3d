"""Main screens are prepared in the background after the first frame (docs/performance.md first-time
switches): every mode's screen is mounted before its key is pressed, and switching to it then
shows that same screen. Uses Textual's private ``_init_mode``/``_screen_stacks`` (tui/app.py):
this test fails loudly when Textual changes them."""

from __future__ import annotations

from tests.tui_helpers import wait_until


async def test_every_main_screen_is_prepared_and_reused(app):
    app.PREPARE_AFTER = 0.3  # as in the real app (tests/conftest.py turns it off)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: set(app._screen_stacks) >= set(app.MODES), timeout=60,
                         what="every main screen prepared")
        prepared = {mode: app._screen_stacks[mode][0] for mode in app.MODES}
        assert all(screen.is_mounted for screen in prepared.values())
        # Styled as they mounted: showing one does not restyle the whole app first.
        assert all(screen._css_update_count == app._css_update_count for screen in prepared.values())
        assert app.current_mode == "customers"
        for mode in app.MODES:
            await app.switch_mode(mode)
            await pilot.pause()
            assert app.screen is prepared[mode]


async def test_the_forms_opened_most_are_built_once_and_dropped(app):
    """After the main screens, a customer and a conversation form are built out of sight and
    dropped (tui/app.py specimens): their stylesheets are loaded, nothing of them is left, no
    draft is written, and a key meanwhile still opens the real form."""
    from screens.conversation_form import ConversationForm
    from screens.customer_form import CustomerForm
    from storage.db.models import Draft
    from tui.widgets.draft_keeper import LIVE_FORMS

    app.PREPARE_AFTER = 0.3
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: app.prepared, timeout=60, what="the forms built once")
        assert set(app._screen_stacks) == set(app.MODES)
        for form in (CustomerForm, ConversationForm):
            assert app.stylesheet.has_source(str(form.CSS_PATH), "")
        assert not list(LIVE_FORMS) and Draft.select().count() == 0
        await pilot.press("n")
        await wait_until(pilot, lambda: isinstance(app.screen, CustomerForm), what="the customer form")
        assert app.screen.customer_id is None and app.focused.id == "customer-name"

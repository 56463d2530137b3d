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
        assert app.current_mode == "customers"
        for mode in app.MODES:
            await app.switch_mode(mode)
            await pilot.pause()
            assert app.screen is prepared[mode]

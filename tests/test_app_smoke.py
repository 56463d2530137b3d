"""The app starts on the Customers screen and every main screen opens by its key."""

from __future__ import annotations

from screens.customers import CustomersScreen
from tests import factories


async def test_app_starts_and_lists_customers(app):
    factories.customer("[bold]x[/]", number="N-1")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)
        for key in ("f3", "f4", "f5", "f6", "f7", "f2"):
            await pilot.press(key)
            await pilot.pause()
        assert isinstance(app.screen, CustomersScreen)

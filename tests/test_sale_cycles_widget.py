"""The customer form's sale cycles widget: start, close, outcome, days and stages, newest
first, as the docs/reports.md#pipeline definition cuts them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

from tests import factories as f
from tests.tui_helpers import screen_text, wait_until
from tui.widgets.sale_cycles import SaleCycles


class CyclesHost(Screen):
    def __init__(self, customer_id: int | None) -> None:
        super().__init__()
        self.customer_id = customer_id

    def compose(self) -> ComposeResult:
        yield SaleCycles(self.customer_id)
        yield Footer()


async def test_cycles_are_listed_newest_first(app):
    alpha = f.customer("Alpha")
    f.conversation(alpha, "2025-01-10", stage_name="Initial contact")
    f.conversation(alpha, "2025-01-20", stage_name="Initial contact")
    f.conversation(alpha, "2025-02-01", stage_name="Proposal")
    f.conversation(alpha, "2025-03-01", stage_name="Won")
    f.conversation(alpha, "2025-06-01", stage_name="Not qualified")
    f.conversation(alpha, "2026-03-08", stage_name="Qualifying")
    f.conversation(alpha, "2026-03-20", stage_name="Lost")  # after D: not yet
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CyclesHost(alpha.id))
        await wait_until(pilot, lambda: "2025-01-10" in screen_text(app), "the cycles")
        lines = screen_text(app).splitlines()
        assert "3 sale cycles: 1 won, 1 closed, 1 open" in lines[0]
        body = [line.split() for line in lines[2:5]]
        assert body[0][:4] == ["2026-03-08", "open", "open", "10"]
        assert body[1][:4] == ["2025-06-01", "2025-06-01", "closed", "0"]
        assert body[2][:4] == ["2025-01-10", "2025-03-01", "won", "50"]
        assert "Initial contact → Proposal → Won" in lines[4]


async def test_no_cycles_and_unsaved_customer(app):
    bravo = f.customer("Bravo")
    f.conversation(bravo, "2026-03-01")
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(CyclesHost(bravo.id))
        await pilot.pause()
        assert "No sale cycles yet" in screen_text(app)
        await app.push_screen(CyclesHost(None))
        await pilot.pause()
        assert "once the customer is saved" in screen_text(app)

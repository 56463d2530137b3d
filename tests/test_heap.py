"""tui.heap: the collector is off only during start-up, and its full passes run at rest."""

from __future__ import annotations

import gc

from tests import factories as f
from tui import heap


def test_rapport_leaves_the_collector_on_whatever_the_command_did(monkeypatch):
    from cli.main import main
    from tui import heap

    monkeypatch.setattr(heap, "_frozen", False)  # as in a new process: starting() turns it off
    for argv in (["--database", "", "followups"], ["--database", "nosuch://x", "followups"]):
        assert main(argv) == 1
        assert gc.isenabled()
    try:
        main(["--today", "2026-02-30"])
    except SystemExit as exc:
        assert exc.code == 2
    assert gc.isenabled()
    heap.starting()
    assert not gc.isenabled()
    heap.resume()
    assert gc.isenabled()


def test_full_passes_wait_until_nobody_has_typed_for_a_while():
    gc.collect()
    assert gc.get_count()[2] == 0
    assert not heap.collect_when_idle(5.0)  # nothing promoted since the last full pass
    gc.collect(1)  # a young pass: objects promoted to the old generation
    assert gc.get_count()[2] >= 1
    assert not heap.collect_when_idle(heap.IDLE / 2)  # the user is working: not now
    assert gc.get_count()[2] >= 1
    assert heap.collect_when_idle(heap.IDLE + 0.1)
    assert gc.get_count()[2] == 0


async def test_the_app_notes_each_key_and_collects_only_at_rest(app, monkeypatch):
    f.customer("Acme", number="A-1")
    ran: list[float] = []
    monkeypatch.setattr(heap, "collect_when_idle", lambda idle_for: ran.append(idle_for) or False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        before = app._last_input
        await pilot.press("down")
        assert app._last_input > before
        app._collect_when_idle()  # what its timer calls twice a second
        assert ran and ran[-1] < heap.IDLE
    assert gc.isenabled()


async def test_a_customer_opened_and_closed_leaves_no_header_or_footer_keys_behind(app):
    """Opening a customer and closing it, again and again, keeps no more of its screen each
    time: Textual would keep its Header (watching the app's title) and the keys of footers
    rebuilt (watching their footer), with all they drew, until the app's title or the footer
    changed (tui.heap.forget_closed_watchers). A footer's last keys stay until it is rebuilt."""
    from textual.widgets import Header
    from textual.widgets._footer import FooterKey

    from tests.tui_helpers import wait_until

    for name in ("Acme", "Beta"):
        f.conversation(f.customer(name), "2026-03-01", note="Called")

    def closed_alive() -> int:
        app._collect_when_idle()  # (what the app does twice a second)
        gc.collect()
        return sum(1 for o in gc.get_objects() if isinstance(o, (Header, FooterKey)) and o._closed)

    async with app.run_test(size=(80, 24)) as pilot:
        counts = []
        for _ in range(5):
            await wait_until(pilot, lambda: app.screen.table.cursor_row_id is not None, what="the list")
            await pilot.press("enter", "3")
            await wait_until(pilot, lambda: app.screen.query("ConversationsPanel"), what="the customer")
            await pilot.press("escape")
            await wait_until(pilot, lambda: len(app.screen_stack) == 1, what="back on the list")
            await pilot.pause()
            counts.append(closed_alive())
        assert max(counts) <= 2 * counts[0], counts  # at most two footers' last keys (Textual alone: 18, 35, 52, ...)

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

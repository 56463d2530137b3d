"""Helpers for Pilot tests: type text as real key presses, read what the screen shows."""

from __future__ import annotations

KEY_NAMES = {" ": "space", "\n": "enter"}


async def type_text(pilot, text: str) -> None:
    """Press one key per character, as a user typing."""
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


def screen_text(app) -> str:
    """Every line the current screen shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def thread_log(monkeypatch, owner, name: str) -> list[str]:
    """Wrap ``owner.name`` (a storage function or method) so each call notes where it ran:
    "ui" on the UI (main) thread, else "db". ``"ui" not in log`` says the screen never waited
    for it (tui.dbwork)."""
    import functools
    import threading

    original = getattr(owner, name)
    log: list[str] = []

    @functools.wraps(original)
    def noted(*args, **kwargs):
        log.append("ui" if threading.current_thread() is threading.main_thread() else "db")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, noted)
    return log


def keys_without_waiting_for_database_work(monkeypatch) -> None:
    """Let ``pilot.press`` and ``pilot.pause`` return while database work is still running
    (tests/conftest.py makes them wait for it): for a test holding the database up."""
    from textual.pilot import Pilot

    monkeypatch.setattr(Pilot, "pause", Pilot.pause.without_waiting_for_database_work)


async def wait_until(pilot, condition, what: str = "the condition", timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (instead of a fixed pause, which is too
    short on a busy machine and too long on an idle one); fail naming ``what`` after
    ``timeout`` seconds (generous: only a hang should reach it)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout} s waiting for {what}; the screen:\n" + screen_text(pilot.app)
            )
        await pilot.pause(0.01)


async def wait_for_text(app, pilot, text: str, timeout: float = 10.0) -> str:
    """The screen's text once it shows ``text`` (a toast appears a frame or two after it was
    sent; on a busy machine later), or as it is after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    shown = screen_text(app)
    while text not in shown and time.monotonic() < deadline:
        await pilot.pause(0.01)
        shown = screen_text(app)
    return shown


def drafted_customer(number: str, name: str) -> None:
    """A new customer's draft, as an earlier session of tester's left it (offered at start)."""
    from storage.records import drafts

    values = {"number": number, "name": name, "phone": "", "email": "", "address": "", "notes": "", "archived": False}
    drafts.save("customer", "", "tester", values)


def drafts_offered(app) -> bool:
    """The drafts offered at start (tui.drafts) are on screen, their list filled."""
    screen = app.screen
    return (
        type(screen).__name__ == "DraftsScreen"
        and screen.is_mounted
        and bool(screen.query("#drafts-list"))
        and screen.query_one("#drafts-list").option_count > 0
    )

"""Helpers for Pilot tests: type text as real key presses, read what the screen shows."""

from __future__ import annotations

KEY_NAMES = {" ": "space", "\n": "enter"}


async def type_text(pilot, text: str) -> None:
    """Press one key per character, as a user typing."""
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


def screen_text(app) -> str:
    """Every line the current screen shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_until(pilot, condition, what: str = "the condition", timeout: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds (instead of a fixed pause, which is too
    short on a busy machine and too long on an idle one); fail naming ``what`` after
    ``timeout`` seconds (generous: only a hang should reach it)."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}; the screen:\n"
                                 + screen_text(pilot.app))
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

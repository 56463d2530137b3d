"""Helpers for Pilot tests: type text as real key presses, read what the screen shows."""

from __future__ import annotations

KEY_NAMES = {" ": "space", "\n": "enter"}


async def type_text(pilot, text: str) -> None:
    """Press one key per character, as a user typing."""
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


def screen_text(app) -> str:
    """Every line the current screen shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def wait_until(pilot, condition, timeout: float = 20.0, what: str = "the condition") -> None:
    """Let the app run until ``condition()`` is true (no fixed sleeps: a loaded machine only
    makes it take longer); fails after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def wait_for_text(app, pilot, text: str, rounds: int = 50) -> str:
    """The screen's text once it shows ``text`` (a toast appears a frame or two after it was
    sent; on a busy machine later), or as it is after ``rounds`` pauses."""
    shown = screen_text(app)
    for _ in range(rounds):
        if text in shown:
            break
        await pilot.pause(0.05)
        shown = screen_text(app)
    return shown

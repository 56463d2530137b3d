"""Helpers for Pilot tests: type text as real key presses, read what the screen shows."""

from __future__ import annotations

KEY_NAMES = {" ": "space", "\n": "enter"}


async def type_text(pilot, text: str) -> None:
    """Press one key per character, as a user typing."""
    await pilot.press(*(KEY_NAMES.get(ch, ch) for ch in text))


def screen_text(app) -> str:
    """Every line the current screen shows, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())

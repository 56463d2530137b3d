"""How the TUI shows a date: ``YYYY-MM-DD`` everywhere, or the locale's own format when
config.toml says ``date_format = "locale"`` (set once at start by tui.settings)."""

from __future__ import annotations

import datetime as dt
import locale

_format = "iso"


def use_format(name: str) -> None:
    global _format
    _format = name
    if name == "locale":
        try:
            locale.setlocale(locale.LC_TIME, "")
        except locale.Error:  # an unknown locale in the environment: keep ISO
            _format = "iso"


def show(value: dt.date | None) -> str:
    """A date as the user asked to see dates; "" for none."""
    if value is None:
        return ""
    return value.strftime("%x") if _format == "locale" else value.isoformat()

"""What the command palette (ctrl+p) lists: every global action by name, and every key of the
screen it was opened on, so that nothing is reachable by key alone (docs/screens.md#keyboard-and-ssh).

A screen gets its keys into the palette for free: each Binding of the screen (and of the
focused widget and its containers) with an id and a description becomes an entry
"Screen: Description (key)" (the binding's tooltip, when it has one, says more than the footer's
short description); Textual's own bindings (no id) stay out. This is the one palette mechanism:
screens declare no palette providers of their own.
A screen that has more to offer defines ``palette_commands(self) -> Iterable[SystemCommand]``.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from textual.app import SystemCommand

# Textual's own entries that Rapport replaces with its own.
REPLACED = {"Keys", "Quit"}
# Cursor movement and scrolling are not worth a palette entry.
_MOVES = {
    "cursor_up",
    "cursor_down",
    "page_up",
    "page_down",
    "first",
    "last",
    "scroll_up",
    "scroll_down",
    "scroll_home",
    "scroll_end",
    "focus_table",
    "cursor_left",
    "cursor_right",
    "focus_next",
    "focus_previous",
}

GLOBAL = [
    ("Customers", "Go to the customers list (F2)", "switch_mode('customers')"),
    ("Follow-ups", "Go to the daily follow-up report (F3)", "switch_mode('followups')"),
    ("Statistics", "Go to the follow-up statistics per employee (F4)", "switch_mode('statistics')"),
    ("Pipeline", "Go to the pipeline dashboard (F5)", "switch_mode('pipeline')"),
    ("Table maintenance", "Topics, methods and pipeline stages (F6)", "switch_mode('maintenance')"),
    ("Employees", "Employees and their default topics (F7)", "switch_mode('employees')"),
    ("Search", "Find any conversation by the words of its note or with whom (F9)", "switch_mode('search')"),
    ("Quick add conversation", "Log a conversation from anywhere (ctrl+n)", "quick_add"),
    ("New customer", "Open an empty customer form", "new_customer"),
    ("Help: all keys", "Every key of this screen and the global ones (F1)", "help"),
    ("Quit", "Leave Rapport; unsaved form text is kept as a draft (ctrl+q)", "quit"),
]


def global_commands(app) -> Iterable[SystemCommand]:
    for title, help_text, action in GLOBAL:
        yield SystemCommand(title, help_text, partial(app.run_action, action))


def screen_commands(app, screen) -> Iterable[SystemCommand]:
    """Each key of ``screen`` (and of the focused widget), named "<screen>: <what it does>
    (key)"; the screen's ``PALETTE_PREFIX`` names it, else its title."""
    prefix = getattr(screen, "PALETTE_PREFIX", "") or getattr(screen, "TITLE", "") or ""
    seen: set[str] = set()
    for node, binding, enabled, _tooltip in screen.active_bindings.values():
        if node is app or not enabled or not binding.description or not binding.id:
            continue
        action = binding.action.split("(")[0]
        if action in _MOVES or binding.action in seen:
            continue
        seen.add(binding.action)
        key = app.get_key_display(binding)
        label = binding.tooltip or binding.description
        yield SystemCommand(
            f"{prefix}: {label} ({key})" if prefix else f"{label} ({key})",
            f"On this screen: {binding.description}",
            partial(node.run_action, binding.action),
        )
    extra = getattr(screen, "palette_commands", None)
    if extra is not None:
        yield from extra()

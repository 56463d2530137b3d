"""F1: every key — the global ones, those of the screen underneath (its own, the focused
widget's, and those of the lists and panes on it), and the conventions every list follows.

Scrolls with the arrows and paging keys; escape or F1 closes it.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

CONVENTIONS = [
    ("enter", "open"), ("n", "new"), ("e", "edit"), ("d", "delete"), ("u", "undo"),
    ("c", "complete / reopen"), ("f", "log follow-up"), ("s", "snooze +1 day"),
    ("w", "snooze +1 week"), ("r", "reschedule"), ("b", "create booking"),
    ("t", "create task (.ics to-do)"), ("x", "export to calendar"), ("/", "focus search"),
    ("escape", "back / cancel"), ("up down", "move"), ("pgup pgdn", "page"),
    ("home end", "first / last"),
]
FORMS = [("ctrl+s", "save"), ("escape", "cancel (asks before discarding typed text)"),
         ("tab", "next field"), ("shift+tab", "previous field")]
_SKIP_MODULES = ("textual.",)


def _key(app, binding: Binding) -> str:
    return app.get_key_display(binding)


def screen_bindings(app, screen: Screen) -> list[tuple[str, str]]:
    """(key, description) of the screen's own keys, the focused chain's, and those of
    Rapport's widgets on the screen (e.g. the keys of a list that is not focused yet)."""
    rows: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def add(key: str, description: str) -> None:
        if description and (key, description) not in seen:
            seen.add((key, description))
            rows.append((key, description))

    # Rapport's bindings all have an id; Textual's built-in ones (scroll left, copy, ...) do not.
    for node, binding, _enabled, _tip in screen.active_bindings.values():
        if node is not app and binding.id:
            add(_key(app, binding), binding.description)
    for widget in screen.walk_children(with_self=False):
        if type(widget).__module__.startswith(_SKIP_MODULES):
            continue
        for bindings in widget._bindings.key_to_bindings.values():
            for binding in bindings:
                if binding.id:
                    add(_key(app, binding), binding.description)
    return rows


def help_text(app, screen: Screen) -> Text:
    text = Text()

    def section(title: str, rows: list[tuple[str, str]]) -> None:
        text.append(f"{title}\n", style="bold underline")
        for key, description in rows:
            text.append(f"  {key:<12}", style="bold")
            text.append(f"{description}\n")
        text.append("\n")

    section(f"This screen: {screen.title or type(screen).__name__}", screen_bindings(app, screen))
    section("Everywhere", [(_key(app, b), b.description) for b in app.BINDINGS]
            + [("ctrl+p", "command palette: every action by name")])
    section("In every list", CONVENTIONS)
    section("In every form", FORMS)
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="help.close"),
    ]

    def __init__(self, underneath: Screen | None = None) -> None:
        super().__init__()
        self.underneath = underneath

    def compose(self) -> ComposeResult:
        underneath = self.underneath or self.app.screen
        with VerticalScroll(id="help-box"):
            yield Static(help_text(self.app, underneath), id="help-text")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#help-box").focus()

"""F1: every key — the global ones, those of the screen underneath (its own, the focused
widget's, and those of the lists and panes on it), read from their bindings (with the user's
``[keys]`` remapping), so the page stays true as screens change; then the moves every list has.

Scrolls with the arrows and paging keys; escape or F1 closes it.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static, TabbedContent, TabPane

from storage.parsing import DATE_GRAMMAR
from tui.widgets.footer import Footer
from tui.widgets.paged_table import visible_text

# Only what really holds in every list; each list's own keys come from its bindings above.
CONVENTIONS = [("up down", "move"), ("pgup pgdn", "page"), ("home end", "first / last")]
FORMS = [
    ("ctrl+s", "save"),
    ("escape", "cancel (asks before discarding typed text)"),
    ("tab", "next field"),
    ("shift+tab", "previous field"),
]
_SKIP_MODULES = ("textual.",)
# Cursor keys of every list: listed once, under "In every list".
_LIST_MOVES = tuple(f"paged_table.{name}" for name in ("up", "down", "page_up", "page_down", "first", "last"))


def _where(widget) -> str:
    """Where a widget's keys apply: the tab it sits on, else the widget's kind."""
    pane = None
    for ancestor in widget.ancestors:
        if isinstance(ancestor, TabPane) and pane is None:
            pane = ancestor
        if isinstance(ancestor, TabbedContent) and pane is not None and pane.id:
            return f"On the {ancestor.get_tab(pane.id).label_text} tab".replace("\n", " ")
        if title := getattr(ancestor, "tab_title", ""):
            return f"On the {title} tab"
    return getattr(widget, "HELP_TITLE", "") or type(widget).__name__


def shown_key(app, binding) -> str:
    """The key as the user has it: their ``[keys]`` remapping (config.toml) applied. Bindings off
    the focus chain and the app's class list are not remapped by Textual until they are used."""
    keymap = app.ctx.config.get("keys", {}) if hasattr(app, "ctx") else {}
    if binding.id in keymap:
        binding = binding.with_key(keymap[binding.id].split(",")[0].strip())
    return app.get_key_display(binding)


def screen_sections(app, screen: Screen) -> list[tuple[str, list[tuple[str, str]]]]:
    """(title, [(key, description)]) for the keys that work now (the screen's own and the
    focused widget's), then for Rapport's other widgets on the screen (e.g. a list on another
    tab), each under where it applies. Textual's built-in bindings (no id) are left out."""
    active = [b for node, b, _enabled, _tip in screen.active_bindings.values() if node is not app]
    listed = {id(b) for b in active}  # keys that work now are listed once, under "This screen"

    def rows_of(bindings, rows: list[tuple[str, str]]) -> list[tuple[str, str]]:
        for binding in bindings:
            key = shown_key(app, binding)
            if (
                binding.id
                and binding.description
                and (key, binding.description) not in rows
                and binding.id not in _LIST_MOVES
            ):
                rows.append((key, binding.description))
        return rows

    title = visible_text(str(screen.title or type(screen).__name__))
    sections = [(f"This screen: {title}", rows_of(active, []))]
    by_place: dict[str, list[tuple[str, str]]] = {}
    for widget in screen.walk_children(with_self=False):
        if type(widget).__module__.startswith(_SKIP_MODULES):
            continue
        bindings = [b for group in widget._bindings.key_to_bindings.values() for b in group if id(b) not in listed]
        rows_of(bindings, by_place.setdefault(_where(widget), []))
    sections.extend((place, rows) for place, rows in by_place.items() if rows)
    return sections


def help_text(app, screen: Screen) -> Text:
    text = Text()

    def section(title: str, rows: list[tuple[str, str]]) -> None:
        text.append(f"{title}\n", style="bold underline")
        for key, description in rows:
            text.append(f"  {key:<12}", style="bold")
            text.append(f"{description}\n")
        text.append("\n")

    for title, rows in screen_sections(app, screen):
        section(title, rows)
    section(
        "Everywhere",
        [(shown_key(app, b), b.description) for b in app.BINDINGS]
        + [("ctrl+p", "command palette: every action by name")],
    )
    section("In every list", CONVENTIONS)
    section("In every form", FORMS)
    text.append("Dates, in every date field and prompt\n", style="bold underline")
    text.append(f"  {DATE_GRAMMAR}\n")
    return text


class HelpScreen(ModalScreen[None]):
    CSS_PATH = Path(__file__).with_suffix(".tcss")  # parsed when the screen is first used
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

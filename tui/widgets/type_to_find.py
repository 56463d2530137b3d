"""Type-to-find on a list with a filter box (issue 19).

The rule, the same on every list that has a filter: ``/`` focuses the filter; a letter (or
digit, or any printable character) runs a command only if the list's footer shows it as a
key; any other printable key typed on the list starts finding: the filter takes the focus
and the character, and the rest of the word follows it there. So "ben" typed on the
Customers list finds Ben instead of opening the editor (e) and a new form (n).
"""

from __future__ import annotations

from textual import events
from textual.widget import Widget
from textual.widgets import Input
from textual.widgets.input import Selection


def start_finding(event: events.Key, table: Widget, search: Input) -> bool:
    """If ``event`` is a printable key the list does not use, move it to ``search``."""
    character = event.character
    if (
        table.screen.focused is not table
        or not event.is_printable
        or not character
        or character.isspace()
        or event.key in table.screen.active_bindings
    ):
        return False
    event.stop()
    event.prevent_default()
    search.value += character
    search.screen.set_focus(search)  # now (focus() waits), so the line below runs after it
    # after the focus event, which would select the whole text (the next key would replace it)
    search.call_later(setattr, search, "selection", Selection.cursor(len(search.value)))
    return True

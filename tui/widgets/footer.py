"""Footer: Textual's footer, its keys built already in the look they end up with.

Textual builds each key of a footer (again whenever the focus moves to a widget with other
keys) in the non-compact look, then its ``compact`` setting arrives: every key restyles itself
once more when mounted, and twice in a footer that is not compact. On a form those restyles
were a tenth of opening it (docs/performance.md). Here each key starts in its final look.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey


class Footer(TextualFooter):
    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The command palette's key follows not the footer: Textual leaves it compact.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_class(compact, "-compact", update=False)  # not styled yet
                widget.set_reactive(FooterKey.compact, compact)  # so no watcher on mount
            yield widget

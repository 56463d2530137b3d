"""Footer: Textual's footer, its keys built already in the look they end up with, and built
again only when the keys it shows change.

Textual builds each key of a footer (again whenever the focus moves to a widget with other
keys) in the non-compact look, then its ``compact`` setting arrives: every key restyles itself
once more when mounted, and twice in a non-compact footer. On a form those restyles
were a tenth of opening it (docs/performance.md). Here each key starts in its final look.

Textual also rebuilds every key whenever the screen's bindings *may* have changed: a form
pushed over a screen rebuilt the footer of the screen beneath, and coming back rebuilt it once
more, with the same keys; the first frame back then laid out and drew all of them anew (a
save on the Conversations tab, docs/performance.md). Here a footer whose keys would come out
the same as those it shows is left as it is.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from tui.heap import forget_closed_watchers


class Footer(TextualFooter):
    _shown: Any = None  # what the keys shown were built from (``_keys``)

    def compose(self) -> ComposeResult:
        forget_closed_watchers(self)  # the keys built last time (bound to ``compact``)
        self._shown = self._keys()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                # The command palette's key follows not the footer: Textual leaves it compact.
                compact = self.compact or widget.has_class("-command-palette")
                widget.set_class(compact, "-compact", update=False)  # not styled yet
                widget.set_reactive(FooterKey.compact, compact)  # so no watcher on mount
            yield widget

    def bindings_changed(self, screen: Screen) -> None:
        # Textual's, but rebuilding only keys that changed, and once for several calls
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        if self._shown is None or self._keys() != self._shown:
            await self.recompose()

    def _keys(self) -> tuple | None:
        """Everything the keys are built from (Textual's ``Footer.compose``); None before the
        screen's bindings are ready."""
        if not self._bindings_ready or not self.is_attached:
            return None
        return (
            self.compact,
            self.show_command_palette,
            tuple(
                (binding.key, binding.key_display, binding.action, binding.description, binding.show)
                + (binding.group, binding.tooltip, enabled, tooltip)
                for _node, binding, enabled, tooltip in self.screen.active_bindings.values()
            ),
        )

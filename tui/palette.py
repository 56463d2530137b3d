"""ScreenCommands: a command-palette provider that offers a screen's own key bindings by name.

A screen lists it in ``COMMANDS = {ScreenCommands}``; the palette (ctrl+p) then shows every
binding of that screen's ``BINDINGS`` that has a description and that ``check_action`` allows
right now, named "<screen title>: <description>", and running it does what the key does. One
list of bindings thus feeds the footer, F1 and the palette, and they can never disagree.
Hidden duplicates (``enter`` beside ``e`` for the same action) appear once.
"""

from __future__ import annotations

from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider


class ScreenCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Binding]]:
        screen = self.screen
        prefix = getattr(screen, "PALETTE_PREFIX", "") or type(screen).__name__.removesuffix("Screen")
        seen: set[str] = set()
        commands = []
        for binding in screen.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            action_name = binding.action.split("(", 1)[0]
            if screen.check_action(action_name, ()) is False:
                continue
            seen.add(binding.action)
            label = binding.tooltip or binding.description
            commands.append((f"{prefix}: {label}", f"key {binding.key_display or binding.key}", binding))
        return commands

    def _run(self, action: str) -> None:
        self.app.call_later(self.screen.run_action, action)

    async def discover(self) -> Hits:
        for name, help_text, binding in self._commands():
            yield DiscoveryHit(name, partial(self._run, binding.action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, binding in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self._run, binding.action), help=help_text)

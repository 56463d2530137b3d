"""StyledScreen: a Screen mixin that shows the screen without restyling every widget again.

Textual restyles the whole screen each time it is shown (pushed, or its mode switched to),
although a screen just mounted was styled as its widgets mounted, and a screen shown again
got every change of class or focus while hidden at once. Only a new stylesheet (a theme
change) makes its styles stale, and Textual notes that itself (``_css_update_count``, private:
tests/test_prepared_modes.py): switching to the screen then restyles it all first. Restyling a
form or a main screen costs 10-30 ms, a good part of opening it (docs/performance.md).
"""

from __future__ import annotations

from textual.events import ScreenResume


class StyledScreen:
    # Plain handler name (not @on): a mixin is not built by Textual's metaclass. Textual calls
    # the handler of every class in the MRO from the subclass down, so this runs before the
    # Screen's own, which restyles when the event asks for it.
    def on_screen_resume(self, event: ScreenResume) -> None:
        app = self.app
        if not getattr(self, "_styled_once", False):  # just mounted, from today's stylesheet
            self._styled_once = True
            self._css_update_count = app._css_update_count
        if self._css_update_count == app._css_update_count:
            event.refresh_styles = False

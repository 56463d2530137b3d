"""No control character a user typed ever reaches the terminal (docs/screens.md#keyboard-and-ssh).

Names and notes may hold anything: ESC, BEL, NUL, DEL, C1 controls (pasted from a log, imported
from a CSV file). Written raw, ``ESC ] 0 ; … BEL`` would retitle the user's terminal and
``ESC [ 5 m`` make the screen blink; most of our widgets show such text through
``visible_text`` (␛, ␡), but Textual's own Input, TextArea, Select, OptionList, Header and
notifications print a value as it is. Rather than trust every widget, ``install()`` makes
Textual's last step, ``Strip.render`` (segments to terminal text), drop C0/C1 control
characters (and the Unicode direction controls) from the text of segments. Textual's own escape sequences are added after that
step, so they are untouched. Rich measures these characters as zero cells wide, so dropping
them keeps every layout exactly as measured. A strip without control characters (nearly all)
costs one regular-expression scan per segment, once: the result is cached by the strip.
"""

from __future__ import annotations

import re

from rich.segment import Segment
from textual.strip import Strip

# C0 and C1 controls, and the direction controls (bidi embeddings, overrides, isolates, marks:
# lists show them by name, see paged_table.visible_text; an Input drawing a name with U+202E
# must not turn the rest of the terminal line around). Rich measures all of them 0 cells wide.
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _safe_render(original):
    def render(self: Strip, console) -> str:
        # Strip._render_cache is Textual's private cache of the rendered text (checked by
        # tests/test_textual_private_api.py); the segments and width are read publicly.
        if self._render_cache is None:
            if any(CONTROL.search(text) for text, _, _ in self):
                clean = Strip(
                    [Segment(CONTROL.sub("", text), style, control) for text, style, control in self],
                    self.cell_length,
                )
                self._render_cache = original(clean, console)
            else:
                original(self, console)
        return self._render_cache  # type: ignore[return-value]  # original() filled it

    render.rapport_safe = True
    return render


def install() -> None:
    """Make ``Strip.render`` drop control characters from text (once per process)."""
    if not getattr(Strip.render, "rapport_safe", False):
        Strip.render = _safe_render(Strip.render)  # type: ignore[method-assign]

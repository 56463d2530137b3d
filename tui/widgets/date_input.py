"""DateInput: an Input for one date that takes the whole grammar of docs/data.md#the-conversation-form (``fri``, ``+2w``,
``eom``… see storage.parsing) and shows the resolved YYYY-MM-DD as soon as it is left.

    yield DateInput(value, placeholder="YYYY-MM-DD", compact=True, id="date")

Text that is not a date is left exactly as typed: the form's save names the field.
"""

from __future__ import annotations

import datetime as dt

from textual import events
from textual.widgets import Input

from storage.parsing import parse_date


class DateInput(Input):
    """Today comes from the app's Context (``--today`` included), else the clock."""

    def on_blur(self, event: events.Blur) -> None:
        self.resolve()

    def resolve(self) -> None:
        """Show the date the text means, if it is one (and leave it alone if not)."""
        ctx = getattr(self.app, "ctx", None)
        today = ctx.today() if ctx is not None else dt.date.today()
        try:
            day = parse_date(self.value, today)
        except ValueError:
            return
        if day is not None and self.value != day.isoformat():
            self.value = day.isoformat()

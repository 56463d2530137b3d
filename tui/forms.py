"""Opening a form from a key: what it shows is read on the database thread (tui.dbwork; the
keys typed meanwhile are held for the form), then the app's spare of that form (tui.app
SPARES: one kept built and laid out, out of sight) takes it and is only shown, or, without
a spare, a new form is built from it.

A form class that opens this way mixes in ``SpareForm`` and has ``SPARE`` (its kind in tui.app
SPARES), a classmethod ``from_loaded(loaded)`` and a method ``adopt(loaded)``, which sets
everything the form shows: it is also called on a form used before. For once a form is
closed it becomes the app's spare of its kind if there is none (``SpareForm.dismiss``), so a
form opened right after another of its kind is only shown, too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tui.dbwork import Job, read_to_open, tell
from tui.dbwork import after_save as dbwork_after_save
from tui.widgets.draft_keeper import adopting, adopting_now


def open_form(
    node,
    form_type,
    read: Callable,
    *args,
    then: Callable | None = None,
    opened: Callable | None = None,
    after_save: tuple[Callable, Callable] | None = None,
) -> Job:
    """Read ``read(*args)`` off the UI thread, then push a form of ``form_type`` showing it
    (``then``: the callback of its dismiss; ``opened(loaded)``: called once it is pushed;
    ``after_save``: ``(read, show)`` of tui.dbwork.after_save for this form, until it closes)."""

    def show(loaded) -> None:
        app = node.app
        take = getattr(app, "take_spare", None)  # (a test's host app keeps no spares)
        spare = take(form_type.SPARE) if take is not None else None
        if isinstance(spare, form_type):
            spare.adopt(loaded)
            form = spare
        else:
            form = form_type.from_loaded(loaded)
        closed = then
        if after_save is not None:  # (a form used again later must not read for this opener)
            forget = dbwork_after_save(form, *after_save)

            def closed(result) -> Any:
                forget()
                return then(result) if then is not None else None

        app.push_screen(form, closed)
        if opened is not None:
            opened(loaded)

    return read_to_open(node, read, *args, done=show, failed=tell(node, "Not opened"))


def open_drafted(app, read: Callable, *args, build: Callable) -> None:
    """A draft reopened (a ``draft_opener``): ``read(*args)`` on the database thread, then
    ``build(result)`` makes its form (None: nothing to open), which goes on writing that
    same draft."""
    stored_key = adopting_now()

    def opened(result) -> None:
        with adopting(stored_key):  # (the form is made now, after the read)
            screen = build(result)
        if screen is not None:
            app.push_screen(screen)

    read_to_open(app, read, *args, done=opened, failed=tell(app, "Not opened"))


class SpareForm:
    """A form that, once closed, is kept as the app's spare of its kind (tui.app
    ``keep_spare``) instead of being thrown away, unless ``reusable()`` says otherwise."""

    SPARE = ""

    def reusable(self) -> bool:
        return True

    def dismiss(self, result=None):
        keep = getattr(self.app, "keep_spare", None)
        if keep is not None and self.reusable():
            keep(self)
        return super().dismiss(result)

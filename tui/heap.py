"""The garbage collector around start-up: a pause-free first frame, and short full passes after.

Start-up builds some 50,000 objects that live as long as the app (Textual, Rich, Peewee, the
stylesheets, the first screen). ``starting()`` (first thing in ``rapport``, and when an app is
built) turns the cyclic collector off while they are built: collecting then finds next to
nothing, it only costs time before the first frame. A command-line subcommand turns it back on
with ``resume()`` before it works.
``started()`` (on the first frame) moves everything alive into the collector's permanent
generation with ``gc.freeze()`` and turns it back on: each later full collection then walks only
what was made since, instead of pausing the app for every one of those objects too.

Freezing happens once per process (tests start many apps in one process; garbage frozen by a
later app would never be freed).
"""

from __future__ import annotations

import gc

_frozen = False
_disabled_here = False


def starting() -> None:
    global _disabled_here
    if gc.isenabled() and not _frozen:
        gc.disable()
        _disabled_here = True


def resume() -> None:
    """Collector back on, nothing frozen (a subcommand, not the TUI)."""
    global _disabled_here
    if _disabled_here:
        gc.enable()
        _disabled_here = False


def started() -> None:
    global _frozen, _disabled_here
    if not _frozen:
        gc.freeze()
        _frozen = True
    if _disabled_here:
        gc.enable()
        _disabled_here = False

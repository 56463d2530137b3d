"""When the garbage collector may stop the app: not during start-up, and its long passes at rest.

Textual makes many short-lived objects per frame (every Strip carries seven small caches), so the
cyclic collector runs often; its full passes walk every live object (~200,000 once a big
customer has been open), 100-200 ms each. CPython starts them when enough objects have
survived, which happens while the user is working: opening a form, paging a list. Measured in
a 30 s session of opening forms: 26 full passes, 3.5 s in all, up to 190 ms each, each one a
key answered late.

So:
- ``starting()`` (first thing in ``rapport``, and when an app is built) turns the collector off
  while start-up builds its ~50,000 long-lived objects: collecting then finds next to nothing.
  A command-line subcommand turns it back on with ``resume()`` before it works.
- ``started()`` (on the first frame) moves everything alive into the permanent generation with
  ``gc.freeze()`` (once per process: tests start many apps in one process, and garbage frozen by
  a later app would never be freed), turns the collector back on, and makes its own full passes
  rare (``SAFETY_PASSES``): they remain only as a bound on memory.
- ``collect_when_idle()`` (the app calls it twice a second) runs the full pass instead when
  nobody has pressed a key or clicked for ``IDLE`` seconds, and something was promoted since the
  last one. A CRM user pauses all the time (reading, talking on the phone); the pass then costs
  nobody anything.
"""

from __future__ import annotations

import gc

IDLE = 1.0  # seconds without a key or a click before a full pass may run
SAFETY_PASSES = 50  # CPython's own full pass after this many young passes without one (default 10)

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
    global _frozen
    if not _frozen:
        gc.freeze()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, SAFETY_PASSES)
        _frozen = True
    resume()


_prepared = False


def prepared() -> None:
    """The main screens prepared in the background after the first frame (tui.app) are
    long-lived too: freeze them as well, once per process, so that a full pass at rest stays
    short (a key pressed during one waits for it)."""
    global _prepared
    if _frozen and not _prepared:
        gc.collect()  # first the garbage of preparing them: frozen, it would never be freed
        gc.freeze()
        _prepared = True


def collect_when_idle(idle_for: float) -> bool:
    """Run a full pass if the user has been idle long enough and it may find something;
    True when it ran. Not while the collector is off (start-up, or Textual's smooth scrolling)."""
    if idle_for < IDLE or not gc.isenabled() or gc.get_count()[2] == 0:
        return False
    gc.collect()
    return True


def forget_closed_watchers(node) -> None:
    """Drop from ``node``'s watchers the widgets that are closed. Textual keeps a widget that
    watches another (a Header the app's title, a TextArea the theme, a footer key its footer's
    ``compact``) in that one's list of watchers until the watched attribute next changes, long
    after the widget is gone, and with it everything it drew: about 1 MB each time a customer
    was opened and closed. (Textual's private ``__watchers`` and ``_closed``:
    tests/test_textual_private_api.py.)"""
    for watchers in getattr(node, "__watchers", {}).values():
        if any(watcher._closed for watcher, _ in watchers):
            watchers[:] = [(watcher, callback) for watcher, callback in watchers if not watcher._closed]

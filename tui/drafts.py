"""Offering drafts back on start, and flushing them when the session ends.

Each form that keeps drafts registers the function that reopens it
(``tui.widgets.draft_keeper.draft_opener``); ``screens.drafts`` imports those forms.
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
from collections.abc import Callable
from types import FrameType
from typing import Any

EXIT_WITHIN = 1.5  # seconds from SIGHUP/SIGTERM to the end of the process, whatever it does
_previous: dict[int, Callable[[int, FrameType | None], Any] | int | None] = {}
# What the terminal needs back if the process has to end without Textual's clean-up: the
# main screen, a visible cursor, no mouse reporting, no bracketed paste.
_RESET_TERMINAL = b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?2004l\x1b[?25h\x1b[?1049l"


def _last_resort(code: int) -> None:
    try:
        os.write(1, _RESET_TERMINAL)
    except OSError:  # the terminal is gone (SIGHUP)
        pass
    os._exit(code)


def install_signal_handlers(app) -> None:
    """On SIGHUP (the SSH connection dropped) or SIGTERM: write every open form's draft,
    then leave. The app does that on its own loop; if the loop is busy (opening a huge note,
    waiting in SQLite) a watchdog thread ends the process ``EXIT_WITHIN`` seconds after the
    signal anyway. The handler is a plain ``signal.signal`` one: it runs between two Python
    instructions even while the event loop is blocked."""
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()

    def hang_up(signum: int) -> None:
        from storage.exchange.outfile import remove_temporaries
        from tui.widgets.draft_keeper import flush_all

        remove_temporaries()  # an export a worker was writing (README.md#command-line)
        try:
            flush_all()
        finally:
            app.exit(return_code=128 + signum)

    def on_signal(signum: int, frame) -> None:
        timer = threading.Timer(EXIT_WITHIN, _last_resort, args=(128 + signum,))
        timer.daemon = True
        timer.start()
        try:
            loop.call_soon_threadsafe(hang_up, signum)
        except RuntimeError:  # the loop is closed already
            _last_resort(128 + signum)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        try:
            _previous[signum] = signal.signal(signum, on_signal)
        except (ValueError, OSError):  # pragma: no cover
            pass


def remove_signal_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    for signum, previous in list(_previous.items()):
        try:
            signal.signal(signum, previous if previous is not None else signal.SIG_DFL)
        except (ValueError, OSError, TypeError):  # pragma: no cover
            pass
        del _previous[signum]


OFFER_WHEN_IDLE = 0.5  # seconds without a key, on a main screen, before drafts are offered


def offer_drafts(app) -> None:
    """If the current employee left drafts behind, offer them back (restore or discard).

    Read off the UI thread, and offered only once the keyboard has rested ``OFFER_WHEN_IDLE``
    seconds on a main screen: keys typed at start go where they were meant (the list, a form
    they opened) and never to the offer, whose ``d`` discards a draft."""
    from storage.records import drafts
    from tui.dbwork import read_db, tell

    read_db(
        app,
        drafts.pending,
        app.ctx.login,
        app.ctx.url,
        busy="",
        done=lambda found: _offer_when_idle(app, found),
        failed=tell(app, "Drafts not read", "They are offered again on the next start."),
    )


def _offer_when_idle(app, found: list) -> None:
    if not found or not app.is_running:
        return  # (the usual start: no form module is imported)
    if not app.idle_on_a_main_screen(OFFER_WHEN_IDLE):
        app.set_timer(OFFER_WHEN_IDLE, lambda: _offer_when_idle(app, found), name="offer drafts")
        return
    from screens.drafts import DraftsScreen
    from tui.widgets.draft_keeper import OPENERS

    if any(draft.form in OPENERS for draft in found):
        app.push_screen(DraftsScreen())

"""Offering drafts back on start, and flushing them when the session ends.

``OPENERS`` maps a draft's form name to "module:function"; the function takes
``(app, draft: storage.drafts.DraftInfo)`` and opens that form filled with the draft's values.
A form that keeps drafts (``tui.widgets.draft_keeper.DraftKeeper``) adds its line here.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import signal
import threading

OPENERS: dict[str, str] = {
    "customer": "screens.customer_form:restore_draft",
    "contact": "screens.contact_form:restore_draft",
    "conversation": "screens.conversation_form:open_draft",
    "booking": "screens.booking_form:open_draft",
    "topic": "screens.value_form:open_draft",
    "method": "screens.value_form:open_draft",
    "stage": "screens.value_form:open_draft",
    "employee": "screens.employee_form:open_draft",
}


def opener(form: str):
    target = OPENERS.get(form)
    if not target:
        return None
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


def install_signal_handlers(app) -> None:
    """On SIGHUP (the SSH connection dropped) or SIGTERM: write every open form's draft,
    then leave. The terminal may already be gone, so a last-resort exit follows shortly."""
    if threading.current_thread() is not threading.main_thread():
        return
    loop = asyncio.get_running_loop()

    def hang_up(signum: int) -> None:
        from storage.outfile import remove_temporaries
        from tui.widgets.draft_keeper import flush_all

        remove_temporaries()  # an export a worker was writing (SPEC §7)
        try:
            flush_all()
        finally:
            timer = threading.Timer(3.0, os._exit, args=(128 + signum,))
            timer.daemon = True
            timer.start()
            app.exit(return_code=128 + signum)

    for signum in (signal.SIGHUP, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, hang_up, signum)
        except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
            pass


def remove_signal_handlers() -> None:
    if threading.current_thread() is not threading.main_thread():
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    for signum in (signal.SIGHUP, signal.SIGTERM):
        try:
            loop.remove_signal_handler(signum)
        except (NotImplementedError, RuntimeError, ValueError):  # pragma: no cover
            pass


def offer_drafts(app) -> None:
    """If the current employee left drafts behind, offer them back (restore or discard)."""
    from storage import drafts

    pending = [d for d in drafts.pending(app.ctx.login) if d.form in OPENERS]
    if pending:
        from screens.drafts import DraftsScreen

        app.push_screen(DraftsScreen())

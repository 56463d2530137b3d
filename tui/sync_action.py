"""The sync key (``y``) of the Agenda and Follow-ups screens (README.md#command-line): one sync with the
calendar configured in config.toml's ``[sync]``, in a worker thread with its own database
connection; the summary of what moved each way is shown when it is done, and ``done()`` runs
on the UI thread with the Summary so the screen can show the changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.widget import Widget

from storage.db.models import db
from storage.errors import RapportError

if TYPE_CHECKING:
    from tui.app import RapportApp

NOT_CONFIGURED = (
    "No calendar to sync with: add a [sync] table to config.toml "
    '(caldav = URL, user, password_command; or vdir = DIR). See README "Calendar sync".'
)


def sync_now(host: Widget, done: Callable[[object], None] | None = None) -> None:
    from storage.sync.settings import from_config

    ctx = cast("RapportApp", host.app).ctx
    try:
        settings = from_config(ctx.config)
        settings.check()
    except RapportError as exc:
        message = NOT_CONFIGURED if not ctx.config.get("sync") else str(exc)
        host.notify(message, severity="warning", markup=False, timeout=10)
        return
    host.notify("Syncing with the calendar…", markup=False, timeout=3)
    host.run_worker(lambda: _run(host, settings, done), thread=True, exclusive=True, group="calendar-sync")


def _run(host: Widget, settings, done) -> None:
    from storage.sync.settings import run

    try:
        with db.connection_context():
            summary = run(settings, cast("RapportApp", host.app).ctx)
    except RapportError as exc:
        host.app.call_from_thread(host.notify, f"Not synced: {exc}", severity="error", markup=False, timeout=10)
        return
    lines = summary.lines()
    host.app.call_from_thread(host.notify, "\n".join(lines), title="Calendar sync", markup=False, timeout=15)
    if done is not None:
        host.app.call_from_thread(done, summary)

"""The sync key (``y``) of the Agenda and Follow-ups screens (README.md#command-line): one sync with the
calendar configured in config.toml's ``[sync]``, on tui.dbwork's long-work thread with its own
database connection (a failure is one line, "Not synced: …", like every other key's); the
summary of what moved each way is shown when it is done, and ``done()`` runs on the UI thread
with the Summary so the screen can show the changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.widget import Widget

from storage.db.models import db
from storage.errors import RapportError
from tui.dbwork import run_long, tell

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
    run_long(
        host, _sync, settings, ctx, done=lambda summary: _synced(host, summary, done), failed=tell(host, "Not synced")
    )


def _sync(settings, ctx):
    """On tui.dbwork's long-work thread (a sync waits on the calendar server), with a
    connection of its own for this sync."""
    from storage.sync.settings import run

    with db.connection_context():
        return run(settings, ctx)


def _synced(host: Widget, summary, done: Callable[[object], None] | None) -> None:
    host.notify("\n".join(summary.lines()), title="Calendar sync", markup=False, timeout=15)
    if done is not None:
        done(summary)

"""Where and how to sync (README.md#command-line): the ``rapport sync`` options over config.toml's ``[sync]``.

    [sync]
    caldav = "https://dav.example.com/dav/calendars/me/rapport/"   # or: vdir = "~/cal/rapport"
    user = "me"
    password_command = "pass show dav"
    calendar = "Rapport"      # a calendar's display name, when caldav is the server's address
    as = "todos"              # or "events" (default)
    employee = "alice"        # or: all = true (default: the current employee)

A password is never read from the config, the command line or the database: only the first
line printed by ``password_command``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from storage.errors import RapportError

KEYS = {
    "caldav": str,
    "user": str,
    "password_command": str,
    "calendar": str,
    "vdir": str,
    "as": str,
    "employee": str,
    "all": bool,
}


@dataclass
class SyncSettings:
    caldav: str | None = None
    user: str | None = None
    password_command: str | None = None
    calendar: str | None = None
    vdir: str | None = None
    mode: str = "events"
    employee: str | None = None  # a login; None: the current employee
    everyone: bool = False

    def check(self) -> None:
        if bool(self.caldav) == bool(self.vdir):
            raise RapportError("sync needs one place: --caldav URL or --vdir DIR (or [sync] in config.toml)")
        if self.mode not in ("events", "todos"):
            raise RapportError(f"sync: as = {self.mode!r}: use events or todos")
        if self.caldav and self.password_command and not self.user:
            raise RapportError("sync: --password-command needs --user")


def from_config(config: dict) -> SyncSettings:
    """The ``[sync]`` table; a wrong key or type is a one-line error naming it."""
    table = config.get("sync") or {}
    if not isinstance(table, dict):
        raise RapportError("config [sync]: must be a table")
    for key, value in table.items():
        if key == "password":
            raise RapportError('config [sync]: no password here; use password_command (e.g. "pass show dav")')
        if key not in KEYS:
            raise RapportError(f"config [sync]: unknown key {key!r}")
        if not isinstance(value, KEYS[key]):
            raise RapportError(f"config [sync]: {key} must be a {KEYS[key].__name__}")
    return SyncSettings(
        caldav=table.get("caldav"),
        user=table.get("user"),
        password_command=table.get("password_command"),
        calendar=table.get("calendar"),
        vdir=table.get("vdir"),
        mode=table.get("as", "events"),
        employee=table.get("employee"),
        everyone=bool(table.get("all", False)),
    )


def open_transport(settings: SyncSettings):
    """The transport the settings name (a CalDAV server is contacted here)."""
    from storage.sync.transports import CalDAVTransport, VdirTransport, password_from_command

    settings.check()
    if settings.vdir:
        return VdirTransport(Path(settings.vdir).expanduser())
    assert settings.caldav  # check(): a vdir or a CalDAV URL
    password = password_from_command(settings.password_command) if settings.password_command else None
    return CalDAVTransport(settings.caldav, settings.user, password, settings.calendar)


def run(settings: SyncSettings, ctx, progress=None):
    """One sync for the Context's database, employee and day; its Summary."""
    from storage.records.lookups import employee_by_login
    from storage.sync.engine import Sync

    settings.check()
    if settings.everyone:
        employee_id = None
    elif settings.employee:
        employee = employee_by_login(settings.employee)
        if employee is None:
            raise RapportError(f"sync: --employee {settings.employee!r}: no such employee")
        employee_id = employee.id
    else:
        employee_id = ctx.employee().id
    transport = open_transport(settings)
    today = ctx.today() if hasattr(ctx, "today") else dt.date.today()
    return Sync(transport, employee_id, settings.mode, ctx.timezone(), today, progress).run()

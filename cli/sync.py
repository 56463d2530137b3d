"""``rapport sync`` (README.md#command-line): two-way sync with a CalDAV calendar or a vdir folder.

Options override config.toml's ``[sync]`` (storage/sync/settings.py). The summary of what
moved each way goes to stdout; a progress line to stderr when it is a terminal.
"""

from __future__ import annotations

import argparse
import sys

from cli.common import add_command


def add_parsers(sub) -> None:
    sync = add_command(sub, "sync", "two-way sync of follow-ups and bookings with a calendar", run_sync)
    where = sync.add_mutually_exclusive_group()
    where.add_argument("--caldav", metavar="URL", help="a CalDAV calendar (or the server, with --calendar)")
    where.add_argument("--vdir", metavar="DIR", help="a vdir folder (vdirsyncer, khal, todoman)")
    sync.add_argument("--user", metavar="NAME", help="CalDAV user name")
    sync.add_argument("--password-command", metavar="CMD", help="a command printing the password, e.g. 'pass show dav'")
    sync.add_argument("--calendar", metavar="NAME", help="the calendar's display name on the server")
    sync.add_argument(
        "--as",
        dest="mode",
        choices=["events", "todos"],
        default=None,
        help="follow-ups as all-day events (default) or to-dos",
    )
    who = sync.add_mutually_exclusive_group()
    who.add_argument("--employee", metavar="LOGIN", help="this employee's items (default: yours)")
    who.add_argument("--all", action="store_true", help="everyone's items")


def settings_for(args: argparse.Namespace, config: dict):
    from storage.sync.settings import from_config

    settings = from_config(config)
    if args.caldav or args.vdir:  # a place given here replaces the configured one entirely
        settings.caldav, settings.vdir = args.caldav, args.vdir
        settings.user, settings.password_command, settings.calendar = None, None, None
    for name in ("user", "password_command", "calendar", "employee"):
        if getattr(args, name):
            setattr(settings, name, getattr(args, name))
    if args.all:
        settings.everyone, settings.employee = True, None
    elif args.employee:
        settings.everyone = False
    if args.mode:
        settings.mode = args.mode
    return settings


def _progress(done: int, total: int) -> None:
    print(f"\rsyncing {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def run_sync(args: argparse.Namespace, ctx) -> int:
    from storage.sync.settings import run

    progress = _progress if sys.stderr.isatty() else None
    summary = run(settings_for(args, ctx.config), ctx, progress)
    from cli.textout import printable

    for line in summary.lines():
        print(printable(line))
    return 0

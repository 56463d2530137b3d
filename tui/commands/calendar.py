"""``rapport export-ics`` (SPEC §7a)."""

from __future__ import annotations

import argparse

from storage.errors import RapportError
from tui.commands.common import add_command, add_period


def add_parsers(sub) -> None:
    ics = add_command(sub, "export-ics", "export follow-ups and bookings as iCalendar", run_export_ics)
    who = ics.add_mutually_exclusive_group()
    who.add_argument("--employee", metavar="LOGIN", help="this employee's items (default: yours)")
    who.add_argument("--all", action="store_true", help="everyone's items")
    add_period(ics)
    ics.add_argument("--as", dest="mode", choices=["events", "todos"], default="events")
    ics.add_argument("--include-done", action="store_true", help="also completed follow-ups (to-dos)")
    ics.add_argument("-o", "--output", metavar="FILE", default=None, help="output file, - for stdout")
    ics.add_argument("--vdir", metavar="DIR", help="write one UID.ics per item into DIR")


def run_export_ics(args: argparse.Namespace, ctx) -> int:
    raise RapportError("export-ics is not built yet")

"""``rapport export-ics`` (README.md#calendar-export-rapport-export-ics).

Where it writes:
- ``-o FILE``: that file (a fixed path a calendar can subscribe to; a re-export replaces
  it); ``-o -`` or no ``-o``: standard output, as every command that prints data
  (``ssh host rapport export-ics > mine.ics``), with the summary line on standard error so
  the data stays clean.
- ``--vdir DIR``: one ``UID.ics`` per item in DIR (khal, todoman, vdirsyncer).
The TUI's exports go to the export folder (config key ``export_dir``).
The summary names the path written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cli.common import add_command, add_period
from storage.errors import RapportError


def add_parsers(sub) -> None:
    ics = add_command(sub, "export-ics", "export follow-ups and bookings as iCalendar", run_export_ics)
    who = ics.add_mutually_exclusive_group()
    who.add_argument("--employee", metavar="LOGIN", help="this employee's items (default: yours)")
    who.add_argument("--all", action="store_true", help="everyone's items")
    add_period(ics)
    ics.add_argument(
        "--as", dest="mode", choices=["events", "todos"], default="events", help="all-day events (default) or to-dos"
    )
    ics.add_argument("--include-done", action="store_true", help="also completed follow-ups (to-dos)")
    where = ics.add_mutually_exclusive_group()
    where.add_argument(
        "-o", "--output", metavar="FILE", default="-", help="output file, - for stdout (default), as in rapport export"
    )
    where.add_argument("--vdir", metavar="DIR", help="write one UID.ics per item into DIR")


def _employee_id(args: argparse.Namespace, ctx) -> tuple[int | None, str]:
    """The employee whose items to export (None for everyone) and a name for files."""
    from storage.records.lookups import employee_by_login

    if args.all:
        return None, "all"
    if args.employee:
        employee = employee_by_login(args.employee)
        if employee is None:
            raise RapportError(f"--employee {args.employee!r}: no such employee")
        return employee.id, employee.login
    employee = ctx.employee()
    return employee.id, employee.login


def run_export_ics(args: argparse.Namespace, ctx) -> int:
    from storage.config import export_folder
    from storage.exchange import calendar

    if args.include_done and args.mode != "todos":
        print("rapport: --include-done needs --as todos (done follow-ups are never events)", file=sys.stderr)
        return 2
    employee_id, who = _employee_id(args, ctx)
    export = calendar.build_export(
        employee_id, args.date_from, args.date_to, mode=args.mode, include_done=args.include_done
    )
    if args.vdir:
        from storage.exchange.vdir import write_vdir

        keep = None
        if args.date_from or args.date_to:  # items outside the period stay in the folder
            everything = calendar.build_export(employee_id, mode=args.mode, include_done=args.include_done)
            keep = {item.uid for item in everything.items}
        result = write_vdir(export, Path(args.vdir), keep)
        extra = f", {result.describe()}" if result.describe() else ""
        print(f"wrote {export.describe()} as {result.written} files to {args.vdir}{extra}")
    elif args.output == "-":
        if not export.items:
            raise RapportError("nothing to export: no follow-ups or bookings match")
        from storage.exchange.outfile import open_output

        with open_output("-", binary=True) as out:
            out.write(export.text().encode("utf-8"))
        print(f"wrote {export.describe()} to standard output", file=sys.stderr)
    else:
        path = (
            Path(args.output)
            if args.output
            else export_folder(ctx.config) / calendar.safe_name(f"rapport-{who}-{args.mode}.ics")
        )
        calendar.write_file(export, path, make_folder=not args.output)
        print(f"wrote {export.describe()} to {path}")
    return 0

"""``rapport backup`` and ``rapport copy`` (README.md#command-line)."""

from __future__ import annotations

import argparse
import sys

from cli.common import add_command
from cli.progress import Progress


def add_parsers(sub) -> None:
    backup = add_command(
        sub,
        "backup",
        "a consistent copy of the database while others keep working (SQLite file, or pg_dump's custom format)",
        run_backup,
    )
    backup.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        default=None,
        help="where to write it, - for stdout (default: rapport-backup-DATE-TIME in the data folder)",
    )
    copy = add_command(sub, "copy", "copy everything into an empty database (SQLite or PostgreSQL)", run_copy)
    copy.add_argument("--to", metavar="URL", required=True, help="the database to copy into")


def run_backup(args: argparse.Namespace, ctx) -> int:
    from storage.db.connection import redact
    from storage.exchange.backup import backup

    with Progress("backup") as progress:
        where = backup(ctx.url, args.output, progress)
    shown = "standard output" if where == "-" else where
    print(f"backed up {redact(ctx.url)} to {shown}", file=sys.stderr)
    return 0


def run_copy(args: argparse.Namespace, ctx) -> int:
    from storage.db.connection import redact
    from storage.exchange.copy import copy_to

    with Progress("copy") as progress:
        counts = copy_to(args.to, progress)
    rows = sum(counts.values())
    print(f"copied {rows:,} rows in {len(counts)} tables to {redact(args.to)}", file=sys.stderr)
    return 0

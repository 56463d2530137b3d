"""``rapport demo``, ``rapport import`` and ``rapport export`` (README.md#command-line, README.md#csv-files)."""

from __future__ import annotations

import argparse
import sys

from storage.errors import RapportError
from tui.commands.common import add_command, add_format


def add_parsers(sub) -> None:
    demo = add_command(sub, "demo", "fill the database with realistic sample data", run_demo)
    demo.add_argument("--customers", type=int, default=None, metavar="N", help="number of customers")
    demo.add_argument("--conversations", type=int, default=None, metavar="M", help="number of conversations")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same data)")
    demo.add_argument("--force", action="store_true", help="add to a database that already holds data")
    demo.add_argument("--big-customer", type=int, default=0, metavar="K",
                      help="give the first customer K of the conversations (for benchmarks)")

    imp = add_command(sub, "import", "import customers or conversations from a CSV file", run_import)
    imp.add_argument("kind", choices=["customers", "conversations"])
    imp.add_argument("file", metavar="FILE.csv")

    exp = add_command(sub, "export", "export customers or conversations as CSV or JSON", run_export)
    exp.add_argument("kind", choices=["customers", "conversations"])
    add_format(exp, ("csv", "json"), default="csv")
    exp.add_argument("-o", "--output", metavar="FILE", default="-", help="output file, - for stdout (default)")


def run_demo(args: argparse.Namespace, ctx) -> int:
    """Fill the database with sample data; refuse one that holds customers or conversations."""
    from storage.demo import generate, is_empty, sizes

    if not args.force and not is_empty():
        raise RapportError("the database already holds customers or conversations; "
                           "use --force to add demo data anyway")
    customers, conversations = sizes(args.customers, args.conversations)
    summary = generate(ctx, customers, conversations, args.seed, args.big_customer)
    print(summary, file=sys.stderr)
    return 0


def run_import(args: argparse.Namespace, ctx) -> int:
    """Import a file; on any error print a summary line, then every error, and exit 1."""
    from storage.csvimport import import_conversations, import_customers
    from storage.csvio import CsvImportError

    try:
        if args.kind == "customers":
            summary = import_customers(args.file)
        else:
            summary = import_conversations(args.file, ctx.login)
    except CsvImportError as exc:
        print(f"rapport: {exc.summary}", file=sys.stderr)
        for error in exc.errors:
            print(f"  {exc.filename}: {error}", file=sys.stderr)
        return 1
    print(f"{args.file}: {summary}")
    return 0


def run_export(args: argparse.Namespace, ctx) -> int:
    """``-o -`` (the default) writes to stdout, ``-o FILE`` writes FILE (replaced whole)."""
    from storage.csvexport import export_to_file, export_to_stdout

    if not args.output.strip():
        raise RapportError("-o: the file name is empty; use -o FILE, or -o - for standard output")
    if args.output == "-":
        export_to_stdout(args.kind, args.format)
    else:
        count = export_to_file(args.kind, args.format, args.output)
        print(f"exported {count} {args.kind} to {args.output}", file=sys.stderr)
    return 0

"""``rapport demo``, ``rapport import`` and ``rapport export`` (README.md#command-line, README.md#csv-files)."""

from __future__ import annotations

import argparse
import sys

from cli.common import add_command, add_format, count_arg
from cli.progress import Progress
from storage.errors import RapportError

MAX_ERRORS_SHOWN = 50
IMPORT_KINDS = ("customers", "contacts", "conversations", "bookings", "vcard")
EXPORT_KINDS = ("customers", "contacts", "conversations", "bookings", "vcard")


def add_parsers(sub) -> None:
    demo = add_command(sub, "demo", "fill the database with realistic sample data", run_demo)
    demo.add_argument("--customers", type=count_arg(1), default=None, metavar="N", help="number of customers")
    demo.add_argument("--conversations", type=count_arg(0), default=None, metavar="M", help="number of conversations")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="random seed (same seed, same data)")
    demo.add_argument("--force", action="store_true", help="add to a database that already holds data")
    demo.add_argument(
        "--big-customer",
        type=count_arg(0),
        default=0,
        metavar="K",
        help="give the first customer K of the conversations (for benchmarks)",
    )

    imp = add_command(
        sub,
        "import",
        "import customers, contacts, conversations or bookings from CSV, or contacts from vCard",
        run_import,
    )
    imp.add_argument("kind", choices=IMPORT_KINDS)
    imp.add_argument("file", metavar="FILE", help="the file to read, - for standard input")
    existing = imp.add_mutually_exclusive_group()
    existing.add_argument(
        "--skip-existing",
        action="store_true",
        help="leave rows whose uid, number or contact is already in the database",
    )
    existing.add_argument(
        "--update", action="store_true", help="overwrite rows whose uid, number or contact is already in the database"
    )
    imp.add_argument(
        "--customer", metavar="NUMBER", help="vcard: the customer the contacts belong to (default: each card's ORG)"
    )

    exp = add_command(
        sub,
        "export",
        "export customers, contacts, conversations or bookings as CSV or JSON, or contacts as vCard",
        run_export,
    )
    exp.add_argument("kind", choices=EXPORT_KINDS)
    add_format(exp, ("csv", "json"), default="csv")
    exp.add_argument("--raw", action="store_true", help="CSV cells exactly as stored (no leading ' before =, +, -, @)")
    exp.add_argument("-o", "--output", metavar="FILE", default="-", help="output file, - for stdout (default)")


def run_demo(args: argparse.Namespace, ctx) -> int:
    """Fill the database with sample data; refuse one that holds customers or conversations."""
    from storage.sample.demo import generate, is_empty, sizes

    if not args.force and not is_empty():
        raise RapportError("the database already holds customers or conversations; use --force to add demo data anyway")
    customers, conversations = sizes(args.customers, args.conversations)
    with Progress("demo") as progress:
        summary = generate(ctx, customers, conversations, args.seed, args.big_customer, progress=progress)
    print(summary, file=sys.stderr)
    return 0


def _import(args: argparse.Namespace, ctx, progress):
    from storage.exchange import csvimport, csvimport_more, vcard

    mode = "skip" if args.skip_existing else "update" if args.update else "error"
    if args.customer is not None and args.kind != "vcard":
        raise RapportError("--customer is only for import vcard")
    if args.kind == "customers":
        return csvimport.import_customers(args.file, mode, progress)
    if args.kind == "conversations":
        return csvimport.import_conversations(args.file, ctx.login, mode, progress)
    if args.kind == "contacts":
        return csvimport_more.import_contacts(args.file, mode, progress)
    if args.kind == "bookings":
        return csvimport_more.import_bookings(args.file, ctx.login, ctx.config, mode, progress)
    return vcard.import_vcards(args.file, args.customer, mode)


def run_import(args: argparse.Namespace, ctx) -> int:
    """Import a file; on any error print a summary line, then the first 50 errors and how
    many more there are, and exit 1."""
    from storage.exchange.csvio import CsvImportError

    try:
        with Progress(f"import {args.kind}", in_bytes=True) as progress:
            summary = _import(args, ctx, progress)
    except CsvImportError as exc:
        print(f"rapport: {exc.summary}", file=sys.stderr)
        for error in exc.errors[:MAX_ERRORS_SHOWN]:
            print(f"  {exc.filename}: {error}", file=sys.stderr)
        rest = len(exc.errors) - MAX_ERRORS_SHOWN
        if rest > 0:
            print(f"  … and {rest:,} more error{'s' if rest != 1 else ''}", file=sys.stderr)
        return 1
    name = "standard input" if args.file == "-" else args.file
    print(f"{name}: {summary}", file=sys.stderr)
    return 0


def run_export(args: argparse.Namespace, ctx) -> int:
    """``-o -`` (the default) writes to stdout, ``-o FILE`` writes FILE (``storage.exchange.outfile``)."""
    from storage.exchange.csvexport import count_rows, export_to_file
    from storage.exchange.outfile import open_output

    if args.kind == "vcard":
        if args.format != "csv" or args.raw:
            raise RapportError("export vcard writes vCard: --format and --raw do not apply")
        from storage.exchange.vcard import write_vcards

        with open_output(args.output) as out:
            count = write_vcards(out)
        noun = "contacts"
    else:
        total = count_rows(args.kind)
        with Progress(f"export {args.kind}") as progress:
            count = export_to_file(
                args.kind, args.format, args.output, raw=args.raw, progress=lambda done: progress(done, total)
            )
        noun = args.kind
    where = "standard output" if args.output == "-" else args.output
    print(f"exported {count} {noun} to {where}", file=sys.stderr)
    return 0

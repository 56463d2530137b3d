"""``rapport search TEXT [--employee LOGIN] [--limit N] [--json]`` (README.md#command-line): the search of the
F9 screen (storage.reporting.search) on the command line. Without ``--json``, one aligned line per
conversation: date, customer, employee, with whom and the start of the note."""

from __future__ import annotations

import argparse

from cli.common import add_command, add_format, print_json
from cli.textout import table


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return number


def add_parsers(sub) -> None:
    parser = add_command(sub, "search", "find conversations by the words of their note or with whom", run_search)
    parser.add_argument(
        "text", metavar="TEXT", help="words to find, in any order; the start of a word is enough (contr finds contract)"
    )
    parser.add_argument("--employee", metavar="LOGIN", help="only this employee's conversations")
    parser.add_argument("--limit", metavar="N", type=_limit, default=50, help="at most N results (default 50)")
    add_format(parser, ("text", "json"))


def run_search(args: argparse.Namespace, ctx) -> int:
    from storage.records.lookups import find_employee
    from storage.reporting import search

    employee_id = find_employee(args.employee).id if args.employee else None
    if args.format == "json":
        print_json(search.search_document(args.text, employee_id=employee_id, limit=args.limit))
        return 0
    results = search.search(args.text, employee_id=employee_id, limit=args.limit, note_chars=200)
    if not results:
        print("No conversation matches.")
        return 0
    rows = [(r.date.isoformat(), r.customer, r.employee, r.with_whom, r.note) for r in results]
    for line in table(
        ["Date", "Customer", "Employee", "With whom", "Note"], rows, max_widths={1: 24, 3: 16}, fill_to=120
    ):
        print(line)
    return 0

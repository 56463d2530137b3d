"""Shared argparse pieces: every subcommand also accepts ``--database`` and ``--today``
after its name (README.md#settings-configtoml: ``--today`` works with every command)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


def parse_date(value: str) -> dt.date:
    """``--today``: an ISO date only, so that a scripted run means one fixed day."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


class RelativeDate(str):
    """A date option as typed (``fri``, ``+2w``, ``eom``…), checked by argparse and resolved
    by ``resolve_dates`` once today (``--today`` or the clock) is known."""


def date_argument(value: str) -> dt.date | RelativeDate:
    """Every other date option: the grammar of docs/data.md#the-conversation-form (storage.parsing.parse_date)."""
    from storage.parsing import DATE_HINT
    from storage.parsing import parse_date as parse_typed

    try:
        parse_typed(value, dt.date(2000, 1, 1))  # the form is checked now, the day later
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r}: {exc}") from None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        pass
    if not value.strip():
        raise argparse.ArgumentTypeError(f"a date is needed: {DATE_HINT}")
    return RelativeDate(value)


def resolve_dates(args: argparse.Namespace, today: dt.date) -> None:
    """Replace every relative date option by the day it means on ``today``."""
    from storage.errors import RapportError
    from storage.parsing import parse_date as parse_typed

    for name, value in vars(args).items():
        if isinstance(value, RelativeDate):
            try:
                setattr(args, name, parse_typed(value, today))
            except ValueError as exc:
                raise RapportError(f"{value!r}: {exc}") from None


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help="database URL")
    common.add_argument(
        "--today",
        metavar="YYYY-MM-DD",
        type=parse_date,
        default=argparse.SUPPRESS,
        help="act as if today were this date",
    )
    return common


def add_command(subparsers, name: str, help: str, func) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help, description=help, parents=[common_options()])
    parser.set_defaults(func=func)
    return parser


def add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--from",
        dest="date_from",
        metavar="D1",
        type=date_argument,
        help="first day (YYYY-MM-DD, today, -1m, mon, eom…)",
    )
    parser.add_argument(
        "--to",
        dest="date_to",
        metavar="D2",
        type=date_argument,
        help="last day (YYYY-MM-DD, today, +2w, fri, eow, eom…)",
    )


def add_format(
    parser: argparse.ArgumentParser, formats: tuple[str, ...] = ("text", "csv", "json"), default: str = "text"
) -> None:
    """``--format`` for every command that prints data, and ``--json`` as its old synonym."""
    parser.add_argument("--format", choices=formats, default=default, help=f"output format (default: {default})")
    parser.add_argument("--json", dest="format", action="store_const", const="json", help="same as --format json")


def print_csv(header: list[str], rows) -> None:
    """RFC 4180 CSV on stdout. A text cell that a spreadsheet would run as a formula gets a
    leading ' (README.md#csv-files); numbers stay numbers."""
    import csv

    writer = csv.writer(sys.stdout, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_csv_cell(value) for value in row])


def _csv_cell(value) -> object:
    if value is None:
        return ""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def print_json(document) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def count_arg(minimum: int):
    """An argparse type: a whole number of at least ``minimum`` (a usage error otherwise)."""

    def parse(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
        if number < minimum:
            raise argparse.ArgumentTypeError(f"{value} is less than {minimum}")
        return number

    return parse

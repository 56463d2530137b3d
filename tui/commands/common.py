"""Shared argparse pieces: every subcommand also accepts ``--database`` and ``--today``
after its name (SPEC §1: ``--today`` works with every command)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def common_options() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--database", metavar="URL", default=argparse.SUPPRESS, help="database URL")
    common.add_argument(
        "--today", metavar="YYYY-MM-DD", type=parse_date, default=argparse.SUPPRESS,
        help="act as if today were this date",
    )
    return common


def add_command(subparsers, name: str, help: str, func) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=help, description=help, parents=[common_options()])
    parser.set_defaults(func=func)
    return parser


def add_period(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", metavar="D1", type=parse_date, help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="date_to", metavar="D2", type=parse_date, help="last day (YYYY-MM-DD)")


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

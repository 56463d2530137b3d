"""The ``rapport`` command: argparse, then either the TUI or a scriptable subcommand (README.md#command-line).

Exit status: 0 on success, 1 on a user error (one line on stderr, never a traceback),
2 on bad usage.
"""

from __future__ import annotations

import argparse
import os
import sys

from cli.common import parse_date, resolve_dates
from storage.errors import RapportError

COMMAND_MODULES = (
    "cli.data",
    "cli.reports",
    "cli.pipeline",
    "cli.calendar",
    "cli.settings",
    "cli.sync",
    "cli.store",
    "cli.search",
)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("rapport-crm")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree
        return "unknown"


class VersionAction(argparse.Action):
    """``--version``: the installed version, looked up only when asked (reading the package
    metadata costs every other command some 30 ms)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help or "show the version and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"rapport {_version()}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="rapport",
        description="Rapport: a keyboard-first terminal CRM. Without a command, starts the TUI.",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="sqlite:///RELATIVE/PATH, sqlite:////ABSOLUTE/PATH, a file path, or "
        "postgresql://user@host:port/db "
        "(default: $RAPPORT_DATABASE, else the per-user SQLite file)",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=parse_date, help="act as if today were this date")
    parser.add_argument("--version", action=VersionAction)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parsers(sub)
    return parser


def make_context(args: argparse.Namespace, open_db: bool = True):
    """Open the database named by the arguments (unless ``open_db`` is false: ``rapport config``
    must work when the database does not) and build the Context."""
    from storage.config import config_path, load_settings
    from storage.context import Context
    from storage.db.connection import resolve_database_url
    from storage.db.database import open_database

    path = config_path()
    config, warnings = load_settings(path)
    if args.database is not None and not args.database.strip():
        raise RapportError(
            "--database: the URL is empty; use sqlite:////ABSOLUTE/PATH or postgresql://user@host:port/dbname"
        )
    url = resolve_database_url(args.database, configured=config.get("database"))
    if open_db:
        open_database(url)
    return Context(url=url, config=config, today_override=args.today, config_path=path, config_warnings=warnings)


def run_tui(ctx) -> int:
    from tui.app import RapportApp

    ctx.employee()  # created (a write) before the screen: the UI thread only reads it later
    app = RapportApp(ctx)
    app.run()
    return app.return_code or 0  # 128 + N after signal N (SIGHUP, SIGTERM)


def _terminal_missing() -> str | None:
    """Why the TUI cannot start here (README.md#command-line), or None."""
    for name, stream in (("standard input", sys.stdin), ("standard output", sys.stdout)):
        try:
            if stream is None or not stream.isatty():
                return name
        except (ValueError, OSError):
            return name
    return None


def _flush_stdout() -> str | None:
    """Flush standard output; a message when it is closed or full. Afterwards it points
    nowhere, so Python's own flush at exit cannot print a traceback."""
    if sys.stdout is None:
        return None
    try:
        sys.stdout.flush()
        return None
    except OSError as exc:
        from storage.exchange.outfile import _message

        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            os.close(devnull)
        except (OSError, ValueError):
            pass
        return _message("standard output", exc)


def _database_error(exc: BaseException) -> str:
    """A database error the user can act on, in one line (a read-only role, a full disk, a
    server that went away), never with a URL's password."""
    from storage.db.connection import redact_text

    # SQLite ends a transaction itself on some errors (a full disk); peewee's rollback then
    # fails too, and the first error is the one that says what happened.
    while "no transaction is active" in str(exc) and exc.__context__ is not None:
        exc = exc.__context__
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    text = redact_text(text)
    if "permission denied" in text.lower() or "read-only" in text.lower() or "readonly" in text.lower():
        return f"the database refused the change ({text}); nothing was changed"
    if "full" in text.lower() or "no space" in text.lower():
        return f"the disk is full ({text}); nothing was changed"
    if "terminat" in text.lower() or "closed" in text.lower() or "connection" in text.lower():
        return f"the connection to the database was lost ({text}); nothing was changed, try again"
    return f"database error: {text}"


def _database_errors() -> tuple[type[BaseException], ...]:
    """Peewee's errors and the drivers' own (bulk inserts use the driver's cursor)."""
    import sqlite3

    import peewee

    errors: tuple = (peewee.DatabaseError, peewee.InterfaceError, sqlite3.Error)
    try:
        import psycopg2
    except ImportError:  # pragma: no cover - team mode not installed
        return errors
    return (*errors, psycopg2.Error)


def main(argv: list[str] | None = None) -> int:

    from storage.errors import Interrupted  # (storage.exchange.outfile costs a report 20 ms)
    from tui import heap

    heap.starting()  # until the TUI's first frame, or until a subcommand starts (tui.heap)
    status = 0
    try:
        args = build_parser().parse_args(argv)
        if args.command is None and (missing := _terminal_missing()):
            print(
                f"rapport: {missing} is not a terminal, so the TUI cannot start; name a command (rapport --help)",
                file=sys.stderr,
            )
            return 2
        ctx = make_context(args, open_db=getattr(args, "needs_database", True))
        if args.command is None:
            return run_tui(ctx)  # the TUI shows the config warnings itself
        heap.resume()
        resolve_dates(args, ctx.today())
        for warning in ctx.config_warnings:
            print(f"rapport: {warning}", file=sys.stderr)
        status = int(args.func(args, ctx) or 0)
    except RapportError as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        status = 1
    except Interrupted as exc:
        print(f"rapport: {exc}; the output file was not written", file=sys.stderr)
        return 128 + exc.signum
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _flush_stdout()
        print("rapport: standard output was closed before everything was written", file=sys.stderr)
        return 1
    except _database_errors() as exc:
        print(f"rapport: {_database_error(exc)}", file=sys.stderr)
        status = 1
    except OSError as exc:
        where = exc.filename or "standard output"
        print(f"rapport: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        status = 1
    finally:
        from storage.db.database import close_database

        heap.resume()  # (main may run inside a longer process: tests)
        try:
            close_database()
        except _database_errors():
            pass
    problem = _flush_stdout()
    if problem:
        print(f"rapport: {problem}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    raise SystemExit(main())

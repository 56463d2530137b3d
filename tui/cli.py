"""The ``rapport`` command: argparse, then either the TUI or a scriptable subcommand (README.md#command-line).

Exit status: 0 on success, 1 on a user error (one line on stderr, never a traceback),
2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys

from storage.errors import RapportError
from tui.commands.common import parse_date

COMMAND_MODULES = (
    "tui.commands.data",
    "tui.commands.reports",
    "tui.commands.pipeline",
    "tui.commands.calendar",
    "tui.commands.settings",
)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = argparse.ArgumentParser(
        prog="rapport",
        description="Rapport: a keyboard-first terminal CRM. Without a command, starts the TUI.",
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help="sqlite:///ABSOLUTE/PATH or postgresql://user@host:port/db "
        "(default: $RAPPORT_DATABASE, else the per-user SQLite file)",
    )
    parser.add_argument("--today", metavar="YYYY-MM-DD", type=parse_date, help="act as if today were this date")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parsers(sub)
    return parser


def make_context(args: argparse.Namespace, open_db: bool = True):
    """Open the database named by the arguments (unless ``open_db`` is false: ``rapport config``
    must work when the database does not) and build the Context."""
    from storage.config import config_path, load_settings
    from storage.context import Context
    from storage.database import open_database, resolve_database_url

    path = config_path()
    config, warnings = load_settings(path)
    if args.database is not None and not args.database.strip():
        raise RapportError("--database: the URL is empty; use sqlite:///ABSOLUTE/PATH or postgresql://user@host:port/dbname")
    url = resolve_database_url(args.database, configured=config.get("database"))
    if open_db:
        open_database(url)
    return Context(url=url, config=config, today_override=args.today, config_path=path,
                   config_warnings=warnings)


def run_tui(ctx) -> int:
    from tui.app import RapportApp

    app = RapportApp(ctx)
    app.run()
    return app.return_code or 0  # 128 + N after signal N (SIGHUP, SIGTERM)


def main(argv: list[str] | None = None) -> int:
    from tui import heap

    heap.starting()  # until the TUI's first frame, or until a subcommand starts (tui.heap)
    try:
        args = build_parser().parse_args(argv)
        ctx = make_context(args, open_db=getattr(args, "needs_database", True))
        if args.command is None:
            return run_tui(ctx)  # the TUI shows the config warnings itself
        heap.resume()
        for warning in ctx.config_warnings:
            print(f"rapport: {warning}", file=sys.stderr)
        return int(args.func(args, ctx) or 0)
    except RapportError as exc:
        print(f"rapport: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    finally:
        from storage.database import close_database

        heap.resume()  # (main may run inside a longer process: tests)
        close_database()


if __name__ == "__main__":
    raise SystemExit(main())

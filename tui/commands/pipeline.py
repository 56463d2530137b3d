"""``rapport pipeline`` (SPEC §6, §7)."""

from __future__ import annotations

import argparse

from storage.errors import RapportError
from tui.commands.common import add_command, add_period


def add_parsers(sub) -> None:
    pl = add_command(sub, "pipeline", "sales pipeline metrics", run_pipeline)
    add_period(pl)
    pl.add_argument("--employee", metavar="LOGIN", help="only cycles attributed to this employee")
    pl.add_argument("--json", action="store_true", help="print one JSON document")


def run_pipeline(args: argparse.Namespace, ctx) -> int:
    raise RapportError("pipeline is not built yet")

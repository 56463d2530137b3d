"""``rapport followups`` and ``rapport stats`` (SPEC §5, §7)."""

from __future__ import annotations

import argparse

from storage.errors import RapportError
from tui.commands.common import add_command, add_period


def add_parsers(sub) -> None:
    fu = add_command(sub, "followups", "whom to follow up with: due, overdue and upcoming", run_followups)
    who = fu.add_mutually_exclusive_group()
    who.add_argument("--employee", metavar="LOGIN", help="this employee's follow-ups (default: yours)")
    who.add_argument("--all", action="store_true", help="everyone's follow-ups")
    fu.add_argument("--json", action="store_true", help="print one JSON document")

    st = add_command(sub, "stats", "follow-up statistics per employee", run_stats)
    add_period(st)
    st.add_argument("--json", action="store_true", help="print one JSON document")


def run_followups(args: argparse.Namespace, ctx) -> int:
    raise RapportError("followups is not built yet")


def run_stats(args: argparse.Namespace, ctx) -> int:
    raise RapportError("stats is not built yet")

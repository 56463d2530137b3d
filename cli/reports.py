"""``rapport followups`` and ``rapport stats`` (docs/reports.md, README.md#command-line).

Both print an aligned plain-text table by default, exactly the JSON document of README.md#command-line with
``--format json`` (or ``--json``), and its rows as CSV with ``--format csv``. The figures come from ``storage.reporting.reports``, like the Follow-ups and Statistics
screens, so the command line and the screens cannot disagree.

In the follow-ups JSON, ``days_overdue`` is D − follow-up for every item: positive when
late, 0 for today's, negative for upcoming ones (-2 = due in two days).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from cli.common import add_command, add_format, add_period, print_csv, print_json
from cli.textout import table
from storage.errors import RapportError

if TYPE_CHECKING:
    from storage.reporting import reports


def add_parsers(sub) -> None:
    fu = add_command(sub, "followups", "whom to follow up with: due, overdue and upcoming", run_followups)
    who = fu.add_mutually_exclusive_group()
    who.add_argument("--employee", metavar="LOGIN", help="this employee's follow-ups (default: yours)")
    who.add_argument("--all", action="store_true", help="everyone's follow-ups")
    add_format(fu)

    st = add_command(
        sub,
        "stats",
        "follow-up statistics per employee (default period: this month; only days up to "
        "today count; --from alone runs to today, --to alone starts on the 1st of its month)",
        run_stats,
    )
    add_period(st)
    add_format(st)


# The CSV columns (as in the JSON documents of README.md#command-line).
FOLLOWUP_COLUMNS = (
    "uid",
    "customer_number",
    "customer",
    "employee",
    "date",
    "follow_up",
    "days_overdue",
    "with_whom",
    "about",
    "how",
    "note",
)
STAT_COLUMNS = ("employee", "logged", "scheduled", "due", "done", "on_time", "open_overdue", "on_time_rate")


def _login(args: argparse.Namespace, ctx) -> str | None:
    """None for everyone; the named employee; else the current one. A report only reads: it
    writes nothing once the current employee exists (a write would wait for another Rapport's
    write, docs/storage.md); a new member's first run creates them, as every first start does."""
    if args.all:
        return None
    if args.employee:
        return args.employee
    return ctx.employee().login


def run_followups(args: argparse.Namespace, ctx) -> int:
    from storage.reporting import reports  # not at import: the TUI's start-up never needs it

    today = ctx.today()
    login = _login(args, ctx)
    if args.format == "json":
        from storage.reporting import followups_json

        followups_json.write(sys.stdout, today, login)  # = print_json(followups_report)
        return 0
    if args.format == "csv":  # one row per item, the section first
        document = reports.followups_report(today, login)
        items = [("due", i) for i in document["due"]] + [("upcoming", i) for i in document["upcoming"]]
        keys = list(items[0][1]) if items else list(FOLLOWUP_COLUMNS)
        print_csv(["section", *keys], ([section, *(i[k] for k in keys)] for section, i in items))
        return 0
    due = reports.due(today, login)
    upcoming = reports.upcoming(today, login)
    for line in followups_text(today, login, due, upcoming):
        print(line)
    return 0


def _when(days_overdue: int) -> str:
    if days_overdue > 0:
        return f"{days_overdue}d late"
    return "today" if days_overdue == 0 else f"in {-days_overdue}d"


def followups_text(today: dt.date, login: str | None, due: list, upcoming: list) -> list[str]:
    """The readable report: a summary line, then overdue, today and upcoming sections."""
    from storage.reporting import reports  # not at import: the TUI's start-up never needs it

    overdue = [item for item in due if item.days_overdue > 0]
    todays = [item for item in due if item.days_overdue == 0]
    who = "everyone" if login is None else login
    lines = [
        f"Follow-ups for {who} on {today.isoformat()}: {len(overdue)} overdue, "
        f"{len(todays)} today, {len(upcoming)} in the next {reports.UPCOMING_DAYS} days"
    ]
    headers = ["When", "Follow-up", "Customer", *(["Employee"] if login is None else []), "About", "With whom", "Note"]
    caps = {2: 18, 3: 8, 4: 8, 5: 10} if login is None else {2: 24, 3: 10, 4: 12}
    sections = [("Overdue", overdue), ("Today", todays), (f"Upcoming (next {reports.UPCOMING_DAYS} days)", upcoming)]
    rows = [
        [
            _when(i.days_overdue),
            i.follow_up.isoformat(),
            i.customer,
            *([i.employee] if login is None else []),
            i.about,
            i.with_whom,
            i.note,
        ]
        for _, items in sections
        for i in items
    ]
    header, *body = table(headers, rows, aligns=">", max_widths=caps, fill_to=80)
    lines += ["", header] if rows else []
    for index, (title, items) in enumerate(sections):
        lines += [f"{title}: {len(items)}"] if rows and not index else ["", f"{title}: {len(items)}"]
        lines += body[: len(items)]
        body = body[len(items) :]
    return lines


def _period(args: argparse.Namespace, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    date_from, date_to = args.date_from, args.date_to
    if date_from and not date_to:
        date_to = max(today, date_from)
    elif date_to and not date_from:
        date_from = date_to.replace(day=1)
    if date_from and date_to and date_from > date_to:
        raise RapportError(f"--from {date_from} is after --to {date_to}")
    return date_from, date_to


STAT_HEADERS = ["Employee", "Logged", "Scheduled", "Due", "Done", "On time", "Open overdue", "On time %"]


def stat_cells(row: reports.EmployeeStats, name: str) -> list[str]:
    rate = "–" if row.on_time_rate is None else f"{row.on_time_rate:.1f}"
    return [
        name,
        str(row.logged),
        str(row.scheduled),
        str(row.due),
        str(row.done),
        str(row.on_time),
        str(row.open_overdue),
        rate,
    ]


def run_stats(args: argparse.Namespace, ctx) -> int:
    from storage.reporting import reports  # not at import: the TUI's start-up never needs it

    today = ctx.today()
    stats = reports.statistics(today, *_period(args, today))
    if args.format != "text":
        document = stats.as_json()
        if args.format == "json":
            print_json(document)
        else:  # one row per employee, with the period
            keys = list(STAT_COLUMNS)
            print_csv(
                ["from", "to", *keys],
                ([document["from"], document["to"], *(e[k] for k in keys)] for e in document["employees"]),
            )
        return 0
    for line in stats_text(stats):
        print(line)
    return 0


def stats_text(stats: reports.Statistics) -> list[str]:
    period = f"{stats.date_from.isoformat()} to {stats.date_to.isoformat()}"
    if stats.counted_to < stats.date_to:
        period += f" (counted up to {stats.counted_to.isoformat()})"
    rows = [stat_cells(e, e.employee) for e in stats.employees]
    rows.append(stat_cells(stats.total, "Total"))
    lines = [f"Follow-up statistics, {period}", ""]
    lines += table(STAT_HEADERS, rows, aligns="<>>>>>>>", max_widths={0: 16})
    return lines

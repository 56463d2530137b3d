"""What benchmarks/run.py measures. Each step is ``step(url, repeat, today) -> [Result]``."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from benchmarks.harness import Result, timed


def _open(url: str, today: dt.date):
    from storage.context import Context
    from storage.db.database import open_database

    open_database(url)
    return Context(url=url, today_override=today, login="bench")


def storage_reports(url: str, repeat: int, today: dt.date) -> list[Result]:
    """follow-up report, statistics and pipeline metrics through storage"""
    from peewee import fn

    from storage.db.database import close_database
    from storage.db.models import Conversation, Employee
    from storage.reporting import reports
    from tui.widgets.followup_table import FollowupSource

    _open(url, today)
    # The employee with the most open follow-ups: the longest "my follow-ups" list.
    busiest = (
        Employee.select(Employee.login)
        .join(Conversation, on=(Conversation.employee == Employee.id))
        .where(Conversation.follow_up.is_null(False), ~Conversation.completed, Conversation.deleted_at.is_null())
        .group_by(Employee.login)
        .order_by(fn.COUNT(Conversation.id).desc())
        .limit(1)
        .scalar()
    )
    size = reports.followups_report(today, busiest)

    def screen_page():
        source = FollowupSource(today, None, True)
        source.count()
        source.fetch(0, 60)

    results = [
        Result(
            f"storage: follow-up report of {busiest} ({len(size['due'])} due, {len(size['upcoming'])} upcoming)",
            50,
            timed(lambda: reports.followups_report(today, busiest), repeat),
        ),
        Result("storage: follow-ups screen, everyone: counts + first page", 50, timed(screen_page, repeat)),
        Result("storage: statistics, this month", 50, timed(lambda: reports.statistics(today), repeat)),
    ]
    try:
        from storage.reporting import pipeline
    except ImportError:
        pipeline = None
    if pipeline is not None and hasattr(pipeline, "pipeline_metrics"):
        results.append(Result("storage: pipeline metrics", 50, timed(lambda: pipeline.pipeline_metrics(today), repeat)))
    close_database()
    return results


def export_ics(url: str, repeat: int, today: dt.date) -> list[Result]:
    """export-ics of 10,000 follow-ups"""
    from storage.db.database import close_database
    from storage.db.models import Conversation
    from storage.exchange import calendar

    _open(url, today)
    # The 10,000 open follow-ups with the latest dates: a --from date that selects them.
    dates = (
        Conversation.select(Conversation.follow_up)
        .where(
            Conversation.follow_up.is_null(False),
            Conversation.completed == False,  # noqa: E712
            Conversation.deleted_at.is_null(),
        )
        .order_by(Conversation.follow_up.desc())
        .offset(9_999)
        .limit(1)
        .scalar()
    )
    out = Path(tempfile.mkdtemp()) / "bench.ics"

    def run():
        export = calendar.build_export(None, date_from=dates)
        calendar.write_file(export, out)
        run.count = export.follow_ups + export.bookings

    samples = timed(run, repeat)
    close_database()
    return [Result(f"export-ics of {run.count:,} follow-ups and bookings", 1000, samples)]


def search(url: str, repeat: int, today: dt.date) -> list[Result]:
    """the search of F9 and rapport search: its first page (docs/performance.md: 50 ms)"""
    from storage.db.database import close_database
    from storage.db.models import Employee
    from storage.reporting import search as find

    _open(url, today)
    busiest = Employee.select(Employee.id).order_by(Employee.id).first()
    queries = [
        ("a common word", "price", None),  # tens of thousands of matches
        ("two words, any order", "terms price", None),
        ("a word start", "deliv", None),
        ("a rare word", "zzqx", None),
        ("one employee's, a common word", "price", busiest.id if busiest else None),
    ]
    results = []
    for label, text, employee_id in queries:
        count = len(find.search(text, employee_id=employee_id, limit=50))
        results.append(
            Result(
                f"storage: search first page, {label} ({text!r}, {count} shown)",
                50,
                timed(
                    lambda: find.search(text, employee_id=employee_id, limit=50),  # noqa: B023 (timed here)
                    repeat,
                ),
            )
        )
    close_database()
    return results


STEPS = [storage_reports, export_ics, search]


# Budgets of the TUI measurements made by benchmarks/tui_child.py.
TUI_TARGETS = {
    "customers list": 16,
    "big customer's conversations": 16,
    "search as you type": 50,
    "open the big customer": 50,
    "big customer: Conversations tab": 50,
}


def tui(url: str, repeat: int, today: dt.date) -> list[Result]:
    """keypresses, search and opening a customer in the TUI at 120x40, and peak memory"""
    import json
    import os
    import subprocess

    from benchmarks.harness import ROOT, python

    out = subprocess.run(
        [python(), str(ROOT / "benchmarks" / "tui_child.py"), url, today.isoformat(), str(repeat)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    results = []
    for name, samples in data.items():
        if name.startswith("_") or name == "peak_rss_mb":
            continue
        target = next(t for prefix, t in TUI_TARGETS.items() if name.startswith(prefix))
        results.append(Result(f"tui: {name}", target, samples))
    results.append(Result("peak memory of the TUI session, MB", 150, [data["peak_rss_mb"]]))
    return results


STEPS.append(tui)


def tui_paths(url: str, repeat: int, today: dt.date) -> list[Result]:
    """switching screens, opening forms and pickers, saving, Follow-ups actions in the TUI"""
    import json
    import os
    import subprocess

    from benchmarks.harness import ROOT, python

    out = subprocess.run(
        [python(), str(ROOT / "benchmarks" / "tui_paths.py"), url, today.isoformat(), str(repeat)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return [Result(f"tui: {name}", 50, samples) for name, samples in data.items()]


STEPS.append(tui_paths)

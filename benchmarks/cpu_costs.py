"""CPU cost of the storage work behind the docs/performance.md budgets, on either backend (not a test).

    python benchmarks/cpu_costs.py                     # the cached SQLite reference data
    python benchmarks/cpu_costs.py --database postgresql://postgres@127.0.0.1/rapport_bench

Wall-clock medians (benchmarks/run.py) mean little on a machine that other jobs keep busy:
on the shared 2-core development VM an empty Textual app took 3.9 s to its first frame
instead of 0.17 s. CPU time does not grow with the load. For each step this prints the
median CPU milliseconds of this process plus, on a local PostgreSQL server, of the server
process serving its connection (read from /proc), which on an idle machine is close to the
wall time (one query runs on one core). Uses the reference data of benchmarks/run.py.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.backends import backend
from benchmarks.harness import big_customer_id
from benchmarks.run import TODAY, build_reference


def server_cpu_reader():
    """A function returning the CPU seconds of the server process behind this connection
    (0 on SQLite, or when the server's /proc is not readable from here)."""
    from storage.db.dialect import is_sqlite
    from storage.db.models import db

    if is_sqlite():
        return lambda: 0.0
    pid = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
    path = f"/proc/{pid}/stat"
    tick = os.sysconf("SC_CLK_TCK")

    def read() -> float:
        try:
            with open(path) as stat_file:
                fields = stat_file.read().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / tick

    return read


def steps(today):

    from storage.records import conversation_list
    from storage.records.conversation_list import ConversationFilter
    from storage.records.queries import CustomerList
    from storage.reporting import pipeline, reports
    from tui.widgets.followup_table import FollowupSource

    big = big_customer_id()
    everyone = CustomerList(today)

    def screen_page():
        source = FollowupSource(today, None, True)
        source.count()
        source.fetch(0, 60)

    def search(text):
        found = CustomerList(today, text)
        found.count()
        found.fetch(0, 38)

    def big_customer():
        conversation_list.count(big, ConversationFilter())
        conversation_list.page(big, ConversationFilter(), 0, 114)

    return [
        ("follow-up report of bench", lambda: reports.followups_report(today, "bench")),
        ("follow-ups screen, everyone: counts + first page", screen_page),
        ("statistics, this month", lambda: reports.statistics(today)),
        ("pipeline metrics", lambda: pipeline.pipeline_metrics(today)),
        ("customers list: a window of 114 rows", lambda: everyone.fetch(4_000, 114)),
        ("customers list: position of a customer", lambda: everyone.index_of(5_000)),
        ("search 'gmbh': count + first page", lambda: search("gmbh")),
        ("search '+49 1': count + first page", lambda: search("+49 1")),
        ("big customer: count + 114 conversations", big_customer),
        (
            "big customer: 114 conversations at the end",
            lambda: conversation_list.page(big, ConversationFilter(), 9_800, 114),
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=None)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--repeat", type=int, default=3, help="samples per step")
    parser.add_argument(
        "--runs", type=int, default=10, help="runs per sample (the server's CPU clock ticks every 10 ms)"
    )
    args = parser.parse_args(argv)
    from storage.db.database import open_database

    url = build_reference("quick" if args.quick else "full", False, print, args.database)
    open_database(url)
    server = server_cpu_reader()
    print(
        f"CPU ms per step on {backend(url)} (this process + its server process), "
        f"median of {args.repeat} samples of {args.runs} runs; wall median beside it\n"
    )
    print(f"{'step':50} {'client':>8} {'server':>8} {'CPU':>8} {'wall':>8}")
    for name, step in steps(TODAY):
        step()  # warm: caches, prepared plans
        client, backend_cpu, total, wall = [], [], [], []
        for _ in range(args.repeat):
            c0, s0, w0 = time.process_time(), server(), time.perf_counter()
            for _ in range(args.runs):
                step()
            n = args.runs
            c, s = (time.process_time() - c0) * 1000 / n, (server() - s0) * 1000 / n
            wall.append((time.perf_counter() - w0) * 1000 / n)
            client.append(c)
            backend_cpu.append(s)
            total.append(c + s)
        print(
            f"{name:50} {statistics.median(client):8.1f} {statistics.median(backend_cpu):8.1f} "
            f"{statistics.median(total):8.1f} {statistics.median(wall):8.1f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

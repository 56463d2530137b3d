"""Soak test (issue 18, not part of the unit suite): many people working on one database.

    python benchmarks/soak.py                                   # PostgreSQL, 20 users, 5 minutes
    python benchmarks/soak.py --database sqlite:////tmp/soak.db --users 5 --duration 120
    python benchmarks/soak.py --tuis 2                          # plus two real TUIs in tmux

Each simulated user is a process of its own (its own connection, as a real Rapport), logged in
as its own employee, and works at a human pace with bursts through the storage functions the
TUI uses: search the customers as one types (a query per key), open a customer (its card, its
contacts, the first page of its conversations), log a conversation (with a follow-up now and
then), triage one of its due follow-ups (complete or snooze), run the reports (follow-ups,
statistics, pipeline metrics). ``--tuis N`` also runs N real Rapports in tmux sessions on the
same database, pressed keys now and then, and checks they are alive and show no traceback.

At the end: throughput, p50/p95/p99 latency per action, errors (must be 0), and every
conversation the users logged is looked up by its unique note: each must be there exactly once.
PostgreSQL runs in a schema of its own (``rapport_soak``, rebuilt each run) of the given
database; SQLite in the given file (rebuilt). Exit status 0 only when there were no errors
and every row checked out.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import random
import sys
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from benchmarks.backends import backend, schema_url  # noqa: E402
from benchmarks.soak_tuis import check_tuis, poke_tuis, start_tuis  # noqa: E402

DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/rapport_bench"
SCHEMA = "rapport_soak"
TODAY = dt.date(2026, 11, 27)
ACTIONS = ("search", "open customer", "log conversation", "triage follow-up", "reports")
WEIGHTS = (3, 3, 2, 2, 1)


# ---------------------------------------------------------------------------------------
# The database
# ---------------------------------------------------------------------------------------
def prepare(url: str, customers: int, conversations: int) -> str:
    """A fresh database with demo data; returns the URL the users open."""
    from storage.context import Context
    from storage.db.database import close_database, open_database
    from storage.sample import demo

    if backend(url) == "postgresql":
        import psycopg2

        admin = psycopg2.connect(url)
        admin.autocommit = True
        with admin.cursor() as cur:
            cur.execute(f'DROP SCHEMA IF EXISTS "{SCHEMA}" CASCADE')
            cur.execute(f'CREATE SCHEMA "{SCHEMA}"')
        admin.close()
        url = schema_url(url, SCHEMA)
    else:
        path = Path(url[len("sqlite://") :])
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    open_database(url)
    demo.generate(
        Context(url=url, today_override=TODAY, login="soak-admin"),
        customers=customers,
        conversations=conversations,
        seed=7,
    )
    close_database()
    return url


# ---------------------------------------------------------------------------------------
# One simulated user (a process)
# ---------------------------------------------------------------------------------------
class User:
    def __init__(self, number: int, url: str, run_id: str, customer_ids: list[int], names: list[str]):
        from storage.context import Context

        self.login = f"soak{number:02d}"
        self.ctx = Context(url=url, today_override=TODAY, login=self.login)
        self.rng = random.Random(number)
        self.run_id = run_id
        self.customer_ids = customer_ids
        self.names = names
        self.logged: list[str] = []
        self.samples: dict[str, list[float]] = {name: [] for name in ACTIONS}
        self.errors: list[str] = []

    def search(self) -> None:
        from storage.records.queries import CustomerList

        word = self.rng.choice(self.names)
        text = word[: self.rng.randint(2, min(6, len(word)))]
        for end in range(1, len(text) + 1):  # one query per key, as the list does
            found = CustomerList(TODAY, text[:end])
            found.count()
            found.fetch(0, 38)

    def open_customer(self) -> None:
        from storage.records import conversation_list, customers
        from storage.records.conversation_list import ConversationFilter

        customer_id = self.rng.choice(self.customer_ids)
        customers.get_customer(customer_id)
        customers.contacts(customer_id)
        flt = ConversationFilter()
        conversation_list.count(customer_id, flt)
        conversation_list.page(customer_id, flt, 0, 38)

    def log_conversation(self) -> None:
        from storage.records import conversations
        from storage.records.conversations import ConversationInput

        note = f"soak {self.run_id} {self.login} #{len(self.logged) + 1}: called about the order"
        follow_up = f"+{self.rng.choice((1, 3, 7))}" if self.rng.random() < 0.5 else ""
        form = ConversationInput(
            self.rng.choice(self.customer_ids), note=note, follow_up=follow_up, time_begin="10:00", time_end="10:15"
        )
        conversations.save(form, self.ctx.now(), self.ctx.employee().id)
        self.logged.append(note)

    def triage(self) -> None:
        from storage.records import conversations
        from storage.reporting import reports

        items = reports.due(TODAY, self.login, limit=20)
        if not items:
            items = reports.due(TODAY, None, limit=50)  # help a colleague
        if not items:
            return
        item = self.rng.choice(items)
        if self.rng.random() < 0.5:
            conversations.set_completed(item.id, True, TODAY)
        else:
            conversations.set_follow_up(item.id, reports.snoozed(item.follow_up, TODAY, 7))

    def reports(self) -> None:
        from storage.reporting import pipeline, reports

        reports.followups_report(TODAY, self.login)
        reports.statistics(TODAY)
        pipeline.pipeline_metrics(TODAY)

    def act(self, action: str) -> None:
        method = {
            "search": self.search,
            "open customer": self.open_customer,
            "log conversation": self.log_conversation,
            "triage follow-up": self.triage,
            "reports": self.reports,
        }[action]
        start = time.perf_counter()
        try:
            method()
        except Exception as exc:  # counted, and the user goes on (a real one would retry)
            self.errors.append(f"{action}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")
            return
        self.samples[action].append((time.perf_counter() - start) * 1000)

    def work(self, until: float) -> None:
        """Human pace: a few seconds between actions, now and then a burst of quick ones."""
        while time.monotonic() < until:
            burst = self.rng.randint(3, 6) if self.rng.random() < 0.15 else 1
            for _ in range(burst):
                self.act(self.rng.choices(ACTIONS, WEIGHTS)[0])
                time.sleep(self.rng.uniform(0.05, 0.3) if burst > 1 else 0)
            time.sleep(min(self.rng.expovariate(1 / 2.5), 10))


def run_user(number: int, url: str, run_id: str, duration: float, start_at: float, out) -> None:
    from storage.db.database import close_database, open_database
    from storage.db.models import Customer

    open_database(url)
    rows = list(Customer.select(Customer.id, Customer.name).tuples())
    names = sorted({word for _, name in rows for word in name.split() if len(word) > 2})
    user = User(number, url, run_id, [r[0] for r in rows], names)
    user.ctx.employee()
    time.sleep(max(0.0, start_at - time.time()) + user.rng.uniform(0, 2))
    user.work(time.monotonic() + duration)
    close_database()
    out.put({"login": user.login, "samples": user.samples, "errors": user.errors, "logged": user.logged})


# ---------------------------------------------------------------------------------------
# Checking and reporting
# ---------------------------------------------------------------------------------------
def check_rows(url: str, run_id: str, logged: list[str]) -> tuple[int, list[str]]:
    """Every logged conversation present exactly once, and nothing else carrying this run's mark."""
    from peewee import fn

    from storage.db.database import close_database, open_database
    from storage.db.models import Conversation

    open_database(url)
    found = dict(
        Conversation.select(Conversation.note, fn.COUNT(Conversation.id))
        .where(Conversation.note.startswith(f"soak {run_id} "))
        .group_by(Conversation.note)
        .tuples()
    )
    close_database()
    problems = [f"missing: {note}" for note in logged if note not in found]
    problems += [f"{count} times: {note}" for note, count in found.items() if count != 1]
    problems += [f"not logged by anyone: {note}" for note in found if note not in set(logged)]
    return len(found), problems


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", default=DEFAULT_PG, help=f"default {DEFAULT_PG} (schema {SCHEMA})")
    parser.add_argument("--users", type=int, default=None, help="default 20 on PostgreSQL, 5 on SQLite")
    parser.add_argument("--duration", type=float, default=300, help="seconds (default 300)")
    parser.add_argument("--customers", type=int, default=2_000)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--tuis", type=int, default=0, help="real TUIs in tmux beside the users")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    kind = backend(args.database)
    users = args.users or (20 if kind == "postgresql" else 5)
    print(f"preparing {kind}: {args.customers:,} customers, {args.conversations:,} conversations ...", file=sys.stderr)
    url = prepare(args.database, args.customers, args.conversations)
    run_id = uuid.uuid4().hex[:8]

    ctx = mp.get_context("fork")
    out = ctx.Queue()
    start_at = time.time() + 1
    procs = [ctx.Process(target=run_user, args=(n, url, run_id, args.duration, start_at, out)) for n in range(users)]
    for proc in procs:
        proc.start()
    sessions = start_tuis(args.tuis, url, TODAY)
    rng = random.Random(1)
    results = []
    deadline = time.monotonic() + args.duration + 120
    while len(results) < users and time.monotonic() < deadline:
        if sessions:
            poke_tuis(sessions, rng)
        try:
            results.append(out.get(timeout=1.5))
        except Exception:  # queue.Empty
            pass
    for proc in procs:
        proc.join(timeout=10)
    tui_problems = check_tuis(sessions)

    samples = {name: [s for r in results for s in r["samples"][name]] for name in ACTIONS}
    errors = [e for r in results for e in r["errors"]]
    if len(results) < users:
        errors.append(f"{users - len(results)} users did not finish")
    logged = [note for r in results for note in r["logged"]]
    checked, row_problems = check_rows(url, run_id, logged)
    total = sum(len(v) for v in samples.values())
    report = {
        "backend": kind,
        "users": users,
        "duration_s": args.duration,
        "tuis": len(sessions),
        "actions": total,
        "actions_per_s": round(total / args.duration, 2),
        "per_action": {
            name: {
                "count": len(v),
                "p50_ms": round(percentile(v, 50), 1),
                "p95_ms": round(percentile(v, 95), 1),
                "p99_ms": round(percentile(v, 99), 1),
            }
            for name, v in samples.items()
        },
        "errors": len(errors),
        "error_samples": errors[:10],
        "rows_checked": checked,
        "conversations_logged": len(logged),
        "row_problems": row_problems[:10],
        "tui_problems": tui_problems,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print(f"\nsoak on {kind}: {users} users, {args.duration:.0f} s, {len(sessions)} TUIs in tmux")
        print(f"{total} actions, {report['actions_per_s']} per second\n")
        print(f"{'action':20} {'count':>6} {'p50':>9} {'p95':>9} {'p99':>9}")
        for name, row in report["per_action"].items():
            print(f"{name:20} {row['count']:6} {row['p50_ms']:7.1f}ms {row['p95_ms']:7.1f}ms {row['p99_ms']:7.1f}ms")
        print(f"\nerrors: {len(errors)}" + "".join(f"\n  {e}" for e in errors[:10]))
        print(
            f"conversations logged: {len(logged)}; rows checked: {checked}; "
            f"problems: {len(row_problems)}" + "".join(f"\n  {p}" for p in row_problems[:10])
        )
        for problem in tui_problems:
            print(problem)
    return 0 if not errors and not row_problems and not tui_problems else 1


if __name__ == "__main__":
    raise SystemExit(main())

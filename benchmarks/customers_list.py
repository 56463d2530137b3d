"""Speed of the customers list on the docs/performance.md reference data (not a test; prints timings).

    python benchmarks/customers_list.py [/tmp/rapport-bench.db]

Builds the reference data once into the given SQLite file (10,000 customers with two contacts
each, 1,000,000 conversations, one customer with 10,000 of them; about a minute), then times:
a window of rows as PagedTable fetches it at 120x40 (3 pages of 38 rows), search as you type
(count + first page), and finding a row's position. Budgets: a keypress within 16 ms,
search within 50 ms.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.db.database import open_database
from storage.db.models import Customer, db
from storage.records.queries import CustomerList

TODAY = dt.date(2026, 3, 18)
WINDOW = 3 * 38


def build() -> None:
    random.seed(1)
    stamp = "2026-01-01 00:00:00"
    with db.atomic():
        db.execute_sql("INSERT INTO employee (login, name, active) VALUES ('bench', 'Bench', 1)")
        cur = db.cursor()
        cur.executemany(
            "INSERT INTO customer (number, name, email, phone, address, notes, created_at, archived,"
            " sort_name) VALUES (?,?,?,?,?,?,?,0,lower(?2))",
            [
                (
                    f"K{i:05d}",
                    f"Customer {random.randint(0, 99999):05d} {i}",
                    f"c{i}@x.example",
                    f"+49 {random.randint(100, 999)} {random.randint(100000, 999999)}",
                    "",
                    "",
                    stamp,
                )
                for i in range(10_000)
            ],
        )
        cur.executemany(
            "INSERT INTO contact (customer_id, name, role, email, phone) VALUES (?,?,?,?,?)",
            [
                (c, f"Person {c}-{j}", "", "", f"0{random.randint(100, 999)} {random.randint(1000, 9999)}")
                for c in range(1, 10_001)
                for j in range(2)
            ],
        )

        def conversations():
            base = dt.date(2024, 1, 1)
            for n in range(1_000_000):
                customer = 1 if n < 10_000 else random.randint(2, 10_000)
                day = base + dt.timedelta(days=random.randint(0, 800))
                follow_up = (day + dt.timedelta(days=7)).isoformat() if n % 3 == 0 else None
                stage = random.randint(1, 9) if n % 5 == 0 else None
                yield (
                    str(uuid.UUID(int=n)),
                    customer,
                    1,
                    day.isoformat(),
                    f"{random.randint(8, 17):02d}:00:00",
                    follow_up,
                    "note",
                    "",
                    0,
                    0,
                    stage,
                    0,
                    stamp,
                    stamp,
                )

        cur.executemany(
            "INSERT INTO conversation (uid, customer_id, employee_id, date, time_begin, follow_up,"
            " note, with_whom, completed, is_follow_up, pipeline_stage_id, sequence, created_at,"
            " updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            conversations(),
        )
    db.execute_sql("ANALYZE")


def best_of(fn, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> None:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rapport-bench.db")
    open_database("sqlite:///" + str(path))
    if not Customer.select().exists():
        print("building the reference data ...", flush=True)
        build()
    everyone = CustomerList(TODAY)
    print(f"count, no search                     {best_of(everyone.count):7.2f} ms")
    print(f"window of {WINDOW} rows at the top         {best_of(lambda: everyone.fetch(0, WINDOW)):7.2f} ms")
    print(
        f"window of {WINDOW} rows at the end         {best_of(lambda: everyone.fetch(10_000 - WINDOW, WINDOW)):7.2f} ms"
    )
    print(f"position of a customer               {best_of(lambda: everyone.index_of(5000)):7.2f} ms")
    for text in ("Customer 123", "person 77-1", "0555 12", "k0999", "nothing-like-this"):

        def search(text=text):
            found = CustomerList(TODAY, text)
            found.count()
            found.fetch(0, WINDOW)

        print(f"search {text!r:22}        {best_of(search):7.2f} ms")


if __name__ == "__main__":
    main()

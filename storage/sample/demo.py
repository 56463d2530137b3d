"""Realistic, deterministic demo data (``rapport demo``, README.md#command-line), fast enough for the
reference data of docs/performance.md (1,000,000 conversations in well under two minutes).

``generate(ctx, customers, conversations, seed)`` draws everything from
``random.Random(seed)`` and dates everything relative to D (``ctx.today()``), so the same
seed and D give the same data. Each customer gets an owner, contacts and a history of
conversations: sale cycles through every stage kind, follow-ups kept on time, kept late,
overdue and upcoming, I.F. conversations that follow the one they answer, notes from empty to
several kilobytes. The current employee owns the first customers, so "my follow-ups" is never
empty. ``big_customer_conversations`` gives the first customer that many of the conversations
(the benchmark's "one customer with 10,000 conversations").

Rows are written in batches through ``storage.db.bulk`` in one transaction; for big loads the
secondary indexes are dropped first and rebuilt at the end (inside the same transaction).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass

from storage.db import bulk, cycle_store, search_index
from storage.db.database import write_transaction
from storage.db.dialect import is_sqlite
from storage.db.migrations import INDEXES, LATER_INDEXES, create_indexes
from storage.db.models import Contact, Conversation, Customer, Employee, Method, PipelineStage, Topic
from storage.errors import RapportError
from storage.records.lookups import employee_by_login
from storage.sample.demo_history import History, NoteMaker
from storage.sample.demo_text import EMPLOYEES, ROLES, SCRIPTS

DEFAULT_CUSTOMERS = 40
DEFAULT_CONVERSATIONS = 400
DROP_INDEXES_FROM = 50_000  # conversations; below this, keeping the indexes is cheaper
CUSTOMER_FIELDS = (
    Customer.id,
    Customer.number,
    Customer.name,
    Customer.email,
    Customer.phone,
    Customer.address,
    Customer.notes,
    Customer.created_at,
    Customer.archived,
)
CONTACT_FIELDS = (Contact.customer, Contact.name, Contact.role, Contact.email, Contact.phone)


@dataclass
class DemoSummary:
    customers: int
    contacts: int
    conversations: int
    employees: int
    seconds: float

    def __str__(self) -> str:
        return (
            f"demo data: {self.customers} customers, {self.contacts} contacts, "
            f"{self.conversations} conversations, {self.employees} employees "
            f"({self.seconds:.1f} s)"
        )


def is_empty() -> bool:
    """True when the database holds no customers and no conversations (pick lists may exist)."""
    return not Customer.select().exists() and not Conversation.select().exists()


def sizes(customers: int | None, conversations: int | None) -> tuple[int, int]:
    """Fill in the sizes the user left out: ten conversations per customer by default."""
    if customers is None and conversations is None:
        return DEFAULT_CUSTOMERS, DEFAULT_CONVERSATIONS
    if customers is None:
        assert conversations is not None  # both None returned above
        customers = max(1, min(DEFAULT_CUSTOMERS, conversations), conversations // 100)
    if conversations is None:
        conversations = customers * 10
    return customers, conversations


def uid_maker():
    """Time-ordered UUIDs in the version 7 layout: this run's start in ms, 12 random bits,
    then a counter. Unique across runs (the seed alone would repeat them under --force), and
    appended at the end of the uid index instead of scattered through it."""
    prefix = (int(time.time() * 1000) << 80) | (0x7 << 76) | (secrets.randbits(12) << 64) | (0x2 << 62)
    h = f"{prefix:032x}"
    head = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-"  # the counter stays in the last 48 bits
    counter = 0

    def next_uid() -> str:
        nonlocal counter
        counter += 1
        return f"{head}{counter:012x}"

    return next_uid


def _ensure_employees(ctx) -> list[tuple[int, str]]:
    """The current employee first, then the demo colleagues: [(id, login)]."""
    people = [(ctx.employee().id, ctx.login)]
    for login, name in EMPLOYEES:
        if login.lower() == ctx.login.lower():
            continue
        employee = employee_by_login(login) or Employee.create(login=login, name=name)
        people.append((employee.id, employee.login))
    return people


def _customer_counts(rng: random.Random, customers: int, conversations: int, big: int) -> list[int]:
    """How many conversations each customer gets: skewed (a few busy customers, many quiet
    ones), summing exactly to ``conversations``; customer 0 gets ``big`` when asked."""
    counts = [0] * customers
    rest = conversations
    if big:
        counts[0], rest = big, conversations - big
    others = range(1 if big else 0, customers)
    if not len(others):
        counts[0] += rest  # a single customer gets them all
    elif rest:
        weights = [rng.paretovariate(1.5) for _ in others]
        drawn = Counter(rng.choices(others, weights, k=rest))
        for index, count in drawn.items():
            counts[index] += count
    return counts


def generate(
    ctx, customers: int, conversations: int, seed: int = 1, big_customer_conversations: int = 0, progress=None
) -> DemoSummary:
    """Add demo data to the database (the caller checks that it is empty, or was forced).
    ``progress(done, total)`` is told of the conversations written, every thousand."""
    if customers < 1 or conversations < 0:
        raise RapportError("demo needs at least 1 customer and 0 or more conversations")
    if big_customer_conversations < 0:
        raise RapportError("--big-customer: the number of conversations cannot be negative")
    if big_customer_conversations > conversations:
        raise RapportError("the big customer cannot have more conversations than the whole demo")
    started = time.perf_counter()
    rng = random.Random(seed)
    today = ctx.today()
    with write_transaction():
        people = _ensure_employees(ctx)
        stages = list(
            PipelineStage.select(PipelineStage.id, PipelineStage.kind)
            .where(PipelineStage.active == True)  # noqa: E712
            .order_by(PipelineStage.sort_order, PipelineStage.id)
            .tuples()
        )
        topics = [t.id for t in Topic.select(Topic.id).where(Topic.active == True).order_by(Topic.id)]  # noqa: E712
        methods = [m.id for m in Method.select(Method.id).where(Method.active == True).order_by(Method.id)]  # noqa: E712
        first_id = bulk.next_id(Customer)
        plans = _customer_plans(rng, customers, first_id, people, today)
        _check_numbers([plan["number"] for plan in plans])
        bulk.insert_rows(Customer, CUSTOMER_FIELDS, (plan["row"] for plan in plans))
        contacts = bulk.insert_rows(Contact, CONTACT_FIELDS, (c for plan in plans for c in plan["contact_rows"]))
        bulk.sync_id_sequence(Customer)
        counts = _customer_counts(rng, customers, conversations, big_customer_conversations)
        history = History(
            rng,
            today,
            people,
            stages,
            topics,
            methods,
            NoteMaker(rng),
            first_id=bulk.next_id(Conversation),
            new_uid=uid_maker(),
        )
        dropped = _drop_indexes() if conversations >= DROP_INDEXES_FROM else []
        rows = (row for plan, count in zip(plans, counts, strict=True) for row in history.customer(plan, count))
        if progress:
            rows = _counted(rows, conversations, progress)
        paused = search_index.index_paused if conversations >= DROP_INDEXES_FROM else contextlib.nullcontext
        # the search index is filled once after, the pipeline triggers' work done by refresh_all
        with paused(Conversation._meta.database), _row_triggers_off(bool(dropped)):
            written = bulk.insert_rows(Conversation, History.FIELDS, rows, streaming=True)
        bulk.sync_id_sequence(Conversation)
        create_indexes(Conversation._meta.database.obj, dropped)
        cycle_store.refresh_all()  # one pass over the pipeline conversations, by customer
    # Fresh planner statistics, the stored sale cycles too: without them PostgreSQL guessed 9
    # rows of 85,000 and sorted on disk (pipeline metrics 300 ms instead of a hash aggregate).
    for table in ("customer", "contact", "conversation", "sale_cycle", "pipeline_customer"):
        Conversation._meta.database.execute_sql(f"ANALYZE {table}")
    return DemoSummary(customers, contacts, written, len(people), time.perf_counter() - started)


def _counted(rows, total: int, progress):
    for done, row in enumerate(rows, 1):
        if not done % 1000:
            progress(done, total)
        yield row


def _customer_plans(rng: random.Random, count: int, first_id: int, people, today: dt.date) -> list[dict]:
    """Customers with their owner, contacts and the row to insert."""
    scripts = [s for s in SCRIPTS for _ in range(s.weight)]
    owners = [person for i, person in enumerate(people) for _ in range(4 if i == 0 else 2)]
    plans = []
    for index in range(count):
        script = rng.choice(scripts)
        customer_id = first_id + index
        number = str(10000 + customer_id)
        city = rng.choice(script.cities)
        name = rng.choice(script.patterns).format(name=rng.choice(script.company_names), city=city)
        phone = f"{script.phone_prefix}{rng.randint(100, 999)} {rng.randint(100000, 9999999)}"
        created = dt.datetime.combine(today - dt.timedelta(days=rng.randint(1100, 1500)), dt.time(9))
        contacts: list[tuple] = []
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            person = f"{rng.choice(script.first_names)} {rng.choice(script.last_names)}"
            email = f"contact{len(contacts) + 1}@c{number}.example.com"
            contacts.append((customer_id, person, rng.choice(ROLES), email, f"{phone}-{len(contacts) + 1}"))
        plans.append(
            {
                "id": customer_id,
                "number": number,
                # The current employee owns the first three customers, so "my follow-ups" has rows.
                "owner": people[0] if index < 3 else rng.choice(owners),
                "contact_names": [c[1] for c in contacts],
                "contact_rows": contacts,
                "script": script,
                "index": index,
                "row": (
                    customer_id,
                    number,
                    name,
                    f"info@c{number}.example.com",
                    phone,
                    f"{rng.randint(1, 200)} {rng.choice(script.last_names)}\n{city}",
                    "" if rng.random() < 0.7 else "Key account." if rng.random() < 0.5 else "Pays late; check credit.",
                    created,
                    rng.random() < 0.03,
                ),
            }
        )
    return plans


def _check_numbers(numbers: list[str]) -> None:
    taken = []
    for start in range(0, len(numbers), 500):
        chunk = numbers[start : start + 500]
        taken += [n for (n,) in Customer.select(Customer.number).where(Customer.number.in_(chunk)).tuples().iterator()]
    if taken:
        raise RapportError(f"customer number {taken[0]} already exists; demo data needs numbers 10000 and up")


def _index_name(statement: str) -> str:
    return statement.split("IF NOT EXISTS", 1)[1].split()[0]


@contextlib.contextmanager
def _row_triggers_off(big: bool):
    """On PostgreSQL, for a big load, switch off the per-row triggers: the pipeline trigger (a plpgsql call
    and an insert per pipeline conversation) inside this transaction; ``refresh_all`` then
    computes every customer's cycles in one pass. SQLite's triggers are cheap: left on."""
    database = Conversation._meta.database
    if not big or is_sqlite():
        yield
        return
    # Foreign keys are checked by a trigger per row too: dropped, and added back at the end,
    # which checks every row in one pass (a join) instead of a million lookups.
    keys = database.execute_sql(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = 'conversation'::regclass AND contype = 'f'"
    ).fetchall()
    for name, _ in keys:
        database.execute_sql(f'ALTER TABLE conversation DROP CONSTRAINT "{name}"')
    database.execute_sql("ALTER TABLE conversation DISABLE TRIGGER conversation_pipeline")
    yield
    database.execute_sql("ALTER TABLE conversation ENABLE TRIGGER conversation_pipeline")
    for name, definition in keys:
        database.execute_sql(f'ALTER TABLE conversation ADD CONSTRAINT "{name}" {definition}')


def _drop_indexes() -> list[str]:
    """Drop the secondary conversation indexes; returns the statements that rebuild them."""
    statements = [s for s in INDEXES + LATER_INDEXES if " ON conversation " in s]
    for statement in statements:
        Conversation._meta.database.execute_sql(f"DROP INDEX IF EXISTS {_index_name(statement)}")
    return statements

"""Two Rapports writing to one database at the same moment lose nothing (docs/storage.md), on SQLite
(one file) and on PostgreSQL (one schema). The writers are real processes (tests/workers.py)
started together behind a barrier."""

from __future__ import annotations

import multiprocessing

import peewee
import pytest

from storage.db.database import close_database, open_database
from storage.db.models import Conversation, Employee, SchemaVersion, Topic
from tests import factories, workers
from tests.conftest import BACKENDS


def run_workers(target, *jobs) -> None:
    """Start one process per job ``(name, *args)``, release them together, wait for all."""
    mp = multiprocessing.get_context("spawn")
    queue = mp.Queue()
    barrier = mp.Barrier(len(jobs))
    procs = [mp.Process(target=target, args=(name, queue, barrier, *args)) for name, *args in jobs]
    for proc in procs:
        proc.start()
    try:
        results = dict(queue.get(timeout=240) for _ in procs)
    finally:
        for proc in procs:
            proc.join(timeout=60)
    failures = {name: error for name, error in results.items() if error}
    assert not failures, "\n".join(f"--- {name}\n{error}" for name, error in failures.items())
    assert [proc.exitcode for proc in procs] == [0] * len(procs)


def test_two_processes_insert_500_conversations_each(ctx):
    cust = factories.customer("Acme")
    run_workers(
        workers.insert_conversations,
        ("anna", ctx.url, cust.id, 500),
        ("ben", ctx.url, cust.id, 500),
    )
    assert Conversation.select().count() == 1000
    per_login = {
        login: count
        for login, count in Conversation.select(Employee.login, peewee.fn.COUNT(Conversation.id))
        .join(Employee)
        .group_by(Employee.login)
        .tuples()
    }
    assert per_login == {"anna": 500, "ben": 500}
    notes = {c.note for c in Conversation.select(Conversation.note)}
    assert notes == {f"{login} #{i}" for login in ("anna", "ben") for i in range(500)}


def test_read_then_write_from_two_processes_loses_no_update(ctx):
    """Each process reads sequence, pauses, writes it + 1, 40 times. Without a write transaction
    that keeps them apart (BEGIN IMMEDIATE / SERIALIZABLE + retry) most updates would be lost."""
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    run_workers(
        workers.increment_by_hand,
        ("anna", ctx.url, conv.id, 40, 0.002),
        ("ben", ctx.url, conv.id, 40, 0.002),
    )
    assert Conversation.get_by_id(conv.id).sequence == 80


def test_two_processes_toggling_the_same_conversation_count_every_edit(ctx):
    conv = factories.conversation(factories.customer("Acme"), "2026-03-01")
    run_workers(
        workers.toggle_completed,
        ("anna", ctx.url, conv.id, 100),
        ("ben", ctx.url, conv.id, 100),
    )
    assert Conversation.get_by_id(conv.id).sequence == 200


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_first_connect_from_four_processes_at_once_creates_the_schema_once(database_url):
    run_workers(workers.open_only, *[(f"user{i}", database_url) for i in range(4)])
    open_database(database_url)
    assert SchemaVersion.select().count() == 1
    assert Topic.select().count() == 6  # seeded once
    assert sorted(e.login for e in Employee.select()) == ["user0", "user1", "user2", "user3"]
    close_database()

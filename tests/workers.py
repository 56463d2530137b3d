"""Code that the concurrency tests run in separate processes (multiprocessing, spawn).

Each worker opens the database named by a URL itself, waits for the start signal so that the
processes really write at the same moment, does its writes, and puts ``(name, error)`` on the
result queue, where error is None or the traceback.
"""

from __future__ import annotations

import datetime as dt
import time
import traceback

from storage.config import ensure_employee
from storage.db.database import close_database, open_database
from storage.db.models import Conversation
from storage.db.retry import run_write
from storage.records import conversations

DAY = dt.date(2026, 3, 18)


def _run(name, queue, start, url, job, *args) -> None:
    try:
        open_database(url)
        if start is not None:
            start.wait(timeout=60)
        job(*args)
        queue.put((name, None))
    except BaseException:  # report everything to the parent, which asserts on it
        queue.put((name, traceback.format_exc()))
    finally:
        close_database()


def open_only(name, queue, start, url) -> None:
    """Open (and so create the schema of) a fresh database, all workers at the same moment."""
    try:
        start.wait(timeout=60)
        open_database(url)
        ensure_employee(name)
        queue.put((name, None))
    except BaseException:
        queue.put((name, traceback.format_exc()))
    finally:
        close_database()


def insert_conversations(name, queue, start, url, customer_id, count) -> None:
    """``count`` conversations, one write transaction each, as a user saving forms."""

    def job():
        employee_id = ensure_employee(name).id

        def create(i):
            Conversation.create(customer=customer_id, employee=employee_id, date=DAY, note=f"{name} #{i}")

        for i in range(count):
            run_write(create, i)

    _run(name, queue, start, url, job)


def increment_by_hand(name, queue, start, url, conversation_id, count, pause) -> None:
    """Read ``sequence``, wait a moment, write it back plus one: the classic lost update, unless
    the write transaction keeps the two writers apart."""

    def bump():
        value = Conversation.get_by_id(conversation_id).sequence
        time.sleep(pause)
        Conversation.update(sequence=value + 1).where(Conversation.id == conversation_id).execute()

    def job():
        for _ in range(count):
            run_write(bump)

    _run(name, queue, start, url, job)


def toggle_completed(name, queue, start, url, conversation_id, count) -> None:
    """The app's own write (``set_completed``), over and over on one row: each bumps sequence."""

    def job():
        for i in range(count):
            conversations.set_completed(conversation_id, i % 2 == 0, DAY)

    _run(name, queue, start, url, job)

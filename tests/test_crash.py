"""SIGKILL at any moment leaves a database that passes integrity_check, with every save the
user saw confirmed still present (issue 9)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import sqlite_url

ROOT = Path(__file__).resolve().parent.parent

SAVER = r"""
import sys
from storage.db.database import open_database
from storage.context import Context
from storage.db.models import Conversation, Customer, db
import datetime as dt

url = sys.argv[1]
open_database(url)
ctx = Context(url=url, login="tester")
emp = ctx.employee()
cust = Customer.create(number="K1", name="Kill test")
i = 0
while True:
    i += 1
    with db.atomic():
        conv = Conversation.create(customer=cust, employee=emp, date=dt.date(2026, 3, 1),
                                   note=("note %d " % i) * 50)
    print("saved", conv.uid, flush=True)  # the confirmation the user sees
"""


def integrity(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def test_sigkill_during_saves_loses_no_confirmed_save(tmp_path):
    url = sqlite_url(tmp_path)
    proc = subprocess.Popen(
        [sys.executable, "-c", SAVER, url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    confirmed: list[str] = []
    deadline = time.monotonic() + 30
    while len(confirmed) < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line.startswith("saved "):
            confirmed.append(line.split()[1])
    os.kill(proc.pid, signal.SIGKILL)
    # Anything already printed before the kill was confirmed too.
    rest = proc.stdout.read()
    confirmed += [line.split()[1] for line in rest.splitlines() if line.startswith("saved ")]
    proc.wait()
    assert len(confirmed) >= 200

    path = tmp_path / "rapport.db"
    assert integrity(path) == "ok"
    con = sqlite3.connect(path)
    present = {row[0] for row in con.execute("SELECT uid FROM conversation")}
    con.close()
    assert set(confirmed) <= present

"""``rapport demo`` (README.md#command-line): realistic, deterministic sample data, small N to stay fast."""

from __future__ import annotations

import io
import json
import re

import pytest

from storage.db.models import Conversation, Customer, Employee, PipelineStage, db
from storage.exchange.csvexport import export
from storage.sample import demo
from tests.conftest import TODAY, sqlite_url


def exported(kind: str, fmt: str = "csv") -> str:
    out = io.StringIO()
    export(kind, fmt, out)
    return out.getvalue()


@pytest.fixture
def run(tmp_path):
    """``run(*argv)`` calls cli.main.main on a database under tmp_path, with --today D."""
    from cli.main import main

    def call(*argv, folder="db"):
        (tmp_path / folder).mkdir(exist_ok=True)
        return main(["--database", sqlite_url(tmp_path / folder), "--today", TODAY.isoformat(), *argv])

    return call


def test_demo_then_export_json_prints_the_demo_data(run, capsys):
    assert run("demo", "--customers", "6", "--conversations", "80") == 0
    assert "6 customers" in capsys.readouterr().err
    assert run("export", "conversations", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert 70 < len(rows) <= 80  # a few land in the trash, which exports leave out
    assert {row["customer_number"] for row in rows} <= {str(10000 + i) for i in range(1, 7)}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", row["date"]) and row["date"] <= "2026-03-18" for row in rows)


def test_same_seed_same_data_other_seed_other_data(run, capsys):
    outputs = []
    for folder, seed in (("a", "7"), ("b", "7"), ("c", "8")):
        assert run("demo", "--customers", "5", "--conversations", "60", "--seed", seed, folder=folder) == 0
        assert run("export", "conversations", folder=folder) == 0
        assert run("export", "customers", folder=folder) == 0
        # uids are unique across runs (time-ordered), everything else follows the seed
        outputs.append(re.sub(r"(^|\r\n)[0-9a-f-]{36},", r"\1", capsys.readouterr().out))
    assert outputs[0] == outputs[1]
    assert outputs[0] != outputs[2]


def test_demo_refuses_a_non_empty_database_unless_forced(run, capsys, tmp_path):
    (tmp_path / "c.csv").write_text("number,name\nA1,Existing customer\n")
    assert run("import", "customers", str(tmp_path / "c.csv")) == 0
    capsys.readouterr()
    assert run("demo", "--customers", "2", "--conversations", "10") == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--force" in err and "Traceback" not in err
    assert run("export", "customers", "--format", "json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 1  # unchanged
    assert run("demo", "--customers", "2", "--conversations", "10", "--force") == 0
    assert run("export", "customers", "--format", "json") == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_demo_has_every_kind_of_row(ctx):
    summary = demo.generate(ctx, customers=12, conversations=400, seed=3)
    assert (summary.customers, summary.conversations) == (12, 400)
    names = " ".join(c.name for c in Customer.select())
    for script in (r"[À-ɏ]", r"[Ѐ-ӿ]", r"[Ͱ-Ͽ]", r"[一-鿿가-힯]", r"[؀-ۿ֐-׿]"):
        assert re.search(script, names), f"no customer name in script {script}"
    me = Employee.get(Employee.login == ctx.login)
    open_mine = Conversation.select().where(
        Conversation.employee == me,
        Conversation.completed == False,  # noqa: E712
        Conversation.deleted_at.is_null(),
    )
    assert open_mine.where(Conversation.follow_up < TODAY).exists(), "no overdue follow-up of mine"
    assert open_mine.where(Conversation.follow_up > TODAY).exists(), "no upcoming follow-up of mine"
    done = Conversation.select().where(Conversation.completed == True)  # noqa: E712
    assert done.where(Conversation.completed_on <= Conversation.follow_up).exists()
    assert done.where(Conversation.completed_on > Conversation.follow_up).exists()
    kinds = {
        s.kind for s in PipelineStage.select().join(Conversation, on=Conversation.pipeline_stage == PipelineStage.id)
    }
    assert kinds == {"open", "won", "lost", "closed"}
    lengths = [len(c.note) for c in Conversation.select(Conversation.note)]
    assert 0 in lengths and any(0 < n < 120 for n in lengths) and max(lengths) >= 2000
    assert any("\n\n" in c.note for c in Conversation.select(Conversation.note))
    assert Conversation.select().where(Conversation.date > TODAY).count() == 0


def test_follow_ups_point_at_the_earlier_conversation_they_complete(ctx):
    demo.generate(ctx, customers=8, conversations=300, seed=5)
    follow_ups = list(Conversation.select().where(Conversation.is_follow_up == True))  # noqa: E712
    assert follow_ups
    for conv in follow_ups:
        earlier = conv.follows
        assert earlier.customer_id == conv.customer_id
        assert earlier.date < conv.date
        assert earlier.completed and earlier.completed_on == conv.date


def test_big_customer_and_rebuilt_indexes(ctx, monkeypatch):
    """The bulk path (indexes dropped, then rebuilt in the same transaction) on both backends."""
    monkeypatch.setattr(demo, "DROP_INDEXES_FROM", 0)
    demo.generate(ctx, customers=4, conversations=500, seed=2, big_customer_conversations=300)
    first = Customer.select().order_by(Customer.id).first()
    assert Conversation.select().where(Conversation.customer == first).count() == 300
    assert Conversation.select().count() == 500
    indexes = {index.name for index in db.get_indexes("conversation")}
    wanted = {demo._index_name(s) for s in demo.INDEXES if " ON conversation " in s}
    assert "conversation_customer_order" in wanted and wanted <= indexes
    # New rows after the demo get fresh ids (the PostgreSQL sequence was moved past them).
    from tests import factories as f

    assert f.conversation(first, "2026-03-18").id == 501


def test_demo_data_survives_the_csv_round_trip(ctx, tmp_path):
    from tests.test_csv_export import round_trip

    demo.generate(ctx, customers=6, conversations=120, seed=11)
    before, after = round_trip(tmp_path)
    assert after == before


def test_sizes_default_to_a_few_hundred_conversations():
    assert demo.sizes(None, None) == (40, 400)
    assert demo.sizes(10, None) == (10, 100)
    assert demo.sizes(None, 1_000_000) == (10_000, 1_000_000)


@pytest.mark.parametrize("customers, conversations, big", [(1, 50, 10), (5, 50, 0), (5, 50, 50), (30, 7, 0)])
def test_every_conversation_goes_to_some_customer(customers, conversations, big):
    import random

    counts = demo._customer_counts(random.Random(1), customers, conversations, big)
    assert len(counts) == customers and sum(counts) == conversations
    assert counts[0] >= big

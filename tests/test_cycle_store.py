"""Stored sale cycles (storage/db/cycle_store.py) stay equal to a fresh recompute after any
sequence of writes, on both backends, and the metrics read from them stay exact."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

from storage.db import cycle_store
from storage.db.models import Conversation, PipelineCustomer, PipelineDirty, PipelineStage, SaleCycle
from storage.exchange.csvimport import import_conversations
from storage.exchange.csvio import CONVERSATION_COLUMNS
from storage.records import conversations, lookups
from tests import factories as f


def stored() -> tuple[list, list]:
    cycles = sorted(
        (c.customer_id, str(c.start), str(c.close), c.close_stage_id, c.employee_id, c.days) for c in SaleCycle.select()
    )
    customers = sorted(
        (
            p.customer_id,
            str(p.first_date),
            p.first_employee_id,
            str(p.latest_date),
            p.latest_stage_id,
            p.latest_employee_id,
            str(p.stage_since),
        )
        for p in PipelineCustomer.select()
    )
    return cycles, customers


def fresh() -> tuple[list, list]:
    cycles, customers = cycle_store.compute(cycle_store.pipeline_rows(None), cycle_store._kinds())
    as_text = lambda row: tuple(str(v) if isinstance(v, dt.date) else v for v in row)  # noqa: E731
    cycles = sorted(as_text(c[:2]) + (str(c[2]),) + c[3:] for c in cycles)
    return cycles, sorted(as_text(c) for c in customers)


def import_rows(tmp_path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CONVERSATION_COLUMNS[:16])  # without the optional promised_follow_up
    for number, login, date, stage in rows:
        writer.writerow(["", number, login, date, "", "", "", "", "", "", "", "", "", "", "", stage])
    path = tmp_path / "in.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    import_conversations(path, "tester")


def test_stored_cycles_follow_every_write(ctx, tmp_path):
    rnd = random.Random(8)
    stage_names = [s.name for s in PipelineStage.select()]
    customers = [f.customer(f"S{i}", number=f"S{i}") for i in range(8)]
    f.employee("anna"), f.employee("ben")
    day = lambda: dt.date(2026, 1, 1) + dt.timedelta(days=rnd.randrange(90))  # noqa: E731
    made: list[int] = []
    for step in range(60):
        action = rnd.choice(["create", "create", "edit", "delete", "restore", "import"])
        if action == "create" or not made:
            made.append(
                f.conversation(
                    rnd.choice(customers),
                    day(),
                    stage_name=rnd.choice(stage_names + [None]),
                    time_begin=rnd.choice([None, "09:00"]),
                    employee_login=rnd.choice(["anna", "ben"]),
                ).id
            )
        elif action == "edit":
            field = rnd.choice(["date", "stage", "customer"])
            value = {
                "date": day(),
                "customer": rnd.choice(customers).id,
                "stage": rnd.choice(list(PipelineStage.select()) + [None]),
            }[field]
            name = {"date": "date", "customer": "customer", "stage": "pipeline_stage"}[field]
            Conversation.update({name: value}).where(Conversation.id == rnd.choice(made)).execute()
        elif action == "delete":
            conversations.delete(rnd.choice(made))
            assert not PipelineDirty.select().exists()  # refreshed in the same transaction
        elif action == "restore":
            conversations.restore(rnd.choice(made))
            assert not PipelineDirty.select().exists()
        else:
            import_rows(
                tmp_path,
                [
                    [rnd.choice(customers).number, rnd.choice(["anna", "ben"]), str(day()), rnd.choice(stage_names)]
                    for _ in range(3)
                ],
            )
            assert not PipelineDirty.select().exists()
        if step % 10 == 9:
            cycle_store.ensure_fresh()
            assert stored() == fresh(), f"after step {step} ({action})"
    cycle_store.ensure_fresh()
    assert stored() == fresh()
    assert stored()[0], "the random history closed some cycles"


def test_a_new_stage_kind_recuts_every_cycle(ctx):
    alpha = f.customer("Alpha")
    f.conversation(alpha, "2026-01-05", stage_name="Proposal")
    f.conversation(alpha, "2026-01-09", stage_name="Qualifying")
    cycle_store.ensure_fresh()
    assert [c.close for c in SaleCycle.select()] == [None]
    proposal = PipelineStage.get(PipelineStage.name == "Proposal")
    lookups.update_value("stage", proposal.id, "Proposal", stage_kind="won")
    cycles = sorted((str(c.start), str(c.close), c.days) for c in SaleCycle.select())
    assert cycles == [("2026-01-05", "2026-01-05", 0), ("2026-01-09", "None", None)]
    assert stored() == fresh()


def test_the_database_s_pass_gives_the_python_pass_s_cycles(ctx):
    """PostgreSQL's refresh (window functions) on both backends, for everyone and for some."""
    from storage.sample import demo

    demo.generate(ctx, customers=30, conversations=900, seed=5)
    SaleCycle.delete().execute()
    PipelineCustomer.delete().execute()
    cycle_store._recompute_sql(None)
    assert stored() == fresh()
    assert stored()[0] and stored()[1]
    some = [c for (c,) in PipelineCustomer.select(PipelineCustomer.customer_id).limit(7).tuples()]
    SaleCycle.delete().where(SaleCycle.customer_id.in_(some)).execute()
    PipelineCustomer.delete().where(PipelineCustomer.customer_id.in_(some)).execute()
    cycle_store._recompute_sql(some)
    assert stored() == fresh()

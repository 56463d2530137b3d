"""docs/reports.md on hand-made data where the right answer is obvious, on SQLite and PostgreSQL.

D = TODAY = 2026-03-18 (a Wednesday).
"""

from __future__ import annotations

import datetime as dt

import pytest

from storage.errors import RapportError
from storage.records.conversations import delete, set_completed, set_follow_up
from storage.reporting import reports
from tests import factories as f
from tests.conftest import TODAY


def uids(items) -> list[str]:
    return [item.note for item in items]


def test_due_includes_follow_up_on_d_and_before_and_nothing_after(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-18", note="on D")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-17", note="day before")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-19", note="day after")
    f.conversation(acme, "2026-03-01", note="no follow-up")
    items = reports.due(TODAY)
    assert uids(items) == ["day before", "on D"]
    assert [i.days_overdue for i in items] == [1, 0]
    assert [i.section for i in items] == ["overdue", "today"]
    assert uids(reports.due(TODAY, overdue_only=True)) == ["day before"]
    assert uids(reports.due_today(TODAY)) == ["on D"]


def test_deleted_and_completed_are_not_due(ctx):
    acme = f.customer("Acme")
    gone = f.conversation(acme, "2026-03-01", follow_up="2026-03-10", note="deleted")
    delete(gone.id)
    f.conversation(acme, "2026-03-01", follow_up="2026-03-10", completed=True, note="done, no date")
    f.conversation(
        acme, "2026-03-01", follow_up="2026-03-10", completed=True, completed_on="2026-03-12", note="done late"
    )
    f.conversation(acme, "2026-03-01", follow_up="2026-03-10", note="open")
    assert uids(reports.due(TODAY)) == ["open"]
    assert reports.section_counts(TODAY) == reports.SectionCounts(overdue=1, today=0, upcoming=0)


def test_missed_follow_ups_stay_until_handled(ctx):
    acme = f.customer("Acme")
    old = f.conversation(acme, "2025-01-02", follow_up="2025-01-05", note="ancient")
    [item] = reports.due(TODAY)
    assert item.days_overdue == (TODAY - dt.date(2025, 1, 5)).days == 437
    set_completed(old.id, True, TODAY)
    assert reports.due(TODAY) == []
    set_completed(old.id, False, TODAY)
    set_follow_up(old.id, TODAY + dt.timedelta(days=1))
    assert reports.due(TODAY) == []
    assert uids(reports.upcoming(TODAY)) == ["ancient"]


def test_ordered_by_follow_up_then_customer_name(ctx):
    zed, abe, mia = f.customer("Zed"), f.customer("Abe"), f.customer("Mia")
    f.conversation(zed, "2026-03-01", follow_up="2026-03-10", note="zed 10")
    f.conversation(mia, "2026-03-01", follow_up="2026-03-12", note="mia 12")
    f.conversation(abe, "2026-03-01", follow_up="2026-03-10", note="abe 10")
    f.conversation(abe, "2026-03-01", follow_up="2026-03-18", note="abe 18")
    assert uids(reports.due(TODAY)) == ["abe 10", "zed 10", "mia 12", "abe 18"]
    assert uids(reports.due(TODAY, limit=2, offset=1)) == ["zed 10", "mia 12"]


def test_upcoming_is_the_next_seven_days(ctx):
    acme = f.customer("Acme")
    for day in ("2026-03-18", "2026-03-19", "2026-03-25", "2026-03-26"):
        f.conversation(acme, "2026-03-01", follow_up=day, note=day)
    items = reports.upcoming(TODAY)
    assert uids(items) == ["2026-03-19", "2026-03-25"]
    assert [i.days_overdue for i in items] == [-1, -7]
    assert reports.section_counts(TODAY) == reports.SectionCounts(overdue=0, today=1, upcoming=2)


def test_employee_filter(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-10", employee_login="ann", note="ann's")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-11", employee_login="bob", note="bob's")
    f.conversation(acme, "2026-03-01", follow_up="2026-03-20", employee_login="bob", note="bob next")
    assert uids(reports.due(TODAY, "ann")) == ["ann's"]
    assert uids(reports.due(TODAY, "BOB")) == ["bob's"]  # logins match case-insensitively
    assert uids(reports.due(TODAY)) == ["ann's", "bob's"]
    assert uids(reports.upcoming(TODAY, "ann")) == []
    assert reports.section_counts(TODAY, "bob") == reports.SectionCounts(1, 0, 1)
    with pytest.raises(RapportError, match="nobody"):
        reports.due(TODAY, "nobody")


def test_item_json_has_the_section_7_keys_in_order(ctx):
    acme = f.customer("Acme [bold]", number="A-1")
    conv = f.conversation(
        acme,
        "2026-03-01",
        follow_up="2026-03-15",
        with_whom="Eve",
        topic=f.topic("Quote"),
        method=f.method("Email"),
        note="call [/] back",
    )
    report = reports.followups_report(TODAY, "tester")
    assert list(report) == ["date", "due", "upcoming", "losing_touch"]
    assert report["date"] == "2026-03-18"
    assert report["upcoming"] == []
    assert report["due"] == [
        {
            "uid": conv.uid,
            "customer_number": "A-1",
            "customer": "Acme [bold]",
            "employee": "tester",
            "date": "2026-03-01",
            "follow_up": "2026-03-15",
            "days_overdue": 3,
            "with_whom": "Eve",
            "about": "Quote",
            "how": "Email",
            "note": "call [/] back",
        }
    ]


# --- statistics ---------------------------------------------------------------------------


def stats_of(login: str, stats: reports.Statistics) -> dict:
    [row] = [e for e in stats.employees if e.employee == login]
    return row.as_json()


def test_statistics_each_figure(ctx):
    acme = f.customer("Acme")
    c = f.conversation
    # Logged in March (the default period), some with a follow-up.
    c(acme, "2026-03-02", note="logged only")
    c(acme, "2026-03-03", follow_up="2026-03-05", completed=True, completed_on="2026-03-05")  # on time
    c(acme, "2026-03-04", follow_up="2026-03-06", completed=True, completed_on="2026-03-09")  # late
    c(acme, "2026-03-04", follow_up="2026-03-07", completed=True)  # done, no completed-on date
    c(acme, "2026-03-05", follow_up="2026-03-17")  # open, overdue
    c(acme, "2026-03-05", follow_up="2026-03-18")  # open, due on D: not overdue
    c(acme, "2026-03-10", follow_up="2026-03-25")  # scheduled, but due after D
    # Logged in February, due in March: counts as due, not as logged.
    c(acme, "2026-02-20", follow_up="2026-03-02", completed=True, completed_on="2026-03-01")
    # Deleted: never counts.
    delete(c(acme, "2026-03-06", follow_up="2026-03-08").id)
    # Dated after D (future-dated): not logged; its follow-up is after D too.
    c(acme, "2026-03-20", follow_up="2026-03-22")
    stats = reports.statistics(TODAY)
    assert (stats.date_from, stats.date_to, stats.counted_to) == (dt.date(2026, 3, 1), dt.date(2026, 3, 31), TODAY)
    assert stats_of("tester", stats) == {
        "employee": "tester",
        "logged": 7,
        "scheduled": 6,
        "due": 6,
        "done": 4,
        "on_time": 2,
        "open_overdue": 1,
        "on_time_rate": 33.3,
        "moved": 0,
    }


def test_a_period_ending_after_d_is_clipped_to_d(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-18", follow_up="2026-03-18")
    f.conversation(acme, "2026-03-19", follow_up="2026-03-19")
    whole_year = reports.statistics(TODAY, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    up_to_d = reports.statistics(TODAY, dt.date(2026, 1, 1), TODAY)
    assert whole_year.employees == up_to_d.employees
    assert stats_of("tester", whole_year)["logged"] == 1
    assert stats_of("tester", whole_year)["due"] == 1
    after_d = reports.statistics(TODAY, dt.date(2026, 3, 19), dt.date(2026, 3, 31))
    assert stats_of("tester", after_d)["logged"] == 0
    assert whole_year.as_json()["to"] == "2026-12-31"


def test_statistics_per_employee_and_totals(ctx):
    acme = f.customer("Acme")
    f.conversation(
        acme, "2026-03-02", follow_up="2026-03-04", employee_login="ann", completed=True, completed_on="2026-03-04"
    )
    f.conversation(acme, "2026-03-02", follow_up="2026-03-04", employee_login="bob")
    f.conversation(acme, "2026-03-03", employee_login="bob")
    f.employee("idle")
    f.employee("gone", active=False)
    stats = reports.statistics(TODAY)
    assert [e.employee for e in stats.employees] == ["ann", "bob", "idle"]
    assert stats_of("ann", stats)["on_time_rate"] == 100.0
    assert stats_of("bob", stats)["on_time_rate"] == 0.0
    assert stats_of("idle", stats)["on_time_rate"] is None
    assert stats.total == reports.EmployeeStats("", logged=3, scheduled=2, due=2, done=1, on_time=1, open_overdue=1)
    assert stats.total.on_time_rate == 50.0


def test_inactive_employee_with_figures_is_listed(ctx):
    f.conversation(f.customer("Acme"), "2026-03-02", employee_login="gone")
    f.employee("gone", active=False)
    assert "gone" in [e.employee for e in reports.statistics(TODAY).employees]


def test_last_month_and_year_periods():
    assert reports.month_period(dt.date(2024, 2, 10)) == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert reports.last_month_period(dt.date(2026, 1, 31)) == (dt.date(2025, 12, 1), dt.date(2025, 12, 31))
    assert reports.year_period(TODAY) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_statistics_json_shape(ctx):
    f.conversation(f.customer("Acme"), "2026-03-02")
    document = reports.statistics(TODAY).as_json()
    assert list(document) == ["from", "to", "employees"]
    assert list(document["employees"][0]) == [
        "employee",
        "logged",
        "scheduled",
        "due",
        "done",
        "on_time",
        "open_overdue",
        "on_time_rate",
        "moved",
    ]


def test_period_backwards_is_an_error(ctx):
    with pytest.raises(RapportError, match="after it ends"):
        reports.statistics(TODAY, dt.date(2026, 3, 10), dt.date(2026, 3, 1))


def test_snooze_counts_from_today_for_due_items():
    assert reports.snoozed(dt.date(2026, 3, 1), TODAY, 1) == dt.date(2026, 3, 19)
    assert reports.snoozed(TODAY, TODAY, 7) == dt.date(2026, 3, 25)
    assert reports.snoozed(dt.date(2026, 3, 20), TODAY, 1) == dt.date(2026, 3, 21)


def test_follow_up_item(ctx):
    acme = f.customer("Acme")
    conv = f.conversation(acme, "2026-03-01", follow_up="2026-03-16", completed=True)
    assert reports.follow_up_item(TODAY, conv.id).days_overdue == 2
    assert reports.follow_up_item(TODAY, f.conversation(acme, "2026-03-01").id) is None


def test_deep_pages_seek_by_date_and_match_the_whole_list(ctx, monkeypatch):
    monkeypatch.setattr(reports, "SEEK_FROM", 2)
    names = ["Zed", "Abe", "Mia", "Bo"]
    for day in range(1, 6):
        for name in names:
            f.conversation(f.customer(name), "2026-02-01", follow_up=f"2026-03-0{day}", note=f"{day}{name}")
    whole = uids(reports.due(TODAY))
    assert whole[:4] == ["1Abe", "1Bo", "1Mia", "1Zed"]
    for offset in range(0, 22):
        for limit in (1, 3, 7):
            assert uids(reports.due(TODAY, limit=limit, offset=offset)) == whole[offset : offset + limit]

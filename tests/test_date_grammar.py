"""The date grammar of docs/data.md#the-conversation-form (storage.parsing.parse_date): a table of inputs and the dates
they mean, around month and year ends; the form shows the resolved date on leaving a field;
the command line's --from/--to take the same words."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from cli.main import main
from storage.db.database import close_database
from storage.parsing import add_months, parse_date
from tests import factories as f
from tests.conftest import TODAY, make_ctx, sqlite_url

D = dt.date

# (today, typed, expected). 2026-01-31 is a Saturday, 2026-12-31 a Thursday,
# 2028-02-28 a Monday (2028 is a leap year), 2026-03-18 a Wednesday.
TABLE = [
    (D(2026, 1, 31), "2026-02-01", D(2026, 2, 1)),
    (D(2026, 1, 31), "2026-2-1", D(2026, 2, 1)),
    (D(2026, 1, 31), "today", D(2026, 1, 31)),
    (D(2026, 1, 31), "T", D(2026, 1, 31)),
    (D(2026, 1, 31), "tomorrow", D(2026, 2, 1)),
    (D(2026, 1, 1), "yesterday", D(2025, 12, 31)),
    (D(2026, 12, 31), "+1", D(2027, 1, 1)),
    (D(2026, 12, 31), "+ 1", D(2027, 1, 1)),
    (D(2026, 1, 1), "-1", D(2025, 12, 31)),
    (D(2026, 1, 1), "-1d", D(2025, 12, 31)),
    (D(2026, 12, 28), "+1w", D(2027, 1, 4)),
    (D(2026, 1, 3), "-1w", D(2025, 12, 27)),
    (D(2026, 1, 31), "+1m", D(2026, 2, 28)),
    (D(2028, 1, 31), "+1m", D(2028, 2, 29)),
    (D(2026, 3, 31), "-1m", D(2026, 2, 28)),
    (D(2026, 12, 15), "+1m", D(2027, 1, 15)),
    (D(2026, 1, 15), "-1m", D(2025, 12, 15)),
    (D(2026, 11, 30), "+3M", D(2027, 2, 28)),
    (D(2026, 1, 31), "+12m", D(2027, 1, 31)),
    (D(2026, 1, 31), "fri", D(2026, 2, 6)),
    (D(2026, 1, 31), "Friday", D(2026, 2, 6)),
    (D(2026, 1, 31), "next fri", D(2026, 2, 6)),
    (D(2026, 1, 31), "sat", D(2026, 2, 7)),  # today is Saturday: the next one
    (D(2026, 1, 31), "sun", D(2026, 2, 1)),
    (D(2026, 12, 31), "mon", D(2027, 1, 4)),
    (D(2026, 12, 31), "thu", D(2027, 1, 7)),
    (D(2026, 12, 31), "next  Monday", D(2027, 1, 4)),
    (D(2026, 3, 18), "wed", D(2026, 3, 25)),
    (D(2026, 3, 18), "tue", D(2026, 3, 24)),
    (D(2026, 3, 18), "eow", D(2026, 3, 22)),
    (D(2026, 3, 22), "eow", D(2026, 3, 22)),  # a Sunday: itself
    (D(2026, 12, 31), "eow", D(2027, 1, 3)),
    (D(2026, 2, 1), "eom", D(2026, 2, 28)),
    (D(2028, 2, 28), "eom", D(2028, 2, 29)),
    (D(2026, 12, 31), "eom", D(2026, 12, 31)),
    (D(2026, 12, 1), "EOM", D(2026, 12, 31)),
    (D(2026, 1, 31), "  ", None),
]


@pytest.mark.parametrize(("today", "typed", "expected"), TABLE)
def test_grammar(today, typed, expected):
    assert parse_date(typed, today) == expected


@pytest.mark.parametrize(
    "typed",
    [
        "2026-02-30",
        "2026-13-01",
        "1899-12-31",
        "3000-01-01",
        "+99999m",
        "-99999w",
        "fry",
        "next",
        "next week",
        "+1y",
        "1/2/2026",
        "+",
        "eoy",
    ],
)
def test_not_dates(typed):
    with pytest.raises(ValueError) as error:
        parse_date(typed, D(2026, 1, 31))
    assert str(error.value)  # one short message for the user


def test_add_months_keeps_the_day_or_the_months_end():
    assert add_months(D(2026, 5, 31), -1) == D(2026, 4, 30)
    assert add_months(D(2026, 5, 31), 0) == D(2026, 5, 31)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)


async def test_form_shows_the_resolved_date_on_leaving_the_field(app):
    acme = f.customer("Acme")
    from screens.conversation_form import ConversationForm

    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(ConversationForm.new(acme.id))
        await pilot.pause()
        form = app.screen
        form.query_one("#follow_up").focus()
        await pilot.press(*"next fri")
        assert form.query_one("#follow_up").value == "next fri"
        await pilot.press("tab")
        await pilot.pause()
        assert form.query_one("#follow_up").value == "2026-03-20"  # TODAY is a Wednesday
        form.query_one("#follow_up").focus()
        await pilot.press("ctrl+u", *"soon", "tab")  # not a date: left as typed
        await pilot.pause()
        assert form.query_one("#follow_up").value == "soon"
        form.query_one("#date").focus()
        await pilot.press("ctrl+u", *"-1m", "tab")
        await pilot.pause()
        assert form.query_one("#date").value == "2026-02-18"


def test_cli_period_takes_the_grammar(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    make_ctx(url)
    f.employee("tester")
    close_database()
    code = main(["stats", "--database", url, "--today", "2026-03-18", "--from=-1m", "--to", "eom", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    document = json.loads(out)
    assert (document["from"], document["to"]) == ("2026-02-18", "2026-03-31")


def test_cli_bad_date_is_a_usage_error(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["stats", "--database", url, "--from", "fry"])
    assert stop.value.code == 2
    assert "fry" in capsys.readouterr().err


async def test_booking_form_resolves_its_date_too(app):
    from screens.booking_form import BookingForm

    acme = f.customer("Acme")
    conv = f.conversation(acme, "2026-03-18", note="call")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(BookingForm.for_conversation(conv.id, TODAY))
        await pilot.pause()
        field = app.screen.query_one("#date")
        field.focus()
        await pilot.press("ctrl+u", *"eom", "tab")
        await pilot.pause()
        assert field.value == "2026-03-31"

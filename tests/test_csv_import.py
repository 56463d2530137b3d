"""CSV import (README.md#csv-files): every bad input is its own test, on both backends; each asserts that
the error names the line and column and that the database is unchanged."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from storage.db.models import Conversation, Customer, Employee, Method, PipelineStage, Topic
from storage.errors import RapportError
from storage.exchange.csvexport import export
from storage.exchange.csvimport import import_conversations, import_customers
from storage.exchange.csvio import CONVERSATION_COLUMNS, CUSTOMER_COLUMNS, CsvImportError
from tests import factories as f

CUSTOMERS_HEADER = ",".join(CUSTOMER_COLUMNS[:6])  # without the optional cadence_days
CONVERSATIONS_HEADER = ",".join(CONVERSATION_COLUMNS)


def write(tmp_path, text: str | bytes, name: str = "in.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def snapshot() -> tuple:
    """Everything an import could change."""
    counts = tuple(m.select().count() for m in (Customer, Conversation, Employee, Topic, Method, PipelineStage))
    out = io.StringIO()
    export("customers", "csv", out)
    export("conversations", "csv", out)
    return counts, out.getvalue()


def conv_line(
    number="C1",
    employee="tester",
    date="2026-03-01",
    time_begin="09:00",
    time_end="09:30",
    duration="30",
    follow_up="",
    note="hello",
    with_whom="",
    about="General",
    how="Telephone",
    completed="0",
    completed_on="",
    is_follow_up="0",
    stage="",
    promised="",
) -> str:
    return ",".join(
        [
            "",
            number,
            employee,
            date,
            time_begin,
            time_end,
            duration,
            follow_up,
            note,
            with_whom,
            about,
            how,
            completed,
            completed_on,
            is_follow_up,
            stage,
            promised,
        ]
    )


@pytest.fixture
def base(ctx):
    """Two customers and one conversation, so "unchanged" has something to compare."""
    c1 = f.customer("Alpha", number="C1")
    f.customer("Beta", number="C2")
    f.conversation(c1, "2026-02-01", note="existing")
    return ctx


def failing_import(kind: str, path, login: str = "tester") -> CsvImportError:
    before = snapshot()
    with pytest.raises(CsvImportError) as info:
        if kind == "customers":
            import_customers(path)
        else:
            import_conversations(path, login)
    assert snapshot() == before, "a failed import must leave the database unchanged"
    return info.value


def messages(error: CsvImportError) -> list[str]:
    return [str(e) for e in error.errors]


# --- each bad input of issue #2 -------------------------------------------------------------


def test_bad_date(base, tmp_path):
    path = write(tmp_path, "\n".join([CONVERSATIONS_HEADER, conv_line(), conv_line(date="2026-02-30")]) + "\n")
    error = failing_import("conversations", path)
    assert messages(error) == ["line 3, column date: '2026-02-30' is not a date (YYYY-MM-DD)"]


def test_bad_time(base, tmp_path):
    path = write(tmp_path, "\n".join([CONVERSATIONS_HEADER, conv_line(time_begin="9h30"), conv_line()]) + "\n")
    error = failing_import("conversations", path)
    assert messages(error) == ["line 2, column time_begin: '9h30' is not a time (HH:MM)"]


def test_unknown_stage(base, tmp_path):
    path = write(
        tmp_path, "\n".join([CONVERSATIONS_HEADER, conv_line(stage="proposal"), conv_line(stage="Maybe later")]) + "\n"
    )
    error = failing_import("conversations", path)
    assert messages(error) == ["line 3, column pipeline_stage: unknown pipeline stage 'Maybe later'"]


def test_unknown_customer_number(base, tmp_path):
    path = write(tmp_path, "\n".join([CONVERSATIONS_HEADER, conv_line(), conv_line(number="C404")]) + "\n")
    error = failing_import("conversations", path)
    assert messages(error) == ["line 3, column customer_number: no customer with number 'C404'"]


def test_missing_required_column(base, tmp_path):
    path = write(tmp_path, "number,email\nC9,x@example.com\n")
    error = failing_import("customers", path)
    assert messages(error) == ["line 1, column name: required column is missing from the header"]


def test_unknown_column(base, tmp_path):
    path = write(tmp_path, "number,name,fax\nC9,Gamma,123\n")
    error = failing_import("customers", path)
    assert len(error.errors) == 1
    assert messages(error)[0].startswith("line 1, column fax: unknown column")


def test_duplicate_customer_number_in_file(base, tmp_path):
    path = write(tmp_path, f"{CUSTOMERS_HEADER}\nC7,Gamma,,,,\nC8,Delta,,,,\nC7,Epsilon,,,,\n")
    error = failing_import("customers", path)
    assert messages(error) == ["line 4, column number: customer number 'C7' already appears on line 2"]


def test_duplicate_customer_number_in_database(base, tmp_path):
    path = write(tmp_path, f"{CUSTOMERS_HEADER}\nC7,Gamma,,,,\nC2,Beta again,,,,\n")
    error = failing_import("customers", path)
    assert messages(error) == [
        "line 3, column number: customer number 'C2' already exists in the database "
        "(--skip-existing leaves such rows, --update overwrites them)"
    ]


def test_empty_file(base, tmp_path):
    error = failing_import("customers", write(tmp_path, ""))
    assert messages(error)[0].startswith("line 1: the file is empty")


def test_header_only_is_an_error(base, tmp_path):
    """A header without rows is almost always the wrong file or a failed export: exit 1."""
    error = failing_import("conversations", write(tmp_path, CONVERSATIONS_HEADER + "\r\n"))
    assert messages(error) == ["line 2: the file has a header but no rows: there is nothing to import"]


def test_not_utf8(base, tmp_path):
    data = f"{CUSTOMERS_HEADER}\nC7,Gamma,,,,\nC8,M\xfcller,,,,\n".encode("latin-1")
    error = failing_import("customers", write(tmp_path, data))
    assert messages(error) == ["line 3, column name: not UTF-8 text (byte 0xFC); save the file as UTF-8"]


def test_one_megabyte_note_imports(base, tmp_path):
    note = ('Ünïcödé paragraph, with "quotes", commas and\nnewlines. ' * 20_000)[:1_000_000]
    assert len(note.encode()) > 1_000_000
    out = io.StringIO()
    import csv

    csv.writer(out).writerows(
        [CONVERSATION_COLUMNS, ["", "C1", "tester", "2026-03-02", "", "", "", "", note, "", "", "", "", "", "", "", ""]]
    )
    summary = import_conversations(write(tmp_path, out.getvalue()), "tester")
    assert summary.imported == 1
    assert Conversation.get(Conversation.date == f.d("2026-03-02")).note == note


def test_quotes_and_newlines_inside_fields(base, tmp_path):
    text = (
        f"{CUSTOMERS_HEADER},cadence_days\r\n"
        'C7,"Smith, ""Bob"" & Co",b@example.com,,"Main St 1\r\nSpringfield","line one\nline two",14\r\n'
        "C8,Plain,,,,,\r\n"
    )
    import_customers(write(tmp_path, text))
    bob = Customer.get(Customer.number == "C7")
    assert bob.name == 'Smith, "Bob" & Co'
    assert bob.address == "Main St 1\r\nSpringfield"
    assert bob.notes == "line one\nline two"
    out = io.StringIO()
    export("customers", "csv", out)
    assert text.split("\r\n", 1)[1] in out.getvalue()  # written back exactly as read


# --- all or nothing, every error listed ------------------------------------------------------


def test_one_bad_line_changes_nothing_and_names_that_line(base, tmp_path):
    lines = [conv_line(employee="newbie", about="Brand new topic", note=f"row {i}") for i in range(20)]
    lines[13] = conv_line(date="2026-13-01")
    path = write(tmp_path, "\n".join([CONVERSATIONS_HEADER, *lines]) + "\n")
    error = failing_import("conversations", path)
    assert messages(error) == ["line 15, column date: '2026-13-01' is not a date (YYYY-MM-DD)"]
    assert Employee.get_or_none(Employee.login == "newbie") is None
    assert Topic.get_or_none(Topic.name == "Brand new topic") is None


def test_every_error_is_listed_with_line_and_column(base, tmp_path):
    path = write(
        tmp_path,
        "\n".join(
            [
                CONVERSATIONS_HEADER,
                conv_line(time_end="08:00"),
                conv_line(completed="maybe", duration="-5"),
                '"","C1",tester,2026-03-01,,,,,"unterminated note',
            ]
        )
        + "\n",
    )
    error = failing_import("conversations", path)
    assert messages(error) == [
        "line 2, column time_end: 08:00 is before time_begin 09:00",
        "line 3, column duration_minutes: '-5' is not a number of minutes (a whole number, 0 to 100,000)",
        "line 3, column completed: 'maybe' is not a yes/no value (1/0, true/false, yes/no)",
        "line 4: bad CSV quoting (unexpected end of data); nothing after it was read",
    ]
    assert str(error).startswith(f"{path}: 4 errors, nothing imported")


def test_wrong_number_of_fields(base, tmp_path):
    error = failing_import("customers", write(tmp_path, "number,name\nC7,Gamma,extra\n"))
    assert messages(error) == ["line 2: 3 fields, but the header has 2 columns"]


def test_missing_file_is_a_one_line_error(ctx, tmp_path):
    with pytest.raises(RapportError, match="no such file"):
        import_customers(tmp_path / "nope.csv")


# --- what a good import does -----------------------------------------------------------------


def test_lookups_match_case_insensitively_and_unknown_ones_are_created(base, tmp_path):
    f.employee("Anna")
    path = write(
        tmp_path,
        "\n".join(
            [
                CONVERSATIONS_HEADER,
                conv_line(employee="ANNA", about="quote", how="EMAIL", stage="negotiation", completed="Yes"),
                conv_line(
                    employee="bruno", about="Warranty", how="Carrier pigeon", completed="TRUE", is_follow_up="yes"
                ),
                conv_line(employee="Bruno", about="warranty", how="", completed="", is_follow_up="1"),
                conv_line(employee="", about="", how="", completed="no", is_follow_up="False"),
            ]
        )
        + "\n",
    )
    summary = import_conversations(path, "tester")
    assert summary.imported == 4
    assert summary.created == ["employee 'bruno'", "topic 'Warranty'", "method 'Carrier pigeon'"]
    assert str(summary) == (
        "imported 4 conversations; created employee 'bruno', topic 'Warranty', method 'Carrier pigeon'"
    )
    rows = list(Conversation.select().where(Conversation.note == "hello").order_by(Conversation.id))
    assert [r.employee.login for r in rows] == ["Anna", "bruno", "bruno", "tester"]
    assert [r.topic and r.topic.name for r in rows] == ["Quote", "Warranty", "Warranty", None]
    assert rows[0].method.name == "Email" and rows[0].pipeline_stage.name == "Negotiation"
    assert [r.completed for r in rows] == [True, True, False, False]
    assert [r.is_follow_up for r in rows] == [False, True, True, False]
    assert Employee.select().where(Employee.login ** "anna").count() == 1


def test_optional_columns_may_be_left_out(base, tmp_path):
    import_customers(write(tmp_path, "name,number\nGamma,C7\n"))
    gamma = Customer.get(Customer.number == "C7")
    assert (gamma.name, gamma.email, gamma.notes) == ("Gamma", "", "")


def test_excel_style_file_with_bom_and_crlf_imports(base, tmp_path):
    data = "\ufeffNumber, Name ,Email\r\nC7,Ça va SARL,\r\n\r\nC8,Ünal,u@example.com\r\n".encode("utf-8")
    assert import_customers(write(tmp_path, data)).imported == 2
    assert Customer.get(Customer.number == "C8").email == "u@example.com"


def test_blank_file_counts_as_empty(base, tmp_path):
    error = failing_import("conversations", write(tmp_path, "\n  \r\n\n"))
    assert messages(error)[0].startswith("line 1: the file is empty")


def test_not_utf8_header_names_line_1(base, tmp_path):
    error = failing_import("customers", write(tmp_path, b"number,n\xe4me\nC7,Gamma\n"))
    assert messages(error) == ["line 1, column #2: not UTF-8 text (byte 0xE4); save the file as UTF-8"]


def test_promised_and_cadence_columns_are_optional_and_read(base, tmp_path):
    customers = write(tmp_path, f"{CUSTOMERS_HEADER},cadence_days\nC7,Gamma,,,,,30\nC8,Delta,,,,,\n")
    import_customers(customers)
    assert {c.number: c.cadence_days for c in Customer.select()} == {"C1": None, "C2": None, "C7": 30, "C8": None}
    path = write(
        tmp_path,
        "\n".join(
            [
                CONVERSATIONS_HEADER,
                conv_line(follow_up="2026-03-20", promised="2026-03-10", note="moved"),
                conv_line(follow_up="2026-03-20", note="kept"),
            ]
        )
        + "\n",
    )
    import_conversations(path, "tester")
    promised = {c.note: (c.follow_up, c.promised_follow_up) for c in Conversation.select()}
    assert promised["moved"] == (dt.date(2026, 3, 20), dt.date(2026, 3, 10))
    assert promised["kept"] == (dt.date(2026, 3, 20), dt.date(2026, 3, 20))


def test_bad_cadence_and_promised_without_follow_up_are_named(base, tmp_path):
    customers = write(tmp_path, f"{CUSTOMERS_HEADER},cadence_days\nC7,Gamma,,,,,0\n")
    with pytest.raises(CsvImportError) as error:
        import_customers(customers)
    assert [str(e) for e in error.value.errors] == [
        "line 2, column cadence_days: '0' is not a number of days (1 to 3650)"
    ]
    path = write(tmp_path, CONVERSATIONS_HEADER + "\n" + conv_line(promised="2026-03-10") + "\n")
    with pytest.raises(CsvImportError) as error:
        import_conversations(path, "tester")
    assert [str(e) for e in error.value.errors] == [
        "line 2, column promised_follow_up: a promised date needs a follow_up date"
    ]

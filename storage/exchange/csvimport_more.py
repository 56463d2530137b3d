"""Importing contacts and bookings from CSV (README.md#csv-files), all or nothing like
``storage.exchange.csvimport``.

- contacts.csv: a contact is known by its customer and its name (ignoring case); one that
  already exists is an error, skipped or updated as the mode says.
- bookings.csv: known by ``uid``. ``start`` and ``end`` are ``YYYY-MM-DD HH:MM`` wall-clock
  time in the zone the ``timezone`` column names (empty: config's ``timezone``, else the
  system's); stored as UTC instants with that zone (``storage.timezones``), so an export
  writes back the same text.
"""

from __future__ import annotations

from pathlib import Path

from storage.db import bulk
from storage.db.database import write_transaction
from storage.db.models import Booking, Contact, Conversation, new_uid, utcnow
from storage.exchange.csvcheck import RowChecker
from storage.exchange.csvimport import (
    Existing,
    ImportSummary,
    chunks,
    customer_ids,
    employee_lookup,
    existing_uids,
)
from storage.exchange.csvio import CsvFile, show
from storage.limits import NOTE_MAX as TEXT_MAX
from storage.timezones import configured_zone_name, to_utc, valid_zone

CONTACT_FIELDS = (Contact.customer, Contact.name, Contact.role, Contact.email, Contact.phone)


def import_contacts(path: Path | str, mode: str = "error", progress=None) -> ImportSummary:
    with CsvFile(path, "contacts", progress) as table, write_transaction():
        customers = customer_ids()
        existing = {
            (customer, name.lower()): id_
            for customer, name, id_ in Contact.select(Contact.customer, Contact.name, Contact.id).tuples().iterator()
        }
        present = set(table.header)
        first_line: dict[tuple, int] = {}
        known = Existing(mode, "contact")

        def records():
            for line, row in table.rows():
                check = RowChecker(line, row, table.errors)
                number = check.text("customer_number", required=True)
                customer = customers.get(number.lower())
                if number and customer is None:
                    check.error("customer_number", f"no customer with number {show(number)}")
                values = {
                    "name": check.text("name", required=True),
                    "role": check.text("role"),
                    "email": check.text("email"),
                    "phone": check.text("phone"),
                }
                key = (customer, values["name"].lower())
                if customer and key in first_line:
                    check.error(
                        "name",
                        f"contact {show(values['name'])} of customer {show(number)} "
                        f"already appears on line {first_line[key]}",
                    )
                    continue
                first_line[key] = line
                if key in existing:
                    known.take(
                        check,
                        "name",
                        f"{values['name']}' of customer '{number}",
                        existing[key],
                        {k: v for k, v in values.items() if k in present},
                    )
                    continue
                if not table.errors:
                    yield (customer, *values.values())

        count = bulk.insert_rows(Contact, CONTACT_FIELDS, records())
        table.finish()
        updated = known.apply(Contact)
    return ImportSummary("contacts", count, updated=updated, skipped=known.skipped)


def import_bookings(
    path: Path | str, default_login: str, config: dict | None = None, mode: str = "error", progress=None
) -> ImportSummary:
    local = configured_zone_name(config or {})
    with CsvFile(path, "bookings", progress) as table, write_transaction():
        customers = customer_ids()
        employees = employee_lookup()
        present = set(table.header) | {"employee", "start", "end", "timezone"}
        first_line: dict[str, int] = {}
        known = Existing(mode, "booking uid")
        now = utcnow()
        fields = ["customer", "employee", "start", "end", "title", "location", "note", "conversation", "timezone"]

        def records():
            for chunk in chunks(table.rows()):
                there = existing_uids(Booking, [row["uid"].strip() for _, row in chunk if row["uid"].strip()])
                talks = existing_uids(
                    Conversation,
                    [row["conversation_uid"].strip() for _, row in chunk if row["conversation_uid"].strip()],
                )
                for line, row in chunk:
                    check = RowChecker(line, row, table.errors)
                    uid = check.text("uid")
                    values = _check_booking(check, customers, talks, default_login, local)
                    if uid and uid in first_line:
                        check.error("uid", f"uid {show(uid)} already appears on line {first_line[uid]}")
                        continue
                    first_line[uid] = line
                    if table.errors:
                        continue
                    values["employee"] = employees.id(values["employee"])
                    if uid in there:
                        changes = {
                            k: v
                            for k, v in values.items()
                            if k in present or (k == "conversation" and "conversation_uid" in present)
                        }
                        known.take(
                            check,
                            "uid",
                            uid,
                            there[uid],
                            {**changes, "updated_at": now, "sequence": Booking.sequence + 1},
                        )
                        continue
                    yield (uid or new_uid(), *(values[name] for name in fields), now, now)

        model_fields = [
            Booking.uid,
            *(Booking._meta.fields[name] for name in fields),
            Booking.created_at,
            Booking.updated_at,
        ]
        count = bulk.insert_rows(Booking, model_fields, records())
        table.finish()
        updated = known.apply(Booking)
    return ImportSummary("bookings", count, employees.created, updated=updated, skipped=known.skipped)


def _check_booking(check: RowChecker, customers: dict, talks: dict, default_login: str, local: str) -> dict:
    number = check.text("customer_number", required=True)
    customer = customers.get(number.lower())
    if number and customer is None:
        check.error("customer_number", f"no customer with number {show(number)}")
    start, end = check.datetime("start", required=True), check.datetime("end", required=True)
    if start and end and end <= start:
        check.error("end", f"{end:%Y-%m-%d %H:%M} is not after start {start:%Y-%m-%d %H:%M}")
    zone = check.text("timezone") or local
    if not valid_zone(zone):
        check.error("timezone", f"{show(zone)} is not a time zone (an IANA name such as Europe/Berlin)")
        zone = local
    elif start and end:
        start, end = to_utc(start, zone), to_utc(end, zone)
    conversation_uid = check.text("conversation_uid")
    if conversation_uid and conversation_uid not in talks:
        check.error("conversation_uid", f"no conversation with uid {show(conversation_uid)}")
    values = {
        "customer": customer,
        "employee": check.key("employee", required=False) or default_login,
        "start": start,
        "end": end,
        "title": check.text("title"),
        "location": check.text("location"),
        "note": check.text("note", strip=False, max_length=TEXT_MAX),
        "conversation": talks.get(conversation_uid),
        "timezone": zone,
    }
    return values

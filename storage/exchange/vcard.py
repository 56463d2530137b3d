"""Contacts as vCard (README.md#command-line: ``rapport import vcard FILE.vcf``, ``rapport export vcard``),
read and written with ``vobject`` (see README "Dependencies").

Export: one vCard 3.0 per contact with FN, N, ORG (the customer's name), TITLE (role), EMAIL,
TEL and ``X-RAPPORT-CUSTOMER`` (the customer number), ordered like contacts.csv.
Import: each card becomes a contact of the customer named by ``--customer NUMBER``, else by
its ``X-RAPPORT-CUSTOMER``, else by its ORG (a customer name, ignoring case, that must name
exactly one customer). All or nothing, like the CSV imports: every problem is listed with the
card's number and the database is unchanged; an existing contact (same customer and name,
ignoring case) is an error unless skipped or updated (``mode``).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from storage.db.database import write_transaction
from storage.db.models import Contact, Customer
from storage.errors import RapportError
from storage.exchange.csvcheck import NAME_MAX
from storage.exchange.csvimport import Existing, ImportSummary, customer_ids
from storage.exchange.csvio import CsvImportError, LineError, open_text, show


def write_vcards(out: IO[str]) -> int:
    import vobject

    query = (
        Contact.select(Contact.name, Contact.role, Contact.email, Contact.phone, Customer.name, Customer.number)
        .join(Customer)
        .order_by(Customer.number, Contact.name, Contact.id)
        .tuples()
    )
    count = 0
    for name, role, email, phone, customer, number in query.iterator():
        card = vobject.vCard()
        card.add("fn").value = name
        given, _, family = name.rpartition(" ")  # "Ann Smith": given Ann, family Smith
        card.add("n").value = vobject.vcard.Name(family=family, given=given)
        card.add("org").value = [customer]
        if role:
            card.add("title").value = role
        if email:
            card.add("email").value = email
        if phone:
            card.add("tel").value = phone
        card.add("x-rapport-customer").value = number
        out.write(card.serialize().replace("\r\n", "\n").replace("\n", "\r\n"))
        count += 1
    return count


def _read(path: Path | str, filename: str) -> str:
    with open_text(path, filename, "vCard file") as handle:
        try:
            return handle.read().encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except OSError as exc:
            raise RapportError(f"cannot read {filename}: {exc.strerror}") from None


def _first(card, name: str) -> str:
    items = card.contents.get(name) or []
    value = items[0].value if items else ""
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    return str(value or "").strip()


def import_vcards(path: Path | str, customer_number: str | None = None, mode: str = "error") -> ImportSummary:
    import vobject

    filename = "standard input" if str(path) == "-" else str(path)
    text = _read(path, filename)
    errors: list[LineError] = []
    try:
        cards = list(vobject.readComponents(text, ignoreUnreadable=True))
    except Exception as exc:  # vobject raises its own ParseError and plain errors alike
        raise CsvImportError(
            filename,
            [
                LineError(
                    getattr(exc, "lineNumber", None) or 1,
                    None,
                    f"not a vCard file ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})",
                )
            ],
        ) from None
    with write_transaction():
        numbers = customer_ids()
        by_name: dict[str, list[int]] = {}
        for name, id_ in Customer.select(Customer.name, Customer.id).tuples().iterator():
            by_name.setdefault(name.lower(), []).append(id_)
        fixed = None
        if customer_number is not None:
            fixed = numbers.get(customer_number.strip().lower())
            if fixed is None:
                raise RapportError(f"--customer {customer_number!r}: no such customer")
        existing = {
            (c, n.lower()): i
            for c, n, i in Contact.select(Contact.customer, Contact.name, Contact.id).tuples().iterator()
        }
        known = Existing(mode, "contact")
        rows: list[dict] = []
        seen: dict[tuple, int] = {}
        for index, card in enumerate(cards, 1):
            check = _CardCheck(index, errors)
            if card.name.upper() != "VCARD":
                continue
            name = check.value("name", _first(card, "fn") or _first(card, "n"), required=True)
            values = {
                "name": name,
                "role": check.value("role", _first(card, "title") or _first(card, "role")),
                "email": check.value("email", _first(card, "email")),
                "phone": check.value("phone", _first(card, "tel")),
            }
            customer = fixed or _customer_of(card, numbers, by_name, check)
            key = (customer, name.lower())
            if customer and key in seen:
                check.error("name", f"contact {show(name)} already appears as card {seen[key]}")
                continue
            seen[key] = index
            if customer and key in existing:
                known.take(check, "name", name, existing[key], values)
            elif customer:
                rows.append({"customer": customer, **values})
        if not cards:
            errors.append(LineError(1, None, "no vCards (BEGIN:VCARD … END:VCARD) in the file"))
        if errors:
            raise CsvImportError(filename, errors)
        for row in rows:
            Contact.create(**row)
        updated = known.apply(Contact)
    return ImportSummary("contacts", len(rows), updated=updated, skipped=known.skipped)


class _CardCheck:
    def __init__(self, index: int, errors: list[LineError]):
        self.index = index
        self.errors = errors

    def error(self, field: str, message: str) -> None:
        self.errors.append(LineError(self.index, field, message, "card"))

    def value(self, field: str, value: str, required: bool = False) -> str:
        if required and not value:
            self.error(field, "a value is required (FN)")
        elif len(value) > NAME_MAX:
            self.error(field, f"{len(value):,} characters, at most {NAME_MAX} allowed")
        return value


def _customer_of(card, numbers: dict, by_name: dict, check: _CardCheck) -> int | None:
    number = _first(card, "x-rapport-customer")
    if number:
        found = numbers.get(number.lower())
        if found is None:
            check.error("customer", f"no customer with number {show(number)}")
        return found
    org = _first(card, "org")
    if not org:
        check.error("customer", "the card has no ORG; name the customer with --customer NUMBER")
        return None
    found = by_name.get(org.lower(), [])
    if len(found) != 1:
        what = "no customer" if not found else f"{len(found)} customers"
        check.error("customer", f"{what} named {show(org)}; name the customer with --customer NUMBER")
        return None
    return found[0]

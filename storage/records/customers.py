"""Customers and their contacts: read one, save (with validation), delete a contact.

Saving takes the fields as typed (strings) and raises ``ValidationError`` with a message per
field when something is wrong, before anything is written: name and number are required and
the number is unique (compared ignoring case and surrounding spaces). Values are stored with
surrounding spaces removed; the text in between is kept exactly.
"""

from __future__ import annotations

import re

from peewee import IntegrityError, fn

from storage import limits
from storage.db.models import Contact, Customer, db
from storage.db.retry import retrying
from storage.errors import ValidationError

CUSTOMER_FIELDS = ("number", "name", "email", "phone", "address", "notes", "cadence_days")
MAX_CADENCE_DAYS = 3650  # "stay in touch every N days" (docs/reports.md): 1 to 10 years' worth
CONTACT_FIELDS = ("name", "role", "email", "phone")
_TRAILING_DIGITS = re.compile(r"^(.*?)(\d+)$")
CUSTOMER_LIMITS = {
    "name": limits.NAME_MAX,
    "email": limits.NAME_MAX,
    "phone": limits.NAME_MAX,
    "address": limits.NOTE_MAX,
    "notes": limits.NOTE_MAX,
}
CONTACT_LIMITS = {"name": limits.NAME_MAX, "role": limits.NAME_MAX, "email": limits.NAME_MAX, "phone": limits.NAME_MAX}


def _clean(fields: dict, names: tuple[str, ...]) -> dict:
    return {name: str(fields.get(name) or "").strip() for name in names}


def _check_email(values: dict, errors: dict) -> None:
    email = values.get("email", "")
    if email and "email" not in errors and ("@" not in email or " " in email):
        errors["email"] = "Not an email address (expected name@example.com)."


def get_customer(customer_id: int) -> Customer | None:
    return Customer.get_or_none(Customer.id == customer_id)


def form_values(customer_id: int | None) -> dict:
    """The customer form's fields as text, and ``archived``; a new customer's (None, or one
    deleted meanwhile) are empty but for a suggested number."""
    customer = get_customer(customer_id) if customer_id else None
    values: dict[str, object] = {name: str(getattr(customer, name, "") or "") for name in CUSTOMER_FIELDS}
    values["archived"] = bool(customer and customer.archived)
    if customer is None:
        values["number"] = suggest_number()
    return values


def number_taken(number: str, except_id: int | None = None) -> bool:
    query = Customer.select().where(fn.LOWER(fn.TRIM(Customer.number)) == number.strip().lower())
    if except_id is not None:
        query = query.where(Customer.id != except_id)
    return query.exists()


def validate_customer(fields: dict, customer_id: int | None = None) -> dict:
    """The cleaned values, or ValidationError naming every bad field."""
    values = _clean(fields, CUSTOMER_FIELDS)
    errors = limits.check_texts(values, CUSTOMER_LIMITS)
    if not values["number"]:
        errors["number"] = "Number is required."
    elif message := limits.check_number("number", values["number"]):
        errors["number"] = message
    elif number_taken(values["number"], customer_id):
        errors["number"] = f"Number {values['number']} is already used by another customer."
    if not values["name"]:
        errors["name"] = "Name is required."
    _check_email(values, errors)
    values["cadence_days"] = _cadence(values["cadence_days"], errors)
    if errors:
        raise ValidationError(errors)
    return values


def _cadence(text: str, errors: dict) -> int | None:
    """Stay in touch every N days: empty (no cadence) or a whole number of days."""
    if not text:
        return None
    if text.isascii() and text.isdigit() and 1 <= int(text) <= MAX_CADENCE_DAYS:
        return int(text)
    errors["cadence_days"] = f"A number of days, 1 to {MAX_CADENCE_DAYS} (or empty: no cadence)."
    return None


@retrying
def save_customer(fields: dict, customer_id: int | None = None, archived: bool | None = None) -> int:
    """Create (``customer_id`` None) or update a customer; returns its id."""
    with db.atomic():
        values = validate_customer(fields, customer_id)
        if archived is not None:
            values["archived"] = archived
        try:
            if customer_id is None:
                return Customer.create(**values).id
            if not Customer.update(**values).where(Customer.id == customer_id).execute():
                raise ValidationError({"number": "This customer no longer exists (deleted elsewhere)."})
            return customer_id
        except IntegrityError as exc:  # another session took the number in between
            raise ValidationError({"number": f"Number {values['number']} is already used."}) from exc


def suggest_number() -> str:
    """A free number for a new customer: the latest customer's number plus one."""
    latest = Customer.select(Customer.number).order_by(Customer.id.desc()).first()
    prefix, digits = "", "0"
    if latest and (match := _TRAILING_DIGITS.match(latest.number.strip())):
        prefix, digits = match.groups()
    value = int(digits)
    while True:
        value += 1
        candidate = f"{prefix}{value:0{len(digits)}d}"
        if not number_taken(candidate):
            return candidate


# -- contacts ---------------------------------------------------------------------------------
def contacts(customer_id: int) -> list[Contact]:
    """The customer's contacts; the first one is the main contact."""
    return list(Contact.select().where(Contact.customer == customer_id).order_by(Contact.id))


def get_contact(contact_id: int) -> Contact | None:
    return Contact.get_or_none(Contact.id == contact_id)


def contact_form_values(customer_id: int, contact_id: int | None) -> tuple[int, int | None, dict[str, str]]:
    """What the contact form shows: the customer, the contact (None: a new one) and its fields."""
    contact = get_contact(contact_id) if contact_id else None
    values = {name: str(getattr(contact, name, "") or "") for name in CONTACT_FIELDS}
    return customer_id, contact.id if contact else None, values


@retrying
def save_contact(customer_id: int, fields: dict, contact_id: int | None = None) -> int:
    """Create or update a contact of a customer; returns its id. Name is required."""
    values = _clean(fields, CONTACT_FIELDS)
    errors = limits.check_texts(values, CONTACT_LIMITS)
    if not values["name"]:
        errors["name"] = "Name is required."
    _check_email(values, errors)
    if errors:
        raise ValidationError(errors)
    with db.atomic():
        if contact_id is None:
            return Contact.create(customer=customer_id, **values).id
        Contact.update(**values).where((Contact.id == contact_id) & (Contact.customer == customer_id)).execute()
        return contact_id


@retrying
def delete_contact(contact_id: int) -> None:
    with db.atomic():
        Contact.delete().where(Contact.id == contact_id).execute()

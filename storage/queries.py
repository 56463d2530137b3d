"""Queries the screens and commands ask for. Screens never build SQL themselves."""

from __future__ import annotations

from storage.models import Customer


def customer_page(limit: int = 100, offset: int = 0) -> list[Customer]:
    return list(Customer.select().order_by(Customer.name, Customer.id).limit(limit).offset(offset))

"""Names sort the way people read them (docs/data.md), the same on SQLite and PostgreSQL: case and
accents ignored, Ø/Ł/ß filed under o/l/ss, scripts one after the other (issue 19)."""

from __future__ import annotations

import pytest

from storage.db.models import Customer
from storage.db.sort_key import sort_key
from storage.exchange.csvimport import import_customers
from storage.records import customers, lookups, staff
from storage.records.queries import CustomerList
from tests.conftest import BACKENDS, TODAY

# In reading order: Latin with diacritics among their plain letters, then Greek, Cyrillic, CJK.
READING_ORDER = [
    "alpha",
    "Ärger",
    "Ben",
    "celik",
    "Çelik",
    "Dora",
    "Łukasiewicz",
    "Müller",
    "Øster",
    "Ozan",
    "Straße",
    "Strasser",
    "Zeta",
    "Άλφα",
    "Βήτα",
    "Δέλτα",
    "Анна",
    "Борис",
    "Юлия",
    "東京商事",
    "长城贸易株式会社",
]  # CJK: radical-stroke (code point) order


def test_sort_key_folds_case_accents_and_special_letters():
    assert sort_key("Ärger") == "arger" and sort_key("ÇELIK") == "celik"
    assert sort_key("Øster") == "oster" and sort_key("Łukasiewicz") == "lukasiewicz"
    assert sort_key("Straße") == "strasse" and sort_key("Άλφα") == "αλφα"
    assert sort_key("  Ｆull  width ") == "full width"
    assert len(sort_key("ﷺ" * 255)) == 255  # expansions never outgrow the column


@pytest.mark.parametrize("ctx", BACKENDS, indirect=True)
def test_customers_list_in_reading_order_on_both_backends(ctx, tmp_path):
    shuffled = READING_ORDER[::3] + READING_ORDER[1::3] + READING_ORDER[2::3]
    half = len(shuffled) // 2
    for name in shuffled[:half]:  # the form's way in ...
        customers.save_customer({"number": f"N{name}", "name": name})
    csv = tmp_path / "customers.csv"  # ... and the bulk import's
    csv.write_text(
        "number,name\n" + "".join(f"I{i},{name}\n" for i, name in enumerate(shuffled[half:])), encoding="utf-8"
    )
    import_customers(csv)
    listed = CustomerList(TODAY)
    assert [row.name for row in listed.fetch(0, 100)] == READING_ORDER
    assert [row.name for row in listed.fetch(3, 4)] == READING_ORDER[3:7]  # paged the same way
    celik = Customer.get(Customer.name == "Çelik")
    assert listed.index_of(celik.id) == READING_ORDER.index("Çelik")
    assert [row.name for row in CustomerList(TODAY, "e").fetch(0, 100)] == [
        name for name in READING_ORDER if "e" in name.lower()
    ]
    assert [row.name for row in CustomerList(TODAY, "CELIK").fetch(0, 9)] == ["celik", "Çelik"]
    assert [row.name for row in CustomerList(TODAY, "lukas").fetch(0, 9)] == ["Łukasiewicz"]
    customers.save_customer({"number": "NZeta", "name": "Ångström"}, Customer.get(Customer.name == "Zeta").id)
    names = [row.name for row in CustomerList(TODAY).fetch(0, 3)]
    assert names == ["alpha", "Ångström", "Ärger"]  # renamed: filed again


@pytest.mark.parametrize("ctx", BACKENDS, indirect=True)
def test_employees_and_contacts_in_reading_order(ctx):
    for login, name in [("zoe", "Zoë"), ("lw", "Łucja Wójcik"), ("am", "Ágnes"), ("bo", "")]:
        staff.add_employee(login, name)
    assert [e.display_name for e in lookups.employees()] == ["Ágnes", "bo", "Łucja Wójcik", "Zoë"]
    cust = customers.save_customer({"number": "1", "name": "Acme"})
    for name in ["Øyvind", "anna", "Émile"]:
        customers.save_contact(cust, {"name": name})
    from storage.records.conversation_list import with_whom_suggestions

    assert with_whom_suggestions(cust)[:3] == ["anna", "Émile", "Øyvind"]

"""Customers list source, search, customer and contact saving, stage history (both backends)."""

from __future__ import annotations

import pytest

from storage.errors import ValidationError
from storage.records import customers
from storage.records.queries import CustomerList, like_pattern, stage_history
from tests import factories as f
from tests.conftest import TODAY


def names(source, offset=0, limit=100):
    return [row.name for row in source.fetch(offset, limit)]


def test_list_columns_are_computed_per_customer(ctx):
    acme = f.customer("Acme", number="A-1", phone="030 111")
    f.customer("Bolt", number="B-1")
    customers.save_contact(acme.id, {"name": "Ann First", "phone": "+49 (30) 555-1234"})
    customers.save_contact(acme.id, {"name": "Zed Second"})
    f.conversation(acme, "2026-03-01", stage_name="Qualifying", time_begin="09:00")
    f.conversation(acme, "2026-03-01", stage_name="Proposal")  # no time: sorts first that day
    f.conversation(acme, "2026-03-10", follow_up="2026-03-20")
    f.conversation(acme, "2026-03-05", follow_up="2026-03-19", completed=True)
    f.conversation(acme, "2026-03-12", follow_up="2026-03-25")
    f.conversation(acme, "2026-03-30", stage_name="Won")  # after today: does not count
    gone = f.conversation(acme, "2026-03-15", stage_name="Lost")
    gone.deleted_at = gone.created_at
    gone.save()

    source = CustomerList(TODAY)
    assert source.count() == 2
    acme_row, bolt_row = source.fetch(0, 10)
    assert acme_row.number == "A-1" and acme_row.phone == "030 111"
    assert acme_row.main_contact == "Ann First"
    assert acme_row.stage == "Qualifying"
    assert str(acme_row.last_conversation) == "2026-03-12"
    assert str(acme_row.next_follow_up) == "2026-03-20"
    assert (bolt_row.main_contact, bolt_row.stage, bolt_row.last_conversation, bolt_row.next_follow_up) == (
        "",
        "",
        None,
        None,
    )


def test_paging_and_index_of(ctx):
    ids = [f.customer(f"Name {i:03d}").id for i in range(30)]
    source = CustomerList(TODAY)
    assert source.count() == 30
    assert names(source, 10, 3) == ["Name 010", "Name 011", "Name 012"]
    assert source.index_of(ids[17]) == 17
    assert CustomerList(TODAY, "Name 01").index_of(ids[17]) == 7
    assert CustomerList(TODAY, "Name 01").index_of(ids[27]) is None


def test_search_matches_every_field_case_insensitively(ctx):
    a = f.customer("Alpha Trading", number="K-100", email="info@alpha.example")
    b = f.customer("Beta", number="K-200", phone="+1 (555) 987-6543")
    c = f.customer("Gamma", number="K-300")
    customers.save_contact(
        c.id, {"name": "Hildegard Vogel", "phone": "0711 / 44 55 66", "email": "h.vogel@gamma.example"}
    )
    f.customer("Delta", number="K-400")

    def found(text):
        return sorted(names(CustomerList(TODAY, text)))

    assert found("alpha TRAD") == ["Alpha Trading"]
    assert found("k-2") == ["Beta"]
    assert found("INFO@") == ["Alpha Trading"]
    assert found("hildegard") == ["Gamma"]
    assert found("vogel@") == ["Gamma"]
    assert found("44 55") == ["Gamma"]  # part of a contact's phone, as written
    assert found("445566") == ["Gamma"]  # the same digits without separators
    assert found("555-987") == ["Beta"]
    assert found("") == ["Alpha Trading", "Beta", "Delta", "Gamma"]
    assert CustomerList(TODAY, "hildegard").count() == 1
    assert a.id and b.id


def test_search_matches_wildcards_literally(ctx):
    f.customer("100% Organic", number="P-1")
    f.customer("1000 Organic", number="P-2")
    f.customer("snake_case Ltd", number="P-3")
    f.customer("snakeXcase Ltd", number="P-4")
    f.customer("Back\\slash", number="P-5")
    f.customer("O'Brien; DROP TABLE customer", number="P-6")
    assert names(CustomerList(TODAY, "100%")) == ["100% Organic"]
    assert names(CustomerList(TODAY, "e_c")) == ["snake_case Ltd"]
    assert names(CustomerList(TODAY, "k\\s")) == ["Back\\slash"]
    assert names(CustomerList(TODAY, "o'brien;")) == ["O'Brien; DROP TABLE customer"]
    assert names(CustomerList(TODAY, "%")) == ["100% Organic"]
    assert like_pattern("a%b_c\\") == "%a\\%b\\_c\\\\%"


def test_save_customer_validates(ctx):
    with pytest.raises(ValidationError) as err:
        customers.save_customer({"number": " ", "name": "", "email": "nope"})
    assert set(err.value.errors) == {"number", "name", "email"}
    first = customers.save_customer({"number": "N-1", "name": "  First  "})
    assert customers.get_customer(first).name == "First"
    with pytest.raises(ValidationError) as err:
        customers.save_customer({"number": "n-1 ", "name": "Second"})
    assert "already used" in err.value.errors["number"]
    # Saving a customer under its own number is fine; the number of another is not.
    assert customers.save_customer({"number": "N-1", "name": "First Ltd"}, first) == first
    second = customers.save_customer({"number": "N-2", "name": "Second"})
    with pytest.raises(ValidationError):
        customers.save_customer({"number": "N-1", "name": "Second"}, second)
    assert customers.get_customer(second).number == "N-2"
    assert customers.suggest_number() == "N-3"


def test_contacts_crud(ctx):
    cust = f.customer("Acme")
    with pytest.raises(ValidationError) as err:
        customers.save_contact(cust.id, {"name": " "})
    assert "name" in err.value.errors
    ann = customers.save_contact(cust.id, {"name": "Ann", "role": "Buyer"})
    bob = customers.save_contact(cust.id, {"name": "Bob"})
    customers.save_contact(cust.id, {"name": "Ann B.", "phone": "123"}, ann)
    assert [(c.name, c.phone) for c in customers.contacts(cust.id)] == [("Ann B.", "123"), ("Bob", "")]
    customers.delete_contact(bob)
    assert [c.name for c in customers.contacts(cust.id)] == ["Ann B."]


def test_stage_history_newest_first(ctx):
    cust = f.customer("Acme")
    f.employee("maria", name="Maria Lopez")
    f.conversation(cust, "2026-03-01", stage_name="Initial contact", note="First call\nsecond line")
    f.conversation(
        cust, "2026-03-01", time_begin="10:00", stage_name="Qualifying", employee_login="maria", note="x" * 100
    )
    f.conversation(cust, "2026-03-02")  # no stage: not part of the history
    history = stage_history(cust.id)
    assert [e.stage for e in history] == ["Qualifying", "Initial contact"]
    assert history[0].employee == "Maria Lopez" and history[1].employee == "tester"
    assert history[1].note == "First call"
    assert len(history[0].note) == 60 and history[0].note.endswith("…")


def test_a_search_list_sees_new_customers_on_reload(ctx):
    f.customer("Acme One")
    source = CustomerList(TODAY, "acme")
    assert source.count() == 1
    two = f.customer("Acme Two")
    assert source.index_of(two.id) is None  # not searched again until the next count()
    assert source.count() == 2  # PagedTable.reload() counts first
    assert source.index_of(two.id) == 1
    assert names(source) == ["Acme One", "Acme Two"]

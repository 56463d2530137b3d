"""Search (docs/screens.md F9, README.md#command-line ``rapport search``) on both backends: hand-made notes where the
right order is obvious, words of any script, what users type taken literally, trash."""

from __future__ import annotations

import json

import pytest

from cli.main import main
from storage.db.database import close_database
from storage.db.models import Conversation
from storage.records import conversations
from storage.reporting import search
from tests import factories as f
from tests.conftest import make_ctx, sqlite_url


def found(text: str, **kwargs) -> list[str]:
    return [r.note for r in search.search(text, **kwargs)]


def test_every_word_in_any_order_and_word_starts(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-01", note="Contract renewal discussed with the CFO")
    f.conversation(acme, "2026-03-02", note="renewal of the maintenance contract")
    f.conversation(acme, "2026-03-03", note="only about the weather")
    f.conversation(acme, "2026-03-04", note="subcontractor called")  # "contr" starts no word
    assert set(found("renewal contract")) == {
        "Contract renewal discussed with the CFO",
        "renewal of the maintenance contract",
    }
    assert set(found("CONTR renew")) == set(found("renewal contract"))
    assert found("weather about") == ["only about the weather"]
    assert found("contractor") == []
    assert found("nothing-like-this") == []
    assert found("") == [] and found("   ") == [] and found("%_*") == []


def test_best_match_first_then_newest(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-01-01", note="quote quote quote quote for the quote")
    f.conversation(
        acme,
        "2026-03-01",
        note="a long note that mentions a quote only once among "
        "many many other words about delivery dates and prices and people",
    )
    f.conversation(acme, "2026-02-01", note="quote sent")
    f.conversation(acme, "2026-02-02", note="quote sent")  # the same text, newer: first of the two
    notes = found("quote")
    assert notes[0] == "quote quote quote quote for the quote"
    assert notes[-1].startswith("a long note")
    dates = [r.date.isoformat() for r in search.search("sent")]
    assert dates == ["2026-02-02", "2026-02-01"]


def test_with_whom_is_searched_and_employee_filter(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-01", note="called", with_whom="Frau Zimmermann")
    f.conversation(acme, "2026-03-02", note="Zimmermann's assistant", employee_login="bob")
    assert len(found("zimmer")) == 2
    bob = f.employee("bob")
    assert found("zimmer", employee_id=bob.id) == ["Zimmermann's assistant"]


@pytest.mark.parametrize(
    ("note", "query"),
    [
        ("Встреча с директором в Москве", "москв дирек"),  # Cyrillic, any case
        ("Συνάντηση στην Αθήνα για την προσφορά", "αθήνα ΠΡΟΣΦ"),  # Greek
        ("株式会社 との 打ち合わせ", "株式"),  # CJK: the start of a run
        ("Müller GmbH — Lieferung in Köln", "müll köln"),
    ],
)
def test_words_of_any_script(ctx, note, query):
    f.conversation(f.customer("Intl"), "2026-03-01", note=note)
    f.conversation(f.customer("Other"), "2026-03-01", note="nothing to see")
    assert found(query) == [note]


@pytest.mark.parametrize(
    "typed",
    [
        "50% off",
        "50 %",
        "%",
        "_",
        "a_b",
        '"quoted',
        "'",
        "AND",
        "OR NOT",
        "NEAR(x y)",
        "x*",
        "col:umn",
        "^start",
        "-minus",
        "(",
        ")",
        "{x}",
        "a & b | !c",
        "x:*",
        "\\",
        "'; DROP TABLE x; --",
    ],
)
def test_anything_typed_is_taken_literally(ctx, typed):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-01", note="Discount of 50% OFF for a_b AND x, column NEAR start")
    f.conversation(acme, "2026-03-02", note="unrelated")
    results = found(typed)  # never a syntax error
    assert "unrelated" not in results
    if search.words(typed):
        for note in results:
            assert note.startswith("Discount")


def test_operators_are_plain_words(ctx):
    acme = f.customer("Acme")
    f.conversation(acme, "2026-03-01", note="this OR that")
    f.conversation(acme, "2026-03-02", note="this only")
    assert found("this OR that") == ["this OR that"]  # OR is a word to find, not "either"
    assert found("not") == []


def test_trash_is_not_found_and_restored_is(ctx):
    acme = f.customer("Acme")
    conv = f.conversation(acme, "2026-03-01", note="invoice overdue")
    conversations.delete(conv.id)
    assert found("invoice") == []
    conversations.restore(conv.id)
    assert found("invoice") == ["invoice overdue"]


def test_edits_and_deletes_keep_the_index_in_step(ctx):
    acme = f.customer("Acme")
    conv = f.conversation(acme, "2026-03-01", note="first words", with_whom="Anna")
    Conversation.update(note="second version").where(Conversation.id == conv.id).execute()
    assert found("first") == [] and found("second") == ["second version"]
    Conversation.update(with_whom="Berta").where(Conversation.id == conv.id).execute()
    assert found("anna") == [] and found("berta") == ["second version"]
    Conversation.delete().where(Conversation.id == conv.id).execute()
    assert found("second") == []


def test_a_huge_note_is_indexed_and_searchable(ctx):
    big = ("lorem ipsum dolor " * 60_000)[:999_000] + " needle"
    f.conversation(f.customer("Big"), "2026-03-01", note="small needle")
    f.conversation(f.customer("Big2"), "2026-03-01", note=big)
    assert "small needle" in found("needle")
    assert len(search.search("lorem")[0].note) == search.SNIPPET


def test_highlight_spans_mark_word_starts():
    text = "Contract: subcontract, CONTRACTS [bold]contr[/]"
    spans = search.highlight_spans(text, ["contr"])
    assert [text[a:b] for a, b in spans] == ["Contract", "CONTRACTS", "contr"]


def test_cli_json(tmp_path, capsys):
    url = sqlite_url(tmp_path)
    make_ctx(url)
    acme = f.customer("Acme", number="A-1")
    f.conversation(acme, "2026-03-01", note="call back about the quote", with_whom="Ann", employee_login="anna")
    f.conversation(acme, "2026-03-02", note="quote accepted")
    close_database()
    assert main(["search", "quote", "--database", url, "--json", "--limit", "1"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert list(document) == ["query", "results"]
    assert document["query"] == "quote"
    assert len(document["results"]) == 1
    assert list(document["results"][0]) == [
        "uid",
        "customer_number",
        "customer",
        "employee",
        "date",
        "with_whom",
        "note",
    ]
    assert main(["search", "quote call", "--database", url, "--employee", "ANNA", "--json"]) == 0
    results = json.loads(capsys.readouterr().out)["results"]
    assert [(r["customer_number"], r["employee"], r["with_whom"]) for r in results] == [("A-1", "anna", "Ann")]
    assert main(["search", "quote", "--database", url, "--employee", "nobody"]) == 1
    assert "nobody" in capsys.readouterr().err
    assert main(["search", "accepted", "--database", url]) == 0
    assert "quote accepted" in capsys.readouterr().out


def test_a_big_demo_indexes_everything_once(ctx, monkeypatch):
    """The demo writes many conversations with the index paused, then fills it once."""
    from storage.sample import demo

    monkeypatch.setattr(demo, "DROP_INDEXES_FROM", 10)
    demo.generate(ctx, customers=5, conversations=200, seed=2)
    live = Conversation.select().where(Conversation.deleted_at.is_null(), Conversation.note != "")
    sample = live.order_by(Conversation.id.desc()).first()
    word = search.words(sample.note)[0]
    assert sample.id in {r.id for r in search.search(word, limit=500)}
    # and it is kept in step again afterwards
    conversations.delete(sample.id)
    assert sample.id not in {r.id for r in search.search(word, limit=500)}
    f.conversation(f.customer("New"), "2026-03-01", note="qwertzuiop after the demo")
    assert found("qwertz") == ["qwertzuiop after the demo"]

"""SQLite and PostgreSQL give the same answers (docs/storage.md): the same hand-made CSV files are
imported into a fresh SQLite file and a fresh PostgreSQL schema, and ``rapport followups``,
``stats`` and ``pipeline`` print the same JSON (and the same text) on both.

The data is chosen to find dialect differences: conversations without a time (NULL sorts first
on SQLite, last on PostgreSQL unless asked), ties on follow-up dates, lower-case and non-ASCII
names, a date after D, new employees/topics/methods created by the import, a follow-up done late.
"""

from __future__ import annotations

import json
import uuid
from urllib.parse import urlparse

import pytest

from cli.main import main
from tests.conftest import PG_SKIP_REASON, PG_URL, PostgresSchema, sqlite_url

pytestmark = pytest.mark.skipif(not PG_URL, reason=PG_SKIP_REASON)

TODAY = "2026-03-18"

CUSTOMERS = """\
number,name,email,phone,address,notes
K1,Acme GmbH,info@acme.example,+49 30 1,Berlin,
K2,beta Bau,,,,lower-case name
K3,Ärzte Zentrum,,,,"non-ASCII, first letter Ä"
K4,Zeta AG,,,,
"""

HEADER = (
    "customer_number,employee,date,time_begin,time_end,duration_minutes,follow_up,note,"
    "with_whom,about,how,completed,completed_on,is_follow_up,pipeline_stage"
)
CONVERSATIONS = (
    HEADER
    + """
K1,anna,2026-03-02,09:00,09:20,,2026-03-10,first call,Mr Smith,Quote,Telephone,0,,0,Initial contact
K1,anna,2026-03-10,,,,,followed up,Mr Smith,Quote,Email,1,2026-03-10,1,Proposal
K1,anna,2026-03-15,,,,2026-03-18,sent the contract,Mr Smith,Order,Email,0,,0,Won
K2,ben,2026-02-20,10:00,10:45,,2026-03-05,visit,Ms Jones,General,Visit,1,2026-03-07,0,Qualifying
K2,ben,2026-03-12,11:00,,25,2026-03-20,price talk,Ms Jones,Quote,Telephone,0,,0,Negotiation
K2,anna,2026-03-18,07:00,07:10,,2026-03-18,early call,Ms Jones,Support,Telephone,0,,0,
K2,anna,2026-03-18,,,,2026-03-18,no time given,Ms Jones,Support,Email,0,,0,
K3,ben,2026-03-01,14:00,14:30,,2026-03-10,intro,Dr Ö,General,Visit,0,,0,Initial contact
K3,ben,2026-03-16,,,,,declined,Dr Ö,General,Telephone,0,,0,Lost
K4,carla,2026-03-17,08:30,09:00,,2026-03-18,Rückruf [bold]bitte[/],Frau Ü,Rückruf,Fax,0,,0,Lead validated
K4,carla,2026-03-19,,,,,after D,Frau Ü,Order,Visit,0,,0,Won
K4,,2026-01-15,,,,2026-01-20,old one,Frau Ü,General,Letter,1,2026-01-20,0,Initial contact
K4,CARLA,2026-02-03,16:00,16:05,,2026-02-10,late done,Frau Ü,General,Telephone,1,2026-02-12,0,Qualifying
"""
)

COMMANDS = [
    ("followups", "--all", "--json"),
    ("followups", "--employee", "anna", "--json"),
    ("stats", "--json"),
    ("stats", "--from", "2026-01-01", "--to", "2026-03-31", "--json"),
    ("pipeline", "--json"),
    ("pipeline", "--from", "2026-03-01", "--to", "2026-03-31", "--json"),
    ("pipeline", "--employee", "ben", "--json"),
    ("followups", "--all"),
    ("stats", "--from", "2026-01-01", "--to", "2026-03-31"),
    ("pipeline",),
]


def without_uids(value):
    """UIDs are random per import; everything else must match."""
    if isinstance(value, dict):
        return {k: without_uids(v) for k, v in value.items() if k != "uid"}
    if isinstance(value, list):
        return [without_uids(v) for v in value]
    return value


def outputs(url: str, tmp_path, capsys) -> dict[str, object]:
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "conversations.csv").write_text(CONVERSATIONS, encoding="utf-8")
    for kind in ("customers", "conversations"):
        code = main(["--database", url, "--today", TODAY, "import", kind, str(tmp_path / f"{kind}.csv")])
        assert code == 0, capsys.readouterr().err
    capsys.readouterr()
    result: dict[str, object] = {}
    for command in COMMANDS:
        assert main(["--database", url, "--today", TODAY, *command]) == 0, capsys.readouterr().err
        out = capsys.readouterr().out
        result[" ".join(command)] = without_uids(json.loads(out)) if "--json" in command else out
    return result


@pytest.fixture(scope="module")
def en_us_database():
    """A database that sorts text by English rules (as most servers are installed: "beta"
    before "Zeta"), made once for this file: each test gets a fresh schema in it."""
    import psycopg2

    name = "rapport_test_icu_" + uuid.uuid4().hex[:10]
    admin = psycopg2.connect(PG_URL)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            cur.execute(
                f"CREATE DATABASE {name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
            )
    except psycopg2.Error as exc:  # no CREATEDB right, or a server before PostgreSQL 15
        admin.close()
        pytest.skip(f"cannot create an en-US database: {str(exc).strip()}")
    yield urlparse(PG_URL)._replace(path="/" + name).geturl()
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE {name} WITH (FORCE)")
    admin.close()


@pytest.fixture(params=["schema", "en-US database"])
def pg_url(request):
    """A fresh PostgreSQL schema in the RAPPORT_TEST_POSTGRES database, or in a database that
    sorts text by English rules, which is where ORDER BY name would part from SQLite unless
    storage/ prevents it."""
    from storage.db.database import close_database

    base = PG_URL if request.param == "schema" else request.getfixturevalue("en_us_database")
    schema = PostgresSchema(base)
    yield schema.url
    close_database()
    schema.drop()


def test_followups_stats_and_pipeline_are_identical_on_sqlite_and_postgresql(pg_url, tmp_path, capsys):
    sqlite_dir, pg_dir = tmp_path / "sqlite", tmp_path / "pg"
    sqlite_dir.mkdir()
    pg_dir.mkdir()
    on_sqlite = outputs(sqlite_url(sqlite_dir), sqlite_dir, capsys)
    on_postgres = outputs(pg_url, pg_dir, capsys)

    # The data means something: every report has rows to compare.
    everyone = on_sqlite["followups --all --json"]
    assert len(everyone["due"]) >= 5 and everyone["upcoming"]
    assert {"anna", "ben", "carla", "tester"} <= {
        e["employee"] for e in on_sqlite["stats --from 2026-01-01 --to 2026-03-31 --json"]["employees"]
    }
    assert on_sqlite["pipeline --json"]["won"] == 1

    for command in on_sqlite:
        assert on_postgres[command] == on_sqlite[command], command


def test_every_postgresql_text_column_sorts_by_code_point(pg_url):
    from storage.db.database import open_database

    database = open_database(pg_url)
    rows = database.execute_sql(
        "SELECT c.relname, a.attname, coalesce(co.collname, '') FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 "
        "AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)"
    ).fetchall()
    assert ("customer", "name", "C") in rows
    assert {collation for _, _, collation in rows} == {"C"}


def test_a_postgresql_database_upgraded_from_v1_sorts_by_code_point_too(pg_url):
    from storage.db import migrations
    from storage.db.connection import make_database
    from storage.db.database import close_database, open_database
    from tests.test_migrations import build_v1

    raw = make_database(pg_url)
    raw.connect()
    build_v1(raw)
    raw.close()
    database = open_database(pg_url)
    assert migrations.schema_version(database) == migrations.CURRENT_VERSION
    collations = database.execute_sql(
        "SELECT DISTINCT coalesce(co.collname, '') FROM pg_attribute a "
        "JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace "
        "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
        "WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 "
        "AND a.atttypid IN ('text'::regtype, 'varchar'::regtype)"
    ).fetchall()
    assert collations == [("C",)]
    close_database()

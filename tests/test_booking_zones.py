"""Bookings keep their zone (README.md#calendar-export-rapport-export-ics): the upgrade that stores instants, and the same UTC
instant exported by processes running in different zones."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from playhouse.migrate import SchemaMigrator, migrate

from storage.db import migrations
from storage.db.database import close_database, open_database
from storage.db.models import Booking, db
from tests import factories as f
from tests.conftest import BACKENDS, sqlite_url

ROOT = Path(__file__).resolve().parent.parent


def rewind(database) -> None:
    """The booking table as it was before bookings kept their zone: no zone, no cancel."""
    migrator = SchemaMigrator.from_database(database)
    migrate(migrator.drop_column("booking", "timezone"), migrator.drop_column("booking", "cancelled_at"))


@pytest.mark.parametrize("database_url", BACKENDS, indirect=True)
def test_upgrade_reads_old_bookings_in_the_configured_zone(database_url, tmp_path, monkeypatch):
    database = open_database(database_url)
    conv = f.conversation(f.customer(), "2026-03-02")
    rewind(database)
    # Before, the table held what the user typed: 14:00 local, 09:30 local in July (summer time).
    database.execute_sql(
        'INSERT INTO booking (uid, conversation_id, customer_id, employee_id, start, "end", title, '
        "location, note, sequence, created_at, updated_at) VALUES "
        + ", ".join(["(" + ", ".join([database.param] * 12) + ")"] * 2),
        (
            "b-winter",
            conv.id,
            conv.customer_id,
            conv.employee_id,
            dt.datetime(2026, 1, 15, 14),
            dt.datetime(2026, 1, 15, 15),
            "Winter",
            "",
            "",
            0,
            dt.datetime(2026, 1, 1),
            dt.datetime(2026, 1, 1),
            "b-summer",
            conv.id,
            conv.customer_id,
            conv.employee_id,
            dt.datetime(2026, 7, 15, 9, 30),
            dt.datetime(2026, 7, 15, 10),
            "Summer",
            "",
            "",
            0,
            dt.datetime(2026, 1, 1),
            dt.datetime(2026, 1, 1),
        ),
    )
    config = tmp_path / "config.toml"
    config.write_text('timezone = "Europe/Berlin"\n', encoding="utf-8")
    monkeypatch.setenv("RAPPORT_CONFIG", str(config))
    # The step itself, as the upgrade runs it (the steps after it need their own columns,
    # which this database already has).
    assert migrations._booking_zones in migrations.STEPS.values()
    with database.atomic():
        migrations._booking_zones(database)
    winter, summer = Booking.get(Booking.uid == "b-winter"), Booking.get(Booking.uid == "b-summer")
    assert (winter.start, winter.end, winter.timezone) == (
        dt.datetime(2026, 1, 15, 13),
        dt.datetime(2026, 1, 15, 14),
        "Europe/Berlin",
    )
    assert (summer.start, summer.timezone) == (dt.datetime(2026, 7, 15, 7, 30), "Europe/Berlin")
    assert winter.cancelled_at is None
    close_database()


def export_in_zone(url: str, zone: str) -> str:
    env = {**os.environ, "TZ": zone}
    out = subprocess.run(
        [sys.executable, "-m", "tui", "--database", url, "export-ics", "--all", "-o", "-"],
        cwd=ROOT,
        capture_output=True,
        timeout=60,
        env=env,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout.decode()


def test_berlin_and_utc_processes_export_the_same_instant(tmp_path):
    url = sqlite_url(tmp_path)
    open_database(url)
    conv = f.conversation(f.customer(), "2026-03-02")
    from storage.records import bookings

    bookings.create(
        {"date": "2026-03-19", "start": "14:00", "end": "15:00", "title": "Visit"},
        conversation_id=conv.id,
        zone_name="Europe/Berlin",
    )
    db.close()
    close_database()
    berlin, utc = export_in_zone(url, "Europe/Berlin"), export_in_zone(url, "UTC")
    assert "DTSTART:20260319T130000Z" in berlin
    assert "DTSTART:20260319T130000Z" in utc
    assert "DTEND:20260319T140000Z" in utc

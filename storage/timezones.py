"""Time zones of bookings (README.md#settings-configtoml ``timezone``, README.md#calendar-export-rapport-export-ics).

A booking is stored as the instant it starts and ends (naive UTC, like every timestamp)
plus the IANA name of the zone it was made in (the employee's ``timezone`` config key, else
the system's). The form and the Agenda show it as wall-clock time in a zone; the calendar
export writes the instant, so every machine exports the same UTC time whatever its TZ.
"""

from __future__ import annotations

import datetime as dt
import os
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from storage.errors import RapportError

UTC = dt.UTC


def system_zone_name() -> str:
    """The system's zone as an IANA name: ``TZ`` when it names one, else where
    /etc/localtime points, else "UTC" (a system with no zone configured runs on UTC)."""
    configured = os.environ.get("TZ", "").lstrip(":")
    if configured and valid_zone(configured):
        return configured
    try:
        target = str(Path("/etc/localtime").resolve())
    except OSError:
        target = ""
    if "zoneinfo/" in target:
        name = target.split("zoneinfo/", 1)[1]
        if valid_zone(name):
            return name
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        name = ""
    return name if name and valid_zone(name) else "UTC"


def valid_zone(name: str) -> bool:
    try:
        zone(name)
    except RapportError:
        return False
    return True


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise RapportError(f"timezone {name!r}: not a known IANA zone (e.g. Europe/Berlin)") from None


def configured_zone_name(config: dict) -> str:
    """The ``timezone`` config key when set (checked), else the system's zone."""
    name = str(config.get("timezone") or "").strip()
    if not name:
        return system_zone_name()
    zone(name)  # a wrong name is a one-line error, never a silent UTC
    return name


def to_utc(local: dt.datetime, zone_name: str) -> dt.datetime:
    """Wall-clock ``local`` (naive) in the zone as naive UTC."""
    return local.replace(tzinfo=zone(zone_name)).astimezone(UTC).replace(tzinfo=None)


def to_local(instant: dt.datetime, zone_name: str) -> dt.datetime:
    """Naive UTC ``instant`` as naive wall-clock time in the zone."""
    return instant.replace(tzinfo=UTC).astimezone(zone(zone_name)).replace(tzinfo=None)


def day_bounds(first: dt.date, last: dt.date, zone_name: str) -> tuple[dt.datetime, dt.datetime]:
    """The days ``first``..``last`` of the zone as a half-open range of naive UTC instants."""
    start = to_utc(dt.datetime.combine(first, dt.time.min), zone_name)
    end = to_utc(dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min), zone_name)
    return start, end

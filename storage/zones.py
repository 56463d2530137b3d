"""The time zone bookings are stored in: config.toml's ``timezone`` (an IANA name), else the
system's (SPEC §1). Used by the bookings CSV, whose ``timezone`` column names the zone of its
start and end."""

from __future__ import annotations

import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones


def valid_zone(name: str) -> bool:
    if not name or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def system_zone_name() -> str:
    """The system's zone by its IANA name (TZ, /etc/localtime, /etc/timezone), else UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if valid_zone(name):
        return name
    real = os.path.realpath("/etc/localtime")
    if "zoneinfo/" in real and valid_zone(real.split("zoneinfo/", 1)[1]):
        return real.split("zoneinfo/", 1)[1]
    try:
        name = Path("/etc/timezone").read_text(encoding="utf-8").strip()
    except OSError:
        name = ""
    return name if valid_zone(name) else "UTC"


def zone_name(config: dict | None) -> str:
    configured = str((config or {}).get("timezone") or "")
    return configured if valid_zone(configured) else system_zone_name()


__all__ = ["ZoneInfo", "available_timezones", "system_zone_name", "valid_zone", "zone_name"]

"""The keys config.toml may hold, how each is checked, and writing one back.

Every key is checked when the file is read: an unknown key (``employe``) or a value of the
wrong type (``employee = 5``) is left out and named in a one-line warning, never used as it
is and never ignored silently. Writing a key back (the theme picked in the palette) goes
through tomlkit, which keeps the file's comments and layout.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DATE_FORMATS = ("iso", "locale")


@dataclass(frozen=True)
class Setting:
    kind: type  # str or dict (a TOML table)
    meaning: str
    check: Callable[[object], str] | None = None  # returns what is wrong, or ""


def _check_zone(value) -> str:
    try:
        ZoneInfo(str(value))
    except (ZoneInfoNotFoundError, ValueError):
        return f"{value!r} is not an IANA time zone name (like 'Europe/Berlin')"
    return ""


def _check_date_format(value) -> str:
    return "" if value in DATE_FORMATS else f"{value!r} is neither 'iso' nor 'locale'"


def _check_keys(value) -> str:
    for binding_id, keys in value.items():
        if not isinstance(keys, str) or not keys.strip():
            return f'{binding_id} must be text naming keys, like "f9" or "ctrl+k,f9"'
    return ""


SETTINGS: dict[str, Setting] = {
    "employee": Setting(str, "your login (default: the system's user name)"),
    "database": Setting(str, "database URL or file path (default: the per-user SQLite file)"),
    "export_dir": Setting(str, "where the TUI writes calendar files (default: the data folder's exports/)"),
    "timezone": Setting(str, "IANA time zone for bookings (default: the system's)", _check_zone),
    "theme": Setting(str, "Textual theme; written back when you pick one in the palette"),
    "date_format": Setting(str, "'iso' (YYYY-MM-DD, default) or 'locale' (the system locale's)", _check_date_format),
    "keys": Setting(dict, 'binding id = keys, e.g. quick_add = "f9" (see F1 and `rapport config`)', _check_keys),
    "sync": Setting(dict, "two-way calendar sync settings (rapport sync)"),
}
_KIND_NAMES: dict[type, str] = {str: "text", dict: "a table ([name] section)"}


def validate(raw: dict, where: str) -> tuple[dict, list[str]]:
    """The settings that can be used, and one warning line per key that cannot."""
    config: dict = {}
    warnings: list[str] = []
    for key, value in raw.items():
        setting = SETTINGS.get(key)
        if setting is None:
            warnings.append(f"{where}: unknown key {key!r} (ignored; known: {', '.join(SETTINGS)})")
            continue
        if not isinstance(value, setting.kind):
            warnings.append(f"{where}: {key} must be {_KIND_NAMES[setting.kind]}, not {value!r} (ignored)")
            continue
        problem = setting.check(value) if setting.check else ""
        if problem:
            warnings.append(f"{where}: {key}: {problem} (ignored)")
            continue
        config[key] = value
    return config, warnings


def local_zone(config: dict) -> dt.tzinfo:
    """The configured time zone, else the system's."""
    name = config.get("timezone")
    if name:
        return ZoneInfo(name)
    return dt.datetime.now().astimezone().tzinfo or dt.UTC


def write_setting(path: Path, key: str, value: str) -> None:
    """Set one top-level key in the config file, keeping its comments; create the file (0600)
    and its folder (0700) when missing. Replaces the file atomically. Raises OSError, or
    ValueError when the file is not valid TOML (it is then left alone)."""
    import tomlkit

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        text = ""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError as exc:
        raise ValueError(f"{path}: {exc}") from None
    document[key] = value  # tomlkit puts a new top-level key before the first table
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = path.resolve()  # a symlinked config file: its target is replaced
    mode = target.stat().st_mode & 0o777 if target.exists() else 0o600
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(tomlkit.dumps(document))
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise

"""The optional config file and the current employee (README.md#settings-configtoml, docs/data.md)."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from storage.db.models import Employee
from storage.db.retry import retrying
from storage.errors import RapportError
from storage.records.lookups import employee_by_login

ENV_CONFIG = "RAPPORT_CONFIG"


def config_path() -> Path:
    override = os.environ.get(ENV_CONFIG)
    return Path(override) if override else user_config_path("rapport", appauthor=False) / "config.toml"


def load_config(path: Path | None = None) -> dict:
    """The usable settings of config.toml, or {} when there is none (warnings: load_settings)."""
    return load_settings(path)[0]


def load_settings(path: Path | None = None) -> tuple[dict, list[str]]:
    """The usable settings of config.toml and one warning line per key that is unknown or of
    the wrong type (storage.settings); ({}, []) when there is no file."""
    from storage.settings import validate

    path = path or config_path()
    try:
        handle = open(path, "rb")  # noqa: SIM115  (closed by the with below, once tomllib is loaded)
    except FileNotFoundError:
        return {}, []
    except OSError as exc:
        raise RapportError(f"config file {path}: {exc.strerror}") from None
    import tomllib  # 10 ms: only when there is a file to read

    with handle:
        try:
            return validate(tomllib.load(handle), f"config file {path}")
        except tomllib.TOMLDecodeError as exc:
            raise RapportError(f"config file {path}: {exc}") from None
        except OSError as exc:
            raise RapportError(f"config file {path}: {exc.strerror}") from None


def os_login() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in this environment
        return "me"


def current_login(config: dict) -> str:
    login = str(config.get("employee") or "").strip()
    return login or os_login()


def os_full_name(login: str) -> str:
    """The person's full name from the OS account (the first field of the passwd GECOS
    entry, e.g. "Anna Berg" of "Anna Berg,Room 5,,"), or "" when there is none."""
    try:
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos
    except (ImportError, KeyError, OSError):  # not a Unix account (or no pwd on Windows)
        return ""
    name = " ".join(gecos.split(",", 1)[0].split())
    return name if name != login else ""


def ensure_employee(login: str) -> Employee:
    """The employee with this login, created on first use."""
    employee = employee_by_login(login)  # ignoring case: ``Anna`` is ``anna``
    return employee if employee is not None else _create_employee(login)


@retrying
def _create_employee(login: str) -> Employee:
    # Two Rapports of the same new user may start at once: the second insert is ignored.
    # The display name is the OS account's full name, else the login.
    Employee.insert(login=login, name=(os_full_name(login) or login)[:255]).on_conflict_ignore().execute()
    created = employee_by_login(login)
    assert created is not None  # inserted now, or by the other Rapport
    return created


def export_folder(config: dict) -> Path:
    """Where "Create task" and the TUI's calendar exports write (config key ``export_dir``)."""
    configured = config.get("export_dir")
    if configured:
        return Path(os.path.expanduser(str(configured)))
    return user_data_path("rapport", appauthor=False) / "exports"

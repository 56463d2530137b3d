"""What every command and screen needs to know: the database URL, the config, who is
working, and which day it is (``--today``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from storage.config import current_login, ensure_employee
from storage.db.models import Employee, db


@dataclass
class Context:
    url: str
    config: dict = field(default_factory=dict)
    today_override: dt.date | None = None
    login: str = ""
    config_path: Path | None = None  # where a theme picked in the TUI is written back (None: nowhere)
    config_warnings: list[str] = field(default_factory=list)  # one line per unusable config key

    def __post_init__(self) -> None:
        if not self.login:
            self.login = current_login(self.config)

    def today(self) -> dt.date:
        return self.today_override or dt.date.today()

    def now(self) -> dt.datetime:
        """Now, local time to the minute; on the ``--today`` date when one is given."""
        now = dt.datetime.now().replace(second=0, microsecond=0)
        if self.today_override:
            now = dt.datetime.combine(self.today_override, now.time())
        return now

    def timezone(self) -> str:
        """The IANA zone new bookings are made in: config ``timezone``, else the system's."""
        from storage.timezones import configured_zone_name

        return configured_zone_name(self.config)

    def known_employee(self) -> Employee | None:
        """The current employee if there is one already (read, never made), kept as
        ``employee()`` keeps it."""
        from storage.records.lookups import employee_by_login

        cached = self.__dict__.get("_employee")
        if cached is None or cached.login != self.login:
            cached = employee_by_login(self.login)
            if cached is not None:
                self.__dict__["_employee"] = cached
        return cached

    def employee(self) -> Employee:
        """The current employee, created on first use; read once per session (screens ask
        often, and a query on the UI thread is a wait and a possible fault)."""
        cached = self.__dict__.get("_employee")
        if cached is None or cached.login != self.login:
            cached = ensure_employee(self.login)
            if not db.in_transaction():  # a row made inside one may yet be rolled back
                self.__dict__["_employee"] = cached
        return cached

"""A real Radicale CalDAV server for the sync tests, on 127.0.0.1 with a free port and a
temporary storage folder, with htpasswd authentication (user ``tester``, password in a file
that ``--password-command`` reads). Nothing is mocked at the HTTP level."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

USER, PASSWORD = "tester", "s3cret-dav-pw"


@dataclass
class Radicale:
    url: str  # the server's root
    folder: Path
    password_file: Path
    log: Path

    @property
    def password_command(self) -> str:
        return f"cat {self.password_file}"

    def client(self):
        import caldav

        return caldav.DAVClient(url=self.url, username=USER, password=PASSWORD)

    def new_calendar(self, name: str) -> str:
        """A new empty calendar collection; its URL."""
        calendar = self.client().principal().make_calendar(name=name, cal_id=name)
        return str(calendar.url)

    def calendar(self, url: str):
        return self.client().calendar(url=url)

    def edit(self, url: str, uid: str, change) -> None:
        """Change one item as a calendar app would: ``change(component)``, then save it."""
        item = self.calendar(url).get_object_by_uid(uid)
        with item.edit_icalendar_instance() as cal:
            change(next(c for c in cal.walk() if c.name in ("VEVENT", "VTODO")))
        item.save()

    def requests(self, method: str) -> int:
        """How many ``method`` requests the server has answered with success so far."""
        return len(re.findall(rf"\] {method} response status for .*: 2\d\d ", self.log.read_text(errors="replace")))

    def files(self, url: str) -> list[Path]:
        """The items of one calendar as Radicale stores them (one file each)."""
        name = url.rstrip("/").rsplit("/", 1)[1]
        return sorted((self.folder / "collection-root" / USER / name).glob("*.ics"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(tmp: Path):
    """Start Radicale; returns (process, Radicale). The caller stops the process."""
    folder = tmp / "collections"
    htpasswd = tmp / "users"
    htpasswd.write_text(f"{USER}:{PASSWORD}\n")
    password_file = tmp / "password"
    password_file.write_text(PASSWORD + "\n")
    password_file.chmod(0o600)
    port = free_port()
    log = tmp / "radicale.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(folder),
            "--auth-type",
            "htpasswd",
            "--auth-htpasswd-filename",
            str(htpasswd),
            "--auth-htpasswd-encryption",
            "plain",
            "--auth-delay",
            "0",
            "--logging-level",
            "info",
        ],
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb"),
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("Radicale did not start: " + log.read_text()[-2000:]) from None
            time.sleep(0.05)  # waiting for a server to listen, not for a result
    return process, Radicale(f"http://127.0.0.1:{port}/", folder, password_file, log)

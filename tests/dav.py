"""A real Radicale CalDAV server for the sync tests, on 127.0.0.1 with a free port and a
temporary storage folder, with htpasswd authentication (user ``tester``, password in a file
that ``--password-command`` reads). Nothing is mocked at the HTTP level."""

from __future__ import annotations

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

    def files(self) -> list[Path]:
        return [p for p in self.folder.rglob("*.ics") if ".Radicale" not in str(p)]


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
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
         "--storage-filesystem-folder", str(folder), "--auth-type", "htpasswd",
         "--auth-htpasswd-filename", str(htpasswd), "--auth-htpasswd-encryption", "plain",
         "--logging-level", "warning"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise RuntimeError("Radicale did not start: " + process.stderr.read().decode()[-2000:])
            time.sleep(0.05)  # waiting for a server to listen, not for a result
    return process, Radicale(f"http://127.0.0.1:{port}/", folder, password_file)

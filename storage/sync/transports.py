"""Where a sync keeps the calendar: a vdir folder or a CalDAV collection (README.md#command-line).

Both offer the same four operations to the engine (storage/sync/engine.py):

- ``listing()``: ``{href: etag}`` of every ``.ics`` object there, anyone's;
- ``get(href)``: its bytes, or None when it is gone;
- ``put(href, data, etag)``: write it; ``etag=None`` only when it does not exist yet
  (``If-None-Match: *``), else only when it still has that ETag (``If-Match``); returns the
  new ETag. Raises ``Changed`` when the precondition fails (someone changed it meanwhile);
- ``delete(href, etag)``: remove it only when it still has that ETag.

``href_for(uid)`` is where a new item goes: ``UID.ics`` (the khal, todoman and vdirsyncer
layout). Passwords come only from ``--password-command`` and are kept in memory.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
from pathlib import Path

from storage.errors import RapportError
from storage.exchange.calendar import vdir_name, write_atomic


class Changed(Exception):
    """The object changed (or appeared, or went) since it was listed."""


class VdirTransport:
    def __init__(self, folder: Path) -> None:
        self.folder = folder.expanduser().absolute()
        if self.folder.exists() and not self.folder.is_dir():
            raise RapportError(f"{folder} is a file, not a folder (--vdir needs a folder)")
        self.target = str(self.folder)

    def describe(self) -> str:
        return str(self.folder)

    def href_for(self, uid: str) -> str:
        return vdir_name(uid)

    @staticmethod
    def _etag(data: bytes) -> str:
        return hashlib.sha256(data).hexdigest()[:32]

    def listing(self) -> dict[str, str]:
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = {}
        for path in self.folder.glob("*.ics"):
            try:
                found[path.name] = self._etag(path.read_bytes())
            except (FileNotFoundError, IsADirectoryError):
                continue
        return found

    def get(self, href: str) -> bytes | None:
        try:
            return (self.folder / href).read_bytes()
        except FileNotFoundError:
            return None

    def _check(self, href: str, etag: str | None) -> None:
        current = self.get(href)
        now = None if current is None else self._etag(current)
        if now != etag:
            raise Changed(href)

    def put(self, href: str, data: bytes, etag: str | None) -> str:
        self._check(href, etag)
        write_atomic(self.folder / href, data.decode("utf-8"))
        return self._etag(data)

    def delete(self, href: str, etag: str) -> None:
        self._check(href, etag)
        (self.folder / href).unlink(missing_ok=True)


class CalDAVTransport:
    """A calendar collection on a CalDAV server, through the ``caldav`` library's client
    (authentication, redirects, discovery); the requests themselves are plain WebDAV."""

    def __init__(self, url: str, user: str | None, password: str | None, calendar_name: str | None = None) -> None:
        try:
            from caldav.davclient import DAVClient
        except ImportError:
            raise RapportError("CalDAV sync needs the caldav library: pip install 'rapport-crm[caldav]'") from None
        self.client = DAVClient(url=url, username=user, password=password)
        self.calendar = self._find(url, calendar_name)
        self.url = str(self.calendar.url).rstrip("/") + "/"
        self.target = self.url

    def describe(self) -> str:
        return self.url

    def _find(self, url: str, name: str | None):
        try:
            if name:
                return self.client.principal().calendar(name=name)
            response = self.client.request(url, "PROPFIND", _PROPFIND_TYPE, {"Depth": "0"})
            if response.status in (200, 207) and ":calendar" in (response.raw or "").split("resourcetype", 1)[-1]:
                return self.client.calendar(url=url)
            return self.client.principal().calendar()
        except Exception as exc:  # the library raises many kinds; one line for the user
            raise RapportError(f"CalDAV {url}: {_reason(exc)}") from None

    def href_for(self, uid: str) -> str:
        return self.url + vdir_name(uid)

    def _absolute(self, href: str) -> str:
        return str(self.client.url.join(href))

    def listing(self) -> dict[str, str]:
        response = self._request(self.url, "PROPFIND", _PROPFIND_ETAG, {"Depth": "1"})
        if response.status not in (200, 207):
            raise RapportError(f"CalDAV {self.url}: listing failed (HTTP {response.status})")
        found = {}
        for result in response.parse_propfind():
            href = str(self.client.url.join(result.href))
            etag = result.properties.get("{DAV:}getetag")
            if href.rstrip("/") != self.url.rstrip("/") and href.endswith(".ics") and etag:
                found[href] = etag
        return found

    def get(self, href: str) -> bytes | None:
        response = self._request(self._absolute(href), "GET")
        if response.status == 404:
            return None
        if response.status != 200:
            raise RapportError(f"CalDAV {href}: HTTP {response.status}")
        raw = response.raw
        return raw.encode("utf-8") if isinstance(raw, str) else raw

    def put(self, href: str, data: bytes, etag: str | None) -> str:
        headers = {"Content-Type": "text/calendar; charset=utf-8"}
        headers.update({"If-Match": etag} if etag else {"If-None-Match": "*"})
        response = self._request(self._absolute(href), "PUT", data.decode("utf-8"), headers)
        if response.status == 412:
            raise Changed(href)
        if response.status not in (200, 201, 204):
            raise RapportError(f"CalDAV {href}: not saved (HTTP {response.status})")
        new = response.headers.get("ETag")
        return new or self.listing().get(self._absolute(href), "")

    def delete(self, href: str, etag: str) -> None:
        response = self._request(self._absolute(href), "DELETE", headers={"If-Match": etag})
        if response.status == 412:
            raise Changed(href)
        if response.status not in (200, 204, 404):
            raise RapportError(f"CalDAV {href}: not deleted (HTTP {response.status})")

    def _request(self, url: str, method: str, body: str = "", headers=None):
        try:
            return self.client.request(url, method, body, headers or {})
        except Exception as exc:
            raise RapportError(f"CalDAV {url}: {_reason(exc)}") from None


_PROPFIND_ETAG = (
    '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
)


_PROPFIND_TYPE = (
    '<?xml version="1.0" encoding="utf-8"?><d:propfind xmlns:d="DAV:"><d:prop><d:resourcetype/></d:prop></d:propfind>'
)


def _reason(exc: Exception) -> str:
    """One line about a failure, never with a password (caldav puts none in its messages,
    but a URL given with ``user:pw@`` would carry one)."""
    name = type(exc).__name__
    text = " ".join(str(exc).split())[:200]
    if "@" in text and "://" in text:
        text = ""
    return f"{name}: {text}" if text else name


def password_from_command(command: str) -> str:
    """The first line a command prints (``pass show dav``), never shown or stored."""
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, timeout=60, env=os.environ.copy())
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise RapportError(f"--password-command could not run: {type(exc).__name__}") from None
    if done.returncode != 0:
        raise RapportError(f"--password-command failed (exit status {done.returncode})")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    return lines[0] if lines else ""

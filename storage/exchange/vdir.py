"""``export-ics --vdir DIR``: one ``UID.ics`` per item (khal, todoman, vdirsyncer), keeping to
the files this export wrote (README.md#calendar-export-rapport-export-ics).

The folder holds a manifest, ``.rapport-export.json`` (khal, todoman and vdirsyncer read only
``*.ics``): every file name the export wrote with a digest of what it wrote. So a re-export

- overwrites only its own files, and only when they still hold what it wrote: a file changed
  by someone else (a to-do marked COMPLETED in todoman, an event moved in khal) is kept as it
  is, for ``rapport sync`` to take in, and counted as kept;
- removes only its own files, unchanged, for items that are no longer exported at all (done,
  deleted, cancelled). With a period (``--from/--to``) the caller passes ``keep``: the files of
  items still open outside the period, which stay;
- never touches any other file, whatever its name (a user's own ``*@rapport.ics``, the
  TUI's "Create task" files).

A folder without a manifest (written by an older Rapport) adopts the files of the items it
exports, the first time only.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from storage.errors import RapportError
from storage.exchange.calendar import Export, calendar_text, vdir_name, write_atomic

MANIFEST = ".rapport-export.json"


@dataclass
class VdirResult:
    written: int = 0  # items in the folder as exported
    removed: int = 0  # files of items no longer exported
    kept: int = 0  # files changed by someone else, left as they are

    def describe(self) -> str:
        extra = [f"removed {self.removed} stale"] if self.removed else []
        if self.kept:
            extra.append(f"kept {self.kept} changed in the calendar (rapport sync takes them in)")
        return ", ".join(extra)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(folder: Path) -> dict[str, str] | None:
    try:
        loaded = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        raise RapportError(f"{folder / MANIFEST}: not Rapport's list of exported files") from None
    if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
        raise RapportError(f"{folder / MANIFEST}: not Rapport's list of exported files")
    return loaded


def _current(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def write_vdir(export: Export, folder: Path, keep: set[str] | None = None) -> VdirResult:
    """Write ``export`` into ``folder`` as described above; ``keep``: UIDs of items outside
    this export's period that must not be removed."""
    if folder.exists() and not folder.is_dir():
        raise RapportError(f"{folder} is a file, not a folder (--vdir needs a folder)")
    result = VdirResult()
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        manifest = _read_manifest(folder)
        adopting = manifest is None
        manifest = manifest or {}
        exported = set()
        for item in export.items:
            name = vdir_name(item.uid)
            exported.add(name)
            data = calendar_text([item], None).encode("utf-8")
            path = folder / name
            current = _current(path)
            ours = name in manifest or adopting
            changed = not ours or digest(current or b"") != manifest.get(name, digest(current or b""))
            if current is not None and current != data and changed:
                result.kept += 1  # someone else's file, or changed since: not ours to overwrite
                continue
            if current != data:
                write_atomic(path, data.decode("utf-8"))
            manifest[name] = digest(data)
            result.written += 1
        kept_names = {vdir_name(uid) for uid in keep or ()}
        for name in sorted(set(manifest) - exported - kept_names):
            path = folder / name
            current = _current(path)
            if current is not None and digest(current) != manifest[name]:
                continue  # changed in the calendar since: left for sync, still listed
            path.unlink(missing_ok=True)
            del manifest[name]
            result.removed += 1 if current is not None else 0
        write_atomic(folder / MANIFEST, json.dumps(manifest, indent=0, sort_keys=True))
    except OSError as exc:
        raise RapportError(f"{exc.filename or folder}: {exc.strerror}") from None
    return result

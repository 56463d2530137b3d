"""The reconciliation engine of the two-way calendar sync (README.md#command-line), one for every transport.

For each item Rapport pushed or wants to push, it compares three versions: Rapport's now
(``storage.sync.local``), the calendar's now (listed with ETags, fetched only when its ETag
moved) and what both held after the last sync (the ``sync_item`` row: href, ETag, SEQUENCE
and a digest of the content). Then:

- changed only in Rapport (digest moved): PUT, guarded by the ETag it had (``If-Match``), or
  DELETE when the item left the calendar (done, deleted, cancelled follow-up or booking; a
  done to-do is PUT marked COMPLETED instead);
- changed only in the calendar (ETag moved): take the change in (storage/sync/pull.py);
  gone from the calendar: a booking is cancelled, a follow-up is left alone and not pushed
  again until it changes in Rapport;
- changed on both sides: the later change wins (Rapport's last edit against the item's
  LAST-MODIFIED/DTSTAMP) and the summary names the conflict. An item Rapport no longer
  wants (done, cancelled) wins over a calendar edit, named as a conflict too;
- unchanged: nothing at all, so a second run sends no PUT and no DELETE.

Safe to interrupt: every remote change is followed at once by its own committed state row,
and new items go to ``UID.ics`` with ``If-None-Match: *``. A sync killed between the PUT and
the row finds the item there on the next run and adopts it (no duplicate); a pulled change
and its state row are one transaction. Items whose UID Rapport did not give (anything not
``...@rapport``, or a ``@rapport`` UID it has no record of) are never read, changed or
deleted, whatever their file name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from storage.db.models import Booking, Conversation, SyncItem, utcnow
from storage.db.retry import run_write
from storage.errors import RapportError
from storage.exchange.calendar import booking_query, calendar_text
from storage.exchange.calendar_items import description
from storage.sync import pull
from storage.sync.local import Local, records, wanted
from storage.sync.transports import Changed
from storage.timezones import zone


@dataclass
class Summary:
    target: str
    pushed_new: list[str] = field(default_factory=list)
    pushed_changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    pulled: list[str] = field(default_factory=list)  # "completed: NAME", ...
    conflicts: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # changed while syncing: next time
    cancelled_ids: list[int] = field(default_factory=list)  # bookings cancelled (for undo)
    puts: int = 0
    deletes: int = 0

    def lines(self) -> list[str]:
        out = [f"synced with {self.target}"]
        out.append(
            f"to the calendar: {len(self.pushed_new)} new, {len(self.pushed_changed)} changed, "
            f"{len(self.removed)} removed"
        )
        noun = "change" if len(self.pulled) == 1 else "changes"
        out.append(
            f"from the calendar: {len(self.pulled)} {noun}" + (": " + "; ".join(self.pulled) if self.pulled else "")
        )
        out += [f"conflict: {text}" for text in self.conflicts]
        out += [f"changed during the sync, next time: {name}" for name in self.skipped]
        return out

    def short(self) -> str:
        """One line for a screen's status line (80 columns)."""
        return (
            f"Synced: to calendar {len(self.pushed_new)} new, {len(self.pushed_changed)} changed, "
            f"{len(self.removed)} removed · from calendar {len(self.pulled)} · "
            f"{len(self.conflicts)} conflicts"
        )


class Sync:
    def __init__(
        self,
        transport,
        employee_id: int | None,
        mode: str,
        zone_name: str,
        today: dt.date,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        if mode not in ("events", "todos"):
            raise RapportError(f"sync mode {mode!r}: use events or todos")
        self.transport = transport
        self.employee_id = employee_id
        self.mode = mode
        self.zone = zone(zone_name)
        self.today = today
        self.progress = progress or (lambda done, total: None)
        self.summary = Summary(transport.describe())

    # -- state ------------------------------------------------------------------------
    def _state(self) -> dict[str, SyncItem]:
        rows = SyncItem.select().where(SyncItem.target == self.transport.target)
        return {row.uid: row for row in rows}

    def _save(
        self, uid: str, local: Local, href: str | None, etag: str | None, content_digest: str | None = None
    ) -> None:
        run_write(self._write_state, uid, local, href, etag, content_digest)

    def _write_state(
        self, uid: str, local: Local, href: str | None, etag: str | None, content_digest: str | None
    ) -> None:
        values = dict(
            kind=local.kind,
            href=href,
            etag=etag,
            sequence=local.sequence,
            digest=local.digest if content_digest is None else content_digest,
            synced_at=utcnow(),
        )
        (
            SyncItem.insert(target=self.transport.target, uid=uid, **values)
            .on_conflict(conflict_target=[SyncItem.target, SyncItem.uid], update=values)
            .execute()
        )

    def _forget(self, uid: str) -> None:
        run_write(self._delete_state, uid)

    def _delete_state(self, uid: str) -> None:
        SyncItem.delete().where(SyncItem.target == self.transport.target, SyncItem.uid == uid).execute()

    # -- the run ------------------------------------------------------------------------
    def run(self) -> Summary:
        mine = wanted(self.employee_id, self.mode, self.zone)
        state = self._state()
        known = records(set(state) - set(mine), self.employee_id, self.mode, self.zone)
        listing = self.transport.listing()
        uids = list(mine) + [uid for uid in state if uid not in mine]
        for done, uid in enumerate(uids, 1):
            local = mine.get(uid) or known.get(uid)
            if local is None:  # its record is gone for good (not even in the trash)
                self._orphan(uid, state[uid], listing)
            elif local.in_scope:
                try:
                    self._one(uid, local, state.get(uid), listing)
                except Changed:
                    self.summary.skipped.append(local.name)
            self.progress(done, len(uids))
        return self.summary

    def _orphan(self, uid: str, row: SyncItem, listing: dict[str, str]) -> None:
        if row.href and listing.get(row.href) == row.etag:
            try:
                self.transport.delete(row.href, row.etag)
                self.summary.deletes += 1
                self.summary.removed.append(uid)
            except Changed:
                return
        self._forget(uid)

    def _one(self, uid: str, local: Local, row: SyncItem | None, listing: dict[str, str]) -> None:
        href = row.href if row and row.href else self.transport.href_for(uid)
        remote_etag = listing.get(href)
        if row is None:
            if local.item is None:
                return
            if remote_etag is None:
                self._push(uid, local, href, None, new=True)
            else:
                self._adopt(uid, local, href, remote_etag)
            return
        local_changed = local.digest != row.digest
        if row.href is None:  # deleted in the calendar earlier: back only when edited here
            if local_changed and local.item is not None:
                self._push(uid, local, href, remote_etag, new=remote_etag is None)
            elif local_changed:
                self._save(uid, local, None, None)
            return
        if remote_etag is None:
            self._gone(uid, local, local_changed)
            return
        remote_changed = remote_etag != row.etag
        if not local_changed and not remote_changed:
            return
        if local_changed and not remote_changed:
            self._push_or_remove(uid, local, href, remote_etag)
            return
        data = self.transport.get(href)
        part = pull.component(data, uid) if data is not None else None
        if part is None:  # not an item of ours any more (replaced by another UID): leave it
            self._forget(uid)
            return
        if not local_changed:
            self._pull(uid, local, href, remote_etag, part)
            return
        theirs = pull.modified(part)
        if local.item is not None and theirs is not None and theirs > local.modified:
            self.summary.conflicts.append(
                f"{local.name}: changed on both sides, the calendar's change is later and wins"
            )
            self._pull(uid, local, href, remote_etag, part, counted=False)
        else:
            self.summary.conflicts.append(f"{local.name}: changed on both sides, Rapport's change is later and wins")
            self._push_or_remove(uid, local, href, remote_etag)

    def _data(self, local: Local) -> bytes:
        assert local.item is not None  # only items in the calendar are written
        return calendar_text([local.item], None).encode("utf-8")

    def _push(self, uid: str, local: Local, href: str, etag: str | None, new: bool) -> None:
        new_etag = self.transport.put(href, self._data(local), etag)
        self.summary.puts += 1
        (self.summary.pushed_new if new else self.summary.pushed_changed).append(local.name)
        self._save(uid, local, href, new_etag)

    def _push_or_remove(self, uid: str, local: Local, href: str, etag: str) -> None:
        if local.item is not None:
            self._push(uid, local, href, etag, new=False)
            return
        self.transport.delete(href, etag)
        self.summary.deletes += 1
        self.summary.removed.append(local.name)
        self._forget(uid)

    def _adopt(self, uid: str, local: Local, href: str, etag: str) -> None:
        """An item of ours already there without a state row (a sync interrupted after its
        PUT, or a vdir filled by ``export-ics``): the same content is simply recorded."""
        data = self.transport.get(href)
        part = pull.component(data, uid) if data is not None else None
        if part is None:
            return  # a file of that name that is not this item: someone else's
        if data == self._data(local):
            self._save(uid, local, href, etag)
            return
        self._push(uid, local, href, etag, new=False)

    def _gone(self, uid: str, local: Local, local_changed: bool) -> None:
        """Deleted in the calendar since the last sync."""
        if local.kind == "booking" and local.item is not None and not local_changed:
            run_write(self._cancel, uid, local.record_id)
            self.summary.pulled.append(f"cancelled: {local.name}")
            self.summary.cancelled_ids.append(local.record_id)
            return
        if local_changed and local.item is not None:
            self.summary.conflicts.append(
                f"{local.name}: deleted in the calendar and changed in Rapport; Rapport's change wins"
            )
            self._push(uid, local, self.transport.href_for(uid), None, new=True)
            return
        if local.item is None:
            self._forget(uid)
        else:
            self._save(uid, local, None, None)  # a follow-up deleted there: not pushed again

    def _cancel(self, uid: str, booking_id: int) -> None:
        pull.edit(Booking, booking_id, {"cancelled_at": utcnow()})
        self._delete_state(uid)

    def _pull(self, uid: str, local: Local, href: str, etag: str, part, counted: bool = True) -> None:
        what = run_write(self._take_in, uid, local, href, etag, part)
        if what and counted:
            self.summary.pulled.append(f"{what}: {local.name}")

    def _take_in(self, uid: str, local: Local, href: str, etag: str, part) -> str:
        """The calendar's change made in Rapport, and the state row, in one transaction;
        what was done ("" for nothing)."""
        if local.kind == "booking":
            changes = self._booking_changes(local, part)
            what = "booking updated"
        else:
            conversation = Conversation.get_by_id(local.record_id)
            changes = pull.follow_up_changes(part, conversation, self.zone, self.today)
            what = "completed" if changes.get("completed") else "reopened" if "completed" in changes else "rescheduled"
        fresh = local
        if changes:
            pull.edit(Booking if local.kind == "booking" else Conversation, local.record_id, changes)
            fresh = records({uid}, self.employee_id, self.mode, self.zone)[uid]
        # The calendar keeps its own version: recorded as synced, pushed again only when
        # Rapport changes it.
        self._write_state(uid, fresh, href, etag, None)
        return what if changes else ""

    def _booking_changes(self, local: Local, part) -> dict:
        booking = Booking.get_by_id(local.record_id)
        row = booking_query().where(Booking.id == local.record_id).dicts().get()
        return pull.booking_changes(part, booking, description(row, ""))

"""The outbox of exported PDFs, in the vault, and the worker that empties it.

Four TinyDB tables in the encrypted vault:

* ``sync_targets``  — :class:`~mus.sync.SyncTarget` documents (no secrets);
* ``sync_secrets``  — one :class:`~mus.sync.WebDavCredentials` per WebDAV target;
* ``outbox``        — :class:`~mus.sync.OutboxItem` documents;
* ``outbox_blobs``  — the PDFs, base64, one document per distinct SHA-256
  (one export to two targets is stored once), removed once no open item
  needs them.

Crash safety comes from the order of writes around each network call: the
item is saved as ``sending`` with its attempt counted *before* the first
request, and as ``sent``/``failed`` after the last. A run that finds an item
still ``sending`` knows a previous run died mid-flight and checks the
destination first; the protocols in ``storage.webdav`` and
``storage.folder_target`` make a repeated delivery a no-op, so a kill at any
point neither loses nor duplicates a file.

Threads: network calls run without any lock; every database access holds
``lock``. Pass the lock that guards the rest of the app's use of the same
TinyDB (TinyDB and the vault are not thread-safe).

Cost: documents are found by their id through ``storage.table.find_id`` (an
index over the app's ``IndexedDB``; a plain TinyDB is scanned) and edited in
place, so a run's one durable write per item does not grow with the outbox's
history; a run decodes only open items, and a PDF sent to several targets is
decoded and checked once.
"""

from __future__ import annotations

import base64
import contextlib
import logging
import os
import random
import threading
import traceback
from collections.abc import Callable, Collection, Iterator, MutableMapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol, TypeVar

import httpx
from tinydb import Query, TinyDB
from tinydb.table import Table

from mus.sync import (
    OPEN_STATES,
    BackoffPolicy,
    Delivered,
    DeliveryState,
    ExportMeta,
    Failure,
    OutboxItem,
    SyncTarget,
    TargetKind,
    TargetRole,
    WebDavCredentials,
    auto_by_default,
    new_id,
    plan_exports,
    sha256_hex,
    utcnow,
    validate_target,
)
from storage.codec import Document, from_document, to_document
from storage.folder_target import FolderDeliverer
from storage.fs import FileSystem
from storage.table import find_id
from storage.webdav import WebDavDeliverer, check_connection, new_client

log = logging.getLogger("musling.sync")

TARGETS = "sync_targets"
SECRETS = "sync_secrets"
OUTBOX = "outbox"
BLOBS = "outbox_blobs"

_T = TypeVar("_T")

_ID = ("id",)
_TARGET_ID = ("target_id",)
_SHA256 = ("sha256",)


class Deliverer(Protocol):
    """Puts one item's bytes at one target, idempotently."""

    def deliver(
        self, item: OutboxItem, data: bytes, *, check_first: bool
    ) -> Delivered | Failure: ...

    def close(self) -> None: ...


class DelivererFactory(Protocol):
    """Makes the deliverer for a target (given its password); one per target per run."""

    def __call__(self, target: SyncTarget, password: str | None) -> Deliverer: ...

    def close(self) -> None: ...


class StandardDeliverers:
    """WebDAV over one pooled httpx client, folders over ``FileSystem``."""

    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        timeout: httpx.Timeout | None = None,
        fs: FileSystem | None = None,
    ) -> None:
        self._own = client is None
        self._client = client
        self._timeout = timeout
        self.fs = fs

    @property
    def client(self) -> httpx.Client:
        """Made on first use: a run with only folder targets opens no HTTP client."""
        if self._client is None:
            self._client = new_client(self._timeout) if self._timeout else new_client()
        return self._client

    def __call__(self, target: SyncTarget, password: str | None) -> Deliverer:
        if target.kind is TargetKind.FOLDER:
            return FolderDeliverer(target, self.fs)
        return WebDavDeliverer(target, password or "", self.client)

    def close(self) -> None:
        if self._own and self._client is not None:
            self._client.close()
            self._client = None


@dataclass(frozen=True, slots=True)
class RunResult:
    """What one run did to one item (the item as saved after it)."""

    item: OutboxItem
    outcome: Delivered | Failure


@dataclass(frozen=True, slots=True)
class RetriedNow:
    """What "send now" did: the items made due, and those left for a new password."""

    resumed: tuple[OutboxItem, ...]
    need_password: tuple[OutboxItem, ...]


class UnknownItem(KeyError):
    """No outbox item or target with that id."""


class Outbox:
    """The outbox and the sync targets over one TinyDB (the vault's, in the app)."""

    def __init__(
        self,
        db: TinyDB,
        *,
        lock: threading.RLock | None = None,
        policy: BackoffPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._db = db
        self._lock = lock or threading.RLock()
        self._run_lock = threading.Lock()
        self.policy = policy or BackoffPolicy()
        self._rng = rng or random.SystemRandom()

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock:
            yield

    # ------------------------------------------------------------ targets

    def targets(self) -> tuple[SyncTarget, ...]:
        with self._locked():
            docs = self._db.table(TARGETS).all()
        found = [from_document(SyncTarget, d) for d in docs]
        return tuple(sorted(found, key=lambda t: (t.role != TargetRole.MINE, t.name.casefold())))

    def target(self, target_id: str) -> SyncTarget:
        with self._locked():
            target = self._find_target(target_id)
        if target is None:
            raise UnknownItem(target_id)
        return target

    def add_target(
        self,
        target: SyncTarget,
        password: str | None = None,
        *,
        auto: bool | None = None,
        now: datetime | None = None,
    ) -> SyncTarget:
        """Save a new target; ``auto=None`` turns "send every export here" on for
        the first target of its role. Raises ``ValueError(codes)`` when invalid."""
        problems = validate_target(target)
        if problems:
            raise ValueError(*problems)
        with self._locked():
            existing = self.targets()
            chosen = auto_by_default(existing, target.role) if auto is None else auto
            saved = replace(
                target,
                id=target.id or new_id(),
                auto=chosen,
                created_at=target.created_at or now or utcnow(),
            )
            self._db.table(TARGETS).insert(to_document(saved))
            if password is not None:
                self._save_secret(saved.id, password)
        return saved

    def update_target(self, target: SyncTarget) -> SyncTarget:
        problems = validate_target(target)
        if problems:
            raise ValueError(*problems)
        with self._locked():
            self.target(target.id)
            self._db.table(TARGETS).update(to_document(target), Query().id == target.id)
        return target

    def set_auto(self, target_id: str, auto: bool) -> SyncTarget:
        return self.update_target(replace(self.target(target_id), auto=auto))

    def remove_target(self, target_id: str, *, now: datetime | None = None) -> None:
        """Forget a target and its password; its open items are cancelled."""
        with self._locked():
            for item in self.items():
                if item.target_id == target_id and item.state in OPEN_STATES:
                    self._save(replace(item, state=DeliveryState.CANCELLED, updated_at=now))
            self._db.table(TARGETS).remove(Query().id == target_id)
            self._db.table(SECRETS).remove(Query().target_id == target_id)
            self._prune_blobs()

    def set_password(self, target_id: str, password: str, *, now: datetime | None = None) -> int:
        """Store a new app password and resume the items paused by a refused login.

        Returns how many items were resumed.
        """
        with self._locked():
            self.target(target_id)
            self._save_secret(target_id, password)
            paused = [i for i in self.items() if i.target_id == target_id and i.needs_password]
            for item in paused:
                self._save(self._resumed(item, now))
        return len(paused)

    def password(self, target_id: str) -> str | None:
        with self._locked():
            doc = _get(self._db.table(SECRETS), _TARGET_ID, target_id)
        if doc is None:
            return None
        return from_document(WebDavCredentials, doc).password

    def test_connection(self, target: SyncTarget, password: str | None = None) -> str | None:
        """None when the target works, else an error code (``sync.error.<code>``).

        Without ``password`` the stored one is used. No lock is held during I/O.
        """
        if target.kind is TargetKind.FOLDER:
            problems = validate_target(target)
            if problems:
                return problems[0]
            return _check_folder(target)
        secret = password if password is not None else self.password(target.id)
        return check_connection(target, secret or "")

    def _save_secret(self, target_id: str, password: str) -> None:
        secrets = self._db.table(SECRETS)
        doc = to_document(WebDavCredentials(target_id, password))
        secrets.upsert(doc, Query().target_id == target_id)

    # ------------------------------------------------------------ the queue

    def enqueue(
        self,
        pdf: bytes,
        file_name: str,
        meta: ExportMeta,
        *,
        targets: Collection[str] | None = None,
        now: datetime | None = None,
    ) -> tuple[OutboxItem, ...]:
        """Queue one export to the auto targets (or exactly ``targets``, by hand).

        Durable when it returns. The same bytes already queued or sent to the
        same target are not queued twice: that item is returned instead (a
        paused or failed one is made due now: the user asked again).
        """
        when = now or utcnow()
        with self._locked():
            planned = plan_exports(self.targets(), pdf, file_name, meta, when, only=targets)
            if not planned:
                return ()
            same_bytes = self._db.table(OUTBOX).search(Query().sha256 == planned[0].sha256)
            current = {
                (i.target_id, i.sha256): i
                for i in (from_document(OutboxItem, d) for d in same_bytes)
                if i.state in _KEEP
            }
            result: list[OutboxItem] = []
            fresh: list[OutboxItem] = []
            for item in planned:
                same = current.get((item.target_id, item.sha256))
                if same is None:
                    fresh.append(item)
                    result.append(item)
                elif same.state is DeliveryState.FAILED:
                    resumed = self._resumed(same, when)
                    self._save(resumed)
                    result.append(resumed)
                else:
                    result.append(same)
            if fresh:
                self._store_blob(pdf, planned[0].sha256)
                self._db.table(OUTBOX).insert_multiple(to_document(i) for i in fresh)
        return tuple(result)

    def items(self) -> tuple[OutboxItem, ...]:
        with self._locked():
            docs = self._db.table(OUTBOX).all()
        return tuple(from_document(OutboxItem, d) for d in docs)

    def item(self, item_id: str) -> OutboxItem:
        with self._locked():
            item = self._find(item_id)
        if item is None:
            raise UnknownItem(item_id)
        return item

    def status(self) -> tuple[OutboxItem, ...]:
        """Every item, newest first (what the outbox screen lists)."""
        return tuple(sorted(self.items(), key=lambda i: (i.created_at, i.id), reverse=True))

    def next_due_at(self) -> datetime | None:
        """When the worker should wake next (None: nothing will become due by itself)."""
        times = [
            i.next_attempt_at or i.created_at
            for i in self._open_items()
            if i.state in (DeliveryState.WAITING, DeliveryState.SENDING)
            or (i.state is DeliveryState.FAILED and i.next_attempt_at is not None)
        ]
        return min(times) if times else None

    def retry(self, item_id: str, *, now: datetime | None = None) -> OutboxItem:
        """One item's "Retry now" (the app's button, ``sync retry``): a failed or
        paused item, even one paused by a refused login (the user picked it, e.g.
        after fixing the folder's access), or one waiting for its backoff, is made
        due now with a fresh retry budget. Any other item is returned as it is."""
        when = now or utcnow()
        with self._locked():
            item = self.item(item_id)
            waiting = item.state is DeliveryState.WAITING and not item.is_due(when)
            if item.state is not DeliveryState.FAILED and not waiting:
                return item
            resumed = self._resumed(item, when)
            self._save(resumed)
        return resumed

    def retry_now(self, *, now: datetime | None = None) -> RetriedNow:
        """ "Send now" for the whole outbox (the app's "Send nu", ``sync run --now``):
        every item :meth:`~mus.sync.OutboxItem.retried_now` picks is made due now
        with a fresh retry budget, in one write. Items paused by a refused login
        are left paused (:meth:`set_password` resumes them) and returned apart."""
        when = now or utcnow()
        with self._locked():
            items = self._open_items()
            resumed = [self._resumed(i, when) for i in items if i.retried_now(when)]
            if resumed:
                table = self._db.table(OUTBOX)
                docs = {find_id(table, _ID, i.id): to_document(i) for i in resumed}
                _update_each(table, {k: doc for k, doc in docs.items() if k is not None})
        held = tuple(i for i in items if i.needs_password)
        return RetriedNow(tuple(resumed), held)

    def cancel(self, item_id: str, *, now: datetime | None = None) -> OutboxItem:
        """Stop delivering. A delivery already under way may still land: it is then
        recorded as sent, because that is the truth at the target."""
        with self._locked():
            item = self.item(item_id)
            if item.state not in OPEN_STATES:
                return item
            cancelled = replace(
                item, state=DeliveryState.CANCELLED, next_attempt_at=None, updated_at=now
            )
            self._save(cancelled)
            self._prune_blobs()
        return cancelled

    def blob(self, sha256: str) -> bytes | None:
        with self._locked():
            doc = _get(self._db.table(BLOBS), _SHA256, sha256)
        if doc is None:
            return None
        return base64.b64decode(doc["data"])

    # ------------------------------------------------------------ running

    def run_due(
        self,
        now: datetime | None = None,
        deliverers: DelivererFactory | None = None,
        *,
        should_stop: Callable[[], bool] = lambda: False,
    ) -> tuple[RunResult, ...]:
        """Deliver every due item once; returns what happened to each item tried.

        One run at a time per outbox (a second caller waits). A target whose
        server is unreachable or refuses the login is tried once per run: its
        other due items wait with it (backed off, or paused with the same code).
        """
        with self._run_lock:
            own = deliverers is None
            factory: DelivererFactory = deliverers or StandardDeliverers()
            try:
                return self._run(now, factory, should_stop)
            finally:
                if own:
                    factory.close()

    def _run(
        self, now: datetime | None, factory: DelivererFactory, should_stop: Callable[[], bool]
    ) -> tuple[RunResult, ...]:
        when = now or utcnow()
        read = _RunCache()
        due = [i for i in self._open_items(read) if i.is_due(when)]
        due.sort(key=lambda i: (i.created_at, i.id))
        results: list[RunResult] = []
        blocked: dict[str, tuple[Failure, datetime | None]] = {}
        open_deliverers: dict[str, Deliverer] = {}
        pending: list[_Pending] = []
        try:
            for queued in due:
                if should_stop():
                    break
                if queued.target_id in blocked:
                    result = self._hold(queued, blocked[queued.target_id], when, pending, read)
                else:
                    result = self._deliver_one(
                        queued, when, factory, open_deliverers, pending, read=read
                    )
                if result is None:
                    continue
                results.append(result)
                outcome = result.outcome
                if isinstance(outcome, Failure) and outcome.whole_target:
                    blocked.setdefault(queued.target_id, (outcome, result.item.next_attempt_at))
        finally:
            for d in open_deliverers.values():
                d.close()
            with self._locked():
                self._flush(pending, read=read)
                self._prune_blobs()
        return tuple(results)

    def _deliver_one(
        self,
        queued: OutboxItem,
        now: datetime,
        factory: DelivererFactory,
        open_deliverers: dict[str, Deliverer],
        pending: list[_Pending],
        *,
        read: _RunCache,
    ) -> RunResult | None:
        with self._locked():
            item = self._find(queued.id, read)
            if item is None or not item.is_due(now):
                return None  # cancelled, retried or removed meanwhile
            # The target is read (and its password decrypted) once per run, when its
            # deliverer is made; later items only check that it still exists.
            deliverer = open_deliverers.get(item.target_id)
            target: SyncTarget | None = None
            if deliverer is None:
                target = self._find_target(item.target_id)
                exists = target is not None
            else:
                exists = find_id(self._db.table(TARGETS), _ID, item.target_id) is not None
            if not exists:
                return self._finished(
                    item, item, Failure("target_missing", pause=True), now, pending
                )
            data = read.checked_blob(item.sha256)
            if data is None:
                data = self.blob(item.sha256)
                if data is None or sha256_hex(data) != item.sha256:
                    return self._finished(item, item, Failure("damaged", pause=True), now, pending)
                read.keep_blob(item.sha256, data)
            # A crashed run (still "sending") or any earlier attempt may have landed.
            check_first = item.attempts > 0 or item.state is DeliveryState.SENDING
            item = replace(
                item, state=DeliveryState.SENDING, attempts=item.attempts + 1, updated_at=now
            )
            # Durable before the first request; the previous item's result rides along.
            self._flush(pending, item, read=read)
            password = None
            if target is not None and target.kind is TargetKind.WEBDAV:
                password = self.password(target.id)
        if deliverer is None:
            assert target is not None
            deliverer = open_deliverers[target.id] = factory(target, password)
        try:
            outcome = deliverer.deliver(item, data, check_first=check_first)
        except Exception as exc:  # a bug must not leave the item "sending" forever
            # Its type and line, never its message or traceback: an httpx error's
            # text holds the URL (with the user name), a file error the path.
            log.error("item %s: unexpected %s at %s", item.id[:8], *_bug_site(exc))
            outcome = Failure("unexpected")
        with self._locked():
            current = self._find(item.id, read) or item
            return self._finished(item, current, outcome, now, pending)

    def _finished(
        self,
        sent: OutboxItem,
        current: OutboxItem,
        outcome: Delivered | Failure,
        now: datetime,
        pending: list[_Pending],
    ) -> RunResult:
        """The item after its attempt; saved with the next item's "sending" (one write).

        Deferring the save is safe: an item left "sending" by a crash is checked at
        the target before anything is sent again.
        """
        if isinstance(outcome, Delivered):
            saved = replace(
                current,
                state=DeliveryState.SENT,
                sent_at=now,
                delivered_name=outcome.name,
                last_error_code=None,
                next_attempt_at=None,
                updated_at=now,
            )
        elif current.state is DeliveryState.CANCELLED:
            saved = replace(current, last_error_code=outcome.code, updated_at=now)
        else:
            retry_at = (
                None
                if outcome.pause
                else self.policy.next_attempt(sent.attempts, now, self._rng, outcome.retry_after)
            )
            saved = replace(
                current,
                state=DeliveryState.FAILED,
                last_error_code=outcome.code,
                next_attempt_at=retry_at,
                updated_at=now,
            )
        pending.append(_Pending(current, saved, isinstance(outcome, Delivered)))
        return RunResult(saved, outcome)

    def _hold(
        self,
        item: OutboxItem,
        blocked: tuple[Failure, datetime | None],
        now: datetime,
        pending: list[_Pending],
        read: _RunCache,
    ) -> RunResult | None:
        """An untried item of a blocked target: paused with it, or waits as long as it.

        Its attempt count is untouched: it was never tried.
        """
        failure, retry_at = blocked
        with self._locked():
            current = self._find(item.id, read)
            if current is None or not current.is_due(now):
                return None
            if failure.pause:
                state, when = DeliveryState.FAILED, None
            else:
                when = retry_at or now + timedelta(
                    seconds=self.policy.delay(1, self._rng, failure.retry_after)
                )
                failed = current.state in (DeliveryState.FAILED, DeliveryState.SENDING)
                state = DeliveryState.FAILED if failed else DeliveryState.WAITING
            saved = replace(
                current,
                state=state,
                last_error_code=failure.code,
                next_attempt_at=when,
                updated_at=now,
            )
            pending.append(_Pending(current, saved, delivered=False))
        return RunResult(saved, failure)

    def _flush(
        self, pending: list[_Pending], sending: OutboxItem | None = None, *, read: _RunCache
    ) -> None:
        """Save the run's finished items (and the next "sending" one) in one write.

        A user's cancel or retry since an item was finished wins, unless the file
        was delivered: then "sent" is the truth at the target.
        """
        table = self._db.table(OUTBOX)
        docs: dict[int, tuple[Document, OutboxItem]] = {}
        for p in pending:
            doc_id = find_id(table, _ID, p.seen.id)
            current = read.stored(table, doc_id)
            if doc_id is None or current is None or (current != p.seen and not p.delivered):
                continue
            docs[doc_id] = (to_document(p.saved), p.saved)
        pending.clear()
        if sending is not None:
            doc_id = find_id(table, _ID, sending.id)
            if doc_id is not None:
                docs[doc_id] = (to_document(sending), sending)
        if docs:
            _update_each(table, {k: doc for k, (doc, _) in docs.items()})
            for doc, item in docs.values():
                read.saved(doc, item)

    # ------------------------------------------------------------ internals

    def _open_items(self, read: _RunCache | None = None) -> list[OutboxItem]:
        """Every item but the history: a document stored as sent or cancelled is
        not decoded, so this does not grow with the history."""
        with self._locked():
            docs = [d for d in self._db.table(OUTBOX) if d.get("state") not in _DONE_VALUES]
        if read is None:
            return [from_document(OutboxItem, d) for d in docs]
        return [read.item(d) for d in docs]

    def _resumed(self, item: OutboxItem, now: datetime | None) -> OutboxItem:
        return replace(
            item,
            state=DeliveryState.WAITING,
            attempts=0 if item.attempts == 0 else 1,
            next_attempt_at=None,
            last_error_code=None,
            updated_at=now,
        )

    def _find_target(self, target_id: str) -> SyncTarget | None:
        table = self._db.table(TARGETS)
        return _decoded(SyncTarget, table, find_id(table, _ID, target_id))

    def _find(self, item_id: str, read: _RunCache | None = None) -> OutboxItem | None:
        table = self._db.table(OUTBOX)
        doc_id = find_id(table, _ID, item_id)
        return _decoded(OutboxItem, table, doc_id) if read is None else read.stored(table, doc_id)

    def _save(self, item: OutboxItem) -> None:
        table = self._db.table(OUTBOX)
        doc_id = find_id(table, _ID, item.id)
        if doc_id is not None:
            _update_each(table, {doc_id: to_document(item)})

    def _store_blob(self, pdf: bytes, digest: str) -> None:
        blobs = self._db.table(BLOBS)
        if find_id(blobs, _SHA256, digest) is None:
            blobs.insert(
                {"sha256": digest, "size": len(pdf), "data": base64.b64encode(pdf).decode("ascii")}
            )

    def _prune_blobs(self) -> None:
        """Drop PDFs no open item needs (sent or cancelled everywhere).

        Read from the stored documents, not decoded items: a document in any
        state but sent or cancelled (even one this app cannot read) keeps its PDF.
        """
        needed = {
            d.get("sha256") for d in self._db.table(OUTBOX) if d.get("state") not in _DONE_VALUES
        }
        blobs = self._db.table(BLOBS)
        gone = [doc.doc_id for doc in blobs if doc.get("sha256") not in needed]
        if gone:
            blobs.remove(doc_ids=gone)


@dataclass(frozen=True, slots=True)
class _Pending:
    """A finished item whose new state waits for the run's next write."""

    seen: OutboxItem
    saved: OutboxItem
    delivered: bool


_KEEP = frozenset({*OPEN_STATES, DeliveryState.SENT})
"""States in which the same bytes to the same target are not queued again."""

_DONE_VALUES = frozenset({DeliveryState.SENT.value, DeliveryState.CANCELLED.value})
"""Stored ``state`` values of the history: never due, and their PDFs are not needed."""


class _RunCache:
    """What one run has already decoded or checked, so it is not done again.

    * items: each item with the stored document it was decoded from or saved
      as; a stored document *equal* to that one is not decoded again (same
      document, same item), any other is decoded as usual;
    * the last PDF read and checked against its SHA-256, for the next item with
      the same bytes (one export to several targets).
    """

    __slots__ = ("_blob", "_items")

    def __init__(self) -> None:
        self._items: dict[str, tuple[Document, OutboxItem]] = {}
        self._blob: tuple[str, bytes] | None = None

    def item(self, doc: Document) -> OutboxItem:
        key = doc.get("id")
        known = self._items.get(key) if isinstance(key, str) else None
        if known is not None and known[0] == doc:
            return known[1]
        item = from_document(OutboxItem, doc)
        self._items[item.id] = (dict(doc), item)
        return item

    def stored(self, table: Table, doc_id: int | None) -> OutboxItem | None:
        doc = None if doc_id is None else table.get(doc_id=doc_id)
        return self.item(doc) if isinstance(doc, dict) else None

    def saved(self, doc: Document, item: OutboxItem) -> None:
        self._items[item.id] = (doc, item)

    def checked_blob(self, sha256: str) -> bytes | None:
        return self._blob[1] if self._blob is not None and self._blob[0] == sha256 else None

    def keep_blob(self, sha256: str, data: bytes) -> None:
        self._blob = (sha256, data)


def _get(table: Table, path: tuple[str, ...], value: str) -> Document | None:
    """The first document whose field at ``path`` is ``value`` (as ``Query`` would find it)."""
    doc_id = find_id(table, path, value)
    doc = None if doc_id is None else table.get(doc_id=doc_id)
    return doc if isinstance(doc, dict) else None


def _decoded(cls: type[_T], table: Table, doc_id: int | None) -> _T | None:
    doc = None if doc_id is None else table.get(doc_id=doc_id)
    return from_document(cls, doc) if isinstance(doc, dict) else None


def _update_each(table: Table, docs: dict[int, Document]) -> None:
    """Set each document's fields to the given ones, in place, in one write.

    Like ``update(fields, Query().id == ...)`` per document (fields this app does
    not know are kept), but found by id instead of a scan of the table. The keys
    are ids from ``find_id`` for each document's ``id`` (checked hits).
    """
    by_item = {doc["id"]: doc for doc in docs.values()}

    def apply(doc: MutableMapping[str, Any]) -> None:
        doc.update(by_item[doc["id"]])

    table.update(apply, doc_ids=list(docs))


def _bug_site(exc: BaseException) -> tuple[str, str]:
    """An exception's type and the innermost line of Musling's code it passed
    through (``storage/webdav.py:120``): enough to find the bug, no personal data."""
    root = Path(__file__).resolve().parents[1]
    where = "?"
    for frame in traceback.extract_tb(exc.__traceback__):
        path = Path(frame.filename)
        if path.is_relative_to(root) and ".venv" not in path.parts:
            where = f"{path.relative_to(root).as_posix()}:{frame.lineno}"
    return type(exc).__name__, where


def _check_folder(target: SyncTarget) -> str | None:
    folder = Path(target.path)
    if not folder.is_dir():
        return "folder_missing"
    if not os.access(folder, os.W_OK):
        return "read_only"
    return None

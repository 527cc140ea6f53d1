"""Sync state the sync screens read; its methods name the change.

The outbox lives in the vault (``VaultPort.outbox()``); this observable keeps
what the screens show (targets, items, a connection test's result) and runs
the slow calls (a connection test, a delivery run) off the UI thread with
``asyncio.to_thread``. While the vault is open an asyncio task delivers what
is due every minute (sooner when a retry comes due) and right after each
export; ``follow_lock`` starts and stops it with the lock.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

import flet as ft

from mus.errors import VaultError
from mus.ports import OutboxPort, VaultPort
from mus.sync import (
    OPEN_STATES,
    ExportMeta,
    OutboxItem,
    SyncTarget,
    TargetKind,
    TargetRole,
    validate_target,
)
from views.state import Clock, utc_now

log = logging.getLogger("musling.sync")


def _period_s() -> float:
    """``MUSLING_SYNC_PERIOD_SECONDS`` is test-only: the auto-lock's browser test runs
    the loop every few seconds to show that it never counts as use."""
    raw = os.environ.get("MUSLING_SYNC_PERIOD_SECONDS", "")
    return float(raw) if raw.isdigit() and int(raw) > 0 else 60.0


PERIOD_S = _period_s()
"""How often the open app looks for due items (a retry that comes due sooner wakes it)."""
MIN_PAUSE_S = 1.0
NEW = "new"
"""The id a connection test of the add form is recorded under (the target has none yet)."""
OK = "ok"

SyncContext: Any = ft.create_context(None)

_RUN_LOCK = threading.Lock()
"""One delivery run at a time in this process. Each session (browser tab) has its own
SyncState and each ``vault.outbox()`` call a fresh Outbox with its own run lock, but
they share one vault: two runs at once could send the same item twice."""


def webdav_target(name: str, url: str, user: str, folder: str, role: TargetRole) -> SyncTarget:
    """A WebDAV target as typed (not saved: no id yet)."""
    return SyncTarget(
        id="",
        name=name.strip(),
        role=role,
        kind=TargetKind.WEBDAV,
        url=url.strip(),
        user=user.strip(),
        folder=folder.strip(),
    )


def folder_target(name: str, path: str, role: TargetRole) -> SyncTarget:
    return SyncTarget(
        id="", name=name.strip(), role=role, kind=TargetKind.FOLDER, path=path.strip()
    )


class _Runtime:
    """The delivery task and its flags; a plain object, so touching it re-renders nothing."""

    __slots__ = ("loop_task", "runs", "stopping", "tasks")

    def __init__(self) -> None:
        self.loop_task: asyncio.Task[None] | None = None
        self.tasks: set[asyncio.Task[Any]] = set()
        self.stopping = threading.Event()
        self.runs = 0


@ft.observable
@dataclass
class SyncState:
    """Targets, outbox items and the result of the last connection test."""

    vault: VaultPort
    clock: Clock = utc_now
    period: float = PERIOD_S
    targets: tuple[SyncTarget, ...] = ()
    items: tuple[OutboxItem, ...] = ()
    sending: bool = False
    """A delivery run is under way."""
    testing: str = ""
    """The target (id, or :data:`NEW`) whose connection is being tested."""
    tested: str = ""
    """The target the last test result is of."""
    test_code: str = ""
    """:data:`OK` or an error code (``sync.error.<code>``) of the last test."""
    error_key: str = ""
    """The catalog key of why the last delivery run failed as a whole; "" if it did not."""
    runtime: _Runtime = field(default_factory=_Runtime)

    # ------------------------------------------------------------ reading

    def _outbox(self) -> OutboxPort:
        """A fresh view of the outbox over the open vault (raises when locked)."""
        return self.vault.outbox()

    def refresh(self) -> None:
        """Read targets and items again (after a change, on opening a screen)."""
        if not self.vault.unlocked:
            self.targets = ()
            self.items = ()
            return
        outbox = self._outbox()
        self.targets = outbox.targets()
        self.items = outbox.status()

    def target(self, target_id: str) -> SyncTarget | None:
        return next((t for t in self.targets if t.id == target_id), None)

    def open_count(self) -> int:
        """Items not yet delivered (waiting, sending or failed)."""
        return sum(1 for i in self.items if i.state in OPEN_STATES)

    # ------------------------------------------------------------ targets

    def add_webdav(
        self, name: str, *, url: str, user: str, folder: str, role: TargetRole, password: str
    ) -> tuple[str, ...]:
        """Save a WebDAV target; returns error codes (nothing saved) or () when saved."""
        return self._add(webdav_target(name, url, user, folder, role), password)

    def add_folder(self, name: str, path: str, role: TargetRole) -> tuple[str, ...]:
        return self._add(folder_target(name, path, role), None)

    def _add(self, target: SyncTarget, password: str | None) -> tuple[str, ...]:
        problems = validate_target(target)
        if problems:
            return problems
        try:
            self._outbox().add_target(target, password, now=self.clock())
        except ValueError as e:
            return tuple(str(a) for a in e.args)
        self.tested = self.test_code = ""
        self.refresh()
        return ()

    def set_auto(self, target_id: str, auto: bool) -> None:
        """Send every export to this target (or only when chosen)."""
        self._outbox().set_auto(target_id, auto)
        self.refresh()

    def set_password(self, target_id: str, password: str) -> int:
        """A new app password; items paused by a refused login are tried again at once."""
        resumed = self._outbox().set_password(target_id, password, now=self.clock())
        if self.tested == target_id:
            self.tested = self.test_code = ""
        self.refresh()
        if resumed:
            self._spawn(self.send_now())
        return resumed

    def remove(self, target_id: str) -> None:
        """Forget the target and its password; its undelivered items are cancelled."""
        self._outbox().remove_target(target_id, now=self.clock())
        if self.tested == target_id:
            self.tested = self.test_code = ""
        self.refresh()

    async def test_connection(self, target: SyncTarget, password: str | None = None) -> str:
        """Try the target (a saved one with its stored password, or the form's);
        returns and records :data:`OK` or an error code."""
        key = target.id or NEW
        problems = validate_target(target)
        if problems:
            code = problems[0]
        else:
            self.testing = key
            try:
                found = await asyncio.to_thread(self._outbox().test_connection, target, password)
                code = found or OK
            except VaultError as e:
                code = e.code
            finally:
                self.testing = ""
        self.tested = key
        self.test_code = code
        return code

    def forget_test(self) -> None:
        self.tested = self.test_code = ""

    # ------------------------------------------------------------ the queue

    async def queue_export(
        self,
        pdf_bytes: bytes,
        file_name: str,
        meta: ExportMeta,
        targets: Collection[str] | None = None,
    ) -> int:
        """Put an exported PDF in the outbox for every auto target (or exactly
        ``targets``, chosen by hand), then send it.

        Returns how many targets it is queued for (0: none chosen). The
        delivery runs in the background: an export never waits for the network.
        """
        items = await asyncio.to_thread(
            partial(
                self._outbox().enqueue,
                pdf_bytes,
                file_name,
                meta,
                targets=targets,
                now=self.clock(),
            )
        )
        self.refresh()
        if items:
            self._spawn(self.send_now())
        return len(items)

    async def export(
        self,
        build: Callable[[], tuple[str, bytes]],
        meta: ExportMeta,
        targets: Collection[str] | None = None,
    ) -> tuple[str, bytes]:
        """Build a PDF off the UI thread (``AppState.build_pdf``), queue it as
        :meth:`queue_export` does, and hand back its name and bytes for saving."""
        file_name, data = await asyncio.to_thread(build)
        await self.queue_export(data, file_name, meta, targets)
        return file_name, data

    def default_recipients(self) -> frozenset[str]:
        """The targets set to receive every export."""
        return frozenset(t.id for t in self.targets if t.auto)

    def retry(self, item_id: str) -> None:
        """Make a failed or paused item due now, and try it."""
        self._outbox().retry(item_id, now=self.clock())
        self.refresh()
        self._spawn(self.send_now())

    def cancel(self, item_id: str) -> None:
        self._outbox().cancel(item_id, now=self.clock())
        self.refresh()

    async def send_all(self) -> None:
        """ "Send now" on the outbox: items waiting for their retry time and paused
        ones are tried now, except those a refused login paused (they wait for a new
        password); the same rule as ``sync run --now`` (``Outbox.retry_now``)."""
        if not self.vault.unlocked:
            return
        self._outbox().retry_now(now=self.clock())
        await self.send_now()

    async def send_now(self) -> None:
        """Deliver every due item once, off the UI thread, then show the result."""
        if not self.vault.unlocked:
            return
        self.runtime.runs += 1
        self.sending = True
        self.error_key = ""
        try:
            await asyncio.to_thread(self._run_due)
        except VaultError:
            log.info("sync: the vault was locked during a delivery run")
        except Exception:  # keep the app alive; the items keep their state
            log.exception("sync: delivery run failed")
            self.error_key = "sync.error.unexpected"
        finally:
            self.runtime.runs -= 1
            self.sending = self.runtime.runs > 0
        with contextlib.suppress(VaultError):
            self.refresh()

    def _run_due(self) -> None:
        with _RUN_LOCK:
            if self.runtime.stopping.is_set() or not self.vault.unlocked:
                return
            self._outbox().run_due(self.clock(), should_stop=self.runtime.stopping.is_set)

    # ------------------------------------------------------------ lifecycle

    def follow_lock(self, unlocked: bool) -> None:
        """Start delivering when the vault opens; stop and forget when it locks."""
        if unlocked:
            self.start()
        else:
            self.stop()

    def start(self) -> None:
        self.runtime.stopping.clear()
        self.refresh()
        if self.runtime.loop_task is None or self.runtime.loop_task.done():
            with contextlib.suppress(RuntimeError):  # no running loop: a test without a page
                self.runtime.loop_task = self._spawn(self._deliver_periodically())

    def stop(self) -> None:
        """Cancel the periodic task; a run in flight ends after its current item."""
        self.runtime.stopping.set()
        if self.runtime.loop_task is not None:
            self.runtime.loop_task.cancel()
            self.runtime.loop_task = None
        self.targets = ()
        self.items = ()
        self.tested = self.test_code = self.testing = ""

    async def _deliver_periodically(self) -> None:
        while not self.runtime.stopping.is_set():
            await self.send_now()
            await asyncio.sleep(self._pause())

    def _pause(self) -> float:
        """Seconds to the next look: the period, or sooner when a retry comes due."""
        try:
            nxt = self._outbox().next_due_at() if self.vault.unlocked else None
        except VaultError:
            nxt = None
        if nxt is None:
            return self.period
        seconds = (nxt - self.clock()).total_seconds()
        return max(MIN_PAUSE_S, min(self.period, seconds))

    def _spawn(self, job: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        """Run ``job`` on the UI loop without awaiting it (kept referenced until done)."""
        try:
            task = asyncio.get_running_loop().create_task(job)
        except RuntimeError:
            job.close()
            raise
        self.runtime.tasks.add(task)
        task.add_done_callback(self.runtime.tasks.discard)
        return task


def use_sync() -> SyncState:
    """The session's sync state; subscribes the calling component to its changes."""
    sync: SyncState | None = ft.use_context(SyncContext)
    if sync is None:
        raise RuntimeError("use_sync() outside the SyncContext provider")
    return sync


def when_text(moment: datetime | None) -> str:
    """A time as the phone shows it: 24.11.2026 10:15 (local time)."""
    if moment is None:
        return ""
    return moment.astimezone().strftime("%d.%m.%Y %H:%M")

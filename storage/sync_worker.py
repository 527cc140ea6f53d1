"""The background thread that empties the outbox: on a timer, and when poked.

A thread rather than an asyncio task because the deliveries are blocking
(httpx's sync client, fsync) and the vault is synchronous; the app only calls
``start()`` after unlocking, ``poke()`` after each export and on resume, and
``stop()`` before locking (the worker must not touch a closed vault). No UI
here: ``on_results`` is called from the worker thread, so the app hops back
to its own loop (``page.run_thread``/``page.update``) itself.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime

from mus.errors import VaultError
from mus.sync import utcnow
from storage.sync import DelivererFactory, Outbox, RunResult, StandardDeliverers

log = logging.getLogger("musling.sync")

Results = tuple[RunResult, ...]


class SyncWorker:
    """Runs :meth:`Outbox.run_due` on its own thread; one per open vault."""

    def __init__(
        self,
        outbox: Outbox,
        *,
        deliverers: Callable[[], DelivererFactory] = StandardDeliverers,
        interval: float = 300.0,
        on_results: Callable[[Results], None] | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.outbox = outbox
        self._make_deliverers = deliverers
        self.interval = interval
        self.on_results = on_results
        self._clock = clock
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self.runs = 0

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        if self.running:
            return
        self._stopping.clear()
        self._wake.set()  # deliver what waited while the app was closed
        self._thread = threading.Thread(target=self._loop, name="musling-sync", daemon=True)
        self._thread.start()

    def poke(self) -> None:
        """Run soon (after an export, a retry, a new password, the app coming back)."""
        self._wake.set()

    def stop(self, timeout: float = 10.0) -> None:
        """Finish the item in flight (bounded by the HTTP timeouts), then end."""
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self._thread = None

    def run_once(self) -> Results:
        factory = self._make_deliverers()
        try:
            return self.outbox.run_due(self._clock(), factory, should_stop=self._stopping.is_set)
        finally:
            factory.close()

    def _seconds_to_next(self) -> float:
        nxt = self.outbox.next_due_at()
        if nxt is None:
            return self.interval
        return max(0.05, min(self.interval, (nxt - self._clock()).total_seconds()))

    def _loop(self) -> None:
        while not self._stopping.is_set():
            self._wake.wait(self._seconds_to_next_safely())
            self._wake.clear()
            if self._stopping.is_set():
                break
            try:
                results = self.run_once()
            except VaultError:
                log.info("sync worker: vault closed, stopping")
                break
            except Exception:  # keep the worker alive; the items keep their state
                log.exception("sync worker: run failed")
                self._stopping.wait(self.interval)
                continue
            self.runs += 1
            if results and self.on_results is not None:
                self.on_results(results)

    def _seconds_to_next_safely(self) -> float:
        try:
            return self._seconds_to_next()
        except VaultError:
            self._stopping.set()
            return 0.0

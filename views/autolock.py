"""Auto-lock in the running app: what counts as use, who is connected, the watcher.

The rule lives in ``mus.autolock``; this module feeds it from Flet. Use is
counted where the client's events enter the session (``dispatch_event``), so
only what the person did reaches it: a re-render, a timer or a sync run sends
no event from the client and never keeps the vault open.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import importlib
import logging
import threading
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import flet as ft

from mus.autolock import ALONE_LIMIT, Limits, LockReason, Presence
from mus.ports import PreferencesStore, VaultPort
from views.state import Clock

log = logging.getLogger("musling.autolock")
_ENDING: set[asyncio.Task[None]] = set()
"""Sessions being ended (a reference, so the tasks are not collected half-way)."""

PAGE_INPUT = frozenset({"keyboard_event", "route_change", "view_pop"})
"""Page events a person causes (a key, the browser's back, an address typed)."""
NOT_INPUT = frozenset({"focus", "blur", "animation_end", "error", "load", "size_change"})
"""Control events the client may send without a person acting (autofocus, layout)."""


def is_user_input(event_name: str, *, on_page: bool) -> bool:
    """A tap, a change, a scroll, a submit on a control; a key or a step back on the page."""
    if on_page:
        return event_name in PAGE_INPUT
    return event_name not in NOT_INPUT


def limits_for(
    preferences: PreferencesStore,
    *,
    idle: timedelta | None = None,
    alone: timedelta | None = None,
) -> Limits:
    """The user's idle limit (read at each check, so a new choice applies at once),
    unless a test shortened it (``MUSLING_AUTO_LOCK_SECONDS``,
    ``MUSLING_ALONE_LOCK_SECONDS``)."""
    return Limits(
        idle=idle or timedelta(minutes=preferences.load().auto_lock_minutes),
        alone=alone or ALONE_LIMIT,
    )


def follow_session(page: ft.Page, presence: Presence, clock: Clock) -> None:
    """Count this session's user input, and whether it is connected.

    Wraps the session's ``dispatch_event`` (the one door every client event
    comes through, in Flet 1.0.5; ``tests/ui/test_autolock.py`` fails if that
    changes). Page handlers record connect, disconnect and close.
    """
    session: Any = page.session
    session_id = str(session.id)
    dispatch: Callable[[int, str, Any], Awaitable[None]] = session.dispatch_event
    page_id = page._i

    async def dispatch_counting(control_id: int, event_name: str, event_data: Any) -> None:
        if is_user_input(event_name, on_page=control_id == page_id):
            presence.user_input(clock())
        await dispatch(control_id, event_name, event_data)

    session.dispatch_event = dispatch_counting
    presence.session_connected(session_id, clock())
    page.on_connect = lambda _: presence.session_connected(session_id, clock())
    page.on_disconnect = lambda _: presence.session_gone(session_id, clock())
    page.on_close = lambda _: presence.session_gone(session_id, clock())


def follow_lifecycle(
    page: ft.Page,
    presence: Presence,
    vault: VaultPort,
    limits: Callable[[], Limits],
    clock: Clock,
) -> None:
    """On a phone build: back from the background after the idle limit means locked."""
    if page.web:
        return  # a browser tab in the background is covered by the idle rule

    def changed(e: ft.AppLifecycleStateChangeEvent) -> None:
        if e.state in (ft.AppLifecycleState.HIDE, ft.AppLifecycleState.PAUSE):
            presence.went_to_background(clock())
        elif (
            e.state in (ft.AppLifecycleState.SHOW, ft.AppLifecycleState.RESUME)
            and presence.came_to_foreground(clock(), limits())
            and vault.unlocked
        ):
            vault.lock()

    page.on_app_lifecycle_state_change = changed


def subscribe_forget(vault: VaultPort, forget: Callable[[], None]) -> Callable[[], None]:
    """Run ``forget`` in this session's own context whenever the vault locks.

    The lock may come from the watcher thread or from another tab; Flet
    schedules re-renders on the session found in the context, so the call is
    handed to the event loop with this session's context captured here.

    A session whose tab is gone (disconnected, waiting to be resumed) cannot be
    redrawn: Flet drops its updates and would hand the old screen, decrypted
    names and all, to a tab that comes back. Such a session is ended instead,
    so a returning tab gets a new one, which starts at the lock screen.
    """
    loop = asyncio.get_running_loop()
    ctx = contextvars.copy_context()
    session: Any = ft.context.page.session

    def forget_here() -> None:
        forget()
        if session.connection is None:
            task = loop.create_task(end_session(session))
            _ENDING.add(task)
            task.add_done_callback(_ENDING.discard)

    def on_lock() -> None:
        with contextlib.suppress(RuntimeError):  # the loop is gone: the server stopped
            loop.call_soon_threadsafe(forget_here, context=ctx)

    return vault.on_lock(on_lock)


async def end_session(session: Any) -> None:
    """Remove a disconnected session from Flet's web server (1.0.5's registry;
    ``tests/ui/test_autolock.py`` fails if it moves)."""
    try:
        app_manager = importlib.import_module("flet_web.fastapi.flet_app_manager").app_manager
    except ImportError:  # a phone build: no web server, no sessions to resume
        return
    registry: dict[str, Any] = getattr(app_manager, "_FletAppManager__sessions", {})
    for key, candidate in list(registry.items()):
        if candidate is session:
            await app_manager.delete_session(key)


class Watcher:
    """Asks the rule every few seconds and locks the shared vault; one per process."""

    def __init__(
        self,
        presence: Presence,
        vault: VaultPort,
        limits: Callable[[], Limits],
        clock: Clock,
        period_s: float = 5.0,
    ) -> None:
        self.presence = presence
        self.vault = vault
        self.limits = limits
        self.clock = clock
        self.period_s = period_s
        self._stop = threading.Event()

    def check(self) -> LockReason | None:
        """Lock now if the rule says so; the reason, for tests and the log."""
        if not self.vault.unlocked:
            return None
        reason = self.presence.lock_reason(self.clock(), self.limits())
        if reason is not None:
            log.info("auto-lock: %s", reason.value)
            self.vault.lock()
        return reason

    def start(self) -> None:
        threading.Thread(target=self._run, name="musling-autolock", daemon=True).start()

    def stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        while not self._stop.wait(self.period_s):
            try:
                self.check()
            except Exception:  # the watcher must outlive one bad check
                log.exception("auto-lock check failed")

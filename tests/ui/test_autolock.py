"""Auto-lock in a real session over a real vault: only the person's input is use.

The idle rule is unit-tested in tests/unit/test_autolock.py; here a moving clock
and the real watcher show that re-renders, saves and sync never keep the vault
open, that a tap does, that a lock reaches the session from the watcher's
thread and leaves no decrypted text on screen, and that a phone build locks
after a long time in the background. tests/e2e/test_autolock_e2e.py does it in
real Chromium with two tabs and real (shortened) time.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
from collections.abc import Callable
from datetime import datetime, timedelta

import flet as ft

from mus.autolock import Limits, LockReason, Presence
from mus.demo import example_conversation
from mus.ports import MemoryPreferences
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI, run_app
from views.app import setup_page
from views.autolock import Watcher, is_user_input

FIVE = Limits(idle=timedelta(minutes=5))


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kw: float) -> None:
        self.now += timedelta(**kw)


def play(
    vault: VaultSession,
    scenario: Callable[[UI, Clock, Presence], object],
    *,
    web: bool = True,
) -> None:
    clock = Clock()
    presence = Presence(NOW)
    prefs = MemoryPreferences()

    def app_main(page: ft.Page) -> None:
        setup_page(page, prefs, vault, clock, presence=presence, limits=lambda: FIVE)

    async def body(ui: UI) -> None:
        await scenario(ui, clock, presence)  # type: ignore[misc]

    run_app(app_main, body, web=web)


def is_open(vault: VaultSession) -> bool:
    """Read afresh (a plain attribute read would be narrowed by mypy across awaits)."""
    return vault.unlocked


def names_on_screen(ui: UI) -> bool:
    record = example_conversation(NOW.date())
    texts = " ".join(ui.texts())
    return record.conversation.employee_name in texts or record.conversation.leader_name in texts


def test_only_input_keeps_it_open_and_the_watcher_locks_the_session(
    with_example: VaultSession,
) -> None:
    async def scenario(ui: UI, clock: Clock, presence: Presence) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.wait_for(lambda: names_on_screen(ui))
        unlocked_at = presence.last_input
        watcher = Watcher(presence, with_example, lambda: FIVE, clock)

        # What is no use: re-renders, a save made by the app, the sync loop.
        clock.advance(minutes=4)
        ui.page.update()
        await ui.settle()
        assert presence.last_input == unlocked_at

        # What is use: a tap.
        await ui.select_nav(1)
        assert presence.last_input == clock.now
        clock.advance(minutes=4, seconds=59)
        assert watcher.check() is None
        assert is_open(with_example)

        # Idle for five minutes: the watcher's thread locks; the session forgets.
        clock.advance(seconds=1)
        reason = await asyncio.to_thread(watcher.check)
        assert reason is LockReason.IDLE
        assert not is_open(with_example)
        await ui.wait_for(lambda: bool(ui.find_all("unlock")))
        assert not names_on_screen(ui)

    play(with_example, scenario)


def test_a_phone_build_locks_after_the_background(with_example: VaultSession) -> None:
    async def scenario(ui: UI, clock: Clock, presence: Presence) -> None:
        await ui.unlock(PASSPHRASE)
        page_id = ui.page._i
        await ui.session.dispatch_event(page_id, "app_lifecycle_state_change", {"state": "hide"})
        clock.advance(minutes=2)
        await ui.session.dispatch_event(page_id, "app_lifecycle_state_change", {"state": "show"})
        await ui.settle()
        assert is_open(with_example)
        await ui.session.dispatch_event(page_id, "app_lifecycle_state_change", {"state": "hide"})
        clock.advance(minutes=5)
        await ui.session.dispatch_event(page_id, "app_lifecycle_state_change", {"state": "show"})
        await ui.wait_for(lambda: bool(ui.find_all("unlock")))
        assert not is_open(with_example)

    play(with_example, scenario, web=False)


def test_events_that_are_not_input() -> None:
    assert is_user_input("click", on_page=False)
    assert is_user_input("change", on_page=False)
    assert is_user_input("scroll", on_page=False)
    assert is_user_input("keyboard_event", on_page=True)
    assert is_user_input("view_pop", on_page=True)
    for name in ("resize", "connect", "disconnect", "close", "app_lifecycle_state_change"):
        assert not is_user_input(name, on_page=True), name
    assert not is_user_input("focus", on_page=False)  # autofocus is not the person


def test_flet_still_sends_every_client_event_through_session_dispatch_event() -> None:
    """views/autolock.follow_session counts use by wrapping ``Session.dispatch_event``.
    If a Flet upgrade sends client events another way, the auto-lock would never
    see input and lock the user out mid-sentence: this says so before it ships."""
    source = inspect.getsource(importlib.import_module("flet_web.fastapi.flet_app"))
    assert "self.__session.dispatch_event(req.target, req.name, req.data)" in source, (
        "Flet no longer dispatches client events through Session.dispatch_event: "
        "views/autolock.follow_session must find the new door"
    )


def test_flet_still_keeps_web_sessions_in_the_registry_autolock_ends_them_in() -> None:
    """A tab that comes back after the vault locked must get a new session
    (views/autolock.end_session removes the old one from this registry)."""
    manager = importlib.import_module("flet_web.fastapi.flet_app_manager").app_manager
    assert isinstance(getattr(manager, "_FletAppManager__sessions", None), dict), (
        "Flet's web server keeps its sessions elsewhere now: views/autolock.end_session "
        "must find them, or a resumed tab shows what the vault had decrypted"
    )
    assert inspect.iscoroutinefunction(manager.delete_session)

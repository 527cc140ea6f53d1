"""The auto-lock rule: idle, nobody connected, back from the background."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from mus.autolock import Limits, LockReason, Presence

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
FIVE = Limits(idle=timedelta(minutes=5))


def connected(now: datetime = T0) -> Presence:
    presence = Presence(now)
    presence.session_connected("tab-1", now)
    return presence


def test_idle_limit_counts_from_the_last_input() -> None:
    presence = connected()
    assert presence.lock_reason(T0 + timedelta(minutes=4, seconds=59), FIVE) is None
    presence.user_input(T0 + timedelta(minutes=4))
    assert presence.lock_reason(T0 + timedelta(minutes=8, seconds=59), FIVE) is None
    assert presence.lock_reason(T0 + timedelta(minutes=9), FIVE) is LockReason.IDLE


def test_input_from_a_late_thread_never_moves_the_clock_back() -> None:
    presence = connected()
    presence.user_input(T0 + timedelta(minutes=3))
    presence.user_input(T0 + timedelta(minutes=1))
    assert presence.last_input == T0 + timedelta(minutes=3)


def test_nobody_connected_for_a_minute_locks_even_when_recently_used() -> None:
    presence = connected()
    presence.session_gone("tab-1", T0 + timedelta(seconds=10))
    assert presence.lock_reason(T0 + timedelta(seconds=69), FIVE) is None
    assert presence.lock_reason(T0 + timedelta(seconds=70), FIVE) is LockReason.NOBODY_CONNECTED


def test_one_tab_left_keeps_it_open_and_a_reconnect_stops_the_clock() -> None:
    presence = connected()
    presence.session_connected("tab-2", T0)
    presence.session_gone("tab-1", T0)
    assert presence.lock_reason(T0 + timedelta(minutes=2), FIVE) is None
    presence.session_gone("tab-2", T0 + timedelta(minutes=2))
    presence.session_connected("tab-2", T0 + timedelta(minutes=2, seconds=30))
    presence.user_input(T0 + timedelta(minutes=2, seconds=30))
    assert presence.lock_reason(T0 + timedelta(minutes=4), FIVE) is None
    assert presence.connected == {"tab-2"}


def test_a_process_nobody_connected_to_counts_as_alone_from_its_start() -> None:
    presence = Presence(T0)
    assert presence.lock_reason(T0 + timedelta(seconds=60), FIVE) is LockReason.NOBODY_CONNECTED


def test_background_longer_than_the_idle_limit_locks_on_return() -> None:
    presence = connected()
    presence.went_to_background(T0)
    presence.went_to_background(T0 + timedelta(minutes=3))  # a second "hide" keeps the first time
    assert presence.came_to_foreground(T0 + timedelta(minutes=5), FIVE) is LockReason.BACKGROUND
    presence.went_to_background(T0 + timedelta(minutes=6))
    assert presence.came_to_foreground(T0 + timedelta(minutes=7), FIVE) is None
    assert presence.came_to_foreground(T0 + timedelta(hours=1), FIVE) is None  # never left


def test_the_watcher_sees_a_long_background_too() -> None:
    presence = connected()
    presence.user_input(T0 + timedelta(minutes=4))
    presence.went_to_background(T0 + timedelta(minutes=1))
    limits = Limits(idle=timedelta(minutes=5), alone=timedelta(minutes=60))
    assert presence.lock_reason(T0 + timedelta(minutes=6), limits) is LockReason.BACKGROUND


def test_many_threads_reporting_at_once() -> None:
    presence = Presence(T0)

    def tab(n: int) -> None:
        for i in range(200):
            presence.session_connected(f"tab-{n}", T0)
            presence.user_input(T0 + timedelta(seconds=i))
            presence.session_gone(f"tab-{n}", T0 + timedelta(seconds=i))

    threads = [threading.Thread(target=tab, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert presence.connected == frozenset()
    assert presence.last_input == T0 + timedelta(seconds=199)

"""When the open vault locks itself: the rule, apart from any timer or UI.

One ``Presence`` per process, because the vault is one per process and every
browser tab shares it. Only what the user does counts as use (a key, a tap, a
scroll, a step taken); re-renders, timers and sync never reach ``user_input``.
The vault also locks when no tab has been connected for a while (a closed tab
must not leave the vault open behind it), and on a phone when the app stayed in
the background longer than the idle limit.
"""

from __future__ import annotations

import enum
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

ALONE_LIMIT = timedelta(seconds=60)
"""How long the vault stays open with no session connected."""


class LockReason(enum.Enum):
    IDLE = "idle"
    NOBODY_CONNECTED = "nobody_connected"
    BACKGROUND = "background"


@dataclass(frozen=True)
class Limits:
    """The idle limit is the user's choice; the others follow from it."""

    idle: timedelta
    alone: timedelta = ALONE_LIMIT


class Presence:
    """Who is connected and when the user last did something; thread-safe.

    Sessions report connect and disconnect, the web front end reports user
    input, and a watcher asks ``lock_reason`` now and then.
    """

    def __init__(self, now: datetime) -> None:
        self._mutex = threading.Lock()
        self._last_input = now
        self._connected: set[str] = set()
        self._alone_since: datetime | None = now
        self._background_since: datetime | None = None

    @property
    def last_input(self) -> datetime:
        with self._mutex:
            return self._last_input

    @property
    def connected(self) -> frozenset[str]:
        with self._mutex:
            return frozenset(self._connected)

    def user_input(self, now: datetime) -> None:
        with self._mutex:
            self._last_input = max(self._last_input, now)

    def session_connected(self, session_id: str, now: datetime) -> None:
        with self._mutex:
            self._connected.add(session_id)
            self._alone_since = None

    def session_gone(self, session_id: str, now: datetime) -> None:
        """Disconnected or closed; the last one to go starts the alone clock."""
        with self._mutex:
            self._connected.discard(session_id)
            if not self._connected and self._alone_since is None:
                self._alone_since = now

    def went_to_background(self, now: datetime) -> None:
        with self._mutex:
            if self._background_since is None:
                self._background_since = now

    def came_to_foreground(self, now: datetime, limits: Limits) -> LockReason | None:
        """Back on screen: lock if it was away longer than the idle limit."""
        with self._mutex:
            since, self._background_since = self._background_since, None
        if since is not None and now - since >= limits.idle:
            return LockReason.BACKGROUND
        return None

    def lock_reason(self, now: datetime, limits: Limits) -> LockReason | None:
        """Why the open vault should lock now, or None."""
        with self._mutex:
            if now - self._last_input >= limits.idle:
                return LockReason.IDLE
            if self._alone_since is not None and now - self._alone_since >= limits.alone:
                return LockReason.NOBODY_CONNECTED
            if self._background_since is not None and now - self._background_since >= limits.idle:
                return LockReason.BACKGROUND
        return None

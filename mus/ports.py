"""The protocols the outside world implements for the domain (storage, clock).

``views`` and ``mus`` depend on these; ``storage`` implements them; ``main.py``
wires one to the other.
"""

from __future__ import annotations

from typing import Protocol

from mus.agreement import AgreedVersion
from mus.model import Conversation, ConversationRecord
from mus.reminders import Schedule
from mus.settings import Preferences


class PreferencesStore(Protocol):
    """Where the user's preferences are kept between sessions."""

    def load(self) -> Preferences: ...

    def save(self, preferences: Preferences) -> None: ...


class MemoryPreferences:
    """A store that forgets on exit: for tests and for a throw-away session."""

    def __init__(self, preferences: Preferences | None = None) -> None:
        self._preferences = preferences or Preferences()

    def load(self) -> Preferences:
        return self._preferences

    def save(self, preferences: Preferences) -> None:
        self._preferences = preferences


class ConversationRepository(Protocol):
    """Every conversation of the user, each kept whole as one record.

    Domain objects in, domain objects out: implementations never hand out
    database documents.
    """

    def list(self) -> tuple[Conversation, ...]:
        """The conversations' headers, newest meeting first."""
        ...

    def get(self, conversation_id: str) -> ConversationRecord | None: ...

    def save(self, record: ConversationRecord) -> None:
        """Insert or replace; durable when it returns."""
        ...

    def delete(self, conversation_id: str) -> None: ...


class AgreedVersionRepository(Protocol):
    """Agreed plan versions: frozen once added, never changed or removed."""

    def for_conversation(self, conversation_id: str) -> tuple[AgreedVersion, ...]:
        """Oldest first."""
        ...

    def latest(self, conversation_id: str) -> AgreedVersion | None: ...

    def with_fingerprint(self, fingerprint: str) -> tuple[AgreedVersion, ...]: ...

    def add(self, version: AgreedVersion) -> None: ...


class ScheduleRepository(Protocol):
    """Each conversation's follow-up schedule (reminders)."""

    def get(self, conversation_id: str) -> Schedule | None: ...

    def all(self) -> tuple[Schedule, ...]: ...

    def save(self, schedule: Schedule) -> None: ...

    def delete(self, conversation_id: str) -> None: ...


class VaultPort(Protocol):
    """The user's encrypted vault as the app sees it: locked or open.

    Slow calls (``create``, ``unlock``, ``change_passphrase``) derive keys for a
    fraction of a second; the UI runs them off its thread. Failures are
    ``mus.errors.VaultError`` subclasses.
    """

    def exists(self) -> bool: ...

    @property
    def unlocked(self) -> bool: ...

    def create(self, passphrase: str) -> str:
        """Make a new vault and open it; returns the recovery code (shown once)."""
        ...

    def unlock(self, passphrase: str) -> None: ...

    def unlock_with_recovery_code(self, code: str) -> None: ...

    def lock(self) -> None:
        """Drop keys and decrypted data; ``conversations()`` fails until unlocked."""
        ...

    def conversations(self) -> ConversationRepository: ...

    def versions(self) -> AgreedVersionRepository: ...

    def schedules(self) -> ScheduleRepository: ...

    def change_passphrase(self, old: str, new: str) -> None: ...

    def new_recovery_code(self) -> str: ...

    def erase(self) -> None:
        """Destroy the keys first, then every file: nothing readable stays behind."""
        ...

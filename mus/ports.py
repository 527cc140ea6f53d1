"""The protocols the outside world implements for the domain (storage, clock).

``views`` and ``mus`` depend on these; ``storage`` implements them; ``main.py``
wires one to the other.
"""

from __future__ import annotations

from typing import Protocol

from mus.model import Conversation, ConversationRecord
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

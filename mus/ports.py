"""The protocols the outside world implements for the domain (storage, clock).

``views`` and ``mus`` depend on these; ``storage`` implements them; ``main.py``
wires one to the other.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Protocol

from mus.agreement import AgreedVersion
from mus.merge import MergeReport
from mus.model import Conversation, ConversationRecord
from mus.recovery import LossReport
from mus.reminders import Schedule
from mus.settings import Preferences
from mus.sync import ExportMeta, OutboxItem, SyncTarget


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

    def keys_missing(self) -> bool:
        """Vault files are here but the key file is missing or unreadable: a damaged
        vault that opens nothing, never "no vault yet" (a copy of the key file put
        back would open it all)."""
        ...

    def set_aside_folder(self) -> str | None:
        """The folder (inside the data folder) the last ``create`` or
        ``restore_backup`` moved a damaged vault's files into; None: none moved."""
        ...

    @property
    def unlocked(self) -> bool: ...

    def create(self, passphrase: str, *, set_aside: datetime | None = None) -> str:
        """Make a new vault and open it; returns the recovery code (shown once).
        Where ``keys_missing``, only with ``set_aside`` (now): the old files are
        moved aside into a dated folder, never deleted (else ``KeysMissing``)."""
        ...

    def unlock(self, passphrase: str) -> None: ...

    def unlock_with_recovery_code(self, code: str) -> None:
        """A wrong code changes nothing (an open vault stays open)."""
        ...

    def unlock_wait(self) -> float:
        """Seconds before the next unlock try is let through (0: now). Wrong tries
        are counted per process; after a few, ``unlock`` and
        ``unlock_with_recovery_code`` raise ``TryLater`` until the wait is over."""
        ...

    def lock(self) -> None:
        """Drop keys and decrypted data; ``conversations()`` fails until unlocked."""
        ...

    def on_lock(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Call ``listener`` after every lock (from whichever thread locked);
        returns the call that unsubscribes it. Every tab forgets what it showed."""
        ...

    def conversations(self) -> ConversationRepository: ...

    def versions(self) -> AgreedVersionRepository: ...

    def schedules(self) -> ScheduleRepository: ...

    def outbox(self) -> OutboxPort:
        """Exported PDFs on their way to the sync targets (only while unlocked)."""
        ...

    def change_passphrase(self, old: str, new: str) -> str | None:
        """A new passphrase and a new data key; returns a new recovery code when the
        old one could not follow (a vault from before format 2): show it once."""
        ...

    def recovery_report(self) -> LossReport | None:
        """After ``unlock`` failed with ``CurrentDamaged``: what recovering would
        keep and lose (None: no recovery prepared). Nothing is written yet."""
        ...

    def recover(self) -> None:
        """Write the state ``recovery_report`` described and open the vault with it."""
        ...

    def cancel_recovery(self) -> None:
        """Drop a prepared recovery; nothing was written."""
        ...

    def new_recovery_code(self) -> str: ...

    def erase(self) -> None:
        """Destroy the keys first, then every file: nothing readable stays behind."""
        ...

    def export_data(self, preferences: Preferences, now: datetime) -> bytes:
        """Everything as documented JSON (docs/data-format.md): NOT encrypted."""
        ...

    def export_backup(self, passphrase: str, backup_passphrase: str | None = None) -> bytes:
        """One encrypted backup file's bytes, for moving to a new phone: locked
        with the vault's passphrase, or with ``backup_passphrase`` when given."""
        ...

    def restore_backup(
        self, backup: bytes, passphrase: str, *, set_aside: datetime | None = None
    ) -> str:
        """A new phone: a new vault holding a backup's content, opened, under the
        backup's passphrase; returns the new recovery code (shown once).
        ``set_aside`` as for ``create``; the backup is read before anything moves."""
        ...

    def import_data(self, raw: bytes) -> MergeReport:
        """Merge an "all my data" file into the open vault by id; nothing is
        replaced. Refuses the whole file (``ImportNotAccepted``) if any record is bad."""
        ...


class OutboxPort(Protocol):
    """The outbox of exported PDFs and its sync targets, as the screens use it.

    Every call touches the vault; ``test_connection`` and ``run_due`` also wait
    on the network (seconds): the UI runs those off its thread. Invalid target
    settings raise ``ValueError`` whose args are error codes (``sync.error.<code>``).
    """

    def targets(self) -> tuple[SyncTarget, ...]: ...

    def add_target(
        self,
        target: SyncTarget,
        password: str | None = None,
        *,
        auto: bool | None = None,
        now: datetime | None = None,
    ) -> SyncTarget: ...

    def set_auto(self, target_id: str, auto: bool) -> SyncTarget: ...

    def remove_target(self, target_id: str, *, now: datetime | None = None) -> None: ...

    def set_password(self, target_id: str, password: str, *, now: datetime | None = None) -> int:
        """Store a new app password; resumes the items a refused login paused (returns how many)."""
        ...

    def test_connection(self, target: SyncTarget, password: str | None = None) -> str | None:
        """None when the target works, else an error code."""
        ...

    def enqueue(
        self,
        pdf: bytes,
        file_name: str,
        meta: ExportMeta,
        *,
        targets: Collection[str] | None = None,
        now: datetime | None = None,
    ) -> tuple[OutboxItem, ...]: ...

    def status(self) -> tuple[OutboxItem, ...]:
        """Every item, newest first."""
        ...

    def next_due_at(self) -> datetime | None: ...

    def retry(self, item_id: str, *, now: datetime | None = None) -> OutboxItem: ...

    def retry_now(self, *, now: datetime | None = None) -> object:
        """ "Send now": every waiting or paused item due at once, except those a
        refused login paused (``OutboxItem.retried_now``)."""
        ...

    def cancel(self, item_id: str, *, now: datetime | None = None) -> OutboxItem: ...

    def run_due(
        self, now: datetime | None = None, *, should_stop: Callable[[], bool] = ...
    ) -> Sequence[object]:
        """Deliver every due item once (blocking; one run at a time)."""
        ...

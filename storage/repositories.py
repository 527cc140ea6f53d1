"""TinyDB-backed repositories: ``mus`` records in, ``mus`` records out.

TinyDB stays the query API over whichever ``Storage`` holds the data (the
encrypted vault in the app, ``MemoryStorage`` in tests). One document per
conversation keeps a save to one conversation the size of that conversation,
whatever the vault's size.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from datetime import date
from typing import Any

from tinydb import Query, TinyDB
from tinydb.table import Table

from mus.agreement import AgreedVersion
from mus.model import Conversation, ConversationRecord
from mus.reminders import Schedule
from storage.codec import from_document, to_document
from storage.table import Path, find_id, replace_with

CONVERSATIONS = "conversations"
VERSIONS = "agreed_versions"
SCHEDULES = "schedules"

CONVERSATION_ID: Path = ("conversation", "id")
SCHEDULE_ID: Path = ("conversation_id",)


class _Locked:
    """Each call holds the vault session's lock: the sync worker writes from a thread,
    and TinyDB's read-modify-write must not interleave (a lost update)."""

    def __init__(self, lock: AbstractContextManager[object] | None) -> None:
        self._lock: AbstractContextManager[object] = lock or nullcontext()


class TinyConversations(_Locked):
    """A ``mus.ports.ConversationRepository`` over one TinyDB table."""

    def __init__(self, db: TinyDB, lock: AbstractContextManager[object] | None = None) -> None:
        super().__init__(lock)
        self._table = db.table(CONVERSATIONS)

    def list(self) -> tuple[Conversation, ...]:
        with self._lock:
            heads = [
                from_document(
                    Conversation, {**doc["conversation"], "_schema": doc.get("_schema", 1)}
                )
                for doc in self._table.all()
            ]
            return tuple(sorted(heads, key=_newest_first))

    def get(self, conversation_id: str) -> ConversationRecord | None:
        with self._lock:
            doc = _get(self._table, CONVERSATION_ID, conversation_id)
            return None if doc is None else from_document(ConversationRecord, doc)

    def save(self, record: ConversationRecord) -> None:
        with self._lock:
            _put(self._table, CONVERSATION_ID, record.id, to_document(record))

    def delete(self, conversation_id: str) -> None:
        with self._lock:
            _remove(self._table, CONVERSATION_ID, conversation_id)


def _newest_first(c: Conversation) -> tuple[int, str, str]:
    day = c.meeting_date or date(c.year, 1, 1)
    return (-day.toordinal(), c.employee_name.casefold(), c.id)


class TinyAgreedVersions(_Locked):
    """A ``mus.ports.AgreedVersionRepository``: append-only, one document per version."""

    def __init__(self, db: TinyDB, lock: AbstractContextManager[object] | None = None) -> None:
        super().__init__(lock)
        self._table = db.table(VERSIONS)

    def for_conversation(self, conversation_id: str) -> tuple[AgreedVersion, ...]:
        with self._lock:
            docs = self._table.search(Query().content.plan.conversation_id == conversation_id)
            versions = [from_document(AgreedVersion, d) for d in docs]
            return tuple(sorted(versions, key=lambda v: v.version))

    def latest(self, conversation_id: str) -> AgreedVersion | None:
        with self._lock:
            versions = self.for_conversation(conversation_id)
            return versions[-1] if versions else None

    def with_fingerprint(self, fingerprint: str) -> tuple[AgreedVersion, ...]:
        with self._lock:
            docs = self._table.search(Query().agreement.fingerprint == fingerprint)
            return tuple(from_document(AgreedVersion, d) for d in docs)

    def add(self, version: AgreedVersion) -> None:
        """Refuse to overwrite: an agreed version is what two people signed."""
        with self._lock:
            q = Query()
            exists = self._table.get(
                (q.content.plan.conversation_id == version.plan.conversation_id)
                & (q.version == version.version)
            )
            if exists is not None:
                raise ValueError("this version number is already agreed")
            self._table.insert(to_document(version))


class TinySchedules(_Locked):
    """A ``mus.ports.ScheduleRepository``: one schedule per conversation."""

    def __init__(self, db: TinyDB, lock: AbstractContextManager[object] | None = None) -> None:
        super().__init__(lock)
        self._table = db.table(SCHEDULES)

    def get(self, conversation_id: str) -> Schedule | None:
        with self._lock:
            doc = _get(self._table, SCHEDULE_ID, conversation_id)
            return None if doc is None else from_document(Schedule, doc)

    def all(self) -> tuple[Schedule, ...]:
        with self._lock:
            return tuple(from_document(Schedule, d) for d in self._table.all())

    def save(self, schedule: Schedule) -> None:
        with self._lock:
            _put(self._table, SCHEDULE_ID, schedule.conversation_id, to_document(schedule))

    def delete(self, conversation_id: str) -> None:
        with self._lock:
            _remove(self._table, SCHEDULE_ID, conversation_id)


# One document per key: found through the table's index, written in place, so
# a save costs the same in a vault of 100 conversations as in one of 10,000.


def _get(table: Table, path: Path, value: str) -> dict[str, Any] | None:
    doc_id = find_id(table, path, value)
    if doc_id is None:
        return None
    doc = table.get(doc_id=doc_id)
    assert isinstance(doc, dict)
    return doc


def _put(table: Table, path: Path, value: str, document: dict[str, Any]) -> None:
    doc_id = find_id(table, path, value)
    if doc_id is None:
        table.insert(document)
    else:
        table.update(replace_with(document), doc_ids=[doc_id])


def _remove(table: Table, path: Path, value: str) -> None:
    doc_id = find_id(table, path, value)
    if doc_id is not None:
        table.remove(doc_ids=[doc_id])

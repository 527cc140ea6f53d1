"""TinyDB-backed repositories: ``mus`` records in, ``mus`` records out.

TinyDB stays the query API over whichever ``Storage`` holds the data (the
encrypted vault in the app, ``MemoryStorage`` in tests). One document per
conversation keeps a save to one conversation the size of that conversation,
whatever the vault's size.
"""

from __future__ import annotations

from datetime import date

from tinydb import Query, TinyDB

from mus.model import Conversation, ConversationRecord
from storage.codec import from_document, to_document

CONVERSATIONS = "conversations"


class TinyConversations:
    """A ``mus.ports.ConversationRepository`` over one TinyDB table."""

    def __init__(self, db: TinyDB) -> None:
        self._table = db.table(CONVERSATIONS)

    def list(self) -> tuple[Conversation, ...]:
        heads = [
            from_document(Conversation, {**doc["conversation"], "_schema": doc.get("_schema", 1)})
            for doc in self._table.all()
        ]
        return tuple(sorted(heads, key=_newest_first))

    def get(self, conversation_id: str) -> ConversationRecord | None:
        doc = self._table.get(Query().conversation.id == conversation_id)
        if doc is None:
            return None
        assert isinstance(doc, dict)
        return from_document(ConversationRecord, doc)

    def save(self, record: ConversationRecord) -> None:
        self._table.upsert(to_document(record), Query().conversation.id == record.id)

    def delete(self, conversation_id: str) -> None:
        self._table.remove(Query().conversation.id == conversation_id)


def _newest_first(c: Conversation) -> tuple[int, str, str]:
    day = c.meeting_date or date(c.year, 1, 1)
    return (-day.toordinal(), c.employee_name.casefold(), c.id)

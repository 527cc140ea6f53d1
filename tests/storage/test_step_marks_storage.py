"""The user's step marks (``ConversationRecord.step_marks``) in stored documents.

The field came after schema 1 documents were written; it has a default, so a
vault written before it loads unchanged, with no mark on any step.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tinydb import TinyDB

from mus import plans
from mus.demo import example_conversation
from mus.model import ConversationRecord, StepMark
from mus.wheel import StepState
from storage.codec import SCHEMA_VERSION, from_document, to_document
from storage.repositories import CONVERSATIONS, TinyConversations

TODAY = date(2026, 11, 24)


def _before_marks() -> dict[str, object]:
    """A conversation as an app without step marks stored it."""
    doc = to_document(replace(example_conversation(TODAY), step_marks=()))
    del doc["step_marks"]
    assert doc["_schema"] == SCHEMA_VERSION == 1
    return doc


def test_a_document_from_before_step_marks_loads_with_none(db: TinyDB) -> None:
    db.table(CONVERSATIONS).insert(_before_marks())
    record = TinyConversations(db).get(example_conversation(TODAY).id)
    assert record is not None
    assert record.step_marks == ()
    assert record == replace(example_conversation(TODAY), step_marks=())
    # Without the user's word, the suggested form and the strategy are not done.
    assert plans.step_state(record, "form") is StepState.IN_PROGRESS
    assert plans.step_state(record, "feedback") is StepState.DONE


def test_marks_round_trip_through_the_repository(db: TinyDB) -> None:
    record = plans.mark_step(example_conversation(TODAY), "feedback", done=False)
    TinyConversations(db).save(record)
    back = TinyConversations(db).get(record.id)
    assert back is not None
    assert back.step_marks == (
        StepMark("strategy", done=True),
        StepMark("form", done=True),
        StepMark("feedback", done=False),
    )
    assert from_document(ConversationRecord, to_document(back)) == record

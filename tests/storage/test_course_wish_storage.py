"""A course wish's ``in_plan`` choice in stored documents.

The field came after schema 1 documents were written; it has a default, so a
vault written before it loads unchanged, with no wish in the plan.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tinydb import TinyDB

from mus.demo import example_conversation
from mus.model import ConversationRecord
from storage.codec import SCHEMA_VERSION, from_document, to_document
from storage.repositories import CONVERSATIONS, TinyConversations

TODAY = date(2026, 11, 24)


def test_a_document_from_before_in_plan_loads_with_no_wish_in_the_plan(db: TinyDB) -> None:
    doc = to_document(example_conversation(TODAY))
    for wish in doc["preparation"]["course_wishes"]:
        del wish["in_plan"]
    assert doc["_schema"] == SCHEMA_VERSION == 1
    db.table(CONVERSATIONS).insert(doc)
    record = TinyConversations(db).get(example_conversation(TODAY).id)
    assert record is not None
    assert record == example_conversation(TODAY)
    assert [w.in_plan for w in record.preparation.course_wishes] == [False]


def test_the_choice_round_trips_through_the_repository(db: TinyDB) -> None:
    record = example_conversation(TODAY)
    chosen = tuple(replace(w, in_plan=True) for w in record.preparation.course_wishes)
    record = replace(record, preparation=replace(record.preparation, course_wishes=chosen))
    TinyConversations(db).save(record)
    back = TinyConversations(db).get(record.id)
    assert back is not None
    assert [w.in_plan for w in back.preparation.course_wishes] == [True]
    assert from_document(ConversationRecord, to_document(back)) == record

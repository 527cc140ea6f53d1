"""Records survive the round trip through documents and TinyDB, exactly.

The ``db`` fixture (tests/storage/conftest.py) runs each repository test over
TinyDB's memory storage and the real encrypted vault.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tinydb import TinyDB
from tinydb.storages import MemoryStorage

from mus.demo import example_conversation
from mus.errors import NewerFormat, VaultDamaged
from mus.model import ConversationRecord, Feedback, new_record
from storage import codec
from storage.codec import from_document, to_document
from storage.repositories import TinyConversations

TODAY = date(2026, 11, 24)
NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_example_round_trips_through_a_document() -> None:
    record = example_conversation(TODAY)
    assert from_document(ConversationRecord, to_document(record)) == record


def test_repository_round_trip(db: TinyDB) -> None:
    repo = TinyConversations(db)
    record = example_conversation(TODAY)
    repo.save(record)
    assert TinyConversations(db).get(record.id) == record
    assert [c.id for c in repo.list()] == [record.id]


def test_save_replaces_and_delete_removes(db: TinyDB) -> None:
    repo = TinyConversations(db)
    a = new_record("a", year=2025, employee_name="A", leader_name="L", unit="U", now=NOW)
    b = new_record(
        "b",
        year=2026,
        employee_name="B",
        leader_name="L",
        unit="U",
        now=NOW,
        meeting_date=date(2026, 3, 1),
    )
    repo.save(a)
    repo.save(b)
    repo.save(a.__class__(conversation=a.conversation, feedback=Feedback(strengths="x")))
    assert repo.get("a") is not None
    assert repo.get("a").feedback.strengths == "x"  # type: ignore[union-attr]
    assert [c.id for c in repo.list()] == ["b", "a"]
    repo.delete("a")
    assert repo.get("a") is None
    assert len(db.table("conversations")) == 1


odd_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200
) | st.sampled_from(
    ["æøå ÆØÅ – “citat” …", "😀👩🏽‍💻", "مرحبا بالعالم", "\x00\x07\u202e", "x" * 5000]
)


@settings(max_examples=60, deadline=None)
@given(text=odd_text)
def test_any_text_round_trips(text: str) -> None:
    record = new_record("t", year=2026, employee_name=text, leader_name=text, unit=text, now=NOW)
    record = ConversationRecord(
        conversation=record.conversation,
        feedback=Feedback(strengths=text, areas_to_develop=text, given_to_leader=text),
    )
    db = TinyDB(storage=MemoryStorage)
    TinyConversations(db).save(record)
    assert TinyConversations(db).get("t") == record


def test_newer_schema_is_refused() -> None:
    doc = to_document(example_conversation(TODAY))
    doc["_schema"] = codec.SCHEMA_VERSION + 1
    with pytest.raises(NewerFormat):
        from_document(ConversationRecord, doc)


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d.pop("conversation"),
        lambda d: d["conversation"].update(year="not a year"),
        lambda d: d.update(goals=[{"id": 1}]),
        lambda d: d.update(_schema="x"),
    ],
)
def test_damaged_document_is_damaged_not_half_read(damage: object) -> None:
    doc = to_document(example_conversation(TODAY))
    damage(doc)  # type: ignore[operator]
    with pytest.raises(VaultDamaged):
        from_document(ConversationRecord, doc)


def test_migrations_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    """A schema-1 document read by an app at schema 3 passes through both steps."""
    doc = to_document(example_conversation(TODAY))
    doc["conversation"]["unit_name"] = doc["conversation"].pop("unit")  # an imagined old shape
    doc["_schema"] = 1
    monkeypatch.setattr(codec, "SCHEMA_VERSION", 3)
    steps: list[int] = []

    def v1_to_v2(d: codec.Document) -> codec.Document:
        steps.append(1)
        d["conversation"]["unit"] = d["conversation"].pop("unit_name")
        return d

    def v2_to_v3(d: codec.Document) -> codec.Document:
        steps.append(2)
        return d

    monkeypatch.setattr(codec, "MIGRATIONS", {1: v1_to_v2, 2: v2_to_v3})
    assert from_document(ConversationRecord, doc) == example_conversation(TODAY)
    assert steps == [1, 2]


def test_unknown_keys_are_ignored() -> None:
    doc = to_document(example_conversation(TODAY))
    doc["conversation"]["future_field"] = "from a newer minor version"
    assert from_document(ConversationRecord, doc) == example_conversation(TODAY)


def test_agreed_versions_are_append_only(db: TinyDB) -> None:
    from mus.agreement import agree
    from storage.repositories import TinyAgreedVersions

    record = example_conversation(TODAY)
    meeting = record.conversation.meeting_date
    assert meeting is not None
    on_the_day = datetime.combine(meeting, NOW.timetz())
    first = agree(record, "Sofie Eksempel", "Lars Eksempel", on_the_day).version
    assert first is not None
    repo = TinyAgreedVersions(db)
    repo.add(first)
    with pytest.raises(ValueError, match="already agreed"):
        repo.add(first)
    # The same plan with a name typed again differently: the next version.
    second = agree(record, "Sofie Eksempel", "lars eksempel", on_the_day, previous=first).version
    assert second is not None
    repo.add(second)
    assert [v.version for v in repo.for_conversation(record.id)] == [1, 2]
    assert repo.latest(record.id) == second
    assert repo.with_fingerprint(first.fingerprint)[0].content == first.content
    assert repo.for_conversation("other") == ()


def test_schedules_round_trip(db: TinyDB) -> None:
    from mus.demo import example_schedule
    from storage.repositories import TinySchedules

    schedule = example_schedule(TODAY)
    repo = TinySchedules(db)
    repo.save(schedule)
    assert repo.get(schedule.conversation_id) == schedule
    assert repo.all() == (schedule,)
    repo.delete(schedule.conversation_id)
    assert repo.get(schedule.conversation_id) is None

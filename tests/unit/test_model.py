"""The model's values: immutable, codec-friendly, and their small helpers."""

from __future__ import annotations

import dataclasses
import enum
import inspect
import types
import typing
from datetime import UTC, date, datetime

import pytest

from mus import model
from mus.model import (
    ActivityKind,
    CheckIn,
    CheckInItem,
    CheckInTarget,
    ConversationForm,
    ConversationRecord,
    Goal,
    GoalKind,
    ItemStatus,
    MeetingNotes,
    MiniMus,
    OwnQuestion,
    Preparation,
    PrepNote,
    TopicNote,
    enum_key,
    new_record,
)

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)

DATACLASSES = tuple(
    cls
    for _, cls in inspect.getmembers(model, inspect.isclass)
    if dataclasses.is_dataclass(cls) and cls.__module__ == model.__name__
)
ENUMS = tuple(
    cls
    for _, cls in inspect.getmembers(model, inspect.isclass)
    if issubclass(cls, enum.StrEnum) and cls.__module__ == model.__name__
)
SCALARS = (str, int, bool, date, datetime, type(None))


def record() -> ConversationRecord:
    return new_record(
        "c-1", year=2026, employee_name="Sofie", leader_name="Lars", unit="Enhed", now=NOW
    )


def _codec_friendly(tp: object) -> bool:
    """Only scalars, StrEnums, homogeneous tuples, unions and nested model dataclasses."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        return all(_codec_friendly(a) for a in typing.get_args(tp))
    if origin is tuple:
        args = typing.get_args(tp)
        if len(args) == 2 and args[1] is Ellipsis:
            return _codec_friendly(args[0])
        return False
    if not isinstance(tp, type):
        return False
    if tp in SCALARS or issubclass(tp, enum.StrEnum):
        return True
    return tp in DATACLASSES


@pytest.mark.parametrize("cls", DATACLASSES, ids=lambda c: c.__name__)
def test_every_field_is_codec_friendly(cls: type) -> None:
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        assert _codec_friendly(hints[f.name]), f"{cls.__name__}.{f.name}: {hints[f.name]}"


@pytest.mark.parametrize("cls", DATACLASSES, ids=lambda c: c.__name__)
def test_every_dataclass_is_frozen_and_slotted(cls: type) -> None:
    params = cls.__dataclass_params__  # type: ignore[attr-defined]
    assert params.frozen
    assert "__slots__" in cls.__dict__


def test_a_value_cannot_change_in_place() -> None:
    goal = Goal("goal-1", GoalKind.PROFESSIONAL, "Titel")
    with pytest.raises(dataclasses.FrozenInstanceError):
        goal.title = "Andet"  # type: ignore[misc]


def test_the_model_has_the_expected_dataclasses() -> None:
    names = {c.__name__ for c in DATACLASSES}
    assert {
        "Conversation",
        "StrategyItem",
        "ProcessPlan",
        "ConversationForm",
        "PrepNote",
        "CourseWish",
        "LastPlanFollowUp",
        "MeetingNotes",
        "Feedback",
        "Goal",
        "Activity",
        "DevelopmentPlan",
        "Evaluation",
        "CheckIn",
        "MiniMus",
        "ConversationRecord",
    } <= names


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (GoalKind.LONG_TERM, "goal_kind.long_term"),
        (ActivityKind.TRAINING_ON_THE_JOB, "activity_kind.training_on_the_job"),
        (ItemStatus.UNDER_WAY, "item_status.under_way"),
        (CheckInTarget.GOAL, "check_in_target.goal"),
    ],
)
def test_enum_key_is_class_in_snake_case_and_value(value: enum.StrEnum, key: str) -> None:
    assert enum_key(value) == key


@pytest.mark.parametrize("cls", ENUMS, ids=lambda c: c.__name__)
def test_enum_values_are_snake_case_ids(cls: type[enum.StrEnum]) -> None:
    for member in cls:
        assert member.value == member.name.lower()


def test_activity_kinds_offer_more_than_courses() -> None:
    assert {k.value for k in ActivityKind} == {
        "course",
        "education",
        "new_tasks",
        "training_on_the_job",
        "supervision",
        "coaching",
        "mentoring",
        "learning_partner",
        "network",
        "teaching_others",
        "job_rotation",
        "learning_from_newcomers",
        "learning_environment",
        "other",
    }


def test_a_prep_note_is_private_by_default() -> None:
    assert PrepNote("A1", "tekst", NOW).shared is False


def test_with_note_appends_then_replaces_in_place() -> None:
    prep = Preparation()
    prep = prep.with_note(PrepNote("A1", "en", NOW))
    prep = prep.with_note(PrepNote("B1", "to", NOW))
    prep = prep.with_note(PrepNote("A1", "ny", NOW, shared=True))
    assert [n.question_id for n in prep.notes] == ["A1", "B1"]
    note = prep.note("A1")
    assert note is not None
    assert note.text == "ny"
    assert prep.note("C1") is None
    assert prep.shared_notes() == (PrepNote("A1", "ny", NOW, shared=True),)


def test_with_topic_appends_then_replaces_in_place() -> None:
    notes = MeetingNotes().with_topic(TopicNote("A1", "sagt"))
    notes = notes.with_topic(TopicNote("B1"))
    notes = notes.with_topic(TopicNote("A1", "sagt", covered=True))
    assert [(t.question_id, t.covered) for t in notes.topics] == [("A1", True), ("B1", False)]
    assert notes.topic("B1") == TopicNote("B1")
    assert notes.topic("X") is None


def test_form_finds_own_questions_only() -> None:
    form = ConversationForm(
        question_ids=("A1", "own-1"), own_questions=(OwnQuestion("own-1", "?"),)
    )
    assert form.own("own-1") == OwnQuestion("own-1", "?")
    assert form.own("A1") is None


def test_new_record_starts_empty() -> None:
    r = record()
    assert r.id == "c-1"
    assert r.conversation.created_at == r.conversation.updated_at == NOW
    assert r.conversation.example is False
    assert not (r.goals or r.activities or r.check_ins or r.mini_mus)
    assert r.form == ConversationForm()


def test_record_lookups() -> None:
    goal = Goal("goal-1", GoalKind.PERSONAL, "Mål")
    act = model.Activity("activity-1", "goal-1", ActivityKind.COACHING)
    r = dataclasses.replace(record(), goals=(goal,), activities=(act,))
    assert r.goal("goal-1") == goal
    assert r.goal("nope") is None
    assert r.activity("activity-1") == act
    assert r.activity("nope") is None
    assert r.activities_for("goal-1") == (act,)
    assert r.activities_for("goal-2") == ()


def test_all_check_ins_merges_mini_mus_oldest_first_and_stable() -> None:
    first = CheckIn("a", date(2026, 1, 1))
    same_day = CheckIn("b", date(2026, 3, 1))
    late = CheckIn("c", date(2026, 6, 1))
    mini = MiniMus(
        "m",
        CheckIn("d", date(2026, 3, 1), (CheckInItem(CheckInTarget.GOAL, "g", ItemStatus.DONE),)),
    )
    r = dataclasses.replace(record(), check_ins=(late, same_day, first), mini_mus=(mini,))
    assert [c.id for c in r.all_check_ins()] == ["a", "b", "d", "c"]


def test_touched_moves_only_updated_at() -> None:
    later = datetime(2026, 4, 1, tzinfo=UTC)
    r = record().touched(later)
    assert r.conversation.updated_at == later
    assert r.conversation.created_at == NOW


def test_enum_keys_cover_every_shown_enum_once() -> None:
    keys = model.enum_keys()
    assert len(keys) == len(set(keys)) == sum(len(cls) for cls in model.ENUMS)
    assert "activity_kind.training_on_the_job" in keys
    assert set(model.ENUMS) == set(ENUMS)

"""The example conversation: fictional, complete, consistent on any day."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from mus import plans
from mus.demo import EXAMPLE_ID, MEETING_DAYS_AGO, example_conversation
from mus.model import GoalKind, ItemStatus
from mus.questions import entries, find_question
from mus.wheel import ELEMENTS, STRATEGY, StepState

TODAY = date(2026, 5, 1)
_days = st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31))


def test_it_is_marked_as_an_example_and_clearly_fictional() -> None:
    c = example_conversation(TODAY).conversation
    assert c.id == EXAMPLE_ID
    assert c.example is True
    assert "Eksempel" in c.employee_name
    assert "Eksempel" in c.leader_name
    assert "Eksempel" in c.unit


def test_it_is_deterministic_for_a_given_day() -> None:
    assert example_conversation(TODAY) == example_conversation(TODAY)


@given(_days)
def test_it_has_no_errors_on_any_day(today: date) -> None:
    assert plans.errors(plans.validate_record(example_conversation(today), today)) == ()


@given(_days)
def test_its_dates_are_relative_to_today(today: date) -> None:
    r = example_conversation(today)
    meeting = r.conversation.meeting_date
    assert meeting is not None
    assert (today - meeting).days == MEETING_DAYS_AGO
    assert r.conversation.year == meeting.year
    assert all(c.on <= today for c in r.all_check_ins())
    assert r.conversation.created_at.date() < meeting
    assert r.conversation.updated_at.date() <= today


def test_every_step_is_done_and_follow_up_is_under_way() -> None:
    r = example_conversation(TODAY)
    states = {e.id: plans.step_state(r, e.id) for e in (STRATEGY, *ELEMENTS)}
    assert states.pop("follow_up") is StepState.IN_PROGRESS
    assert set(states.values()) == {StepState.DONE}


def test_it_has_three_goals_one_of_each_kind_each_with_an_activity() -> None:
    r = example_conversation(TODAY)
    assert sorted(g.kind for g in r.goals) == sorted(GoalKind)
    for g in r.goals:
        assert r.activities_for(g.id)
    assert not any(p.key == "hint.goals.too_many" for p in plans.validate_record(r, TODAY))


def test_activities_mix_kinds_and_include_past_and_future_ones() -> None:
    r = example_conversation(TODAY)
    assert len({a.kind for a in r.activities}) >= 4
    whens = [a.when for a in r.activities if a.when is not None]
    assert any(w < TODAY for w in whens)
    assert any(w > TODAY for w in whens)


def test_preparation_has_private_notes_and_exactly_one_shared() -> None:
    prep = example_conversation(TODAY).preparation
    assert len(prep.shared_notes()) == 1
    assert len([n for n in prep.notes if not n.shared]) >= 2
    assert prep.course_wishes
    assert prep.last_plan


def test_its_form_resolves_and_includes_an_own_question() -> None:
    r = example_conversation(TODAY)
    rows = entries(r.form)
    assert len(rows) == len(r.form.question_ids)
    assert any(row.own for row in rows)
    for note in r.preparation.notes:
        assert note.question_id in r.form.question_ids
        assert r.form.own(note.question_id) or find_question(note.question_id)


def test_its_check_in_moves_the_plan_along() -> None:
    r = example_conversation(TODAY)
    assert len(r.check_ins) == 1
    assert plans.activity_status(r, "activity-1") is ItemStatus.DONE
    assert plans.goal_status(r, "goal-1") is ItemStatus.UNDER_WAY
    assert plans.goal_status(r, "goal-3") is ItemStatus.NOT_STARTED


def test_it_carries_forward_into_next_year() -> None:
    r = example_conversation(TODAY)
    new = plans.carry_forward(r, new_id="next", now=r.conversation.updated_at)
    assert [f.goal_id for f in new.preparation.last_plan] == [g.id for g in r.goals]
    assert new.conversation.example is False

"""Plan rules: step states, validation keys, the plan, carry-forward and edits."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mus import plans
from mus.model import (
    Activity,
    ActivityKind,
    CheckIn,
    CheckInItem,
    CheckInTarget,
    ConversationForm,
    ConversationRecord,
    CourseWish,
    Evaluation,
    Feedback,
    Goal,
    GoalKind,
    ItemStatus,
    LastPlanFollowUp,
    MeetingNotes,
    MiniMus,
    OwnQuestion,
    Party,
    Preparation,
    PrepNote,
    ProcessPlan,
    Responsible,
    StepMark,
    StrategyItem,
    StrategyKind,
    TopicNote,
    new_record,
)
from mus.plans import Problem, Severity, step_state, validate_record, validate_step
from mus.questions import default_form
from mus.wheel import ELEMENTS, STRATEGY, StepState

NOW = datetime(2026, 3, 1, 9, tzinfo=UTC)
TODAY = date(2026, 3, 1)
MEETING = date(2026, 3, 10)
NS, IP, DONE = StepState.NOT_STARTED, StepState.IN_PROGRESS, StepState.DONE
ALL_IDS = tuple(e.id for e in (STRATEGY, *ELEMENTS))


def empty() -> ConversationRecord:
    return new_record(
        "c-1", year=2026, employee_name="Sofie", leader_name="Lars", unit="Enhed", now=NOW
    )


def goal(gid: str = "goal-1", **kw: object) -> Goal:
    fields: dict[str, object] = {
        "kind": GoalKind.PROFESSIONAL,
        "title": "Mål",
        "success_signs": "Tegn",
        "strategy_item_ids": ("strategy-1",),
    }
    fields.update(kw)
    return Goal(gid, **fields)  # type: ignore[arg-type]


def activity(aid: str = "activity-1", goal_id: str = "goal-1", **kw: object) -> Activity:
    fields: dict[str, object] = {
        "kind": ActivityKind.COURSE,
        "description": "Kursus",
        "when": MEETING + timedelta(days=30),
        "follow_up_when": MEETING + timedelta(days=60),
    }
    fields.update(kw)
    return Activity(aid, goal_id, **fields)  # type: ignore[arg-type]


def check_in(cid: str, on: date, *items: tuple[CheckInTarget, str, ItemStatus]) -> CheckIn:
    return CheckIn(cid, on, tuple(CheckInItem(t, i, s) for t, i, s in items))


def complete() -> ConversationRecord:
    """Every step done except follow-up, which is under way."""
    r = empty()
    form = ConversationForm(
        question_ids=("A1", "own-1"), own_questions=(OwnQuestion("own-1", "?"),)
    )
    return replace(
        r,
        conversation=replace(r.conversation, meeting_date=MEETING, meeting_time="10:00"),
        strategy_items=(StrategyItem("strategy-1", StrategyKind.UNIT_TASK, "Opgave"),),
        process_plan=ProcessPlan(
            summary_writer=Party.EMPLOYEE,
            prep_shared_by=MEETING - timedelta(days=7),
            plan_agreed_by=MEETING + timedelta(days=7),
            follow_up_dates=(MEETING + timedelta(days=90),),
        ),
        form=form,
        preparation=Preparation(notes=(PrepNote("A1", "a", NOW), PrepNote("own-1", "b", NOW))),
        meeting_notes=MeetingNotes(
            topics=(TopicNote("A1", "sagt", covered=True), TopicNote("own-1", covered=True))
        ),
        feedback=Feedback(strengths="s", areas_to_develop="u"),
        goals=(goal(),),
        activities=(activity(),),
        evaluation=Evaluation("v", "k", "b"),
        check_ins=(
            check_in("ci-1", TODAY, (CheckInTarget.ACTIVITY, "activity-1", ItemStatus.UNDER_WAY)),
        ),
        step_marks=(StepMark("strategy", done=True), StepMark("form", done=True)),
    )


def keys(problems: tuple[Problem, ...]) -> set[str]:
    return {p.key for p in problems}


# ---------------------------------------------------------------- step state


def test_an_empty_record_has_every_step_not_started() -> None:
    assert {step_state(empty(), i) for i in ALL_IDS} == {NS}


def test_a_complete_record_has_every_step_done_but_follow_up() -> None:
    r = complete()
    states = {i: step_state(r, i) for i in ALL_IDS}
    assert states.pop("follow_up") is IP
    assert set(states.values()) == {DONE}
    assert validate_record(r, TODAY) == ()


def test_unknown_element_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        step_state(empty(), "nope")
    with pytest.raises(KeyError):
        validate_step(empty(), "nope", TODAY)


def test_strategy_needs_text_in_every_item() -> None:
    r = complete()
    blank = StrategyItem("strategy-2", StrategyKind.WORKPLACE_GOAL, " ")
    assert step_state(replace(r, strategy_items=(*r.strategy_items, blank)), "strategy") is IP


# ---------------------------------------------------------------- the user's own mark


def test_a_suggested_form_or_carried_strategy_is_in_progress_until_marked() -> None:
    """Filled in before the person did anything: not done merely because it is there."""
    r = replace(complete(), step_marks=())
    assert step_state(r, "form") is IP
    assert step_state(r, "strategy") is IP
    marked = plans.mark_step(plans.mark_step(r, "form", done=True), "strategy", done=True)
    assert step_state(marked, "form") is DONE
    assert step_state(marked, "strategy") is DONE


def test_a_new_conversation_with_the_suggested_form_has_no_step_done() -> None:
    r = replace(empty(), form=default_form(first_conversation=True))
    states = {i: step_state(r, i) for i in ALL_IDS}
    assert DONE not in states.values()
    assert states["form"] is IP


def test_a_done_mark_finishes_a_step_that_is_not_filled() -> None:
    r = plans.mark_step(empty(), "feedback", done=True)
    assert step_state(r, "feedback") is DONE
    assert r.mark("feedback") is True
    assert r.mark("evaluation") is None


def test_a_done_mark_waits_for_errors_to_be_fixed() -> None:
    r = plans.mark_step(replace(complete(), activities=()), "goals", done=True)
    assert step_state(r, "goals") is IP
    assert keys(plans.step_errors(r, "goals")) == {"field.goal.activities.required"}
    assert step_state(replace(r, activities=complete().activities), "goals") is DONE
    # An empty form marked done is still wrong: the conversation needs questions.
    empty_form = plans.mark_step(empty(), "form", done=True)
    assert step_state(empty_form, "form") is IP


def test_hints_do_not_block_a_done_mark() -> None:
    r = replace(complete(), goals=(goal(strategy_item_ids=()),))
    r = plans.mark_step(r, "goals", done=True)
    assert plans.step_errors(r, "goals") == ()
    assert step_state(r, "goals") is DONE


def test_a_not_done_mark_keeps_a_filled_step_in_progress() -> None:
    r = plans.mark_step(complete(), "feedback", done=False)
    assert step_state(r, "feedback") is IP
    assert step_state(plans.mark_step(empty(), "feedback", done=False), "feedback") is NS
    assert step_state(plans.mark_step(r, "feedback", done=True), "feedback") is DONE


def test_marking_again_replaces_the_mark_and_unknown_steps_are_refused() -> None:
    r = plans.mark_step(plans.mark_step(empty(), "process", done=True), "process", done=False)
    assert r.step_marks == (StepMark("process", done=False),)
    with pytest.raises(KeyError):
        plans.mark_step(empty(), "nope", done=True)


def test_a_future_check_in_does_not_block_the_follow_up_mark() -> None:
    """Today's date is the check-in screen's concern; the record itself is fine."""
    r = complete()
    later = check_in("ci-2", TODAY + timedelta(days=400))
    r = plans.mark_step(plans.with_check_in(r, later), "follow_up", done=True)
    assert step_state(r, "follow_up") is DONE


def test_carry_forward_starts_without_marks() -> None:
    nxt = plans.carry_forward(complete(), new_id="c-2", now=NOW)
    assert nxt.step_marks == ()
    assert step_state(nxt, "strategy") is IP
    assert step_state(nxt, "form") is IP


@pytest.mark.parametrize(
    "change",
    [
        lambda r: replace(r, process_plan=replace(r.process_plan, summary_writer=None)),
        lambda r: replace(r, process_plan=replace(r.process_plan, follow_up_dates=())),
        lambda r: replace(r, conversation=replace(r.conversation, meeting_date=None)),
        lambda r: replace(r, conversation=replace(r.conversation, meeting_time="25:00")),
        lambda r: replace(r, process_plan=replace(r.process_plan, plan_agreed_by=date(2026, 1, 1))),
    ],
)
def test_process_is_in_progress_until_required_and_consistent(
    change: Callable[[ConversationRecord], ConversationRecord],
) -> None:
    r = change(complete())
    assert step_state(r, "process") is IP


def test_process_starts_with_any_field() -> None:
    r = empty()
    r = replace(r, conversation=replace(r.conversation, meeting_place="Lokale 2"))
    assert step_state(r, "process") is IP


def test_process_does_not_need_the_optional_dates() -> None:
    r = complete()
    r = replace(r, process_plan=replace(r.process_plan, prep_shared_by=None, plan_agreed_by=None))
    assert step_state(r, "process") is DONE


def test_form_with_a_blank_own_question_is_in_progress() -> None:
    r = complete()
    r = replace(r, form=replace(r.form, own_questions=(OwnQuestion("own-1", " "),)))
    assert step_state(r, "form") is IP


def test_preparation_is_done_when_every_chosen_question_has_a_note() -> None:
    r = complete()
    missing = replace(r.preparation, notes=r.preparation.notes[:1])
    assert step_state(replace(r, preparation=missing), "preparation") is IP


def test_preparation_is_done_when_notes_are_shared_even_if_some_are_missing() -> None:
    r = complete()
    shared = Preparation(notes=(PrepNote("A1", "a", NOW, shared=True),))
    assert step_state(replace(r, preparation=shared), "preparation") is DONE


def test_preparation_starts_with_wishes_or_course_wishes_or_a_last_plan_note() -> None:
    r = empty()
    assert step_state(replace(r, preparation=Preparation(wishes="x")), "preparation") is IP
    wish = CourseWish("course-1", "Kursus")
    assert (
        step_state(replace(r, preparation=Preparation(course_wishes=(wish,))), "preparation") is IP
    )
    carried = LastPlanFollowUp("g", "Mål", GoalKind.PERSONAL, ItemStatus.DONE)
    assert (
        step_state(replace(r, preparation=Preparation(last_plan=(carried,))), "preparation") is NS
    )
    noted = replace(carried, note="gik godt")
    assert step_state(replace(r, preparation=Preparation(last_plan=(noted,))), "preparation") is IP


def test_preparation_with_an_untitled_course_wish_is_not_done() -> None:
    r = complete()
    prep = replace(r.preparation, course_wishes=(CourseWish("course-1", ""),))
    r = replace(r, preparation=prep)
    assert step_state(r, "preparation") is IP
    assert keys(validate_step(r, "preparation", TODAY)) == {"field.course_wish.title.required"}


def test_dialogue_is_done_when_every_chosen_topic_is_covered() -> None:
    r = complete()
    half = MeetingNotes(topics=(TopicNote("A1", covered=True),))
    assert step_state(replace(r, meeting_notes=half), "dialogue") is IP
    assert step_state(replace(r, meeting_notes=MeetingNotes(summary="ref")), "dialogue") is IP
    assert step_state(replace(r, meeting_notes=MeetingNotes()), "dialogue") is NS


def test_feedback_needs_strengths_and_areas_to_develop() -> None:
    r = empty()
    assert step_state(replace(r, feedback=Feedback(given_to_leader="x")), "feedback") is IP
    assert step_state(replace(r, feedback=Feedback(strengths="x")), "feedback") is IP
    assert step_state(replace(r, feedback=Feedback("x", "y")), "feedback") is DONE


def test_goals_need_an_activity_each_and_no_errors() -> None:
    r = complete()
    assert step_state(replace(r, activities=()), "goals") is IP
    assert step_state(replace(r, goals=(goal(title=""),)), "goals") is IP
    assert step_state(replace(r, goals=(), activities=()), "goals") is NS


def test_goal_hints_do_not_keep_the_step_from_done() -> None:
    r = complete()
    r = replace(r, goals=(goal(strategy_item_ids=()),), activities=(activity(follow_up_when=None),))
    problems = validate_step(r, "goals", TODAY)
    assert problems
    assert {p.severity for p in problems} == {Severity.HINT}
    assert step_state(r, "goals") is DONE


def test_evaluation_needs_all_three_answers() -> None:
    r = empty()
    assert step_state(replace(r, evaluation=Evaluation("a", "", "")), "evaluation") is IP
    assert step_state(replace(r, evaluation=Evaluation("a", "b", "c")), "evaluation") is DONE


def test_follow_up_is_done_when_every_goal_is_closed() -> None:
    r = complete()
    later = check_in("ci-2", TODAY, (CheckInTarget.GOAL, "goal-1", ItemStatus.DONE))
    assert step_state(plans.with_check_in(r, later), "follow_up") is DONE
    assert step_state(replace(r, check_ins=()), "follow_up") is NS


def test_a_mini_mus_counts_as_follow_up() -> None:
    r = replace(complete(), check_ins=())
    mini = MiniMus("mini-1", check_in("ci-9", TODAY))
    assert step_state(plans.with_mini_mus(r, mini), "follow_up") is IP


# ---------------------------------------------------------------- validation keys


def test_conversation_header_needs_names_and_a_sane_year() -> None:
    r = empty()
    c = replace(r.conversation, employee_name=" ", leader_name="", year=1999)
    assert keys(plans.validate_conversation(c)) == {
        "field.conversation.employee_name.required",
        "field.conversation.leader_name.required",
        "field.conversation.year.invalid",
    }


@pytest.mark.parametrize("value", ["10:00", "00:00", "23:59", ""])
def test_meeting_time_accepts_hh_mm_or_empty(value: str) -> None:
    r = complete()
    r = replace(r, conversation=replace(r.conversation, meeting_time=value))
    assert validate_step(r, "process", TODAY) == ()


@pytest.mark.parametrize("value", ["24:00", "9:00", "10.00", "ti", "10:60"])
def test_meeting_time_rejects_anything_else(value: str) -> None:
    r = complete()
    r = replace(r, conversation=replace(r.conversation, meeting_time=value))
    assert keys(validate_step(r, "process", TODAY)) == {"field.conversation.meeting_time.invalid"}


def test_process_dates_must_fit_around_the_meeting() -> None:
    plan = ProcessPlan(
        prep_shared_by=MEETING + timedelta(days=1),
        plan_agreed_by=MEETING - timedelta(days=1),
        follow_up_dates=(MEETING,),
    )
    c = replace(empty().conversation, meeting_date=MEETING)
    assert keys(plans.validate_process(c, plan)) == {
        "field.process.prep_shared_by.after_meeting",
        "field.process.plan_agreed_by.before_meeting",
        "field.process.follow_up_dates.before_meeting",
    }
    assert plans.validate_process(replace(c, meeting_date=None), plan) == ()


def test_form_problems() -> None:
    assert keys(plans.validate_form(ConversationForm())) == {"field.form.questions.required"}
    form = ConversationForm(
        question_ids=("A1", "A1", "ZZ", "own-1"), own_questions=(OwnQuestion("own-1", ""),)
    )
    problems = plans.validate_form(form)
    assert keys(problems) == {
        "field.form.questions.duplicate",
        "field.form.questions.unknown",
        "field.form.own_question.text.required",
    }
    assert {p.subject_id for p in problems} == {"A1", "ZZ", "own-1"}


def test_strategy_item_needs_text() -> None:
    problems = plans.validate_strategy_item(StrategyItem("s", StrategyKind.UNIT_TASK, ""))
    assert problems == (
        Problem("strategy_item.text", "field.strategy_item.text.required", subject_id="s"),
    )


def test_goal_needs_title_and_success_signs_and_known_strategy_links() -> None:
    g = Goal("g", GoalKind.PERSONAL, "", strategy_item_ids=("gone",))
    problems = plans.validate_goal(g, ["strategy-1"])
    assert keys(problems) == {
        "field.goal.title.required",
        "field.goal.success_signs.required",
        "field.goal.strategy_items.unknown",
    }
    assert all(p.subject_id == "g" and p.field.startswith("goal.") for p in problems)


def test_an_unanchored_goal_gets_a_hint() -> None:
    problems = plans.validate_goal(goal(strategy_item_ids=()), [])
    assert problems == (
        Problem(
            "goal.strategy_items",
            "hint.goal.strategy_items.missing",
            "goal-1",
            Severity.HINT,
        ),
    )


def test_activity_needs_goal_description_when_and_a_named_other() -> None:
    a = Activity("a", "gone", ActivityKind.OTHER, description=" ", responsible=Responsible.OTHER)
    assert keys(plans.validate_activity(a, ["goal-1"])) == {
        "field.activity.goal_id.unknown",
        "field.activity.description.required",
        "field.activity.responsible_other.required",
        "field.activity.when.required",
        "hint.activity.follow_up_when.missing",
    }
    named = replace(a, responsible_other="HR", goal_id="goal-1", description="x", when=TODAY)
    assert keys(plans.validate_activity(named, ["goal-1"])) == {
        "hint.activity.follow_up_when.missing"
    }


def test_a_new_activity_cannot_start_in_the_past_but_an_old_one_may() -> None:
    past = activity(when=TODAY - timedelta(days=1))
    assert keys(plans.validate_activity(past, ["goal-1"], today=TODAY, is_new=True)) == {
        "field.activity.when.past"
    }
    assert plans.validate_activity(past, ["goal-1"], today=TODAY) == ()
    today = activity(when=TODAY)
    assert plans.validate_activity(today, ["goal-1"], today=TODAY, is_new=True) == ()


@given(st.dates(), st.dates())
def test_is_in_past_is_strictly_before_today(day: date, today: date) -> None:
    assert plans.is_in_past(day, today) == (day < today)
    assert not plans.is_in_past(None, today)


def test_more_than_three_goals_gets_a_hint_with_the_count() -> None:
    r = complete()
    assert "hint.goals.too_many" not in keys(validate_step(r, "goals", TODAY))
    many = tuple(goal(f"goal-{i}") for i in range(1, 5))
    acts = tuple(activity(f"activity-{i}", f"goal-{i}") for i in range(1, 5))
    problems = validate_step(replace(r, goals=many, activities=acts), "goals", TODAY)
    (hint,) = problems
    assert hint.key == "hint.goals.too_many"
    assert hint.severity is Severity.HINT
    assert hint.kwargs == {"count": 4}


def test_a_goal_without_activities_is_an_error() -> None:
    r = replace(complete(), activities=())
    assert keys(validate_step(r, "goals", TODAY)) == {"field.goal.activities.required"}


def test_check_ins_cannot_be_in_the_future_or_name_unknown_items() -> None:
    r = complete()
    bad = check_in("ci-2", TODAY + timedelta(days=1), (CheckInTarget.GOAL, "gone", ItemStatus.DONE))
    r = plans.with_mini_mus(r, MiniMus("m", bad))
    assert keys(validate_step(r, "follow_up", TODAY)) == {
        "field.check_in.on.future",
        "field.check_in.items.unknown",
    }


def test_every_key_follows_the_catalog_pattern() -> None:
    r = replace(
        empty(),
        conversation=replace(empty().conversation, employee_name="", meeting_time="x"),
        strategy_items=(StrategyItem("s", StrategyKind.UNIT_TASK, ""),),
        goals=tuple(goal(f"goal-{i}", title="") for i in range(5)),
        activities=(Activity("a", "gone", ActivityKind.OTHER, responsible=Responsible.OTHER),),
    )
    for p in validate_record(r, TODAY):
        prefix = "field" if p.severity is Severity.ERROR else "hint"
        assert p.key.startswith(f"{prefix}.{p.field}."), p


# ---------------------------------------------------------------- status and the plan


def test_goal_status_prefers_its_own_latest_check_in() -> None:
    r = replace(
        complete(),
        check_ins=(
            check_in("b", date(2026, 6, 1), (CheckInTarget.GOAL, "goal-1", ItemStatus.CHANGED)),
            check_in("a", date(2026, 5, 1), (CheckInTarget.GOAL, "goal-1", ItemStatus.DONE)),
        ),
    )
    assert plans.goal_status(r, "goal-1") is ItemStatus.CHANGED


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ((), ItemStatus.NOT_STARTED),
        ((ItemStatus.NOT_STARTED, ItemStatus.NOT_STARTED), ItemStatus.NOT_STARTED),
        ((ItemStatus.DONE, ItemStatus.NOT_STARTED), ItemStatus.UNDER_WAY),
        ((ItemStatus.DONE, ItemStatus.DROPPED), ItemStatus.DONE),
        ((ItemStatus.DROPPED, ItemStatus.DROPPED), ItemStatus.DROPPED),
        ((ItemStatus.CHANGED, ItemStatus.NOT_STARTED), ItemStatus.UNDER_WAY),
    ],
)
def test_goal_status_is_derived_from_activities_when_not_given(
    statuses: tuple[ItemStatus, ...], expected: ItemStatus
) -> None:
    acts = (activity("activity-1"), activity("activity-2"))
    items = tuple(
        (CheckInTarget.ACTIVITY, f"activity-{i}", s) for i, s in enumerate(statuses, start=1)
    )
    r = replace(complete(), activities=acts, check_ins=(check_in("c", TODAY, *items),))
    assert plans.goal_status(r, "goal-1") is expected


def test_a_later_mini_mus_overrides_an_earlier_check_in() -> None:
    r = complete()
    mini = MiniMus(
        "m",
        check_in(
            "ci-9",
            TODAY + timedelta(days=1),
            (CheckInTarget.ACTIVITY, "activity-1", ItemStatus.DONE),
        ),
    )
    r = plans.with_mini_mus(r, mini)
    assert plans.activity_status(r, "activity-1") is ItemStatus.DONE
    assert plans.activity_status(r, "unknown") is ItemStatus.NOT_STARTED


def test_build_plan_orders_activities_by_goal_then_date() -> None:
    r = replace(
        complete(),
        goals=(goal("goal-2"), goal("goal-1")),
        activities=(
            activity("a", "goal-1", when=date(2026, 4, 1)),
            activity("b", "goal-2", when=None),
            activity("c", "goal-2", when=date(2026, 9, 1)),
            activity("d", "goal-1", when=date(2026, 3, 20)),
            activity("e", "orphan", when=date(2026, 1, 1)),
        ),
    )
    plan = plans.build_plan(r)
    assert [a.id for a in plan.activities] == ["c", "b", "d", "a", "e"]
    assert [a.id for a in plan.activities_for("goal-1")] == ["d", "a"]
    assert plan.goals == r.goals
    assert plan.agreed_on == r.process_plan.plan_agreed_by
    assert (plan.conversation_id, plan.year, plan.employee_name) == ("c-1", 2026, "Sofie")


def test_carry_forward_turns_goals_into_the_follow_up_list() -> None:
    last = plans.with_check_in(
        complete(),
        CheckIn(
            "ci-2",
            TODAY,
            (CheckInItem(CheckInTarget.GOAL, "goal-1", ItemStatus.DONE, note="Nået"),),
        ),
    )
    later = NOW + timedelta(days=365)
    new = plans.carry_forward(last, new_id="c-2", now=later)
    c = new.conversation
    assert (c.id, c.year, c.previous_id, c.created_at) == ("c-2", 2027, "c-1", later)
    assert (c.employee_name, c.leader_name, c.unit) == ("Sofie", "Lars", "Enhed")
    assert c.meeting_date is None
    assert c.example is False
    assert new.preparation.last_plan == (
        LastPlanFollowUp("goal-1", "Mål", GoalKind.PROFESSIONAL, ItemStatus.DONE, "Nået"),
    )
    assert not (new.goals or new.activities)
    assert not new.check_ins
    assert new.strategy_items == last.strategy_items
    assert new.process_plan == ProcessPlan(summary_writer=Party.EMPLOYEE)
    assert new.form.question_ids[0] == plans.LAST_PLAN_QUESTION_ID
    assert set(last.form.question_ids) <= set(new.form.question_ids)
    assert plans.build_plan(new).last_plan == new.preparation.last_plan


def test_carry_forward_keeps_a_form_that_already_asks_about_the_last_plan() -> None:
    last = replace(complete(), form=ConversationForm(question_ids=("B1", "A5")))
    new = plans.carry_forward(last, new_id="c-2", now=NOW, year=2030)
    assert new.form.question_ids == ("B1", "A5")
    assert new.conversation.year == 2030


def test_carry_forward_of_an_example_is_not_an_example() -> None:
    last = complete()
    last = replace(last, conversation=replace(last.conversation, example=True))
    assert plans.carry_forward(last, new_id="x", now=NOW).conversation.example is False


# ---------------------------------------------------------------- editing


def test_next_id_counts_past_the_highest_number_of_its_prefix() -> None:
    assert plans.next_id("goal", []) == "goal-1"
    assert plans.next_id("goal", ["goal-1", "goal-7", "goal-x", "activity-9"]) == "goal-8"


@given(st.lists(st.integers(1, 50).map(lambda n: f"goal-{n}"), max_size=10))
def test_next_id_is_always_fresh(existing: list[str]) -> None:
    assert plans.next_id("goal", existing) not in existing


def test_new_ids_for_the_record() -> None:
    r = complete()
    assert plans.new_goal_id(r) == "goal-2"
    assert plans.new_activity_id(r) == "activity-2"
    assert plans.new_strategy_item_id(r) == "strategy-2"


def test_with_goal_adds_and_replaces_in_place() -> None:
    r = plans.with_goal(complete(), goal("goal-2", title="To"))
    r = plans.with_goal(r, goal("goal-1", title="Ny"))
    assert [(g.id, g.title) for g in r.goals] == [("goal-1", "Ny"), ("goal-2", "To")]


def test_without_goal_removes_its_activities_but_not_history() -> None:
    r = plans.with_activity(complete(), activity("activity-2", "goal-2"))
    r = plans.without_goal(r, "goal-1")
    assert r.goals == ()
    assert [a.id for a in r.activities] == ["activity-2"]
    assert r.check_ins == complete().check_ins


def test_with_and_without_activity() -> None:
    r = plans.with_activity(complete(), activity(description="Ny"))
    assert [a.description for a in r.activities] == ["Ny"]
    assert plans.without_activity(r, "activity-1").activities == ()


def test_without_strategy_item_unlinks_goals() -> None:
    r = plans.with_strategy_item(
        complete(), StrategyItem("strategy-2", StrategyKind.WORKPLACE_GOAL, "Mål")
    )
    r = plans.with_goal(r, goal(strategy_item_ids=("strategy-1", "strategy-2")))
    r = plans.without_strategy_item(r, "strategy-1")
    assert [s.id for s in r.strategy_items] == ["strategy-2"]
    assert r.goals[0].strategy_item_ids == ("strategy-2",)
    assert validate_step(r, "goals", TODAY) == ()


def test_with_check_in_and_mini_mus_replace_by_id() -> None:
    r = plans.with_check_in(complete(), check_in("ci-1", TODAY - timedelta(days=1)))
    assert [c.on for c in r.check_ins] == [TODAY - timedelta(days=1)]
    r = plans.with_mini_mus(r, MiniMus("m", check_in("x", TODAY)))
    r = plans.with_mini_mus(r, MiniMus("m", check_in("x", TODAY), new_initiatives="ny"))
    assert [m.new_initiatives for m in r.mini_mus] == ["ny"]


def test_drop_question_forgets_an_own_questions_notes_but_keeps_a_bank_questions() -> None:
    r = plans.drop_question(complete(), "own-1")
    assert r.form.question_ids == ("A1",)
    assert [n.question_id for n in r.preparation.notes] == ["A1"]
    assert [t.question_id for t in r.meeting_notes.topics] == ["A1"]
    r = plans.drop_question(r, "A1")
    assert r.form.question_ids == ()
    assert [n.question_id for n in r.preparation.notes] == ["A1"]


def test_problem_keys_lists_exactly_what_validation_emits() -> None:
    r = empty()
    broken = replace(
        r,
        conversation=replace(
            r.conversation,
            employee_name="",
            leader_name="",
            year=1999,
            meeting_time="x",
            meeting_date=MEETING,
        ),
        process_plan=ProcessPlan(
            prep_shared_by=MEETING + timedelta(days=1),
            plan_agreed_by=MEETING - timedelta(days=1),
            follow_up_dates=(MEETING,),
        ),
        strategy_items=(StrategyItem("s", StrategyKind.UNIT_TASK, ""),),
        form=ConversationForm(
            question_ids=("A1", "A1", "ZZ", "own-1"), own_questions=(OwnQuestion("own-1", ""),)
        ),
        preparation=Preparation(course_wishes=(CourseWish("course-1", ""),)),
        goals=(
            Goal("g1", GoalKind.PERSONAL, "", strategy_item_ids=("gone",)),
            Goal("g2", GoalKind.PERSONAL, "x"),
            Goal("g3", GoalKind.PERSONAL, "x"),
            Goal("g4", GoalKind.PERSONAL, "x"),
        ),
        activities=(Activity("a", "gone", ActivityKind.OTHER, responsible=Responsible.OTHER),),
        check_ins=(
            check_in("c", TODAY + timedelta(days=1), (CheckInTarget.GOAL, "x", ItemStatus.DONE)),
        ),
    )
    emitted = (
        keys(validate_record(broken, TODAY))
        | keys(plans.validate_form(ConversationForm()))
        | keys(
            plans.validate_activity(
                activity(when=date(2000, 1, 1)), ["goal-1"], today=TODAY, is_new=True
            )
        )
    )
    assert emitted == plans.PROBLEM_KEYS


# ---------------------------------------------------------------- course wishes


def test_course_wishes_are_added_edited_removed_and_restored_in_place() -> None:
    r = empty()
    ids = []
    for title in ("Excel", "Konflikthåndtering", "Diplom"):
        wish = CourseWish(plans.new_course_wish_id(r), title)
        ids.append(wish.id)
        r = plans.with_course_wish(r, wish)
    assert ids == ["course-1", "course-2", "course-3"]
    r = plans.with_course_wish(r, CourseWish("course-2", "Konflikter", cost="4.500 kr."))
    middle = r.preparation.course_wishes[1]
    assert (middle.title, middle.cost) == ("Konflikter", "4.500 kr.")
    gone = plans.without_course_wish(r, "course-2")
    assert [w.id for w in gone.preparation.course_wishes] == ["course-1", "course-3"]
    back = plans.restore_course_wish(gone, middle, 1)
    assert back.preparation.course_wishes == r.preparation.course_wishes
    # Undo twice, or after the list shrank: never a duplicate, never out of range.
    assert plans.restore_course_wish(back, middle, 1) == back
    emptied = plans.without_course_wish(plans.without_course_wish(gone, "course-1"), "course-3")
    assert plans.restore_course_wish(emptied, middle, 5).preparation.course_wishes == (middle,)
    assert plans.without_course_wish(r, "nope") == r


def test_removing_the_untitled_course_wish_lets_preparation_be_done() -> None:
    r = complete()
    r = plans.with_course_wish(r, CourseWish("course-1", ""))
    assert step_state(r, "preparation") is IP
    assert step_state(plans.without_course_wish(r, "course-1"), "preparation") is DONE

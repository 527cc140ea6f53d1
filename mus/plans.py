"""Plan rules: how far each step is, what is missing, the plan, and next year's start.

The point of the app is that nothing agreed is forgotten, so the rules live
here, pure and tested, not in screens: when a step counts as done, which
fields a goal or activity needs, how the agreed plan is built, and how last
year's goals become this year's follow-up list with their latest status.

Problems are catalog keys (``field.<entity>.<field>.<rule>`` for errors,
``hint.<…>`` for advice); the UI translates them and puts them next to the
field named by :attr:`Problem.field`.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TypeVar

from mus.model import (
    Activity,
    CheckIn,
    CheckInTarget,
    Conversation,
    ConversationForm,
    ConversationRecord,
    CourseWish,
    DevelopmentPlan,
    Goal,
    ItemStatus,
    LastPlanFollowUp,
    MiniMus,
    Preparation,
    ProcessPlan,
    Responsible,
    StepMark,
    StrategyItem,
)
from mus.questions import find_question, remove_question
from mus.wheel import ELEMENTS, STRATEGY, StepState, element

#: More goals than this earns a hint: the plan should focus on 2–3 needs.
SUGGESTED_MAX_GOALS = 3
#: Opens the new conversation with follow-up on the old plan.
LAST_PLAN_QUESTION_ID = "A5"
#: Statuses after which a goal or activity needs no more follow-up.
CLOSED: frozenset[ItemStatus] = frozenset({ItemStatus.DONE, ItemStatus.DROPPED})

#: Every catalog key a problem can carry, for the translation catalogs' completeness test.
PROBLEM_KEYS: frozenset[str] = frozenset(
    {
        "field.conversation.employee_name.required",
        "field.conversation.leader_name.required",
        "field.conversation.year.invalid",
        "field.conversation.meeting_time.invalid",
        "field.strategy_item.text.required",
        "field.process.prep_shared_by.after_meeting",
        "field.process.plan_agreed_by.before_meeting",
        "field.process.follow_up_dates.before_meeting",
        "field.form.questions.required",
        "field.form.questions.duplicate",
        "field.form.questions.unknown",
        "field.form.own_question.text.required",
        "field.course_wish.title.required",
        "field.goal.title.required",
        "field.goal.success_signs.required",
        "field.goal.strategy_items.unknown",
        "field.goal.activities.required",
        "field.activity.goal_id.unknown",
        "field.activity.description.required",
        "field.activity.responsible_other.required",
        "field.activity.when.required",
        "field.activity.when.past",
        "field.check_in.on.future",
        "field.check_in.items.unknown",
        "hint.goal.strategy_items.missing",
        "hint.activity.follow_up_when.missing",
        "hint.goals.too_many",  # {count}
    }
)

_TIME = re.compile(r"(?:[01]\d|2[0-3]):[0-5]\d")
_YEARS = range(2000, 2101)


class Severity(enum.StrEnum):
    """An error keeps a step from being done; a hint is advice only."""

    ERROR = "error"
    HINT = "hint"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing to fix or consider, keyed for the translation catalogs."""

    field: str  # field id, e.g. "goal.title"
    key: str  # catalog key, e.g. "field.goal.title.required"
    subject_id: str = ""  # the goal, activity ... it is about; "" for the record
    severity: Severity = Severity.ERROR
    params: tuple[tuple[str, int | str], ...] = ()

    @property
    def kwargs(self) -> dict[str, int | str]:
        """The catalog text's ``{placeholders}``."""
        return dict(self.params)


def _error(field: str, rule: str, subject_id: str = "") -> Problem:
    return Problem(field, f"field.{field}.{rule}", subject_id)


def _hint(field: str, rule: str, subject_id: str = "", **params: int | str) -> Problem:
    return Problem(field, f"hint.{field}.{rule}", subject_id, Severity.HINT, tuple(params.items()))


def errors(problems: Iterable[Problem]) -> tuple[Problem, ...]:
    return tuple(p for p in problems if p.severity is Severity.ERROR)


def _blank(text: str) -> bool:
    return not text.strip()


# ---------------------------------------------------------------- validation


def is_in_past(day: date | None, today: date) -> bool:
    return day is not None and day < today


def validate_conversation(conversation: Conversation) -> tuple[Problem, ...]:
    """Who and which year: the header, entered when the conversation is created."""
    c = conversation
    problems: list[Problem] = []
    if _blank(c.employee_name):
        problems.append(_error("conversation.employee_name", "required"))
    if _blank(c.leader_name):
        problems.append(_error("conversation.leader_name", "required"))
    if c.year not in _YEARS:
        problems.append(_error("conversation.year", "invalid"))
    return tuple(problems)


def validate_strategy_item(item: StrategyItem) -> tuple[Problem, ...]:
    if _blank(item.text):
        return (_error("strategy_item.text", "required", item.id),)
    return ()


def validate_process(conversation: Conversation, plan: ProcessPlan) -> tuple[Problem, ...]:
    """The meeting's time, and dates that fit around it: prep before, plan and follow-up after."""
    problems: list[Problem] = []
    if conversation.meeting_time and not _TIME.fullmatch(conversation.meeting_time):
        problems.append(_error("conversation.meeting_time", "invalid"))
    meeting_date = conversation.meeting_date
    if meeting_date is None:
        return tuple(problems)
    if plan.prep_shared_by is not None and plan.prep_shared_by > meeting_date:
        problems.append(_error("process.prep_shared_by", "after_meeting"))
    if plan.plan_agreed_by is not None and plan.plan_agreed_by < meeting_date:
        problems.append(_error("process.plan_agreed_by", "before_meeting"))
    if any(d <= meeting_date for d in plan.follow_up_dates):
        problems.append(_error("process.follow_up_dates", "before_meeting"))
    return tuple(problems)


def validate_form(form: ConversationForm) -> tuple[Problem, ...]:
    problems: list[Problem] = []
    if not form.question_ids:
        problems.append(_error("form.questions", "required"))
    seen: set[str] = set()
    for qid in form.question_ids:
        if qid in seen:
            problems.append(_error("form.questions", "duplicate", qid))
        seen.add(qid)
        own = form.own(qid)
        if own is None and find_question(qid) is None:
            problems.append(_error("form.questions", "unknown", qid))
        elif own is not None and _blank(own.text):
            problems.append(_error("form.own_question.text", "required", qid))
    return tuple(problems)


def validate_preparation(preparation: Preparation) -> tuple[Problem, ...]:
    return tuple(
        _error("course_wish.title", "required", w.id)
        for w in preparation.course_wishes
        if _blank(w.title)
    )


def validate_goal(goal: Goal, strategy_item_ids: Iterable[str] = ()) -> tuple[Problem, ...]:
    """A goal needs a title and the signs that show it is reached; it should be anchored."""
    known = frozenset(strategy_item_ids)
    problems: list[Problem] = []
    if _blank(goal.title):
        problems.append(_error("goal.title", "required", goal.id))
    if _blank(goal.success_signs):
        problems.append(_error("goal.success_signs", "required", goal.id))
    if any(sid not in known for sid in goal.strategy_item_ids):
        problems.append(_error("goal.strategy_items", "unknown", goal.id))
    if not goal.strategy_item_ids:
        problems.append(_hint("goal.strategy_items", "missing", goal.id))
    return tuple(problems)


def validate_activity(
    activity: Activity,
    goal_ids: Iterable[str],
    *,
    today: date | None = None,
    is_new: bool = False,
) -> tuple[Problem, ...]:
    """An activity needs what, when and who; a new one cannot start in the past.

    ``today`` matters only for a new activity: an old one's date has simply passed.
    """
    a = activity
    problems: list[Problem] = []
    if a.goal_id not in frozenset(goal_ids):
        problems.append(_error("activity.goal_id", "unknown", a.id))
    if _blank(a.description):
        problems.append(_error("activity.description", "required", a.id))
    if a.responsible is Responsible.OTHER and _blank(a.responsible_other):
        problems.append(_error("activity.responsible_other", "required", a.id))
    if a.when is None:
        problems.append(_error("activity.when", "required", a.id))
    elif is_new and today is not None and is_in_past(a.when, today):
        problems.append(_error("activity.when", "past", a.id))
    if a.follow_up_when is None:
        problems.append(_hint("activity.follow_up_when", "missing", a.id))
    return tuple(problems)


def validate_goals(record: ConversationRecord) -> tuple[Problem, ...]:
    """The plan as a whole: every goal valid and with an activity; focus on 2–3 goals."""
    strategy_ids = tuple(s.id for s in record.strategy_items)
    goal_ids = tuple(g.id for g in record.goals)
    problems: list[Problem] = []
    if len(record.goals) > SUGGESTED_MAX_GOALS:
        problems.append(_hint("goals", "too_many", count=len(record.goals)))
    for goal in record.goals:
        problems.extend(validate_goal(goal, strategy_ids))
        if not record.activities_for(goal.id):
            problems.append(_error("goal.activities", "required", goal.id))
    for activity in record.activities:
        problems.extend(validate_activity(activity, goal_ids))
    return tuple(problems)


def validate_check_in(
    check_in: CheckIn, record: ConversationRecord, today: date
) -> tuple[Problem, ...]:
    """A check-in records what happened, so it cannot be dated in the future."""
    problems: list[Problem] = []
    if check_in.on > today:
        problems.append(_error("check_in.on", "future", check_in.id))
    for item in check_in.items:
        found = (
            record.goal(item.target_id)
            if item.target is CheckInTarget.GOAL
            else record.activity(item.target_id)
        )
        if found is None:
            problems.append(_error("check_in.items", "unknown", check_in.id))
            break
    return tuple(problems)


def validate_step(record: ConversationRecord, element_id: str, today: date) -> tuple[Problem, ...]:
    """The problems shown on one step's screen; ``KeyError`` for an unknown step."""
    element(element_id)
    check = _STEP_CHECKS.get(element_id)
    return () if check is None else check(record, today)


_STEP_CHECKS: dict[str, Callable[[ConversationRecord, date], tuple[Problem, ...]]] = {
    "strategy": lambda r, _: tuple(p for s in r.strategy_items for p in validate_strategy_item(s)),
    "process": lambda r, _: validate_process(r.conversation, r.process_plan),
    "form": lambda r, _: validate_form(r.form),
    "preparation": lambda r, _: validate_preparation(r.preparation),
    "goals": lambda r, _: validate_goals(r),
    "follow_up": lambda r, today: tuple(
        p for c in r.all_check_ins() for p in validate_check_in(c, r, today)
    ),
}


def validate_record(record: ConversationRecord, today: date) -> tuple[Problem, ...]:
    """Every problem of the conversation: its header, then each step in wheel order."""
    steps = (p for e in (STRATEGY, *ELEMENTS) for p in validate_step(record, e.id, today))
    return (*validate_conversation(record.conversation), *steps)


# ---------------------------------------------------------------- step state


def _state(started: bool, done: bool) -> StepState:
    if done:
        return StepState.DONE
    return StepState.IN_PROGRESS if started else StepState.NOT_STARTED


def step_state(record: ConversationRecord, element_id: str) -> StepState:
    """How far one step is: the user's own mark first, else what has been filled in.

    Done means the user marked the step done, or (without a mark) filled what
    it needs; either way it has no errors (hints do not count). A step that
    can arrive filled in (the suggested form, last year's strategy) is done
    only when marked. Marked not done, it is never done. In progress means
    anything has been entered, or a done mark waits for an error to be fixed.
    ``KeyError`` for an unknown element id.
    """
    element(element_id)
    filled = _STATE_RULES[element_id](record)
    mark = record.mark(element_id)
    if mark is None:
        return filled
    if mark and not step_errors(record, element_id):
        return StepState.DONE
    if mark or filled is StepState.DONE:
        return StepState.IN_PROGRESS
    return filled


def step_errors(record: ConversationRecord, element_id: str) -> tuple[Problem, ...]:
    """The errors that keep a step from being done, whatever the user marked.

    Only what is wrong in the record itself: a check-in dated in the future is
    a question of today's date, and the check-in screen refuses it anyway.
    """
    return errors(validate_step(record, element_id, date.max))


def mark_step(record: ConversationRecord, element_id: str, done: bool) -> ConversationRecord:
    """Record the user's word on one step; ``KeyError`` for an unknown element id."""
    element(element_id)
    marks = _put(record.step_marks, StepMark(element_id, done), lambda m: m.step_id)
    return replace(record, step_marks=marks)


def _strategy_state(r: ConversationRecord) -> StepState:
    """Last year's strategy is carried into a new conversation: done only when marked."""
    return _state(bool(r.strategy_items), done=False)


def _process_state(r: ConversationRecord) -> StepState:
    c, p = r.conversation, r.process_plan
    entered = (
        c.meeting_date,
        c.meeting_time or None,
        c.meeting_place or None,
        p.summary_writer,
        p.prep_shared_by,
        p.plan_agreed_by,
        p.follow_up_dates or None,
    )
    required = (c.meeting_date, p.summary_writer, p.follow_up_dates or None)
    done = all(v is not None for v in required) and not validate_process(c, p)
    return _state(any(v is not None for v in entered), done)


def _form_state(r: ConversationRecord) -> StepState:
    """A new conversation starts with a suggested form: done only when marked."""
    return _state(bool(r.form.question_ids or r.form.own_questions), done=False)


def _preparation_state(r: ConversationRecord) -> StepState:
    """Done when every chosen question has a note, or when notes have been shared:
    sharing the main topics with the leader is the process's own end of preparing."""
    prep = r.preparation
    written = {n.question_id for n in prep.notes if not _blank(n.text)}
    started = bool(
        written
        or not _blank(prep.wishes)
        or prep.course_wishes
        or any(not _blank(f.note) for f in prep.last_plan)
    )
    chosen = r.form.question_ids
    complete = bool(chosen) and set(chosen) <= written
    shared = any(n.shared and not _blank(n.text) for n in prep.notes)
    done = (complete or shared) and not validate_preparation(prep)
    return _state(started, done)


def _dialogue_state(r: ConversationRecord) -> StepState:
    notes = r.meeting_notes
    started = not _blank(notes.summary) or any(
        t.covered or not _blank(t.said) for t in notes.topics
    )
    covered = {t.question_id for t in notes.topics if t.covered}
    chosen = r.form.question_ids
    return _state(started, bool(chosen) and set(chosen) <= covered)


def _feedback_state(r: ConversationRecord) -> StepState:
    f = r.feedback
    texts = (f.strengths, f.areas_to_develop, f.given_to_leader)
    return _state(
        any(not _blank(t) for t in texts),
        not _blank(f.strengths) and not _blank(f.areas_to_develop),
    )


def _goals_state(r: ConversationRecord) -> StepState:
    started = bool(r.goals or r.activities)
    return _state(started, bool(r.goals) and not errors(validate_goals(r)))


def _evaluation_state(r: ConversationRecord) -> StepState:
    e = r.evaluation
    texts = (e.most_valuable, e.what_made_it_constructive, e.better_next_time)
    return _state(any(not _blank(t) for t in texts), all(not _blank(t) for t in texts))


def _follow_up_state(r: ConversationRecord) -> StepState:
    started = bool(r.check_ins or r.mini_mus)
    closed = bool(r.goals) and all(goal_status(r, g.id) in CLOSED for g in r.goals)
    return _state(started, started and closed)


_STATE_RULES: dict[str, Callable[[ConversationRecord], StepState]] = {
    "strategy": _strategy_state,
    "process": _process_state,
    "form": _form_state,
    "preparation": _preparation_state,
    "dialogue": _dialogue_state,
    "feedback": _feedback_state,
    "goals": _goals_state,
    "evaluation": _evaluation_state,
    "follow_up": _follow_up_state,
}


# ---------------------------------------------------------------- follow-up status


def latest_status(
    record: ConversationRecord, target: CheckInTarget, target_id: str
) -> ItemStatus | None:
    """The status at the latest check-in (own or mini-MUS) that mentions the target."""
    status: ItemStatus | None = None
    for check_in in record.all_check_ins():
        for item in check_in.items:
            if item.target is target and item.target_id == target_id:
                status = item.status
    return status


def activity_status(record: ConversationRecord, activity_id: str) -> ItemStatus:
    found = latest_status(record, CheckInTarget.ACTIVITY, activity_id)
    return found or ItemStatus.NOT_STARTED


def goal_status(record: ConversationRecord, goal_id: str) -> ItemStatus:
    """The goal's own latest status, or else what its activities add up to.

    Many check-ins only touch activities; deriving keeps the goal's status
    honest without asking twice.
    """
    own = latest_status(record, CheckInTarget.GOAL, goal_id)
    if own is not None:
        return own
    statuses = [activity_status(record, a.id) for a in record.activities_for(goal_id)]
    live = [s for s in statuses if s is not ItemStatus.DROPPED]
    if statuses and not live:
        return ItemStatus.DROPPED
    if live and all(s is ItemStatus.DONE for s in live):
        return ItemStatus.DONE
    if any(s is not ItemStatus.NOT_STARTED for s in live):
        return ItemStatus.UNDER_WAY
    return ItemStatus.NOT_STARTED


def _latest_goal_note(record: ConversationRecord, goal_id: str) -> str:
    note = ""
    for check_in in record.all_check_ins():
        for item in check_in.items:
            if item.target is CheckInTarget.GOAL and item.target_id == goal_id and item.note:
                note = item.note
    return note


# ---------------------------------------------------------------- the plan


def build_plan(record: ConversationRecord) -> DevelopmentPlan:
    """The agreed plan: goals in the user's order, each goal's activities by date."""
    order = {g.id: i for i, g in enumerate(record.goals)}

    def key(a: Activity) -> tuple[int, int, date]:
        return (order.get(a.goal_id, len(order)), a.when is None, a.when or date.max)

    c = record.conversation
    return DevelopmentPlan(
        conversation_id=c.id,
        year=c.year,
        employee_name=c.employee_name,
        leader_name=c.leader_name,
        goals=record.goals,
        activities=tuple(sorted(record.activities, key=key)),
        last_plan=record.preparation.last_plan,
        agreed_on=record.process_plan.plan_agreed_by,
    )


def last_plan_follow_up(record: ConversationRecord) -> tuple[LastPlanFollowUp, ...]:
    """One line per goal of ``record`` with its latest status, for next year."""
    return tuple(
        LastPlanFollowUp(
            goal_id=g.id,
            goal_title=g.title,
            goal_kind=g.kind,
            status=goal_status(record, g.id),
            note=_latest_goal_note(record, g.id),
        )
        for g in record.goals
    )


def carry_forward(
    last: ConversationRecord, *, new_id: str, now: datetime, year: int | None = None
) -> ConversationRecord:
    """Start next year's conversation from last year's, so it never starts from zero.

    Kept: names, unit, strategy (to revise), the form (opening with how the last
    plan went), who writes the summary. New: everything about this year's meeting.
    Last year's goals become the preparation's follow-up list.
    """
    old = last.conversation
    conversation = Conversation(
        id=new_id,
        year=old.year + 1 if year is None else year,
        employee_name=old.employee_name,
        leader_name=old.leader_name,
        unit=old.unit,
        created_at=now,
        updated_at=now,
        previous_id=old.id,
    )
    form = last.form
    if LAST_PLAN_QUESTION_ID not in form.question_ids:
        form = replace(form, question_ids=(LAST_PLAN_QUESTION_ID, *form.question_ids))
    return ConversationRecord(
        conversation=conversation,
        strategy_items=last.strategy_items,
        process_plan=ProcessPlan(summary_writer=last.process_plan.summary_writer),
        form=form,
        preparation=Preparation(last_plan=last_plan_follow_up(last)),
    )


# ---------------------------------------------------------------- editing


_T = TypeVar("_T")


def _put(items: tuple[_T, ...], item: _T, key: Callable[[_T], str]) -> tuple[_T, ...]:
    k = key(item)
    if any(key(x) == k for x in items):
        return tuple(item if key(x) == k else x for x in items)
    return (*items, item)


def next_id(prefix: str, existing: Iterable[str]) -> str:
    """``prefix-N`` with N one more than any number already used with that prefix.

    Deterministic, so demo data and golden files stay stable; ids only need to
    be unique inside one record.
    """
    numbers = (s.removeprefix(f"{prefix}-") for s in existing if s.startswith(f"{prefix}-"))
    return f"{prefix}-{max((int(n) for n in numbers if n.isdigit()), default=0) + 1}"


def _ids(items: Iterable[Goal] | Iterable[Activity] | Iterable[StrategyItem]) -> Iterator[str]:
    return (i.id for i in items)


def new_goal_id(record: ConversationRecord) -> str:
    return next_id("goal", _ids(record.goals))


def new_activity_id(record: ConversationRecord) -> str:
    return next_id("activity", _ids(record.activities))


def new_strategy_item_id(record: ConversationRecord) -> str:
    return next_id("strategy", _ids(record.strategy_items))


def with_strategy_item(record: ConversationRecord, item: StrategyItem) -> ConversationRecord:
    """Insert or replace (by id)."""
    return replace(record, strategy_items=_put(record.strategy_items, item, lambda s: s.id))


def without_strategy_item(record: ConversationRecord, item_id: str) -> ConversationRecord:
    """Remove the item and unlink it from every goal, so no link dangles."""
    goals = tuple(
        replace(g, strategy_item_ids=tuple(i for i in g.strategy_item_ids if i != item_id))
        for g in record.goals
    )
    items = tuple(s for s in record.strategy_items if s.id != item_id)
    return replace(record, strategy_items=items, goals=goals)


def with_goal(record: ConversationRecord, goal: Goal) -> ConversationRecord:
    """Insert or replace (by id)."""
    return replace(record, goals=_put(record.goals, goal, lambda g: g.id))


def without_goal(record: ConversationRecord, goal_id: str) -> ConversationRecord:
    """Remove the goal and its activities; past check-ins keep their history."""
    return replace(
        record,
        goals=tuple(g for g in record.goals if g.id != goal_id),
        activities=tuple(a for a in record.activities if a.goal_id != goal_id),
    )


def with_activity(record: ConversationRecord, activity: Activity) -> ConversationRecord:
    """Insert or replace (by id)."""
    return replace(record, activities=_put(record.activities, activity, lambda a: a.id))


def without_activity(record: ConversationRecord, activity_id: str) -> ConversationRecord:
    return replace(record, activities=tuple(a for a in record.activities if a.id != activity_id))


def with_check_in(record: ConversationRecord, check_in: CheckIn) -> ConversationRecord:
    """Insert or replace (by id)."""
    return replace(record, check_ins=_put(record.check_ins, check_in, lambda c: c.id))


def with_mini_mus(record: ConversationRecord, mini_mus: MiniMus) -> ConversationRecord:
    """Insert or replace (by id)."""
    return replace(record, mini_mus=_put(record.mini_mus, mini_mus, lambda m: m.id))


def new_course_wish_id(record: ConversationRecord) -> str:
    return next_id("course", (w.id for w in record.preparation.course_wishes))


def with_course_wish(record: ConversationRecord, wish: CourseWish) -> ConversationRecord:
    """Insert or replace (by id)."""
    wishes = _put(record.preparation.course_wishes, wish, lambda w: w.id)
    return replace(record, preparation=replace(record.preparation, course_wishes=wishes))


def without_course_wish(record: ConversationRecord, wish_id: str) -> ConversationRecord:
    wishes = tuple(w for w in record.preparation.course_wishes if w.id != wish_id)
    return replace(record, preparation=replace(record.preparation, course_wishes=wishes))


def restore_course_wish(
    record: ConversationRecord, wish: CourseWish, index: int
) -> ConversationRecord:
    """Undo a removal: the wish back in its place; a wish already there is left alone."""
    wishes = list(record.preparation.course_wishes)
    if any(w.id == wish.id for w in wishes):
        return record
    wishes.insert(max(0, min(index, len(wishes))), wish)
    return replace(record, preparation=replace(record.preparation, course_wishes=tuple(wishes)))


def drop_question(record: ConversationRecord, question_id: str) -> ConversationRecord:
    """Remove a question from the form; an own question's notes go with it.

    A bank question's notes stay, so adding it back brings them back; an own
    question's id may be reused, and its notes must not reappear under new words.
    """
    own = record.form.own(question_id) is not None
    form = remove_question(record.form, question_id)
    if not own:
        return replace(record, form=form)
    prep = record.preparation
    notes = record.meeting_notes
    return replace(
        record,
        form=form,
        preparation=replace(
            prep, notes=tuple(n for n in prep.notes if n.question_id != question_id)
        ),
        meeting_notes=replace(
            notes, topics=tuple(t for t in notes.topics if t.question_id != question_id)
        ),
    )

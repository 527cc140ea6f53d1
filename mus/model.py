"""The conversation and its plan as frozen values, named from the glossary.

Everything is immutable (frozen, slotted dataclasses) so the UI can hold a
snapshot and storage can diff it; a change is a new value, made with
``dataclasses.replace`` or the small ``with_…`` helpers here. Fields only use
``str``, ``int``, ``bool``, ``date``, ``datetime``, ``StrEnum``, ``None``,
tuples of those and nested dataclasses, so storage's codec can walk them
without special cases. Times of day are ``"HH:MM"`` strings for the same
reason. Ids are strings, unique within one :class:`ConversationRecord`.

Enum values double as catalog-key suffixes (``goal_kind.professional``,
``activity_kind.training_on_the_job`` ...); see :func:`enum_key`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import TypeVar


def enum_key(value: enum.StrEnum) -> str:
    """The catalog key of an enum value, e.g. ``goal_kind.long_term``.

    The prefix is the enum's class name in snake case, so every enum here has
    one obvious place in the translation catalogs.
    """
    name = type(value).__name__
    snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
    return f"{snake}.{value.value}"


# ---------------------------------------------------------------- enums


class Party(enum.StrEnum):
    """One side of the conversation, or both (question audience, summary writer)."""

    EMPLOYEE = "employee"
    LEADER = "leader"
    BOTH = "both"


class Responsible(enum.StrEnum):
    """Who starts an activity; ``OTHER`` comes with a free-text name (e.g. HR)."""

    EMPLOYEE = "employee"
    LEADER = "leader"
    BOTH = "both"
    OTHER = "other"


class Concept(enum.StrEnum):
    """The local MUS concept: individual MUS, group MUS (GRUS), or both."""

    INDIVIDUAL = "individual"
    GROUP = "group"
    BOTH = "both"


class StrategyKind(enum.StrEnum):
    """Whether a strategy entry is the workplace's goal or the unit's task."""

    WORKPLACE_GOAL = "workplace_goal"
    UNIT_TASK = "unit_task"


class GoalKind(enum.StrEnum):
    """Faglig, personlig og social, langsigtet."""

    PROFESSIONAL = "professional"
    PERSONAL = "personal"
    LONG_TERM = "long_term"


class ActivityKind(enum.StrEnum):
    """Ways to learn; more than courses, so the plan invites a mix."""

    COURSE = "course"
    EDUCATION = "education"
    NEW_TASKS = "new_tasks"
    TRAINING_ON_THE_JOB = "training_on_the_job"  # sidemandsoplæring
    SUPERVISION = "supervision"
    COACHING = "coaching"
    MENTORING = "mentoring"
    LEARNING_PARTNER = "learning_partner"  # læringsmakker
    NETWORK = "network"
    TEACHING_OTHERS = "teaching_others"
    JOB_ROTATION = "job_rotation"
    LEARNING_FROM_NEWCOMERS = "learning_from_newcomers"
    LEARNING_ENVIRONMENT = "learning_environment"
    OTHER = "other"


class ItemStatus(enum.StrEnum):
    """Status of a goal or activity at a check-in."""

    NOT_STARTED = "not_started"
    UNDER_WAY = "under_way"
    DONE = "done"
    DROPPED = "dropped"
    CHANGED = "changed"


class CheckInTarget(enum.StrEnum):
    """What a check-in line is about."""

    GOAL = "goal"
    ACTIVITY = "activity"


#: The enums whose values the UI shows; their keys belong in the catalogs.
ENUMS: tuple[type[enum.StrEnum], ...] = (
    Party,
    Responsible,
    Concept,
    StrategyKind,
    GoalKind,
    ActivityKind,
    ItemStatus,
    CheckInTarget,
)


def enum_keys() -> tuple[str, ...]:
    """Every enum catalog key, for the translation catalogs' completeness test."""
    return tuple(enum_key(member) for cls in ENUMS for member in cls)


# ---------------------------------------------------------------- the conversation


@dataclass(frozen=True, slots=True)
class Conversation:
    """One yearly MUS: who, when, where. The meeting's date, time and place live
    here only (not in :class:`ProcessPlan`), so lists and reminders read one field.
    """

    id: str
    year: int
    employee_name: str
    leader_name: str
    unit: str
    created_at: datetime
    updated_at: datetime
    meeting_date: date | None = None
    meeting_time: str = ""  # "HH:MM", empty when not agreed yet
    meeting_place: str = ""
    example: bool = False
    previous_id: str = ""  # the conversation this one was carried forward from


@dataclass(frozen=True, slots=True)
class StrategyItem:
    """A workplace goal or unit task for the year; goals anchor to these."""

    id: str
    kind: StrategyKind
    text: str


@dataclass(frozen=True, slots=True)
class ProcessPlan:
    """Who does what, when (step 1). The dates feed the reminders."""

    summary_writer: Party | None = None
    prep_shared_by: date | None = None
    plan_agreed_by: date | None = None
    follow_up_dates: tuple[date, ...] = ()


@dataclass(frozen=True, slots=True)
class OwnQuestion:
    """A question the user wrote; its id sits in the form's order like a bank id."""

    id: str
    text: str


@dataclass(frozen=True, slots=True)
class ConversationForm:
    """The user's own samtaleskema: bank and own question ids in the chosen order."""

    concept: Concept = Concept.INDIVIDUAL
    question_ids: tuple[str, ...] = ()
    own_questions: tuple[OwnQuestion, ...] = ()

    def own(self, question_id: str) -> OwnQuestion | None:
        """The own question with this id, or ``None`` for a bank id."""
        return next((q for q in self.own_questions if q.id == question_id), None)


@dataclass(frozen=True, slots=True)
class PrepNote:
    """A quick preparation note to one question; private until the employee shares it."""

    question_id: str
    text: str
    updated_at: datetime
    shared: bool = False


@dataclass(frozen=True, slots=True)
class CourseWish:
    """A wished-for course with the arguments a leader needs to say yes.

    Private preparation until the employee puts it ``in_plan``: then what it
    is, its price and the time it takes are part of the agreed plan.
    """

    id: str
    title: str
    gain_for_workplace: str = ""
    cost: str = ""  # free text ("4.500 kr. + transport"); funds' rules change
    time_needed: str = ""
    own_time: str = ""  # own time the employee is willing to put in
    in_plan: bool = False  # chosen for the plan: its title, price and time go into the plan PDF


@dataclass(frozen=True, slots=True)
class LastPlanFollowUp:
    """Status of one goal from the previous plan, copied so it survives edits there."""

    goal_id: str
    goal_title: str
    goal_kind: GoalKind
    status: ItemStatus = ItemStatus.NOT_STARTED
    note: str = ""


@dataclass(frozen=True, slots=True)
class Preparation:
    """Step 3: notes per question, wishes, course arguments, last plan's follow-up."""

    notes: tuple[PrepNote, ...] = ()
    wishes: str = ""
    course_wishes: tuple[CourseWish, ...] = ()
    last_plan: tuple[LastPlanFollowUp, ...] = ()

    def note(self, question_id: str) -> PrepNote | None:
        return next((n for n in self.notes if n.question_id == question_id), None)

    def with_note(self, note: PrepNote) -> Preparation:
        """Insert or replace the note for ``note.question_id``, keeping order."""
        return replace(self, notes=_upsert(self.notes, note, lambda n: n.question_id))

    def shared_notes(self) -> tuple[PrepNote, ...]:
        """What the leader may see; everything else stays on the phone."""
        return tuple(n for n in self.notes if n.shared)


@dataclass(frozen=True, slots=True)
class TopicNote:
    """What was said about one question in the meeting, and whether it was covered."""

    question_id: str
    said: str = ""
    covered: bool = False


@dataclass(frozen=True, slots=True)
class MeetingNotes:
    """Step 4: the topics one by one, plus the summary (referat) of decisions."""

    topics: tuple[TopicNote, ...] = ()
    summary: str = ""

    def topic(self, question_id: str) -> TopicNote | None:
        return next((t for t in self.topics if t.question_id == question_id), None)

    def with_topic(self, topic: TopicNote) -> MeetingNotes:
        """Insert or replace the note for ``topic.question_id``, keeping order."""
        return replace(self, topics=_upsert(self.topics, topic, lambda t: t.question_id))


@dataclass(frozen=True, slots=True)
class Feedback:
    """Step 5: feedback received (strengths, areas to develop) and given to the leader."""

    strengths: str = ""
    areas_to_develop: str = ""
    given_to_leader: str = ""


@dataclass(frozen=True, slots=True)
class Goal:
    """A development goal: concrete, meaningful, anchored in strategy, measurable."""

    id: str
    kind: GoalKind
    title: str
    why: str = ""
    success_signs: str = ""  # how both will know it is reached
    strategy_item_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Activity:
    """Something done to reach a goal, with who starts it, when, and its follow-up."""

    id: str
    goal_id: str
    kind: ActivityKind
    description: str = ""
    responsible: Responsible = Responsible.EMPLOYEE
    responsible_other: str = ""  # the name when ``responsible`` is OTHER
    when: date | None = None
    follow_up_how: str = ""
    follow_up_when: date | None = None
    use_of_skills: str = ""  # how the new skills will be used afterwards


@dataclass(frozen=True, slots=True)
class DevelopmentPlan:
    """The agreed plan both keep; built from a record by ``mus.plans.build_plan``."""

    conversation_id: str
    year: int
    employee_name: str
    leader_name: str
    goals: tuple[Goal, ...] = ()
    activities: tuple[Activity, ...] = ()
    last_plan: tuple[LastPlanFollowUp, ...] = ()
    agreed_on: date | None = None

    def activities_for(self, goal_id: str) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.goal_id == goal_id)


@dataclass(frozen=True, slots=True)
class Evaluation:
    """Step 7: a look back at the conversation itself, to improve the next one."""

    most_valuable: str = ""
    what_made_it_constructive: str = ""
    better_next_time: str = ""


@dataclass(frozen=True, slots=True)
class CheckInItem:
    """Status of one goal or activity at a check-in, with what was learned and used."""

    target: CheckInTarget
    target_id: str
    status: ItemStatus
    note: str = ""
    learned: str = ""
    used_how: str = ""


@dataclass(frozen=True, slots=True)
class CheckIn:
    """A dated look at the plan (the quarterly self-review, or inside a mini-MUS)."""

    id: str
    on: date
    items: tuple[CheckInItem, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class MiniMus:
    """The half-yearly follow-up conversation: a check-in held with the leader."""

    id: str
    check_in: CheckIn
    new_initiatives: str = ""  # where something has stalled
    next_date: date | None = None


@dataclass(frozen=True, slots=True)
class StepMark:
    """The user's own word on one wheel step: done, or (taken back) not done.

    Some steps arrive filled in (the suggested form, last year's strategy), so
    what is filled cannot tell alone whether the person is finished with them.
    """

    step_id: str  # a wheel element id, e.g. "form"
    done: bool


@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """Everything of one conversation, so the UI and storage pass one object."""

    conversation: Conversation
    strategy_items: tuple[StrategyItem, ...] = ()
    process_plan: ProcessPlan = field(default_factory=ProcessPlan)
    form: ConversationForm = field(default_factory=ConversationForm)
    preparation: Preparation = field(default_factory=Preparation)
    meeting_notes: MeetingNotes = field(default_factory=MeetingNotes)
    feedback: Feedback = field(default_factory=Feedback)
    goals: tuple[Goal, ...] = ()
    activities: tuple[Activity, ...] = ()
    evaluation: Evaluation = field(default_factory=Evaluation)
    check_ins: tuple[CheckIn, ...] = ()
    mini_mus: tuple[MiniMus, ...] = ()
    step_marks: tuple[StepMark, ...] = ()

    @property
    def id(self) -> str:
        return self.conversation.id

    def mark(self, step_id: str) -> bool | None:
        """What the user said about the step: done, not done, or nothing (``None``)."""
        return next((m.done for m in self.step_marks if m.step_id == step_id), None)

    def goal(self, goal_id: str) -> Goal | None:
        return next((g for g in self.goals if g.id == goal_id), None)

    def activity(self, activity_id: str) -> Activity | None:
        return next((a for a in self.activities if a.id == activity_id), None)

    def activities_for(self, goal_id: str) -> tuple[Activity, ...]:
        return tuple(a for a in self.activities if a.goal_id == goal_id)

    def all_check_ins(self) -> tuple[CheckIn, ...]:
        """Check-ins of both kinds (own and mini-MUS), oldest first; stable on ties."""
        every = (*self.check_ins, *(m.check_in for m in self.mini_mus))
        return tuple(sorted(every, key=lambda c: c.on))

    def touched(self, now: datetime) -> ConversationRecord:
        """The same record with ``updated_at`` moved to ``now``."""
        return replace(self, conversation=replace(self.conversation, updated_at=now))


def new_record(
    conversation_id: str,
    *,
    year: int,
    employee_name: str,
    leader_name: str,
    unit: str,
    now: datetime,
    meeting_date: date | None = None,
) -> ConversationRecord:
    """An empty conversation: every step not started."""
    return ConversationRecord(
        Conversation(
            id=conversation_id,
            year=year,
            employee_name=employee_name,
            leader_name=leader_name,
            unit=unit,
            created_at=now,
            updated_at=now,
            meeting_date=meeting_date,
        )
    )


_T = TypeVar("_T")


def _upsert(items: tuple[_T, ...], item: _T, key: Callable[[_T], str]) -> tuple[_T, ...]:
    """Replace the item with the same key in place, or append it."""
    k = key(item)
    if any(key(x) == k for x in items):
        return tuple(item if key(x) == k else x for x in items)
    return (*items, item)

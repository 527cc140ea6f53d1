"""A clearly fictional example conversation, to show a whole year of the wheel.

Sofie Eksempel and Lars Eksempel at Eksempel Kommune, Borgerservice, do not
exist. Dates are relative to ``today`` so the example always looks current:
the meeting was four months ago, one check-in has happened, some activities
are done and some lie ahead. The content is Danish, as a user's own notes are.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from mus.model import (
    Activity,
    ActivityKind,
    CheckIn,
    CheckInItem,
    CheckInTarget,
    Conversation,
    ConversationRecord,
    CourseWish,
    Evaluation,
    Feedback,
    Goal,
    GoalKind,
    ItemStatus,
    LastPlanFollowUp,
    MeetingNotes,
    Party,
    Preparation,
    PrepNote,
    ProcessPlan,
    Responsible,
    StepMark,
    StrategyItem,
    StrategyKind,
    TopicNote,
)
from mus.questions import add_own_question, default_form

if TYPE_CHECKING:  # imported lazily below: reminders imports this module too
    from mus.agreement import AgreedVersion
    from mus.reminders import Schedule

EXAMPLE_ID = "example"
#: Days between the meeting and ``today``: long enough for a check-in to have happened.
MEETING_DAYS_AGO = 120


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def example_conversation(today: date) -> ConversationRecord:
    """Sofie Eksempel's MUS with Lars Eksempel, a year in progress (``example=True``)."""
    meeting = today - timedelta(days=MEETING_DAYS_AGO)

    def after(days: int) -> date:
        return meeting + timedelta(days=days)

    check_in_day = after(90)
    form = add_own_question(
        default_form(),
        "Kan jeg få en fast dag om ugen med færre skrankevagter, så jeg kan passe mine sager?",
    )
    own_id = form.question_ids[-1]

    return ConversationRecord(
        conversation=Conversation(
            id=EXAMPLE_ID,
            year=meeting.year,
            employee_name="Sofie Eksempel",
            leader_name="Lars Eksempel",
            unit="Eksempel Kommune, Borgerservice",
            created_at=_at(after(-21)),
            updated_at=_at(check_in_day, 15),
            meeting_date=meeting,
            meeting_time="10:00",
            meeting_place="Mødelokale 2, Eksempel Rådhus",
            example=True,
        ),
        strategy_items=_strategy(),
        # Sofie went through the strategy and the form herself; both start filled in.
        step_marks=(StepMark("strategy", done=True), StepMark("form", done=True)),
        process_plan=ProcessPlan(
            summary_writer=Party.EMPLOYEE,
            prep_shared_by=after(-7),
            plan_agreed_by=after(7),
            follow_up_dates=(after(90), after(180), after(270)),
        ),
        form=form,
        preparation=_preparation(meeting, own_id),
        meeting_notes=_meeting_notes(form.question_ids, own_id),
        feedback=Feedback(
            strengths=(
                "Rolig og venlig i skranken, også når borgerne er pressede. "
                "Grundig i sagsbehandlingen, og kollegerne spørger gerne Sofie til råds."
            ),
            areas_to_develop=(
                "Sig tydeligere til, når opgaverne hober sig op, i stedet for at tage det hele "
                "selv. Bliv mere sikker i at vise borgerne rundt i de digitale løsninger."
            ),
            given_to_leader=(
                "Det hjælper, når du giver besked om ændringer i god tid. Jeg vil gerne have "
                "kort feedback oftere, fx efter travle uger, ikke kun til MUS."
            ),
        ),
        goals=_goals(),
        activities=_activities(meeting, today),
        evaluation=Evaluation(
            most_valuable="At vi fik lavet en konkret plan for oplæringen af nye kolleger.",
            what_made_it_constructive=(
                "Jeg havde delt mine hovedpunkter en uge før, så vi brugte tiden på "
                "løsninger i stedet for at finde ud af, hvad vi skulle tale om."
            ),
            better_next_time=(
                "Mere tid til det lange sigt: vi nåede kun kort at tale om diplomuddannelsen."
            ),
        ),
        check_ins=(
            CheckIn(
                id="check-in-1",
                on=check_in_day,
                items=(
                    CheckInItem(
                        CheckInTarget.ACTIVITY,
                        "activity-1",
                        ItemStatus.DONE,
                        note="Kurset var godt, især dagen om borgere med lav digital erfaring.",
                        learned="At lade borgeren selv have hænderne på tastaturet.",
                        used_how="Bruger det hver dag i skranken og har vist to kolleger det.",
                    ),
                    CheckInItem(CheckInTarget.ACTIVITY, "activity-2", ItemStatus.DONE),
                    CheckInItem(
                        CheckInTarget.ACTIVITY,
                        "activity-3",
                        ItemStatus.UNDER_WAY,
                        note="Vi har mødtes fire gange; svært at finde tid i de travle uger.",
                    ),
                    CheckInItem(CheckInTarget.ACTIVITY, "activity-4", ItemStatus.NOT_STARTED),
                    CheckInItem(
                        CheckInTarget.GOAL,
                        "goal-1",
                        ItemStatus.UNDER_WAY,
                        note="Mere tryg nu; mangler tjeklisten til skranken.",
                    ),
                ),
                note="Godt i gang. Læringsmakker-møderne skal i kalenderen.",
            ),
        ),
    )


def _strategy() -> tuple[StrategyItem, ...]:
    return (
        StrategyItem(
            "strategy-1",
            StrategyKind.WORKPLACE_GOAL,
            "Flere borgere skal kunne klare deres sager digitalt – og få hjælp, når de ikke kan.",
        ),
        StrategyItem(
            "strategy-2",
            StrategyKind.UNIT_TASK,
            "Borgerservice indfører tidsbestilling og skal korte ventetiden i skranken.",
        ),
        StrategyItem(
            "strategy-3",
            StrategyKind.UNIT_TASK,
            "Vi tager imod og oplærer tre nye kolleger i løbet af året.",
        ),
    )


def _preparation(meeting: date, own_id: str) -> Preparation:
    written = _at(meeting - timedelta(days=10), 20)

    def note(question_id: str, text: str, *, shared: bool = False) -> PrepNote:
        return PrepNote(question_id, text, written, shared)

    return Preparation(
        notes=(
            note("A1", "Den nye skranke-opdeling virker, og jeg har haft færre sager i restance."),
            note("A3", "Foråret var presset, da to kolleger var syge. Lærte at bede om hjælp."),
            note("C1", "Når en borger går herfra og har fået løst sin sag. Gode kolleger."),
            note(
                "F1",
                "Jeg vil gerne blive bedre til digital selvbetjening, så jeg kan hjælpe "
                "borgerne med at klare mere selv.",
                shared=True,
            ),
            note(own_id, "Skrankevagterne fylder meget; en fast sagsdag ville hjælpe."),
        ),
        wishes="Flere opgaver med oplæring af nye kolleger. Måske på sigt en diplomuddannelse.",
        course_wishes=(
            CourseWish(
                id="course-1",
                title="Kursus i digital borgerbetjening",
                gain_for_workplace=(
                    "Flere borgere kan hjælpes til selvbetjening, "
                    "og køen i skranken bliver kortere."
                ),
                cost=(
                    "Ca. 6.000 kr. Spørg om Den Kommunale Kompetencefond (tjek de gældende regler)."
                ),
                time_needed="3 dage",
                own_time="Læser forberedelsesmaterialet hjemme.",
            ),
        ),
        last_plan=(
            LastPlanFollowUp(
                "previous-goal-1",
                "Blive fortrolig med det nye sagssystem",
                GoalKind.PROFESSIONAL,
                ItemStatus.DONE,
            ),
            LastPlanFollowUp(
                "previous-goal-2",
                "Deltage i kommunens netværk for borgerservice",
                GoalKind.PERSONAL,
                ItemStatus.DROPPED,
                note="Netværket blev nedlagt i foråret.",
            ),
        ),
    )


def _meeting_notes(question_ids: tuple[str, ...], own_id: str) -> MeetingNotes:
    said = {
        "A1": "Lars fremhævede arbejdet med skranke-opdelingen.",
        "A5": "Sagssystemet er på plads; netværket blev nedlagt.",
        "B2": "Tidsbestilling indføres til efteråret; tre nye kolleger starter.",
        "F1": "Enige om digital selvbetjening som fagligt mål.",
        own_id: "Vi prøver en fast sagsdag hver torsdag i tre måneder og ser på det igen.",
    }
    return MeetingNotes(
        topics=tuple(TopicNote(qid, said.get(qid, ""), covered=True) for qid in question_ids),
        summary=(
            "Tre mål aftalt: digital selvbetjening, oplæring af nye kolleger og afklaring af "
            "diplomuddannelse. Fast sagsdag om torsdagen i en prøveperiode. "
            "Sofie skriver referatet, og vi følger op efter tre måneder."
        ),
    )


def _goals() -> tuple[Goal, ...]:
    return (
        Goal(
            id="goal-1",
            kind=GoalKind.PROFESSIONAL,
            title="Blive tryg i at vejlede borgere i digital selvbetjening",
            why="Flere borgere skal klare sagerne selv, og jeg vil kunne vise dem hvordan.",
            success_signs=(
                "Jeg kan vise en borger de fem mest brugte selvbetjeningsløsninger uden at slå op, "
                "og kolleger bruger min tjekliste."
            ),
            strategy_item_ids=("strategy-1",),
        ),
        Goal(
            id="goal-2",
            kind=GoalKind.PERSONAL,
            title="Blive en tryg oplærer for nye kolleger",
            why="Vi får tre nye kolleger, og jeg kan lide at lære fra mig.",
            success_signs=(
                "De nye kolleger kan tage skranken alene efter fire uger, og jeg siger til, "
                "når oplæringen ikke kan nås ved siden af mine egne sager."
            ),
            strategy_item_ids=("strategy-3",),
        ),
        Goal(
            id="goal-3",
            kind=GoalKind.LONG_TERM,
            title="Afklare om en diplomuddannelse i offentlig forvaltning er mit næste skridt",
            why="Jeg vil gerne videre fagligt inden for de næste tre til fem år.",
            success_signs="Jeg har besluttet, om jeg søger optagelse, og har en plan for det.",
            strategy_item_ids=("strategy-1", "strategy-2"),
        ),
    )


def _activities(meeting: date, today: date) -> tuple[Activity, ...]:
    def after(days: int) -> date:
        return meeting + timedelta(days=days)

    return (
        Activity(
            id="activity-1",
            goal_id="goal-1",
            kind=ActivityKind.COURSE,
            description="Kursus i digital borgerbetjening (3 dage)",
            responsible=Responsible.BOTH,
            when=after(40),
            follow_up_how="Fortæl på teammødet, hvad jeg tog med fra kurset.",
            follow_up_when=after(60),
            use_of_skills="Laver en kort tjekliste til skranken, som alle kan bruge.",
        ),
        Activity(
            id="activity-2",
            goal_id="goal-1",
            kind=ActivityKind.TRAINING_ON_THE_JOB,
            description="Sidemandsoplæring hos en erfaren kollega ved selvbetjeningsstanderne",
            responsible=Responsible.EMPLOYEE,
            when=after(20),
            follow_up_how="Kort snak med Lars om, hvad der stadig driller.",
            follow_up_when=after(30),
            use_of_skills="Tager selv vagterne ved standerne to gange om ugen.",
        ),
        Activity(
            id="activity-3",
            goal_id="goal-2",
            kind=ActivityKind.LEARNING_PARTNER,
            description="Læringsmakker med en erfaren oplærer; vi mødes hver anden uge",
            responsible=Responsible.EMPLOYEE,
            when=after(30),
            follow_up_how="Status ved mini-MUS.",
            follow_up_when=after(180),
            use_of_skills="Bruger det i oplæringen af de nye kolleger.",
        ),
        Activity(
            id="activity-4",
            goal_id="goal-2",
            kind=ActivityKind.NEW_TASKS,
            description="Ansvar for oplæringsplanen for den næste nye kollega",
            responsible=Responsible.LEADER,
            when=today + timedelta(days=30),
            follow_up_how="Den nye kollega og jeg evaluerer oplæringen sammen med Lars.",
            follow_up_when=today + timedelta(days=75),
            use_of_skills="Oplæringsplanen bliver en skabelon for hele afdelingen.",
        ),
        Activity(
            id="activity-5",
            goal_id="goal-3",
            kind=ActivityKind.MENTORING,
            description=(
                "Afklaringssamtale med uddannelseskonsulenten og en kollega, "
                "der har taget diplomuddannelsen"
            ),
            responsible=Responsible.OTHER,
            responsible_other="HR, uddannelseskonsulenten",
            when=today + timedelta(days=60),
            follow_up_how="Beslutning tages op ved næste MUS.",
            follow_up_when=after(365),
            use_of_skills="Deler mine overvejelser med kolleger, der tænker i samme retning.",
        ),
    )


@dataclass(frozen=True, slots=True)
class ExampleBundle:
    """The example as a user would have it a while after the meeting: agreed and scheduled."""

    record: ConversationRecord
    version: AgreedVersion
    schedule: Schedule


def example_bundle(today: date) -> ExampleBundle:
    """The example conversation with its agreed version 1 and its follow-up schedule.

    One function for the app's "see an example" and the command line's ``demo``,
    so both show the whole path: prepared, agreed at the table, followed up.
    """
    from mus.agreement import agree
    from mus.reminders import propose_schedule, reconcile

    record = example_conversation(today)
    meeting = record.conversation.meeting_date or today
    agreed_at = datetime.combine(meeting, time(11, 30), tzinfo=UTC)
    c = record.conversation
    version = agree(record, c.employee_name, c.leader_name, agreed_at).version
    if version is None:  # pragma: no cover - the example always carries both names
        raise AssertionError("the example must be agreeable")
    schedule = reconcile(propose_schedule(record, agreed_on=meeting), record)
    return ExampleBundle(record, version, schedule)


def example_schedule(today: date) -> Schedule:
    """The example conversation's schedule, as proposed (before its check-in settles it)."""
    from mus.reminders import propose_schedule

    return propose_schedule(example_conversation(today))

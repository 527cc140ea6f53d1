"""Fixtures for the PDF export: a short plan (the example), a long one, fixed clocks.

Golden files live in ``tests/golden/``; regenerate them with
``pytest tests/pdf --regen-golden`` (or ``MUSLING_REGEN_GOLDEN=1``) and read
the diff before committing.
"""

from __future__ import annotations

import os
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from mus.agreement import AgreedVersion, agree, confirmations
from mus.demo import example_conversation
from mus.model import (
    Activity,
    ActivityKind,
    ConversationRecord,
    Goal,
    GoalKind,
    Responsible,
)
from mus.reminders import today_in_copenhagen

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
TODAY = date(2026, 11, 24)
CREATED = datetime(2026, 11, 24, 15, 0, tzinfo=UTC)
AGREED_AT = datetime(2026, 11, 24, 14, 5, tzinfo=UTC)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--regen-golden",
        action="store_true",
        default=False,
        help="rewrite tests/golden/*.pdf from the current renderer",
    )


@pytest.fixture
def regen_golden(request: pytest.FixtureRequest) -> bool:
    flag = bool(request.config.getoption("--regen-golden"))
    return flag or os.environ.get("MUSLING_REGEN_GOLDEN") == "1"


def demo_record() -> ConversationRecord:
    return example_conversation(TODAY)


AREAS = ("sagsbehandling", "samarbejde", "formidling")
TOPICS = ("jura", "kommunikation", "digitalisering")
_LONG_WHY = (
    "Afdelingen står over for store ændringer i de kommende år, og jeg vil gerne kunne bidrage "
    "mere selvstændigt, så vi løser kerneopgaven bedre for borgerne og får mere ud af de nye "
    "digitale løsninger – også når travlheden er størst, og der mangler hænder."
)
_LONG_SIGNS = (
    "Jeg kan selv planlægge og gennemføre opgaven fra start til slut, mine kolleger bruger "
    "mig som sparringspartner, og min leder kan se det i kvaliteten af sagerne og i færre "
    "henvendelser, der må sendes videre."
)


def long_record() -> ConversationRecord:
    """The example with 9 goals of 3 activities each and long Danish texts: many pages.

    Its course wish is put in the plan, so the plan's "Kursusønsker" are drawn too.
    """
    base = demo_record()
    wishes = tuple(replace(w, in_plan=True) for w in base.preparation.course_wishes)
    base = replace(base, preparation=replace(base.preparation, course_wishes=wishes))
    meeting = base.conversation.meeting_date or TODAY
    kinds = (GoalKind.PROFESSIONAL, GoalKind.PERSONAL, GoalKind.LONG_TERM)
    activity_kinds = tuple(ActivityKind)
    responsibles = tuple(Responsible)
    goals: list[Goal] = []
    activities: list[Activity] = []
    for g in range(1, 10):
        goal_id = f"goal-{g}"
        goals.append(
            Goal(
                id=goal_id,
                kind=kinds[g % 3],
                title=(
                    f"Udviklingsmål nummer {g}: blive stærkere i {AREAS[g % 3]} "
                    "og i at dele viden med kolleger"
                ),
                why=f"{_LONG_WHY} (mål {g})",
                success_signs=_LONG_SIGNS,
                strategy_item_ids=("strategy-1", "strategy-3") if g % 2 else ("strategy-2",),
            )
        )
        for a in range(1, 4):
            n = (g - 1) * 3 + a
            responsible = responsibles[n % len(responsibles)]
            activities.append(
                Activity(
                    id=f"activity-{n}",
                    goal_id=goal_id,
                    kind=activity_kinds[n % len(activity_kinds)],
                    description=(
                        f"Aktivitet {n}: deltage i forløbet om {TOPICS[a - 1]} "
                        "med fokus på de opgaver, der fylder mest i hverdagen, herunder øvelser i "
                        "egne sager og opfølgning med en erfaren kollega."
                    ),
                    responsible=responsible,
                    responsible_other="HR-afdelingens uddannelseskonsulent"
                    if responsible is Responsible.OTHER
                    else "",
                    when=meeting + timedelta(days=20 * n),
                    follow_up_how=(
                        "Vi tager en kort snak på det ugentlige møde, og jeg fortæller på "
                        "teammødet, hvad jeg har lært, og hvad der stadig driller."
                    ),
                    follow_up_when=meeting + timedelta(days=20 * n + 30),
                    use_of_skills=(
                        f"Jeg laver en kort vejledning (nr. {n}) til kollegerne og tager de svære "
                        "sager på området de næste måneder."
                    ),
                )
            )
    return replace(base, goals=tuple(goals), activities=tuple(activities))


def agree_confirmed(
    record: ConversationRecord,
    employee: str,
    leader: str,
    now: datetime,
    *,
    previous: AgreedVersion | None = None,
) -> AgreedVersion:
    """Agree, confirming whatever is asked: these records are agreed months after
    their meeting (and some with odd names), which a person confirms on screen."""
    asks = confirmations(record, employee, leader, today_in_copenhagen(now))
    result = agree(record, employee, leader, now, previous=previous, confirmed=asks)
    assert result.version is not None, result
    return result.version


def demo_version() -> AgreedVersion:
    return agree_confirmed(demo_record(), "Sofie Eksempel", "Lars Eksempel", AGREED_AT)


@pytest.fixture
def record() -> ConversationRecord:
    return demo_record()


@pytest.fixture
def long() -> ConversationRecord:
    return long_record()


@pytest.fixture
def version() -> AgreedVersion:
    return demo_version()

"""Records built with the domain's own functions, so the tests read like the app's use."""

from __future__ import annotations

from datetime import UTC, date, datetime

from mus import plans
from mus.model import (
    Activity,
    ActivityKind,
    CheckIn,
    CheckInItem,
    CheckInTarget,
    ConversationRecord,
    Goal,
    GoalKind,
    ItemStatus,
    MiniMus,
    new_record,
)


def make_record(
    meeting: date,
    *,
    conversation_id: str = "c-1",
    activities: tuple[tuple[str, str, date | None, date | None], ...] = (),
    goals: tuple[str, ...] = ("goal-1",),
) -> ConversationRecord:
    """A plan with ``goals`` and ``activities`` as (id, goal id, when, follow_up_when)."""
    record = new_record(
        conversation_id,
        year=meeting.year,
        employee_name="Test Eksempel",
        leader_name="Leder Eksempel",
        unit="Enhed",
        now=datetime(meeting.year, meeting.month, meeting.day, 8, tzinfo=UTC),
        meeting_date=meeting,
    )
    for gid in goals:
        record = plans.with_goal(
            record, Goal(gid, GoalKind.PROFESSIONAL, f"Mål {gid}", success_signs="Kan ses")
        )
    for aid, gid, when, follow_up in activities:
        record = plans.with_activity(
            record,
            Activity(
                aid,
                gid,
                ActivityKind.COURSE,
                description=f"Kursus {aid}",
                when=when,
                follow_up_when=follow_up,
            ),
        )
    return record


def check_in(
    record: ConversationRecord,
    on: date,
    *items: CheckInItem,
    check_in_id: str | None = None,
) -> ConversationRecord:
    cid = check_in_id or f"check-in-{len(record.check_ins) + 1}"
    return plans.with_check_in(record, CheckIn(cid, on, items))


def mini_mus(record: ConversationRecord, on: date) -> ConversationRecord:
    mid = f"mini-{len(record.mini_mus) + 1}"
    return plans.with_mini_mus(record, MiniMus(mid, CheckIn(f"{mid}-check", on)))


def item(target: CheckInTarget, target_id: str, status: ItemStatus, **text: str) -> CheckInItem:
    return CheckInItem(target, target_id, status, **text)

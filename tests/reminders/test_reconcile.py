"""Plans change during the year: the schedule follows, and revisions count the changes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from mus import plans
from mus.model import Activity, CheckIn, CheckInTarget, ConversationRecord, Goal, ItemStatus
from mus.reminders import (
    PlannedReminder,
    ReminderKind,
    Schedule,
    ScheduleSettings,
    StopReason,
    calendar_status,
    complete_by_check_in,
    due,
    edit_schedule,
    mark_done,
    propose_schedule,
    reconcile,
    snooze,
    successors,
    upcoming,
    with_settings,
)
from tests.reminders.builders import check_in, item, make_record, mini_mus

MEETING = date(2026, 1, 15)


def _record() -> ConversationRecord:
    return make_record(
        MEETING,
        goals=("goal-1", "goal-2"),
        activities=(
            ("a-1", "goal-1", date(2026, 6, 15), date(2026, 8, 17)),
            ("a-2", "goal-2", date(2026, 9, 14), date(2026, 10, 12)),
        ),
    )


def _act(record: ConversationRecord, activity_id: str) -> Activity:
    found = record.activity(activity_id)
    assert found is not None
    return found


def _goal(record: ConversationRecord, goal_id: str) -> Goal:
    found = record.goal(goal_id)
    assert found is not None
    return found


def _rev(schedule: Schedule) -> dict[str, int]:
    return {r.id: r.revision for r in schedule.reminders}


def _get(schedule: Schedule, reminder_id: str) -> PlannedReminder:
    r = schedule.reminder(reminder_id)
    assert r is not None
    return r


def test_reconcile_is_idempotent_and_keeps_an_unchanged_schedule() -> None:
    record = _record()
    schedule = propose_schedule(record)
    assert reconcile(schedule, record) == schedule
    assert reconcile(reconcile(schedule, record), record) == schedule


def test_a_moved_deadline_moves_its_reminder_and_bumps_its_revision() -> None:
    record = _record()
    schedule = propose_schedule(record)
    moved = plans.with_activity(record, replace(_act(record, "a-1"), when=date(2026, 9, 7)))
    after = reconcile(schedule, moved)
    r = _get(after, "activity_deadline:a-1")
    assert (r.due, r.anchor, r.revision) == (date(2026, 8, 31), date(2026, 9, 7), 1)
    changed = {k for k, v in _rev(after).items() if v != _rev(schedule)[k]}
    assert changed == {"activity_deadline:a-1"}
    # Seen from mid-year: the old date is no longer due, the new one is.
    mid = date(2026, 6, 10)
    assert "activity_deadline:a-1" in {d.reminder.id for d in due([schedule], [record], mid)}
    assert "activity_deadline:a-1" not in {d.reminder.id for d in due([after], [moved], mid)}
    assert "activity_deadline:a-1" in {d.reminder.id for d in due([after], [moved], r.due)}


def test_a_new_description_is_a_new_revision_but_a_new_why_is_not() -> None:
    record = _record()
    schedule = propose_schedule(record)
    renamed = plans.with_activity(record, replace(_act(record, "a-1"), description="Nyt kursus"))
    after = reconcile(schedule, renamed)
    assert _get(after, "activity_deadline:a-1").kwargs == {"activity": "Nyt kursus"}
    assert _get(after, "activity_deadline:a-1").revision == 1
    goal = replace(_goal(record, "goal-1"), why="Fordi")
    assert reconcile(schedule, plans.with_goal(record, goal)) == schedule


def test_a_pinned_reminder_keeps_its_lead_when_the_deadline_moves() -> None:
    record = _record()
    schedule = edit_schedule(
        propose_schedule(record), "activity_deadline:a-1", due=date(2026, 6, 1)
    )
    assert _get(schedule, "activity_deadline:a-1").revision == 1
    moved = plans.with_activity(record, replace(_act(record, "a-1"), when=date(2026, 6, 29)))
    r = _get(reconcile(schedule, moved), "activity_deadline:a-1")
    assert (r.due, r.pinned, r.revision) == (date(2026, 6, 15), True, 2)


def test_a_dropped_goal_stops_its_activities_reminders() -> None:
    record = _record()
    schedule = propose_schedule(record)
    day = date(2026, 5, 1)
    dropped = check_in(record, day, item(CheckInTarget.GOAL, "goal-1", ItemStatus.DROPPED))
    after = reconcile(schedule, dropped)
    for rid in ("activity_deadline:a-1", "activity_follow_up:a-1"):
        r = _get(after, rid)
        assert r.stopped is StopReason.DROPPED
        assert r.revision == 1
        assert calendar_status(r) == "CANCELLED"
    assert all(_get(after, rid).is_open for rid in ("activity_deadline:a-2", "self_review:9"))
    # Never due again, on any day of the year.
    for n in range(365):
        today = day + timedelta(days=n)
        ids = {d.reminder.id for d in due([after], [dropped], today)}
        assert not ids & {"activity_deadline:a-1", "activity_follow_up:a-1"}
    # due() sees the drop even before reconcile.
    ids = {d.reminder.id for d in due([schedule], [dropped], date(2026, 12, 31))}
    assert not ids & {"activity_deadline:a-1", "activity_follow_up:a-1"}
    # Taking the goal up again brings the reminders back (one more revision).
    again = check_in(
        dropped, day + timedelta(days=3), item(CheckInTarget.GOAL, "goal-1", ItemStatus.UNDER_WAY)
    )
    back = _get(reconcile(after, again), "activity_deadline:a-1")
    assert back.is_open and back.revision == 2


def test_a_dropped_activity_stops_only_its_own_reminders() -> None:
    record = _record()
    dropped = check_in(
        record, date(2026, 5, 1), item(CheckInTarget.ACTIVITY, "a-2", ItemStatus.DROPPED)
    )
    after = reconcile(propose_schedule(record), dropped)
    assert _get(after, "activity_follow_up:a-2").stopped is StopReason.DROPPED
    assert _get(after, "activity_follow_up:a-1").is_open


def test_a_deleted_activity_or_cleared_date_cancels() -> None:
    record = _record()
    schedule = propose_schedule(record)
    after = reconcile(schedule, plans.without_activity(record, "a-2"))
    assert {
        _get(after, f"{k}:a-2").stopped for k in ("activity_deadline", "activity_follow_up")
    } == {StopReason.SOURCE_REMOVED}
    cleared = plans.with_activity(record, replace(_act(record, "a-1"), follow_up_when=None))
    after = reconcile(schedule, cleared)
    assert _get(after, "activity_follow_up:a-1").stopped is StopReason.SOURCE_REMOVED
    assert _get(after, "activity_follow_up:a-1").revision == 1
    assert _get(after, "activity_deadline:a-1").is_open
    # A date set again reopens it.
    assert _get(reconcile(after, record), "activity_follow_up:a-1").is_open


def test_a_new_activity_gets_its_reminders() -> None:
    record = _record()
    schedule = propose_schedule(record)
    added = plans.with_activity(
        record, replace(_act(record, "a-1"), id="a-3", when=date(2026, 4, 20))
    )
    after = reconcile(schedule, added)
    assert _get(after, "activity_deadline:a-3").due == date(2026, 4, 13)
    assert _get(after, "activity_deadline:a-3").revision == 0


def test_next_years_plan_stops_the_old_rhythm() -> None:
    record = _record()
    schedule = propose_schedule(record)
    created = datetime(2026, 11, 20, 10, tzinfo=UTC)
    new = plans.carry_forward(record, new_id="c-2", now=created)
    new = replace(new, conversation=replace(new.conversation, meeting_date=date(2027, 1, 12)))
    after = reconcile(schedule, record, successor=new)
    by_id = {r.id: r for r in after.reminders}
    assert by_id["self_review:3"].stopped is StopReason.REPLACED
    assert by_id["mini_mus:6"].stopped is StopReason.REPLACED
    assert by_id["self_review:9"].stopped is StopReason.REPLACED
    assert by_id["prepare_next_mus"].done_on == date(2026, 11, 20)
    # Activity reminders before the new meeting are its follow-up now; later ones stay.
    assert by_id["activity_follow_up:a-2"].stopped is StopReason.REPLACED
    assert successors([record, new]) == {"c-1": new}
    # due() finds the successor among the records by itself.
    assert due([schedule], [record, new], date(2026, 12, 31)) == ()
    late = plans.with_activity(record, replace(_act(record, "a-2"), when=date(2027, 3, 1)))
    stays = reconcile(propose_schedule(late), late, successor=new)
    assert _get(stays, "activity_deadline:a-2").is_open


def test_a_mini_mus_clears_the_mini_mus_and_the_self_review() -> None:
    record = make_record(MEETING)
    schedule = propose_schedule(record)
    day = _get(schedule, "mini_mus:6").due + timedelta(days=2)
    held = mini_mus(check_in(record, _get(schedule, "self_review:3").due), day)
    after = reconcile(schedule, held)
    assert _get(after, "mini_mus:6").done_on == day
    # A plain check-in at that time does not stand in for the conversation with the leader.
    plain = reconcile(schedule, check_in(record, day))
    assert _get(plain, "mini_mus:6").is_open


def test_complete_by_check_in_directly() -> None:
    record = _record()
    schedule = propose_schedule(record)
    q1 = _get(schedule, "self_review:3")
    ci = CheckIn(
        "ci",
        q1.due,
        (
            item(CheckInTarget.ACTIVITY, "a-1", ItemStatus.UNDER_WAY),
            item(CheckInTarget.ACTIVITY, "a-2", ItemStatus.NOT_STARTED, note="Venter"),
        ),
    )
    after = complete_by_check_in(schedule, ci)
    assert _get(after, "self_review:3").done_on == q1.due
    assert _get(after, "activity_deadline:a-1").done_on == q1.due  # booked early: done
    assert _get(after, "activity_deadline:a-2").is_open
    assert _get(after, "activity_follow_up:a-2").is_open  # too early for its follow-up
    assert _get(after, "self_review:9").is_open
    assert _get(after, "mini_mus:6").is_open
    assert _get(
        complete_by_check_in(schedule, ci, mini_mus=True), "mini_mus:6"
    ).is_open  # 3 months early


def test_user_edits_bump_revisions_only_when_the_calendar_changes() -> None:
    record = _record()
    schedule = propose_schedule(record)
    rid = "self_review:3"
    r = _get(schedule, rid)
    assert _get(edit_schedule(schedule, rid), rid).revision == 0
    assert _get(edit_schedule(schedule, rid, time_of_day="14:30"), rid).revision == 1
    cancelled = edit_schedule(schedule, rid, cancelled=True)
    assert _get(cancelled, rid).revision == 1 and not _get(cancelled, rid).is_open
    assert _get(reconcile(cancelled, record), rid).cancelled  # sticky
    assert _get(edit_schedule(cancelled, rid, cancelled=False), rid).revision == 2
    snoozed = snooze(schedule, rid, r.due + timedelta(days=3))
    assert _get(snoozed, rid).on == r.due + timedelta(days=3)
    assert _get(snoozed, rid).revision == 1
    assert rid not in {d.reminder.id for d in due([snoozed], [record], r.due)}
    assert rid in {d.reminder.id for d in due([snoozed], [record], r.due + timedelta(days=3))}
    assert _get(mark_done(schedule, rid, r.due), rid).revision == 0  # history, same event
    assert _get(mark_done(schedule, rid, r.due - timedelta(days=1)), rid).revision == 1
    with pytest.raises(KeyError):
        edit_schedule(schedule, "nope", due=r.due)
    with pytest.raises(ValueError, match="HH:MM"):
        edit_schedule(schedule, rid, time_of_day="25:00")


def test_new_settings_move_what_was_not_set_by_hand() -> None:
    record = _record()
    schedule = edit_schedule(
        propose_schedule(record), "activity_deadline:a-2", due=date(2026, 8, 3)
    )
    after = with_settings(schedule, record, ScheduleSettings(days_before_deadline=14))
    assert _get(after, "activity_deadline:a-1").due == date(2026, 6, 1)
    assert _get(after, "activity_deadline:a-2").due == date(2026, 8, 3)


def test_a_schedule_for_another_record_is_refused() -> None:
    with pytest.raises(ValueError, match="another conversation"):
        reconcile(propose_schedule(_record()), make_record(MEETING, conversation_id="c-9"))


def test_a_deleted_conversation_has_nothing_due() -> None:
    schedule = propose_schedule(_record())
    assert due([schedule], [], date(2027, 1, 1)) == ()
    assert upcoming([schedule], {}, MEETING, days=365) == ()


def test_kinds_in_a_day_are_ordered() -> None:
    record = make_record(MEETING, activities=(("a-1", "goal-1", date(2026, 4, 22), None),))
    found = due([propose_schedule(record)], [record], date(2026, 4, 15))
    assert [d.reminder.kind for d in found] == [
        ReminderKind.SELF_REVIEW,
        ReminderKind.ACTIVITY_DEADLINE,
    ]

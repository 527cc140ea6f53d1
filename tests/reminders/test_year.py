"""A year of simulated days: each reminder is due exactly from its day, stays overdue
until done, is never due before; local time survives daylight-saving changes."""

from __future__ import annotations

from datetime import date, timedelta

from mus.model import CheckInTarget, ItemStatus
from mus.reminders import (
    Schedule,
    counts,
    due,
    edit_schedule,
    mark_done,
    propose_schedule,
    reconcile,
    starts_at,
    today_in_copenhagen,
    upcoming,
)
from tests.reminders.builders import check_in, item, make_record, mini_mus

MEETING = date(2026, 1, 15)
ACTIVITIES = (
    ("a-1", "goal-1", date(2026, 3, 16), date(2026, 5, 4)),
    ("a-2", "goal-1", date(2026, 6, 14), date(2026, 9, 12)),  # Sunday deadline, Saturday follow-up
    ("a-3", "goal-2", date(2026, 11, 2), None),
)


def _days(first: date, count: int) -> list[date]:
    return [first + timedelta(days=n) for n in range(count)]


def test_untouched_reminders_become_due_on_their_day_and_stay_overdue() -> None:
    record = make_record(MEETING, goals=("goal-1", "goal-2"), activities=ACTIVITIES)
    schedule = propose_schedule(record)
    first_seen: dict[str, date] = {}
    for today in _days(MEETING, 400):
        found = due([schedule], [record], today)
        ids = {d.reminder.id for d in found}
        assert ids == {r.id for r in schedule.reminders if r.due <= today}
        for d in found:
            first_seen.setdefault(d.reminder.id, today)
            assert d.days_overdue == (today - d.reminder.due).days >= 0
            assert d.overdue is (today > d.reminder.due)
        soon = {d.reminder.id for d in upcoming([schedule], [record], today, days=10)}
        assert soon == {r.id for r in schedule.reminders if today < r.due <= today + timedelta(10)}
        c = counts([schedule], [record], today, upcoming_days=10)
        assert (c.overdue + c.due_today, c.upcoming) == (len(ids), len(soon))
    assert first_seen == {r.id: r.due for r in schedule.reminders}


def test_doing_what_is_asked_clears_each_reminder_on_the_day() -> None:
    """The user acts on the day each reminder becomes due: it was due that day only."""
    record = make_record(MEETING, goals=("goal-1", "goal-2"), activities=ACTIVITIES)
    schedule = propose_schedule(record)
    seen: dict[str, list[date]] = {}
    for today in _days(MEETING, 400):
        for d in due([schedule], [record], today):
            r = d.reminder
            seen.setdefault(r.id, []).append(today)
            if r.id.startswith("self_review"):
                record = check_in(record, today)
            elif r.id.startswith("mini_mus"):
                record = mini_mus(record, today)
            elif r.id.startswith("activity_deadline"):
                record = check_in(
                    record, today, item(CheckInTarget.ACTIVITY, r.target_id, ItemStatus.UNDER_WAY)
                )
            elif r.id.startswith("activity_follow_up"):
                record = check_in(
                    record,
                    today,
                    item(CheckInTarget.ACTIVITY, r.target_id, ItemStatus.DONE, used_how="Daglig"),
                )
            else:  # preparing for the next MUS: ticked off by hand
                schedule = mark_done(schedule, r.id, today)
        schedule = reconcile(schedule, record)
        assert due([schedule], [record], today) == ()
    assert seen == {r.id: [r.due] for r in schedule.reminders}
    assert all(r.done_on == r.due for r in schedule.reminders)
    # Nothing the calendar shows changed, so no revision moved.
    assert {r.revision for r in schedule.reminders} == {0}


def test_a_missed_self_review_stays_overdue_until_a_check_in() -> None:
    record = make_record(MEETING)
    schedule = propose_schedule(record)
    q1 = schedule.reminder("self_review:3")
    assert q1 is not None
    for today in _days(q1.due, 30):
        [d] = [d for d in due([schedule], [record], today) if d.reminder.id == q1.id]
        assert d.days_overdue == (today - q1.due).days
    late = q1.due + timedelta(days=30)
    record = check_in(record, late)
    # due() reads follow-ups from the records, even before the schedule is reconciled.
    assert q1.id not in {d.reminder.id for d in due([schedule], [record], late)}
    schedule = reconcile(schedule, record)
    assert schedule.reminder(q1.id).done_on == late  # type: ignore[union-attr]


def test_a_check_in_a_few_days_early_counts() -> None:
    record = make_record(MEETING)
    schedule = propose_schedule(record)
    q1 = schedule.reminder("self_review:3")
    assert q1 is not None
    record = check_in(record, q1.due - timedelta(days=5))
    schedule = reconcile(schedule, record)
    done = schedule.reminder(q1.id)
    assert done is not None
    assert done.done_on == q1.due - timedelta(days=5)
    assert done.revision == 1  # done before its day: the calendar drops the event
    assert not any(d.reminder.id == q1.id for d in due([schedule], [record], q1.due))
    # A check-in long before does not count.
    schedule2 = reconcile(
        propose_schedule(make_record(MEETING)),
        check_in(make_record(MEETING), MEETING + timedelta(days=20)),
    )
    assert schedule2.reminder(q1.id).is_open  # type: ignore[union-attr]


def _on(schedule: Schedule, reminder_id: str, day: date) -> Schedule:
    return edit_schedule(schedule, reminder_id, due=day)


def test_nine_o_clock_local_across_daylight_saving_changes() -> None:
    record = make_record(date(2025, 12, 29))
    schedule = propose_schedule(record)
    # The user puts reminders on the days the clocks change (Sundays, kept as set).
    cases = {
        "self_review:3": date(2026, 3, 29),  # last Sunday of March: CET → CEST
        "mini_mus:6": date(2026, 3, 28),  # the day before, still CET
        "self_review:9": date(2026, 10, 25),  # last Sunday of October: CEST → CET
        "prepare_next_mus": date(2026, 10, 24),
    }
    for rid, day in cases.items():
        schedule = _on(schedule, rid, day)
    offsets = {}
    for rid, day in cases.items():
        r = schedule.reminder(rid)
        assert r is not None and r.due == day and r.pinned
        moment = starts_at(r)
        assert (moment.date(), moment.hour, moment.minute) == (day, 9, 0)
        offsets[rid] = moment.utcoffset()
        assert today_in_copenhagen(moment) == day
    assert offsets == {
        "self_review:3": timedelta(hours=2),
        "mini_mus:6": timedelta(hours=1),
        "self_review:9": timedelta(hours=1),
        "prepare_next_mus": timedelta(hours=2),
    }
    # Due on those days, not the day before, whatever the offset.
    for rid, day in cases.items():
        before = {d.reminder.id for d in due([schedule], [record], day - timedelta(days=1))}
        on = {d.reminder.id for d in due([schedule], [record], day)}
        assert rid not in before and rid in on
    # A pinned date survives reconcile.
    assert reconcile(schedule, record) == schedule


def test_today_in_copenhagen_near_midnight() -> None:
    from datetime import UTC, datetime

    assert today_in_copenhagen(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == date(2026, 3, 29)
    assert today_in_copenhagen(datetime(2026, 7, 1, 21, 59, tzinfo=UTC)) == date(2026, 7, 1)
    assert today_in_copenhagen(datetime(2026, 7, 1, 22, 0, tzinfo=UTC)) == date(2026, 7, 2)

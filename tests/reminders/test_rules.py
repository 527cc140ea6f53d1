"""The proposed schedule: month arithmetic, weekends, leap days, agreed dates."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mus.model import ProcessPlan
from mus.reminders import (
    ReminderKind,
    ScheduleSettings,
    add_months,
    propose_schedule,
    weekday_or_friday_before,
)
from tests.reminders.builders import make_record

_days = st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2027, 11, 30), 3, date(2028, 2, 29)),
        (date(2028, 2, 29), 3, date(2028, 5, 29)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 10, 31), 2, date(2026, 12, 31)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_add_months_clamps_to_the_last_day(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


@given(_days, st.integers(min_value=0, max_value=24))
def test_add_months_keeps_the_day_or_clamps(day: date, months: int) -> None:
    got = add_months(day, months)
    assert (got.year * 12 + got.month) - (day.year * 12 + day.month) == months
    assert got.day == day.day or (got.day < day.day and (got + timedelta(days=1)).day == 1)


def test_weekends_move_to_the_friday_before() -> None:
    friday = date(2026, 6, 5)
    assert weekday_or_friday_before(date(2026, 6, 6)) == friday  # Saturday
    assert weekday_or_friday_before(date(2026, 6, 7)) == friday  # Sunday
    for offset in range(5):  # Monday to Friday stay
        day = date(2026, 6, 1) + timedelta(days=offset)
        assert weekday_or_friday_before(day) == day


def test_the_proposal_for_a_plain_plan() -> None:
    record = make_record(
        date(2026, 1, 15), activities=(("a-1", "goal-1", date(2026, 3, 16), date(2026, 5, 4)),)
    )
    schedule = propose_schedule(record)
    got = {r.id: (r.kind, r.due, r.anchor) for r in schedule.reminders}
    assert {r.time for r in schedule.reminders} == {"09:00"}
    assert got == {
        "self_review:3": (ReminderKind.SELF_REVIEW, date(2026, 4, 15), date(2026, 4, 15)),
        "mini_mus:6": (ReminderKind.MINI_MUS, date(2026, 7, 15), date(2026, 7, 15)),
        "self_review:9": (ReminderKind.SELF_REVIEW, date(2026, 10, 15), date(2026, 10, 15)),
        "prepare_next_mus": (ReminderKind.PREPARE_NEXT_MUS, date(2026, 12, 25), date(2027, 1, 15)),
        "activity_deadline:a-1": (
            ReminderKind.ACTIVITY_DEADLINE,
            date(2026, 3, 9),
            date(2026, 3, 16),
        ),
        "activity_follow_up:a-1": (
            ReminderKind.ACTIVITY_FOLLOW_UP,
            date(2026, 5, 4),
            date(2026, 5, 4),
        ),
    }
    assert all(r.revision == 0 and r.is_open for r in schedule.reminders)
    assert [r.due for r in schedule.reminders] == sorted(r.due for r in schedule.reminders)
    assert schedule.agreed_on == date(2026, 1, 15)  # no agreed date: the meeting's


def test_a_meeting_on_a_leap_day() -> None:
    schedule = propose_schedule(make_record(date(2028, 2, 29)))
    dues = {r.id: r.due for r in schedule.reminders}
    assert dues["self_review:3"] == date(2028, 5, 29)
    assert dues["mini_mus:6"] == date(2028, 8, 29)
    assert dues["self_review:9"] == date(2028, 11, 29)
    prep = schedule.reminder("prepare_next_mus")
    assert prep is not None
    assert prep.anchor == date(2029, 2, 28)  # a year on, clamped
    assert prep.due == date(2029, 2, 28) - timedelta(weeks=3) == date(2029, 2, 7)


def test_a_deadline_on_a_weekend() -> None:
    record = make_record(
        date(2026, 1, 15),
        activities=(
            ("sat", "goal-1", date(2026, 6, 13), None),  # Saturday: 6 Jun is a Saturday too
            ("sun", "goal-1", date(2026, 6, 14), None),  # Sunday: 7 Jun is a Sunday
            ("mon", "goal-1", date(2026, 6, 15), None),  # Monday: 8 Jun, a Monday, stays
            ("wed", "goal-1", date(2026, 6, 10), None),  # Wednesday: lead lands on Wednesday
        ),
    )
    schedule = propose_schedule(record)
    dues = {r.target_id: r.due for r in schedule.reminders if r.target_id}
    assert dues == {
        "sat": date(2026, 6, 5),
        "sun": date(2026, 6, 5),
        "mon": date(2026, 6, 8),
        "wed": date(2026, 6, 3),
    }


def test_a_computed_quarter_on_a_sunday_moves_but_an_agreed_date_stays() -> None:
    meeting = date(2025, 12, 29)  # +3 months = Sunday 29 March 2026
    computed = propose_schedule(make_record(meeting))
    assert computed.reminder("self_review:3").due == date(2026, 3, 27)  # type: ignore[union-attr]
    agreed = make_record(meeting)
    agreed = replace(
        agreed, process_plan=ProcessPlan(follow_up_dates=(date(2026, 3, 29), date(2026, 7, 2)))
    )
    schedule = propose_schedule(agreed)
    assert schedule.reminder("self_review:3").due == date(2026, 3, 29)  # type: ignore[union-attr]
    assert schedule.reminder("mini_mus:6").due == date(2026, 7, 2)  # type: ignore[union-attr]
    assert schedule.reminder("self_review:9").due == date(2026, 9, 29)  # type: ignore[union-attr]


def test_no_reminder_before_the_plan_was_agreed() -> None:
    record = make_record(
        date(2026, 1, 15), activities=(("a-1", "goal-1", date(2026, 1, 28), None),)
    )
    schedule = propose_schedule(record, agreed_on=date(2026, 1, 26))
    assert schedule.reminder("activity_deadline:a-1").due == date(2026, 1, 26)  # type: ignore[union-attr]


def test_settings_change_the_rhythm() -> None:
    settings = ScheduleSettings(
        quarter_months=2, mini_mus_after_months=5, days_before_deadline=14, time_of_day="07:30"
    )
    record = make_record(
        date(2026, 1, 15), activities=(("a-1", "goal-1", date(2026, 3, 18), None),)
    )
    schedule = propose_schedule(record, settings)
    ids = [
        r.id
        for r in schedule.reminders
        if r.kind in {ReminderKind.SELF_REVIEW, ReminderKind.MINI_MUS}
    ]
    assert sorted(ids) == sorted(
        [
            "self_review:2",
            "self_review:4",
            "mini_mus:5",
            "self_review:6",
            "self_review:8",
            "self_review:10",
        ]
    )
    assert schedule.reminder("activity_deadline:a-1").due == date(2026, 3, 4)  # type: ignore[union-attr]
    assert {r.time for r in schedule.reminders} == {"07:30"}


def test_bad_settings_and_missing_dates_are_refused() -> None:
    with pytest.raises(ValueError, match="HH:MM"):
        ScheduleSettings(time_of_day="9:00")
    with pytest.raises(ValueError, match="positive"):
        ScheduleSettings(days_before_deadline=-1)
    record = make_record(date(2026, 1, 15))
    bare = replace(record, conversation=replace(record.conversation, meeting_date=None))
    with pytest.raises(ValueError, match="meeting date"):
        propose_schedule(bare)


@given(_days)
def test_computed_reminders_fall_on_weekdays_after_the_agreement(meeting: date) -> None:
    when = meeting + timedelta(days=40)
    record = make_record(meeting, activities=(("a-1", "goal-1", when, when + timedelta(days=9)),))
    schedule = propose_schedule(record)
    assert len(schedule.reminders) == 6
    for r in schedule.reminders:
        assert r.due.weekday() < 5
        assert r.due >= meeting
        assert r.anchor is not None and r.due <= r.anchor

"""The .ics export, parsed back with icalendar and checked field by field."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component, Event

from mus import plans
from mus.calendar import UID_DOMAIN, reminder_uid, schedule_ics, single_ics
from mus.model import Activity, ConversationRecord
from mus.reminders import (
    PlannedReminder,
    Schedule,
    ScheduleSettings,
    edit_schedule,
    propose_schedule,
    reconcile,
)
from tests.reminders.builders import make_record

NOW = datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
CPH = ZoneInfo("Europe/Copenhagen")


def _record() -> ConversationRecord:
    return make_record(
        date(2026, 1, 15),
        activities=(("a-1", "goal-1", date(2026, 3, 30), date(2026, 10, 26)),),
    )


def _events(data: bytes) -> dict[str, Event]:
    cal = Calendar.from_ical(data)
    assert isinstance(cal, Calendar)
    return {str(e["UID"]): e for e in cal.events}


def _dt(component: Component, name: str) -> Any:
    """The decoded value (icalendar types properties as a wide union)."""
    return component.decoded(name)


def _tzid(event: Event) -> str:
    prop: Any = event["DTSTART"]
    return str(prop.params["TZID"])


def _activity(record: ConversationRecord, activity_id: str) -> Activity:
    found = record.activity(activity_id)
    assert found is not None
    return found


def _reminder(schedule: Schedule, reminder_id: str) -> PlannedReminder:
    found = schedule.reminder(reminder_id)
    assert found is not None
    return found


def test_every_reminder_is_an_event_with_its_fields() -> None:
    schedule = propose_schedule(_record())
    data = schedule_ics([schedule], "da", NOW)
    cal = Calendar.from_ical(data)
    assert cal["VERSION"] == "2.0"
    assert str(cal["PRODID"]).startswith("-//Musling//")
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Copenhagen"]
    events = _events(data)
    assert len(events) == len(schedule.reminders)
    for r in schedule.reminders:
        uid = reminder_uid("c-1", r.id)
        assert uid.endswith(f"@{UID_DOMAIN}")
        e = events[uid]
        assert _dt(e, "SEQUENCE") == r.revision == 0
        start = _dt(e, "DTSTART")
        assert _tzid(e) == "Europe/Copenhagen"
        assert start == datetime.combine(r.due, datetime.min.time(), CPH).replace(hour=9)
        assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Copenhagen"
        assert _dt(e, "DURATION") == timedelta(minutes=15)
        assert _dt(e, "DTSTAMP") == NOW
        assert str(e["STATUS"]) == "CONFIRMED"
        assert str(e["CLASS"]) == "PRIVATE"
        assert str(e["TRANSP"]) == "TRANSPARENT"
        [alarm] = e.walk("VALARM")
        assert str(alarm["ACTION"]) == "DISPLAY"
        assert _dt(alarm, "TRIGGER") == timedelta(0)
        assert str(alarm["DESCRIPTION"]) == str(e["SUMMARY"])
    summaries = {str(e["SUMMARY"]) for e in events.values()}
    assert "Selvevaluering af din udviklingsplan" in summaries
    assert "Mini-MUS med din leder" in summaries
    assert "Snart frist: Kursus a-1" in summaries
    deadline = events[reminder_uid("c-1", "activity_deadline:a-1")]
    assert "30. marts 2026" in str(deadline["DESCRIPTION"])  # Babel's Danish long date


def test_times_across_daylight_saving_parse_back_as_nine_local() -> None:
    record = _record()
    schedule = edit_schedule(propose_schedule(record), "self_review:3", due=date(2026, 3, 29))
    events = _events(schedule_ics([schedule], "da", NOW))
    # 30 March 2026 is the day after the change; the deadline reminder is 23 March (CET).
    spring = _dt(events[reminder_uid("c-1", "self_review:3")], "DTSTART")
    before = _dt(events[reminder_uid("c-1", "activity_deadline:a-1")], "DTSTART")
    autumn = _dt(events[reminder_uid("c-1", "activity_follow_up:a-1")], "DTSTART")  # 26 Oct, CET
    assert (spring.hour, spring.utcoffset()) == (9, timedelta(hours=2))
    assert (before.hour, before.utcoffset()) == (9, timedelta(hours=1))
    assert (autumn.hour, autumn.utcoffset()) == (9, timedelta(hours=1))
    assert spring.astimezone(UTC).hour == 7 and before.astimezone(UTC).hour == 8


def test_importing_twice_updates_instead_of_duplicating() -> None:
    record = _record()
    first = propose_schedule(record)
    v1 = _events(schedule_ics([first], "da", NOW))
    moved = plans.with_activity(record, replace(_activity(record, "a-1"), when=date(2026, 4, 20)))
    second = reconcile(first, moved)
    second = edit_schedule(second, "self_review:9", cancelled=True)
    v2 = _events(schedule_ics([second], "da", NOW + timedelta(days=1)))
    assert v1.keys() == v2.keys()
    changed = {reminder_uid("c-1", "activity_deadline:a-1"), reminder_uid("c-1", "self_review:9")}
    for uid, e in v2.items():
        old = _dt(v1[uid], "SEQUENCE")
        assert _dt(e, "SEQUENCE") == (old + 1 if uid in changed else old)
    assert _dt(e, "DTSTAMP") == NOW + timedelta(days=1)
    moved_event = v2[reminder_uid("c-1", "activity_deadline:a-1")]
    assert _dt(moved_event, "DTSTART").date() == date(2026, 4, 13)
    cancelled = v2[reminder_uid("c-1", "self_review:9")]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert cancelled.walk("VALARM") == []
    # A third export of the same schedule is byte-identical but for DTSTAMP.
    again = schedule_ics([second], "da", NOW + timedelta(days=1))
    assert again == schedule_ics([second], "da", NOW + timedelta(days=1))


def test_a_single_reminder_has_the_same_uid_and_sequence() -> None:
    schedule = edit_schedule(propose_schedule(_record()), "mini_mus:6", time_of_day="13:15")
    r = _reminder(schedule, "mini_mus:6")
    [event] = _events(single_ics(schedule, "mini_mus:6", "en", NOW)).values()
    assert str(event["UID"]) == reminder_uid("c-1", "mini_mus:6")
    assert _dt(event, "SEQUENCE") == r.revision == 1
    assert _dt(event, "DTSTART").hour == 13 and _dt(event, "DTSTART").minute == 15
    assert str(event["SUMMARY"]) == "Mini-MUS with your leader"
    with pytest.raises(KeyError):
        single_ics(schedule, "nope", "da", NOW)


def test_alarm_lead_time_from_the_settings() -> None:
    record = _record()
    schedule = propose_schedule(record, ScheduleSettings(alarm_minutes_before=30))
    for e in _events(schedule_ics([schedule], "da", NOW)).values():
        assert _dt(e.walk("VALARM")[0], "TRIGGER") == timedelta(minutes=-30)


def test_no_personal_notes_leave_the_vault() -> None:
    record = _record()
    secret = "Hemmelig note om min leder"
    activity = replace(
        _activity(record, "a-1"), follow_up_how=secret, use_of_skills=secret, description="Kursus"
    )
    record = plans.with_activity(record, activity)
    record = replace(record, conversation=replace(record.conversation, meeting_place=secret))
    schedule = propose_schedule(record)
    data = schedule_ics([schedule], "da", NOW).decode()
    for text in (secret, "Test Eksempel", "Leder Eksempel", "Mål goal-1", "c-1"):
        assert text not in data
    assert "Kursus" in data
    hidden = schedule_ics([schedule], "da", NOW, include_activity_text=False).decode()
    assert "Kursus" not in hidden
    assert "en aktivitet i din udviklingsplan" in hidden


def test_uids_differ_across_conversations_and_rules() -> None:
    uids = {reminder_uid(c, r) for c in ("c-1", "c-2") for r in ("self_review:3", "mini_mus:6")}
    assert len(uids) == 4
    assert reminder_uid("c-1", "self_review:3") == reminder_uid("c-1", "self_review:3")


def test_now_must_be_aware_and_empty_exports_are_valid() -> None:
    with pytest.raises(ValueError, match="aware"):
        schedule_ics([], "da", datetime(2026, 1, 1))
    cal = Calendar.from_ical(schedule_ics([], "da", NOW))
    assert cal.walk("VEVENT") == []

"""Reminders as an iCalendar (.ics) file, so they show in the phone's own calendar.

Pure apart from the ``icalendar`` library: schedules in, bytes out, no I/O, the
clock passed in as ``now`` (it only fills DTSTAMP).

Importing again updates instead of duplicating: each reminder's UID is derived
from its conversation's id and its rule id (:func:`reminder_uid`), and SEQUENCE is
the reminder's ``revision``, which :mod:`mus.reminders` bumps whenever the
date, time, text or status changes. Reminders nobody needs any more (cancelled,
stopped, done before their day) are exported with STATUS:CANCELLED so a calendar
that imported them before removes them.

Each VEVENT starts at the reminder's local time with TZID=Europe/Copenhagen
(and a VTIMEZONE covering the years used), lasts 15 minutes, is transparent
(not busy) and private, and carries a DISPLAY alarm.

Privacy: the calendar lies outside the encrypted vault and is often synced to
a cloud, so the file holds only the catalog's titles and bodies, the dates and
each activity's short description (cut to 60 characters; left out with
``include_activity_text=False``). Never names, goals, notes, feedback or the
meeting's place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from icalendar import Alarm, Calendar, Event
from icalendar.enums import CLASS, STATUS, TRANSP

from mus.i18n import Translator
from mus.reminders import (
    PlannedReminder,
    Schedule,
    calendar_status,
    reminder_text,
    starts_at,
)

PRODID = "-//Musling//Musling MUS follow-up//DA"
#: The domain of every UID: reserved (RFC 2606), so it can never clash with a real one.
UID_DOMAIN = "musling.invalid"
DURATION = timedelta(minutes=15)


def reminder_uid(conversation_id: str, reminder_id: str) -> str:
    """A stable UID from the conversation and the reminder's rule id; it says nothing
    about either (a hash), since the calendar is outside the vault."""
    digest = hashlib.sha256(f"{conversation_id}\x1f{reminder_id}".encode()).hexdigest()
    return f"{digest[:32]}@{UID_DOMAIN}"


def _event(
    schedule: Schedule,
    reminder: PlannedReminder,
    language: str,
    stamp: datetime,
    include_activity_text: bool,
) -> Event:
    text = reminder_text(reminder, language, include_activity_text=include_activity_text)
    status = STATUS(calendar_status(reminder))
    event = Event.new(
        uid=reminder_uid(schedule.conversation_id, reminder.id),
        start=starts_at(reminder),
        summary=text.title,
        description=text.body,
        sequence=reminder.revision,
        stamp=stamp,
        status=status,
        classification=CLASS.PRIVATE,
        transparency=TRANSP.TRANSPARENT,
    )
    event.add("DURATION", DURATION)
    if status is not STATUS.CANCELLED:
        alarm = Alarm.new(description=text.title)
        alarm.add("ACTION", "DISPLAY")
        alarm.add("TRIGGER", -timedelta(minutes=schedule.settings.alarm_minutes_before))
        event.add_component(alarm)
    return event


def _calendar(
    items: Iterable[tuple[Schedule, PlannedReminder]],
    language: str,
    now: datetime,
    include_activity_text: bool,
) -> bytes:
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    stamp = now.astimezone(UTC)
    t = Translator(language)
    cal = Calendar.new(
        prodid=PRODID,
        uid=f"calendar@{UID_DOMAIN}",
        name=t("reminder.calendar.name"),
        description=t("reminder.calendar.description"),
        method="PUBLISH",
    )
    years: list[int] = []
    for schedule, reminder in items:
        cal.add_component(_event(schedule, reminder, language, stamp, include_activity_text))
        years.append(reminder.on.year)
    if years:
        # A VTIMEZONE covering the years used, so the file does not depend on the clock.
        cal.add_missing_timezones(
            first_date=date(min(years) - 1, 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    data: bytes = cal.to_ical()
    return data


def schedule_ics(
    schedules: Iterable[Schedule],
    language: str,
    now: datetime,
    *,
    include_activity_text: bool = True,
) -> bytes:
    """Every reminder of the schedules as one calendar (cancelled ones as CANCELLED).

    ``now`` (aware) fills DTSTAMP only.
    """
    items = ((s, r) for s in schedules for r in s.reminders)
    return _calendar(items, language, now, include_activity_text)


def single_ics(
    schedule: Schedule,
    reminder_id: str,
    language: str,
    now: datetime,
    *,
    include_activity_text: bool = True,
) -> bytes:
    """One reminder as a calendar file (same UID and SEQUENCE as in the full export).

    ``KeyError`` for an unknown reminder id.
    """
    reminder = schedule.reminder(reminder_id)
    if reminder is None:
        raise KeyError(reminder_id)
    return _calendar([(schedule, reminder)], language, now, include_activity_text)

"""The example's schedule, the texts and their catalogs."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources

from hypothesis import given, settings
from hypothesis import strategies as st

from mus.demo import example_conversation, example_schedule
from mus.i18n import catalog, placeholders
from mus.reminders import (
    REMINDER_KEYS,
    DueReminder,
    ReminderKind,
    counts,
    due,
    format_day,
    reconcile,
    relative_day,
    reminder_text,
    upcoming,
)

TODAY = date(2026, 5, 1)


def test_the_example_has_due_and_upcoming_reminders() -> None:
    schedule = example_schedule(TODAY)
    record = example_conversation(TODAY)
    now = due([schedule], [record], TODAY)
    # The quick talk after the training on the job never happened: overdue.
    assert [d.reminder.id for d in now] == ["activity_follow_up:activity-2"]
    assert now[0].overdue
    soon = upcoming([schedule], [record], TODAY, days=30)
    assert [d.reminder.id for d in soon] == ["activity_deadline:activity-4"]
    later = {d.reminder.kind for d in upcoming([schedule], [record], TODAY, days=365)}
    assert later >= {
        ReminderKind.MINI_MUS,
        ReminderKind.SELF_REVIEW,
        ReminderKind.PREPARE_NEXT_MUS,
        ReminderKind.ACTIVITY_FOLLOW_UP,
    }
    # The check-in after three months cleared the first self-review and the course's reminders.
    done = {r.id for r in schedule.reminders if r.done_on is not None}
    assert {
        "self_review:3",
        "activity_deadline:activity-1",
        "activity_follow_up:activity-1",
    } <= done
    assert counts([schedule], [record], TODAY).badge == 1
    assert reconcile(schedule, record) == schedule


@settings(max_examples=30, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)))
def test_the_example_always_has_something_due_and_coming(today: date) -> None:
    schedule = example_schedule(today)
    record = example_conversation(today)
    assert due([schedule], [record], today)
    assert upcoming([schedule], [record], today, days=30)


def test_danish_dates_come_from_babel() -> None:
    assert format_day(date(2026, 11, 24), "da") == "24. november 2026"
    assert format_day(date(2026, 11, 24), "en") == "24 November 2026"
    assert format_day(date(2026, 11, 24), "xx") == "24. november 2026"


def test_texts_in_both_languages() -> None:
    schedule = example_schedule(TODAY)
    for r in schedule.reminders:
        for language in ("da", "en"):
            text = reminder_text(r, language)
            assert text.title and text.body and text.when
            assert "{" not in text.title + text.body
            assert not text.title.startswith("reminder.")
    follow_up = schedule.reminder("activity_follow_up:activity-2")
    assert follow_up is not None
    r = follow_up
    assert reminder_text(r).title.startswith("Opfølgning: Sidemandsoplæring")
    assert len(reminder_text(r).title) <= len("Opfølgning: ") + 60
    assert reminder_text(r, include_activity_text=False).title == (
        "Opfølgning: en aktivitet i din udviklingsplan"
    )


def test_relative_days() -> None:
    r = example_schedule(TODAY).reminders[0]

    def at(n: int) -> str:
        return relative_day(DueReminder("x", r, TODAY, n))

    assert [at(0), at(1), at(5), at(-1), at(-3)] == [
        "I dag",
        "1 dag over tiden",
        "5 dage over tiden",
        "I morgen",
        "Om 3 dage",
    ]
    assert relative_day(DueReminder("x", r, TODAY - timedelta(days=2), 2), "en") == "2 days overdue"


def test_reminder_catalogs_hold_exactly_the_keys_used() -> None:
    folder = resources.files("mus.i18n")
    for language in ("da", "en"):
        own = json.loads(folder.joinpath(f"reminders.{language}.json").read_text("utf-8"))
        assert set(own) == set(REMINDER_KEYS)
        assert all(k.startswith("reminder.") for k in own)
        assert catalog(language).keys() >= REMINDER_KEYS
    for key in REMINDER_KEYS:
        assert placeholders(catalog("da")[key]) == placeholders(catalog("en")[key])

"""The year in view: every reminder of the year, in the list's order, each with its
kind, day and state; done and cancelled ones stay and can be restored."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from mus import plans
from mus.calendar import schedule_ics
from mus.demo import example_bundle
from mus.i18n import Translator
from mus.model import CheckInTarget, ConversationRecord, ItemStatus
from mus.reminders import (
    EntryState,
    PlannedReminder,
    ReminderKind,
    ReminderYear,
    Schedule,
    YearEntry,
    due,
    edit_schedule,
    entry_name,
    entry_title,
    format_month,
    kind_key,
    mark_done,
    propose_schedule,
    reconcile,
    reminder_text,
    restore,
    settle,
    state_text,
    year,
)
from storage.codec import from_document, to_document
from tests.reminders.builders import check_in, item, make_record, mini_mus

TODAY = date(2026, 11, 24)  # the UI tests' day
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


def _get(schedule: Schedule, reminder_id: str) -> PlannedReminder:
    r = schedule.reminder(reminder_id)
    assert r is not None
    return r


def _states(y: ReminderYear) -> dict[str, EntryState]:
    return {e.reminder.id: e.state for e in y.entries}


def test_the_example_shows_every_kind_of_the_year_once_in_order() -> None:
    bundle = example_bundle(TODAY)
    y = year([bundle.schedule], [bundle.record], TODAY)
    ids = [e.reminder.id for e in y.entries]
    assert sorted(ids) == sorted(r.id for r in bundle.schedule.reminders)
    assert {e.reminder.kind for e in y.entries} == set(ReminderKind)
    # Now: the follow-up that never happened; it is overdue.
    assert [(e.reminder.id, e.state) for e in y.now] == [
        ("activity_follow_up:activity-2", EntryState.OVERDUE)
    ]
    # Coming: month by month, soonest first, each entry in its own month.
    months = [g.month for g in y.coming]
    assert months == sorted(months) and len(set(months)) == len(months)
    assert all(m.day == 1 for m in months)
    for g in y.coming:
        assert all(e.on.replace(day=1) == g.month for e in g.entries)
        assert all(e.state is EntryState.UPCOMING for e in g.entries)
        assert [e.on for e in g.entries] == sorted(e.on for e in g.entries)
    # Closed: what the check-in after three months did, in the year's order.
    assert [e.reminder.id for e in y.closed] == [
        "activity_deadline:activity-2",
        "activity_deadline:activity-3",
        "activity_deadline:activity-1",
        "activity_follow_up:activity-1",
        "self_review:3",
    ]
    assert all(e.state is EntryState.DONE and e.restorable for e in y.closed)
    assert y.conversation_ids == {bundle.record.id}
    entry = y.entry(bundle.record.id, "mini_mus:6")
    assert entry is not None and entry.state is EntryState.UPCOMING
    assert y.entry(bundle.record.id, "nope") is None


def test_due_today_and_same_day_kinds_keep_the_rules_order() -> None:
    record = make_record(MEETING, activities=(("a-1", "goal-1", date(2026, 4, 22), None),))
    schedule = propose_schedule(record)
    q1 = _get(schedule, "self_review:3")
    assert _get(schedule, "activity_deadline:a-1").due == q1.due  # the same Wednesday
    y = year([schedule], [record], q1.due)
    assert [(e.reminder.id, e.state) for e in y.now] == [
        ("self_review:3", EntryState.DUE_TODAY),
        ("activity_deadline:a-1", EntryState.DUE_TODAY),
    ]


def test_a_cancelled_reminder_is_greyed_in_closed_and_restored() -> None:
    record = _record()
    schedule = propose_schedule(record)
    today = date(2026, 3, 1)
    cancelled = edit_schedule(schedule, "mini_mus:6", cancelled=True)
    y = year([cancelled], [record], today)
    (closed,) = y.closed
    assert (closed.reminder.id, closed.state, closed.restorable) == (
        "mini_mus:6",
        EntryState.CANCELLED,
        True,
    )
    assert state_text(closed, "da") == "Aflyst af dig"
    back = restore(cancelled, record, "mini_mus:6")
    assert _get(back, "mini_mus:6").is_open
    assert _get(back, "mini_mus:6").revision == 2  # cancelled and back: the calendar saw both
    assert _states(year([back], [record], today))["mini_mus:6"] is EntryState.UPCOMING


def test_done_by_a_check_in_reopens_and_stays_open() -> None:
    """ "Not done after all" sticks, though the check-in that did it is still there."""
    record = _record()
    schedule = propose_schedule(record)
    q1 = _get(schedule, "self_review:3").due
    done_record = check_in(record, q1 + timedelta(days=1))
    later = check_in(done_record, q1 + timedelta(days=20))  # a second check-in counts too
    settled = reconcile(schedule, later)
    assert _get(settled, "self_review:3").done_on == q1 + timedelta(days=1)
    today = q1 + timedelta(days=30)
    assert _states(year([settled], [later], today))["self_review:3"] is EntryState.DONE

    reopened = restore(settled, later, "self_review:3")
    r = _get(reopened, "self_review:3")
    assert r.done_on is None and r.reopened_after == q1 + timedelta(days=20)
    # Saving the record again (reconcile) and the lists keep it open and overdue.
    assert _get(reconcile(reopened, later), "self_review:3").is_open
    assert _states(year([reopened], [later], today))["self_review:3"] is EntryState.OVERDUE
    assert "self_review:3" in {d.reminder.id for d in due([reopened], [later], today)}
    # A check-in after the reopening does it again.
    again = check_in(later, today)
    assert _get(reconcile(reopened, again), "self_review:3").done_on == today


def test_done_by_hand_reopens() -> None:
    record = _record()
    schedule = propose_schedule(record)
    done = mark_done(schedule, "activity_deadline:a-1", date(2026, 6, 1))
    y = year([done], [record], date(2026, 6, 2))
    entry = y.entry(record.id, "activity_deadline:a-1")
    assert entry is not None and entry.state is EntryState.DONE
    assert state_text(entry, "da") == "Gjort 1. juni 2026"
    assert state_text(entry, "en") == "Done 1 June 2026"
    back = restore(done, record, "activity_deadline:a-1")
    assert _get(back, "activity_deadline:a-1").is_open
    assert _get(back, "activity_deadline:a-1").reopened_after is None


def test_a_reopened_mini_mus_waits_for_the_next_mini_mus() -> None:
    record = _record()
    schedule = propose_schedule(record)
    day = _get(schedule, "mini_mus:6").due
    held = mini_mus(record, day)
    settled = reconcile(schedule, held)
    assert _get(settled, "mini_mus:6").done_on == day
    reopened = restore(settled, held, "mini_mus:6")
    assert _get(reconcile(reopened, held), "mini_mus:6").is_open
    # A plain self-review does not stand in for it; the next mini-MUS does.
    assert _get(reconcile(reopened, check_in(held, day + timedelta(days=3))), "mini_mus:6").is_open
    again = mini_mus(held, day + timedelta(days=5))
    assert _get(reconcile(reopened, again), "mini_mus:6").done_on == day + timedelta(days=5)


def test_prepare_next_mus_done_by_a_new_plan_can_be_reopened() -> None:
    record = _record()
    schedule = propose_schedule(record)
    new = plans.carry_forward(record, new_id="c-2", now=datetime(2026, 12, 1, 10, tzinfo=UTC))
    settled = reconcile(schedule, record, successor=new)
    assert _get(settled, "prepare_next_mus").done_on == date(2026, 12, 1)
    reopened = restore(settled, record, "prepare_next_mus", successor=new)
    assert _get(reconcile(reopened, record, successor=new), "prepare_next_mus").is_open


def test_restore_leaves_open_and_stopped_reminders_and_refuses_bad_input() -> None:
    record = _record()
    schedule = propose_schedule(record)
    assert restore(schedule, record, "self_review:3") == schedule
    dropped = check_in(
        record, date(2026, 5, 1), item(CheckInTarget.ACTIVITY, "a-2", ItemStatus.DROPPED)
    )
    stopped = reconcile(schedule, dropped)
    assert restore(stopped, dropped, "activity_follow_up:a-2") == stopped
    with pytest.raises(KeyError):
        restore(schedule, record, "no-such-reminder")
    other = make_record(MEETING, conversation_id="c-other")
    with pytest.raises(ValueError, match="another conversation"):
        restore(schedule, other, "self_review:3")
    with pytest.raises(ValueError, match="another conversation"):
        settle(schedule, other)


def test_a_dropped_goal_shows_why_and_a_deleted_activity_is_left_out() -> None:
    record = _record()
    schedule = propose_schedule(record)
    today = date(2026, 5, 2)
    dropped = check_in(
        record, date(2026, 5, 1), item(CheckInTarget.GOAL, "goal-2", ItemStatus.DROPPED)
    )
    y = year([schedule], [dropped], today)  # settled on the fly, as due() does
    stopped = {e.reminder.id: e for e in y.closed if e.state is EntryState.STOPPED}
    assert set(stopped) == {"activity_deadline:a-2", "activity_follow_up:a-2"}
    assert not any(e.restorable for e in stopped.values())
    assert state_text(stopped["activity_deadline:a-2"], "da") == (
        "Stoppet: aktiviteten eller målet er droppet"
    )
    deleted = plans.without_activity(record, "a-2")
    ids = {e.reminder.id for e in year([reconcile(schedule, deleted)], [deleted], today).entries}
    assert "activity_deadline:a-2" not in ids and "activity_deadline:a-1" in ids


def test_a_replaced_plan_shows_only_what_still_runs() -> None:
    """Last year's plan has had its year: its history stays with it; a course agreed
    for after the new meeting still shows."""
    record = plans.with_activity(
        _record(), replace(_record().activities[1], when=date(2027, 3, 1), follow_up_when=None)
    )
    schedule = mark_done(propose_schedule(record), "self_review:3", date(2026, 4, 20))
    new = plans.carry_forward(record, new_id="c-2", now=datetime(2026, 12, 1, 10, tzinfo=UTC))
    new = replace(new, conversation=replace(new.conversation, meeting_date=date(2027, 1, 12)))
    new_schedule = propose_schedule(new)
    y = year([schedule, new_schedule], [record, new], date(2026, 12, 2))
    old = [e for e in y.entries if e.conversation_id == record.id]
    assert [(e.reminder.id, e.state) for e in old] == [
        ("activity_deadline:a-2", EntryState.UPCOMING)
    ]
    assert {e.conversation_id for e in y.entries} == {record.id, "c-2"}
    assert y.conversation_ids == {record.id, "c-2"}
    # A conversation that no longer exists has no year.
    assert year([schedule], [], date(2026, 12, 2)) == ReminderYear()


def test_each_entry_says_what_it_is_and_a_mini_mus_is_no_self_review() -> None:
    bundle = example_bundle(TODAY)
    mini = _get(bundle.schedule, "mini_mus:6")
    for language in ("da", "en"):
        t = Translator(language)
        self_review = t("check_in.kind.self_review")
        labels = {k: t(kind_key(k)) for k in ReminderKind}
        assert len(set(labels.values())) == len(ReminderKind)
        assert self_review not in labels[ReminderKind.MINI_MUS]
        assert "mini-MUS" in labels[ReminderKind.MINI_MUS].replace("Mini-MUS", "mini-MUS")
        text = reminder_text(mini, language)
        assert self_review not in text.title + text.body
        assert text.title.startswith("Mini-MUS")
    assert Translator("da")(kind_key(ReminderKind.SELF_REVIEW)) == "Kvartalsvis selvevaluering"
    # The calendar's event for the mini-MUS is named the same way.
    ics = schedule_ics([bundle.schedule], "da", datetime(2026, 11, 24, tzinfo=UTC)).decode()
    events = ics.split("BEGIN:VEVENT")[1:]
    summaries = [line for e in events for line in e.splitlines() if line.startswith("SUMMARY:")]
    assert summaries.count("SUMMARY:Mini-MUS med din leder") == 1
    assert sum("Selvevaluering" in s for s in summaries) == 2  # the two quarters


def test_states_in_words_and_months_as_headings() -> None:
    r = _get(propose_schedule(_record()), "self_review:3")

    def text(today: date, language: str = "da", **changes: object) -> str:
        return state_text(YearEntry("c-1", replace(r, **changes), today), language)  # type: ignore[arg-type]

    assert text(r.due) == "I dag"
    assert text(r.due + timedelta(days=3)) == "3 dage over tiden"
    assert text(r.due - timedelta(days=5), "en") == "In 5 days"
    assert text(r.due, cancelled=True, done_on=r.due) == "Aflyst af dig"
    assert format_month(date(2027, 1, 1), "da") == "Januar 2027"
    assert format_month(date(2027, 1, 1), "en") == "January 2027"


def test_a_reopened_reminder_survives_the_vault_codec() -> None:
    record = _record()
    schedule = reconcile(propose_schedule(record), check_in(record, date(2026, 4, 20)))
    reopened = restore(schedule, check_in(record, date(2026, 4, 20)), "self_review:3")
    assert from_document(Schedule, to_document(reopened)) == reopened
    # A schedule stored before the field existed still loads (the field's default).
    doc = to_document(schedule)
    for r in doc["reminders"]:
        r.pop("reopened_after")
    assert from_document(Schedule, doc) == schedule


def test_entry_titles_name_the_activity_or_the_kind() -> None:
    bundle = example_bundle(TODAY)
    deadline = _get(bundle.schedule, "activity_deadline:activity-5")
    assert entry_title(_get(bundle.schedule, "self_review:9")) == "Kvartalsvis selvevaluering"
    assert entry_title(_get(bundle.schedule, "prepare_next_mus"), "en") == "Prepare for next MUS"
    short = entry_title(deadline)
    assert short.endswith("…") and len(short) <= 60
    assert entry_name(deadline) == f"Frist for aktivitet – {short}"
    assert entry_name(_get(bundle.schedule, "mini_mus:6"), "en") == (
        "Half-yearly mini-MUS with your leader"
    )
    # The reminder's own screen shows the activity whole; the calendar keeps it short.
    whole = reminder_text(deadline, activity_chars=0).title
    assert "…" not in whole and len(whole) > len(reminder_text(deadline).title)
    assert reminder_text(deadline, include_activity_text=False, activity_chars=0).title == (
        "Snart frist: en aktivitet i din udviklingsplan"
    )

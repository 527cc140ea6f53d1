"""The agreed version: frozen snapshot, typed names, and a fingerprint of the content."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from mus.agreement import (
    AGREEMENT_PROBLEM_KEYS,
    AgreedVersion,
    Check,
    Confirmation,
    agree,
    blocked_reason,
    canonical_plan,
    changed_since,
    clean_text,
    confirmations,
    fingerprint,
    history,
    snapshot,
)
from mus.i18n import catalog
from mus.model import (
    Activity,
    ActivityKind,
    ConversationRecord,
    Goal,
    GoalKind,
    MeetingNotes,
    PrepNote,
    Responsible,
)
from tests.pdf.conftest import AGREED_AT, agree_confirmed, demo_record


def fp(record: ConversationRecord) -> str:
    return fingerprint(snapshot(record))


def test_fingerprint_is_16_lower_hex_digits_and_stable(record: ConversationRecord) -> None:
    value = fp(record)
    assert len(value) == 16
    assert value == value.lower()
    int(value, 16)
    assert fp(demo_record()) == value  # a fresh, equal record: the same fingerprint


def _changed_goal_values(goal: Goal) -> dict[str, Any]:
    return {
        "id": "goal-x",
        "kind": GoalKind.LONG_TERM if goal.kind is not GoalKind.LONG_TERM else GoalKind.PERSONAL,
        "title": goal.title + " (ændret)",
        "why": goal.why + ".",
        "success_signs": "Noget andet.",
        "strategy_item_ids": ("strategy-2",),
    }


def _changed_activity_values(a: Activity) -> dict[str, Any]:
    return {
        "id": "activity-x",
        "goal_id": "goal-2",
        "kind": ActivityKind.COACHING,
        "description": a.description + "!",
        "responsible": Responsible.LEADER,
        "responsible_other": "Nogen",
        "when": (a.when or date(2026, 1, 1)) + timedelta(days=1),
        "follow_up_how": "Anderledes",
        "follow_up_when": (a.follow_up_when or date(2026, 1, 1)) + timedelta(days=1),
        "use_of_skills": "Anderledes",
    }


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Goal)])
def test_changing_any_goal_field_changes_the_fingerprint(
    record: ConversationRecord, field: str
) -> None:
    goal = record.goals[0]
    changed = replace(goal, **{field: _changed_goal_values(goal)[field]})
    other = replace(record, goals=(changed, *record.goals[1:]))
    assert fp(other) != fp(record)


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Activity)])
def test_changing_any_activity_field_changes_the_fingerprint(
    record: ConversationRecord, field: str
) -> None:
    activity = record.activities[0]
    changed = replace(activity, **{field: _changed_activity_values(activity)[field]})
    other = replace(record, activities=(changed, *record.activities[1:]))
    assert fp(other) != fp(record)


@pytest.mark.parametrize("field", ["employee_name", "leader_name", "unit", "year"])
def test_changing_names_unit_or_year_changes_the_fingerprint(
    record: ConversationRecord, field: str
) -> None:
    c = record.conversation
    value = getattr(c, field)
    new: Any = value + 1 if isinstance(value, int) else value + " X"
    other = replace(record, conversation=replace(c, **{field: new}))
    assert fp(other) != fp(record)


def test_summary_and_follow_up_dates_are_part_of_the_agreed_content(
    record: ConversationRecord,
) -> None:
    said = replace(record, meeting_notes=replace(record.meeting_notes, summary="Andet referat"))
    dates = replace(
        record, process_plan=replace(record.process_plan, follow_up_dates=(date(2030, 1, 1),))
    )
    strengths = replace(record, feedback=replace(record.feedback, strengths="Andre styrker"))
    assert len({fp(record), fp(said), fp(dates), fp(strengths)}) == 4


def test_private_notes_and_timestamps_are_not(record: ConversationRecord) -> None:
    private = record.preparation.with_note(PrepNote("A1", "Helt privat", AGREED_AT, shared=False))
    later = replace(
        record,
        preparation=private,
        conversation=replace(record.conversation, updated_at=AGREED_AT + timedelta(days=3)),
    )
    assert fp(later) == fp(record)


def test_sharing_a_note_changes_it(record: ConversationRecord) -> None:
    note = record.preparation.note("A1")
    assert note is not None and not note.shared
    shared = replace(record, preparation=record.preparation.with_note(replace(note, shared=True)))
    assert fp(shared) != fp(record)


def test_nfc_and_nfd_give_the_same_fingerprint(record: ConversationRecord) -> None:
    title = "Blive tryg i at løse opgaver på tværs af år og ændringer"
    nfd = unicodedata.normalize("NFD", title)
    assert nfd != title
    a = replace(record, goals=(replace(record.goals[0], title=title), *record.goals[1:]))
    b = replace(record, goals=(replace(record.goals[0], title=nfd), *record.goals[1:]))
    assert fp(a) == fp(b)
    assert b"\xc3\xa6" in canonical_plan(snapshot(b))  # "æ" in NFC, as UTF-8


def test_invisible_characters_do_not_change_it(record: ConversationRecord) -> None:
    title = record.goals[0].title
    odd = replace(record.goals[0], title=f"  {title[:5]}\u200b{title[5:]}\x07 ")
    assert fp(replace(record, goals=(odd, *record.goals[1:]))) == fp(record)


def test_canonical_form_is_sorted_compact_json_without_export_time(
    record: ConversationRecord,
) -> None:
    raw = canonical_plan(snapshot(record))
    assert raw.startswith(b'{"content":')
    again = json.dumps(json.loads(raw), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    assert raw == again.encode("utf-8")
    assert b"created_at" not in raw and b"updated_at" not in raw


# ---------------------------------------------------------------- agree

#: The example's meeting is 27.07.2026; on the meeting day nothing is asked about the date.
ON_THE_DAY = datetime(2026, 7, 27, 12, 0, tzinfo=UTC)


def test_agree_freezes_a_version_with_what_was_typed(record: ConversationRecord) -> None:
    result = agree(record, "  Sofie Eksempel ", "Lars Eksempel", ON_THE_DAY)
    v = result.version
    assert v is not None and result.problems == () and result.unconfirmed == ()
    assert v.version == 1 and v.agreement.version == 1
    assert v.agreement.employee_typed == "Sofie Eksempel"
    assert v.agreement.agreed_at == ON_THE_DAY
    assert v.fingerprint == fp(record)
    assert v.plan.goals == record.goals
    with pytest.raises(dataclasses.FrozenInstanceError):
        v.version = 3  # type: ignore[misc]


def test_a_later_agreement_is_the_next_version_and_the_old_one_stays(
    record: ConversationRecord, version: AgreedVersion
) -> None:
    edited = replace(record, goals=(replace(record.goals[0], title="Nyt mål"), *record.goals[1:]))
    assert changed_since(edited, version)
    assert not changed_since(record, version)
    second = agree_confirmed(edited, "Sofie Eksempel", "Lars Eksempel", AGREED_AT, previous=version)
    assert second.version == 2
    assert second.fingerprint != version.fingerprint
    assert version.plan.goals[0].title == record.goals[0].title


@pytest.mark.parametrize(
    ("employee", "leader", "key"),
    [
        ("", "Lars Eksempel", "pdf.agreement.employee_typed.required"),
        ("Sofie Eksempel", " \u200b ", "pdf.agreement.leader_typed.required"),
    ],
)
def test_both_names_are_required(
    record: ConversationRecord, employee: str, leader: str, key: str
) -> None:
    result = agree(record, employee, leader, ON_THE_DAY)
    assert result.version is None
    assert [p.key for p in result.problems] == [key]
    reason = blocked_reason(record, None, employee, leader)
    assert reason is not None and reason.key == key


def test_a_name_unlike_the_plans_is_frozen_only_once_confirmed(
    record: ConversationRecord,
) -> None:
    result = agree(record, "sofie   EKSEMPEL", "B. Holm", ON_THE_DAY)
    assert result.version is None and result.problems == ()
    ask = Confirmation(Check.LEADER_NAME, typed="B. Holm", expected="Lars Eksempel")
    assert result.unconfirmed == (ask,)
    # Confirming another name (or another question) confirms nothing here.
    other = Confirmation(Check.LEADER_NAME, typed="B. Hol", expected="Lars Eksempel")
    assert agree(record, "Sofie Eksempel", "B. Holm", ON_THE_DAY, confirmed=[other]).version is None
    done = agree(record, "sofie   EKSEMPEL", "B. Holm", ON_THE_DAY, confirmed=[ask]).version
    assert done is not None and done.agreement.leader_typed == "B. Holm"


def test_case_and_spacing_alone_ask_nothing(record: ConversationRecord) -> None:
    assert confirmations(record, "SOFIE  eksempel", " lars eksempel ", ON_THE_DAY.date()) == ()


@pytest.mark.parametrize(
    ("days", "asked"), [(0, False), (7, False), (-7, False), (8, True), (-8, True)]
)
def test_a_meeting_more_than_a_week_from_agreeing_is_asked(
    record: ConversationRecord, days: int, asked: bool
) -> None:
    meeting = record.conversation.meeting_date
    assert meeting is not None
    on = meeting + timedelta(days=days)
    asks = confirmations(record, "Sofie Eksempel", "Lars Eksempel", on)
    ask = Confirmation(Check.MEETING_DATE, meeting_date=meeting, agreed_on=on)
    assert list(asks) == ([ask] if asked else [])
    assert [a.days for a in asks] == ([days] if asked else [])
    now = datetime(on.year, on.month, on.day, 10, 0, tzinfo=UTC)
    result = agree(record, "Sofie Eksempel", "Lars Eksempel", now)
    assert (result.version is None) is asked


def test_the_day_of_agreeing_is_copenhagens(record: ConversationRecord) -> None:
    meeting = record.conversation.meeting_date
    assert meeting is not None
    # 23:30 UTC on day 7 after the meeting is already day 8 in Copenhagen.
    late = datetime.combine(meeting + timedelta(days=7), datetime.min.time(), tzinfo=UTC)
    late = late.replace(hour=23, minute=30)
    assert agree(record, "Sofie Eksempel", "Lars Eksempel", late).unconfirmed


def test_no_meeting_date_asks_nothing_about_dates(record: ConversationRecord) -> None:
    undated = replace(record, conversation=replace(record.conversation, meeting_date=None))
    assert confirmations(undated, "Sofie Eksempel", "Lars Eksempel", date(2031, 1, 1)) == ()


def test_names_can_be_corrected_after_agreeing_as_a_new_version(
    record: ConversationRecord,
) -> None:
    ask = Confirmation(Check.LEADER_NAME, typed="B. Holm", expected="Lars Eksempel")
    first = agree(record, "Sofie Eksempel", "B. Holm", ON_THE_DAY, confirmed=[ask]).version
    assert first is not None
    # Unchanged plan, nothing typed (or the same names again): nothing new to agree.
    for employee, leader, key in (
        ("", "", "agree.blocked.agreed"),
        ("Sofie Eksempel", "B. Holm", "agree.blocked.same_names"),
    ):
        reason = blocked_reason(record, first, employee, leader)
        assert reason is not None and reason.key == key
        assert reason.kwargs == {"n": 1, "next": 2}
        blocked = agree(record, employee, leader, ON_THE_DAY, previous=first)
        assert blocked.version is None and blocked.problems
    # One name typed again: the other must be typed too.
    half = blocked_reason(record, first, "", "Lars Eksempel")
    assert half is not None and half.key == "pdf.agreement.employee_typed.required"
    assert blocked_reason(record, first, "Sofie Eksempel", "Lars Eksempel") is None
    later = datetime(2026, 7, 28, 9, 0, tzinfo=UTC)
    second = agree(record, "Sofie Eksempel", "Lars Eksempel", later, previous=first).version
    assert second is not None and second.version == 2
    assert second.fingerprint == first.fingerprint  # the same plan, corrected names
    assert second.agreement.leader_typed == "Lars Eksempel"
    assert first.agreement.leader_typed == "B. Holm"  # the old version never changes
    old, new = history([second, first])
    assert (old.version, old.replaced_by, old.names_only) == (first, 2, True)
    assert (new.version, new.replaced_by) == (second, None)


def test_history_says_a_changed_plan_replaced_the_old_version(
    record: ConversationRecord, version: AgreedVersion
) -> None:
    edited = replace(record, goals=(replace(record.goals[0], title="Nyt mål"), *record.goals[1:]))
    second = agree_confirmed(edited, "Sofie Eksempel", "Lars Eksempel", AGREED_AT, previous=version)
    old, new = history([version, second])
    assert (old.replaced_by, old.names_only) == (2, False)
    assert new.replaced_by is None
    assert history([]) == ()


def test_problem_keys_have_texts() -> None:
    for language in ("da", "en"):
        assert sorted(AGREEMENT_PROBLEM_KEYS - catalog(language).keys()) == []


def test_snapshot_keeps_topics_in_form_order_with_both_languages(
    record: ConversationRecord,
) -> None:
    topics = snapshot(record).summary.topics
    assert [t.question_id for t in topics] == list(record.form.question_ids)
    assert all(t.text_da and t.text_en for t in topics)
    empty = replace(record, meeting_notes=MeetingNotes())
    assert all(not t.covered and not t.said for t in snapshot(empty).summary.topics)


def test_clean_text() -> None:
    assert clean_text("a\r\nb\x00c\u202ed\t\te  \n") == "a\nbcd e"
    assert clean_text("e\u0301") == "é"
    assert clean_text("👍\ufe0f") == "👍"
    assert clean_text("שלום مرحبا") == "שלום مرحبا"

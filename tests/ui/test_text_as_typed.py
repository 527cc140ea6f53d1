"""Text exactly as typed (issue 10, part 3), in-process: no field asks the browser to
re-case text, a phone build only hints its keyboard, and the server stores what
arrives unchanged. (The real typing in Chromium: tests/e2e/test_text_and_sharing_e2e.py.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import flet as ft
import pytest
from icalendar import Calendar

from mus import calendar, plans
from mus.demo import EXAMPLE_ID, example_conversation
from mus.model import Activity, ActivityKind, ConversationRecord
from mus.reminders import propose_schedule
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI

ROOT = Path(__file__).resolve().parents[2]
ODD = "f.eks. sårpleje, bl.a. kompres, inden 1. februar, 15 min. hver"
MIXED = "æøå ÆØÅ 😀👍🏽\tmed tab\nanden linje, f.eks. 1. marts\n\n  sidste  "

#: Every screen with text fields, and the state it needs (the example is open).
ROUTES = [
    "/conversations/new",
    "/wheel/strategy",
    "/wheel/process",
    "/wheel/form",
    "/wheel/preparation",
    "/wheel/dialogue",
    "/wheel/feedback",
    "/wheel/goals/goal-1",
    "/wheel/evaluation",
    "/wheel/follow_up/check-in",
    "/plan",
    "/settings",
]


def text_fields(ui: UI) -> list[ft.TextField]:
    return [c for c in ui.controls() if isinstance(c, ft.TextField)]


def test_no_field_in_the_browser_asks_for_capitals(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    seen: dict[str, int] = {}

    async def scenario(ui: UI) -> None:
        assert ui.page.web  # the harness plays the browser
        await ui.unlock(PASSPHRASE)
        for route in ROUTES:
            await ui.go(route)
            fields = text_fields(ui)
            seen[route] = len(fields)
            assert [f.key for f in fields if f.capitalization is not None] == [], route

    play(scenario)
    assert all(seen.values()), seen  # every screen was really there, with its fields


def test_a_phone_build_only_hints_the_keyboard(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        # The client of an Android build says so; screens rendered after it follow.
        ui.session.apply_page_patch({"web": False, "platform": "android"})
        await ui.go("/wheel/preparation")
        assert ui.prop("prep-A1", "capitalization") == ft.TextCapitalization.SENTENCES
        await ui.go("/wheel/follow_up/check-in")
        assert ui.prop("check-in-overall-note", "capitalization") == (
            ft.TextCapitalization.SENTENCES
        )
        ui.session.apply_page_patch({"web": False, "platform": "linux"})
        await ui.go("/wheel/feedback")
        assert ui.prop("feedback-strengths", "capitalization") is None  # a desktop: no hint

    play(scenario)


def test_capitalization_is_set_in_one_place_only() -> None:
    """A new field can't bring the browser's re-casing back by copying an old one."""
    sources = {
        str(path.relative_to(ROOT)): path.read_text("utf-8")
        for path in (ROOT / "views").rglob("*.py")
    }
    assert [name for name, text in sources.items() if "TextCapitalization" in text] == [
        "views/widgets/fields.py"
    ]
    settings = [
        (name, m.group(1))
        for name, text in sources.items()
        for m in re.finditer(r"capitalization\s*=\s*([\w.]+)", text)
    ]
    assert settings
    assert {value for _, value in settings} == {"keyboard_capitalization"}, settings


def read(vault: VaultSession) -> ConversationRecord:
    vault.unlock(PASSPHRASE)
    try:
        record = vault.conversations().get(EXAMPLE_ID)
    finally:
        vault.lock()
    assert record is not None
    return record


@pytest.mark.parametrize("text", [ODD, MIXED])
def test_what_arrives_in_a_field_is_stored_unchanged(
    play: Callable[..., None], with_example: VaultSession, text: str
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        await ui.type("prep-A1", text)
        await ui.go("/wheel/goals/goal-1")
        await ui.type("goal-title", text)
        await ui.type("activity-description-activity-1", text)
        await ui.go("/wheel/feedback")
        await ui.type("feedback-strengths", text)

    play(scenario)
    r = read(with_example)
    note, goal, activity = r.preparation.note("A1"), r.goal("goal-1"), r.activity("activity-1")
    assert note is not None and goal is not None and activity is not None
    assert [note.text, goal.title, activity.description, r.feedback.strengths] == [text] * 4


def test_names_are_stored_as_typed(play: Callable[..., None], vault: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/conversations/new")
        await ui.type("employee-name", " ida\tf.eks. ")
        await ui.type("leader-name", "b. holm")
        await ui.type("unit", ODD)
        await ui.tap("start")

    play(scenario)
    vault.unlock(PASSPHRASE)
    try:
        (head,) = vault.conversations().list()
    finally:
        vault.lock()
    assert (head.employee_name, head.leader_name, head.unit) == (" ida\tf.eks. ", "b. holm", ODD)


def test_the_calendar_file_carries_an_activity_as_typed() -> None:
    """The .ics got the re-cased text too; its short activity text is the typed one."""
    typed = "f.eks. sårpleje, bl.a. kompres"  # shorter than a reminder's cut
    record = example_conversation(NOW.date())
    record = plans.with_activity(
        record,
        Activity(
            "act-odd", "goal-1", ActivityKind.COURSE, description=typed,
            when=NOW.date() + timedelta(days=30),
        ),
    )  # fmt: skip
    schedule = propose_schedule(record, agreed_on=NOW.date())
    ics = Calendar.from_ical(calendar.schedule_ics([schedule], "da", NOW))
    texts = [str(e.get("summary")) for e in ics.walk("VEVENT")]
    assert any(typed in text for text in texts), texts
    assert not any("F.Eks." in text for text in texts)

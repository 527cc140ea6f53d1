"""Navigation in a real Flet session: home, the wheel, all eight steps, back, jump."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import flet as ft
import pytest

from mus.demo import EXAMPLE_ID
from mus.i18n import Translator
from mus.model import StepMark, new_record
from mus.ports import MemoryPreferences
from mus.questions import default_form
from mus.wheel import ELEMENTS, STRATEGY
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from views.widgets.fields import WRAP_LINES
from views.widgets.scaffold import MAX_COLUMN
from views.widgets.theme import PAD

da = Translator("da")


def test_home_opens_in_danish_after_unlock(play: Callable[..., None]) -> None:
    async def scenario(ui: UI) -> None:
        assert ui.text_of("unlock-title") == "Lås op"
        await ui.unlock(PASSPHRASE)
        assert ui.route == "/"
        assert ui.text_of("home-title") == "Velkommen til Musling"

    play(scenario)


def test_walk_all_eight_steps_forward_then_back(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.tap("open-wheel")
        assert ui.route == "/wheel"
        await ui.tap("wheel-item-strategy")
        assert ui.text_of("step-title") == "Strategi"
        seen = []
        for _ in ELEMENTS:
            await ui.tap("step-next")
            seen.append(ui.text_of("step-title"))
        assert seen == [da(e.title_key) for e in ELEMENTS]
        assert ui.route == "/wheel/follow_up"
        # The last step's "next" leads back to the wheel.
        await ui.tap("step-next")
        assert ui.route == "/wheel"
        await ui.tap("wheel-item-follow_up")
        back_seen = []
        for _ in ELEMENTS:
            await ui.tap("step-previous")
            back_seen.append(ui.text_of("step-title"))
        assert back_seen == [da(e.title_key) for e in reversed((STRATEGY, *ELEMENTS[:-1]))]

    play(scenario)


def test_jump_from_the_wheel_and_back_gesture(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.tap("open-wheel")
        await ui.tap("wheel-item-goals")
        assert ui.route == "/wheel/goals"
        assert ui.text_of("step-title") == "Udviklingsmål"
        assert [v.route for v in ui.views()] == ["/", "/wheel", "/wheel/goals"]
        await ui.back()
        assert ui.route == "/wheel"
        await ui.back()
        assert ui.route == "/"

    play(scenario)


def test_wheel_shows_each_steps_state(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel")
        # The example is complete but for the year's follow-up.
        assert "Trin 5 · Færdig" in ui.texts()
        assert "Trin 8 · I gang" in ui.texts()
        await ui.go("/")
        assert ui.text_of("home-progress") == "7 af 8 trin er færdige"

    play(scenario)


def test_deep_link_waits_behind_the_lock(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        assert ui.find_all("step-title") == []
        await ui.unlock(PASSPHRASE)
        assert ui.text_of("step-title") == "Feedback"

    play(scenario, route="/wheel/feedback")


def test_unknown_route_is_friendly(play: Callable[..., None]) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        assert ui.text_of("not-found") == "Siden findes ikke"
        await ui.tap("go-home")
        assert ui.route == "/"

    play(scenario, route="/no/such/place")


def test_unknown_step_is_friendly(play: Callable[..., None]) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        assert ui.text_of("not-found") == "Siden findes ikke"

    play(scenario, route="/wheel/salary")


def test_language_switch_is_remembered(
    play: Callable[..., None], preferences: MemoryPreferences, with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.select_nav(3)
        assert ui.route == "/settings"
        await ui.change("language", "en")
        assert preferences.load().language == "en"
        await ui.go("/wheel/goals")
        assert ui.text_of("step-title") == "Development goals"

    play(scenario)

    async def after_restart(ui: UI) -> None:
        assert ui.text_of("unlock-title") == "Unlock"

    play(after_restart)


def test_a_tablet_gets_a_readable_column_and_a_phone_the_full_width(
    play: Callable[..., None],
) -> None:
    """The page's resize event (a tablet, a turned phone) sets the side margins."""

    async def resize(ui: UI, width: float, height: float) -> None:
        # As Flet's web client does: the page's new size, then the event.
        size = {"width": width, "height": height}
        ui.session.apply_page_patch(size)
        await ui.session.dispatch_event(ui.page._i, "resize", size)

    def side_padding(ui: UI) -> float:
        lists = [c for c in ui.controls() if isinstance(c, ft.ListView)]
        padding = lists[0].padding
        assert isinstance(padding, ft.Padding)
        return float(padding.left)

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        assert side_padding(ui) == PAD  # 390 wide: the phone's own margin
        await resize(ui, 1024.0, 1366.0)
        await ui.settle()
        assert side_padding(ui) == (1024 - MAX_COLUMN) / 2
        await ui.go("/wheel/preparation")
        assert side_padding(ui) == (1024 - MAX_COLUMN) / 2
        await resize(ui, 390.0, 844.0)
        await ui.settle()
        assert side_padding(ui) == PAD

    play(scenario)


@pytest.fixture
def suggested(vault: VaultSession) -> VaultSession:
    """A new conversation with the suggested form and nothing else, as "Start" makes it."""
    vault.unlock(PASSPHRASE)
    record = new_record("new-1", year=2026, employee_name="Ada", leader_name="Bo", unit="", now=NOW)
    vault.conversations().save(replace(record, form=default_form(first_conversation=True)))
    vault.lock()
    return vault


def test_the_suggested_form_is_not_done_until_the_user_says_so(
    play: Callable[..., None], suggested: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel")
        assert not [t for t in ui.texts() if t.endswith("· Færdig")]
        await ui.go("/wheel/form")
        assert ui.text_of("step-state") == "I gang"
        assert ui.prop("step-done", "value") is False
        assert ui.prop("step-done", "disabled") is False
        assert ui.text_of("step-done-help") == da("step.done_help")
        await ui.change("step-done", True)
        assert ui.text_of("step-state") == "Færdig"
        assert ui.prop("step-done", "value") is True
        assert ui.find_all("step-done-help") == []
        await ui.go("/wheel")
        assert "Trin 2 · Færdig" in ui.texts()
        # Taken back: in progress again.
        await ui.go("/wheel/form")
        await ui.change("step-done", False)
        assert ui.text_of("step-state") == "I gang"

    play(scenario, session=suggested)
    suggested.unlock(PASSPHRASE)
    record = suggested.conversations().get("new-1")
    suggested.lock()
    assert record is not None
    assert record.step_marks == (StepMark("form", done=False),)


def test_a_step_with_errors_cannot_be_marked_and_says_why(
    play: Callable[..., None], suggested: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals")
        assert ui.prop("step-done", "disabled") is False  # no goals: the user may skip them
        await ui.tap("goals-add-professional")
        await ui.back()
        assert ui.prop("step-done", "disabled") is True
        blocked = ui.text_of("step-done-blocked")
        assert da("field.goal.title.required") in blocked
        assert da("field.goal.activities.required") in blocked

    play(scenario, session=suggested)


def test_next_opens_a_new_list_so_the_next_step_starts_at_its_top(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """Each step's scrolling list has a key of its own (the real scroll: tests/e2e)."""

    def list_keys(ui: UI) -> list[str]:
        return [str(c.key) for c in ui.controls() if isinstance(c, ft.ListView) and c.key]

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/form")
        before = ui.find("step-title")
        assert list_keys(ui) == ["scroll:/wheel/form"]
        await ui.tap("step-next")
        assert list_keys(ui) == ["scroll:/wheel/preparation"]
        assert ui.find("step-title")._i != before._i  # a new control, not the old one moved

    play(scenario, session=with_example)


def test_a_check_in_opened_from_a_reminder_returns_to_the_reminder(
    play: Callable[..., None], example_year: VaultSession
) -> None:
    """Back and Save both lead to the reminder it was opened from, not to the wheel."""

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/reminders")
        await ui.tap(f"reminder-{EXAMPLE_ID}/mini_mus:6")
        reminder_route = ui.route
        await ui.tap("reminder-do")
        assert ui.route == f"{reminder_route}/check-in"
        assert [v.route for v in ui.views()][-2:] == [reminder_route, ui.route]
        await ui.tap("check-in-save")
        assert ui.route == reminder_route
        assert ui.find_all("reminder-title")

    play(scenario, session=example_year)


def test_one_paragraph_fields_wrap_and_enter_adds_no_line(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """Names, places, titles: never cut off after leaving them (they grow), and the
    keyboard's Enter finishes instead of breaking the line (a real browser: tests/e2e)."""

    def one_paragraph(ui: UI, key: str) -> None:
        field = ui.find(key)
        assert isinstance(field, ft.TextField)
        assert (field.multiline, field.min_lines, field.max_lines) == (False, 1, WRAP_LINES), key

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/conversations/new")
        for key in ("employee-name", "leader-name", "unit", "meeting-place"):
            one_paragraph(ui, key)
        await ui.go("/wheel/process")
        one_paragraph(ui, "meeting-place")
        await ui.go("/wheel/form")
        one_paragraph(ui, "own-question")
        await ui.go("/wheel/goals/goal-1")
        one_paragraph(ui, "goal-title")
        # Written text with room for several lines stays multiline.
        description = ui.find("activity-description-activity-1")
        assert isinstance(description, ft.TextField)
        assert (description.multiline, description.max_lines) == (True, None)

    play(scenario, session=with_example)

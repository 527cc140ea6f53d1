"""Development goals (step 6) and the goal editor, in a real Flet session over a real vault."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import flet as ft
import pytest

from mus.dates import format_date
from mus.demo import EXAMPLE_ID
from mus.i18n import Translator
from mus.model import ActivityKind, GoalKind, Responsible, new_record
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI, walk

da = Translator("da")
ODD = "Mål 😀 – æøå ÆØÅ “citat” مرحبا بالعالم " + "x" * 5000


@pytest.fixture
def empty(vault: VaultSession) -> VaultSession:
    """One new, empty conversation: every step not started."""
    vault.unlock(PASSPHRASE)
    record = new_record(
        "empty-1", year=2026, employee_name="Ada", leader_name="Bo", unit="", now=NOW
    )
    vault.conversations().save(record)
    vault.lock()
    return vault


def read_back(vault: VaultSession, conversation_id: str) -> Any:
    vault.unlock(PASSPHRASE)
    record = vault.conversations().get(conversation_id)
    vault.lock()
    assert record is not None
    return record


def dialog_controls(ui: UI) -> list[Any]:
    """Controls of open dialogs and snack bars (the harness walks the top view only)."""
    return list(walk(ui.page._dialogs.controls))


async def tap_in_dialog(ui: UI, key: str, event: str = "click") -> None:
    found = [c for c in dialog_controls(ui) if getattr(c, "key", None) == key]
    assert found, f"no dialog control {key!r}"
    await ui.session.dispatch_event(found[0]._i, event, None)
    await ui.settle()


async def undo_snack_bar(ui: UI) -> None:
    bars = [c for c in ui.page._dialogs.controls if isinstance(c, ft.SnackBar) and c.open]
    assert bars, "no snack bar"
    await ui.session.dispatch_event(bars[-1]._i, "action", None)
    await ui.settle()


def error_of(ui: UI, key: str) -> Any:
    control = ui.find(key)
    assert isinstance(control, ft.TextField)
    return control.error


async def leave(ui: UI, key: str) -> None:
    """Tap into a field and leave it without typing (focus, then blur)."""
    await ui.session.dispatch_event(ui.find(key)._i, "focus", None)
    await ui.session.dispatch_event(ui.find(key)._i, "blur", None)
    await ui.settle()


async def select(ui: UI, key: str, value: str) -> None:
    control = ui.find(key)
    ui.session.apply_patch(control._i, {"value": value})
    await ui.session.dispatch_event(control._i, "select", value)
    await ui.settle()


def test_add_a_goal_with_an_activity_and_the_step_is_done(
    play: Callable[..., None], empty: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel")
        assert "Trin 6 · Ikke startet" in ui.texts()
        await ui.tap("wheel-item-goals")
        await ui.tap(f"goals-add-{GoalKind.PROFESSIONAL}")
        assert ui.route == "/wheel/goals/goal-1"
        assert [v.route for v in ui.views()] == [
            "/",
            "/wheel",
            "/wheel/goals",
            "/wheel/goals/goal-1",
        ]
        # A new goal is an empty form, not a mistake: nothing red before anything is typed.
        assert error_of(ui, "goal-title") is None
        assert error_of(ui, "goal-success-signs") is None
        assert not ui.find_all("goal-activities-problem")
        # Tapped into and left empty: now the title says what it needs, and only the title.
        await leave(ui, "goal-title")
        assert error_of(ui, "goal-title") == da("field.goal.title.required")
        assert error_of(ui, "goal-success-signs") is None
        await ui.type("goal-title", "Blive tryg i digital selvbetjening")
        assert error_of(ui, "goal-title") is None
        await ui.type("goal-success-signs", "Jeg kan vise borgerne de fem mest brugte løsninger.")
        assert error_of(ui, "goal-success-signs") is None
        assert ui.find_all("goal-activities-problem")
        await ui.tap("activity-add")
        assert not ui.find_all("goal-activities-problem")
        # The new activity's empty fields are not errors either, until visited.
        assert error_of(ui, "activity-description-activity-1") is None
        assert error_of(ui, "activity-when-activity-1") is None
        await select(ui, "activity-kind-activity-1", ActivityKind.TRAINING_ON_THE_JOB.value)
        await ui.type("activity-description-activity-1", "Sidemandsoplæring ved standerne")
        await select(ui, "activity-responsible-activity-1", Responsible.OTHER.value)
        assert error_of(ui, "activity-responsible-other-activity-1") is None
        await leave(ui, "activity-responsible-other-activity-1")
        assert error_of(ui, "activity-responsible-other-activity-1") == da(
            "field.activity.responsible_other.required"
        )
        await ui.type("activity-responsible-other-activity-1", "HR")
        when = NOW.date() + timedelta(days=30)
        await ui.type("activity-when-activity-1", format_date(when))
        assert error_of(ui, "activity-when-activity-1") is None
        await ui.back()
        assert ui.route == "/wheel/goals"
        assert ui.text_of("goal-title-goal-1") == "Blive tryg i digital selvbetjening"
        assert ui.text_of("goal-summary-goal-1") == "Status: Ikke startet · 1 aktivitet"
        await ui.back()
        assert "Trin 6 · Færdig" in ui.texts()

    play(scenario, session=empty)
    record = read_back(empty, "empty-1")
    (goal,) = record.goals
    assert goal.kind is GoalKind.PROFESSIONAL
    assert goal.success_signs == "Jeg kan vise borgerne de fem mest brugte løsninger."
    (activity,) = record.activities
    assert activity.goal_id == "goal-1"
    assert activity.kind is ActivityKind.TRAINING_ON_THE_JOB
    assert activity.responsible is Responsible.OTHER
    assert activity.responsible_other == "HR"
    assert activity.when == NOW.date() + timedelta(days=30)


def test_delete_goal_asks_and_undo_brings_it_back(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals")
        before = ui.text_of("goal-title-goal-2")
        await ui.tap("goal-open-goal-2")
        assert ui.route == "/wheel/goals/goal-2"
        await ui.tap("goal-delete")
        # Asked first: cancelling keeps it.
        await tap_in_dialog(ui, "goal-delete-cancel")
        assert ui.route == "/wheel/goals/goal-2"
        await ui.tap("goal-delete")
        await tap_in_dialog(ui, "goal-delete-confirm")
        assert ui.route == "/wheel/goals"
        assert not ui.find_all("goal-card-goal-2")
        await undo_snack_bar(ui)
        assert ui.text_of("goal-title-goal-2") == before
        assert ui.text_of("goal-summary-goal-2").endswith(" · 2 aktiviteter")
        cards = [
            str(c.key) for c in ui.controls() if str(getattr(c, "key", "")).startswith("goal-card-")
        ]
        assert cards == ["goal-card-goal-1", "goal-card-goal-2", "goal-card-goal-3"]

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    assert [g.id for g in record.goals] == ["goal-1", "goal-2", "goal-3"]
    assert len(record.activities_for("goal-2")) == 2


def test_validation_shows_on_the_card_and_goes_when_typed(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals")
        assert "Trin 6 af 8" in ui.text_of("step-heading")
        await ui.tap(f"goals-add-{GoalKind.LONG_TERM}")
        await ui.back()
        # A fourth goal: the plan's own hint, and the new card says what is missing.
        assert ui.text_of("goals-too-many") == da("hint.goals.too_many", count=4)
        assert ui.text_of("goal-title-goal-4") == da("goals.untitled")
        problems = [
            t
            for t in ui.texts()
            if t
            in {
                da("field.goal.title.required"),
                da("field.goal.success_signs.required"),
                da("field.goal.activities.required"),
            }
        ]
        assert len(problems) == 3
        assert ui.text_of("step-state") == "I gang"
        await ui.tap("goal-open-goal-4")
        await ui.type("goal-title", "   ")
        assert error_of(ui, "goal-title") == da("field.goal.title.required")
        await ui.type("goal-title", "Lære at lede møder")
        assert error_of(ui, "goal-title") is None
        await ui.back()
        assert da("field.goal.title.required") not in ui.texts()
        assert ui.text_of("goal-title-goal-4") == "Lære at lede møder"

    play(scenario, session=with_example)


def test_a_past_date_for_a_new_activity_asks_once_and_is_kept(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals/goal-1")
        await ui.tap("activity-add")
        new = "activity-6"
        assert ui.find_all(f"activity-card-{new}")
        past = format_date(NOW.date() - timedelta(days=3))
        await ui.type(f"activity-when-{new}", past)
        assert error_of(ui, f"activity-when-{new}") == da("field.activity.when.past")
        assert ui.find(f"activity-when-{new}").value == past  # type: ignore[attr-defined]
        await ui.tap(f"activity-when-confirm-{new}")
        assert error_of(ui, f"activity-when-{new}") is None
        assert not ui.find_all(f"activity-when-confirm-{new}")
        # An old activity's date in the past is simply history: no question.
        assert not ui.find_all("activity-when-confirm-activity-1")

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    assert record.activity("activity-6").when == NOW.date() - timedelta(days=3)


def test_delete_activity_keeps_the_others_as_typed_and_undo(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals/goal-1")
        first = ui.find("activity-description-activity-1").value  # type: ignore[attr-defined]
        second = ui.find("activity-description-activity-2").value  # type: ignore[attr-defined]
        await ui.tap("activity-delete-activity-1")
        assert not ui.find_all("activity-card-activity-1")
        assert ui.find("activity-description-activity-2").value == second  # type: ignore[attr-defined]
        await undo_snack_bar(ui)
        assert ui.find("activity-description-activity-1").value == first  # type: ignore[attr-defined]
        assert ui.find("activity-description-activity-2").value == second  # type: ignore[attr-defined]

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    assert [a.id for a in record.activities_for("goal-1")] == ["activity-1", "activity-2"]


def test_odd_text_is_kept_as_typed(play: Callable[..., None], with_example: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals/goal-3")
        await ui.type("goal-title", ODD)
        await ui.type("goal-why", "שלום – RTL\nanden linje\tmed tab")
        await ui.type("goal-success-signs", ODD)
        await ui.type("activity-use-activity-5", ODD)
        await ui.change("goal-strategy-strategy-3", True)
        await ui.back()
        assert ui.text_of("goal-title-goal-3") == ODD

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    goal = record.goal("goal-3")
    assert goal.title == ODD
    assert goal.why == "שלום – RTL\nanden linje\tmed tab"
    assert goal.success_signs == ODD
    assert record.activity("activity-5").use_of_skills == ODD
    assert goal.strategy_item_ids == ("strategy-1", "strategy-2", "strategy-3")


def test_english_labels_and_unknown_goal(
    play: Callable[..., None], preferences: Any, with_example: VaultSession
) -> None:
    preferences.save(preferences.load().with_language("en"))
    en = Translator("en")

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals")
        assert ui.text_of(f"goals-heading-{GoalKind.PERSONAL}") == en("goals.kind.personal.heading")
        await ui.go("/wheel/goals/goal-1")
        assert ui.find("goal-title").label == en("goals.field.title")  # type: ignore[attr-defined]
        await ui.go("/wheel/goals/goal-99")
        assert ui.text_of("goal-missing") == en("goals.editor.not_found")
        await ui.go("/wheel/strategy/goal-1")
        assert ui.find_all("not-found")

    play(scenario)


def test_a_goal_opened_with_something_in_it_says_at_once_what_is_missing(
    play: Callable[..., None], empty: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals")
        await ui.tap(f"goals-add-{GoalKind.PERSONAL}")
        await ui.type("goal-title", "Sige fra i tide")
        await ui.back()
        await ui.tap("goal-open-goal-1")
        # Like its card: the signs and an activity are missing.
        assert error_of(ui, "goal-success-signs") == da("field.goal.success_signs.required")
        assert ui.find_all("goal-activities-problem")
        assert error_of(ui, "goal-title") is None

    play(scenario, session=empty)


def test_strategy_opened_from_a_goal_leads_back_to_the_goal(
    play: Callable[..., None], empty: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/goals")
        await ui.tap(f"goals-add-{GoalKind.PROFESSIONAL}")
        # No strategy yet: the goal offers the way there ...
        await ui.tap("goal-strategy-open")
        assert ui.route == "/wheel/goals/goal-1/strategy"
        assert ui.text_of("step-title") == "Strategi"
        assert [v.route for v in ui.views()] == [
            "/",
            "/wheel",
            "/wheel/goals",
            "/wheel/goals/goal-1",
            "/wheel/goals/goal-1/strategy",
        ]
        # ... and back (the arrow or the gesture) returns to the goal, not the wheel.
        assert not ui.find_all("step-next")
        await ui.tap("strategy-add-unit_task")
        await ui.type("strategy-strategy-1", "Digital selvbetjening")
        await ui.back()
        assert ui.route == "/wheel/goals/goal-1"
        assert ui.find_all("goal-strategy-strategy-1")
        # The button does the same.
        await ui.go("/wheel/goals/goal-1/strategy")
        await ui.tap("step-return-to-goal")
        assert ui.route == "/wheel/goals/goal-1"
        await ui.back()
        assert ui.route == "/wheel/goals"

    play(scenario, session=empty)
    record = read_back(empty, "empty-1")
    assert [s.text for s in record.strategy_items] == ["Digital selvbetjening"]


def test_strategy_under_anything_but_a_goal_is_not_found(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/process/goal-1/strategy")
        assert ui.find_all("not-found")

    play(scenario, session=with_example)

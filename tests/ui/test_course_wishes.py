"""Course wishes in the preparation step, in a real Flet session over a real vault."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from mus.demo import EXAMPLE_ID
from mus.i18n import Translator
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.harness import UI
from tests.ui.test_goals import read_back, undo_snack_bar

da = Translator("da")
COST = "4.500 kr. + transport, og et langt argument om hvorfor det betaler sig for os alle"


def snack_texts(ui: UI) -> list[str]:
    return [
        str(c.content.value)
        for c in ui.page._dialogs.controls
        if isinstance(c, ft.SnackBar) and c.open and isinstance(c.content, ft.Text)
    ]


def test_a_course_wish_can_be_removed_and_undo_puts_it_back(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        assert ui.text_of("step-state") == "Færdig"
        await ui.tap("add-course")
        # A new, untitled wish: the step waits for its title ...
        assert ui.find_all("course-card-course-2")
        assert ui.text_of("step-state") == "I gang"
        # ... or for it to go again.
        delete = ui.find("course-delete-course-2")
        assert delete.tooltip == da("prep.course.delete")  # type: ignore[attr-defined]
        await ui.tap("course-delete-course-2")
        assert not ui.find_all("course-card-course-2")
        assert snack_texts(ui) == [da("prep.course.deleted")]
        assert ui.text_of("step-state") == "Færdig"
        # The example's own wish: removed, then undone, back in its place with its text.
        title = ui.prop("course-title-course-1", "value")
        await ui.tap("course-delete-course-1")
        assert not ui.find_all("course-card-course-1")
        await undo_snack_bar(ui)
        assert ui.prop("course-title-course-1", "value") == title

    play(scenario, session=with_example)
    record = read_back(with_example, EXAMPLE_ID)
    assert [w.id for w in record.preparation.course_wishes] == ["course-1"]


def test_course_wish_fields_are_one_wrapping_paragraph_except_the_gain(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """Long texts wrap instead of being cut off; Enter adds no line where one makes no sense."""

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        for key in ("course-title", "course-cost", "course-time", "course-own"):
            field = ui.find(f"{key}-course-1")
            assert isinstance(field, ft.TextField)
            assert (field.multiline, field.max_lines) == (False, 8), key
        gain = ui.find("course-gain-course-1")
        assert isinstance(gain, ft.TextField)
        assert (gain.multiline, gain.max_lines) == (True, None)
        await ui.type("course-cost-course-1", COST)
        await ui.type("course-gain-course-1", "første linje\nanden linje")

    play(scenario, session=with_example)
    (wish,) = read_back(with_example, EXAMPLE_ID).preparation.course_wishes
    assert wish.cost == COST
    assert wish.gain_for_workplace == "første linje\nanden linje"


def test_a_course_wish_is_put_in_the_plan_with_its_switch(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """Off by default (preparation is private); on puts it in the plan, and says so."""

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/preparation")
        switch = ui.find("course-in-plan-course-1")
        assert isinstance(switch, ft.Switch)
        assert switch.label == da("prep.course.in_plan") and switch.value is False
        assert da("prep.course.in_plan_help") in ui.texts()
        await ui.change("course-in-plan-course-1", True)
        assert ui.prop("course-in-plan-course-1", "value") is True
        assert ui.prop("course-in-plan-course-1", "label") == da("prep.course.in_plan")

    play(scenario, session=with_example)
    (wish,) = read_back(with_example, EXAMPLE_ID).preparation.course_wishes
    assert wish.in_plan
    assert wish.title == "Kursus i digital borgerbetjening"  # nothing else changed

"""Navigation in a real Flet session: home, the wheel, all eight steps, back, jump."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from mus.i18n import Translator
from mus.ports import MemoryPreferences
from mus.wheel import ELEMENTS, STRATEGY
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.harness import UI
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

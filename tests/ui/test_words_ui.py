"""What a person reads: the same words on every screen, titles that fit, check-ins by kind."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import flet as ft
import pytest
from PIL import ImageFont

from mus import plans
from mus.demo import example_conversation
from mus.i18n import LANGUAGES, Translator
from mus.model import CheckIn, MiniMus, Party, Responsible, enum_key
from mus.ports import MemoryPreferences
from mus.settings import Preferences
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from views.widgets.scaffold import TITLE_CHARS

ROOT = Path(__file__).resolve().parents[2]
TITLE_FONT = ROOT / "assets" / "fonts" / "DejaVuSans.ttf"  # the app's font (theme.py)
TITLE_PX = 22  # Material 3's title size, which the AppBar uses
PHONE_PX = 390
ROOM_BACK = PHONE_PX - 72 - 16
"""Title width beside the back arrow: it starts at 72 px and keeps 16 px to the edge
(measured on the shots: 'Koncept og samtaleskema' ends at x=362)."""
ROOM_TOP = PHONE_PX - 16 - 16
"""A top-level screen has no back arrow: 16 px either side."""

ROUTES = [
    "/",
    "/wheel",
    "/wheel/strategy",
    *(
        f"/wheel/{e}"
        for e in (
            "process",
            "form",
            "preparation",
            "dialogue",
            "feedback",
            "goals",
            "evaluation",
            "follow_up",
        )
    ),
    "/wheel/goals/goal-1",
    "/wheel/goals/goal-2",
    "/wheel/goals/goal-3",
    "/wheel/goals/goal-1/strategy",
    "/wheel/follow_up/check-in",
    "/plan",
    "/reminders",
    "/conversations",
    "/conversations/new",
    "/settings",
    "/settings/sync",
    "/settings/outbox",
    "/no/such/page",
]


def with_language(preferences: MemoryPreferences, language: str) -> None:
    preferences.save(Preferences(language=language))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_screen_title_fits_one_line_on_a_phone(
    language: str,
    preferences: MemoryPreferences,
    play: Callable[..., None],
    with_example: VaultSession,
) -> None:
    with_language(preferences, language)
    seen: dict[str, tuple[str, bool]] = {}

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        for route in ROUTES:
            await ui.go(route)
            seen[route] = (ui.text_of("screen-title"), ui.top().navigation_bar is not None)
        await ui.go("/wheel/follow_up/check-in")
        await ui.change("check-in-mini", True)  # the screen is then titled Mini-MUS
        seen["mini-MUS"] = (ui.text_of("screen-title"), False)

    play(scenario)
    font = ImageFont.truetype(str(TITLE_FONT), TITLE_PX)
    too_wide = {
        route: (title, round(font.getlength(title)))
        for route, (title, top_level) in seen.items()
        if font.getlength(title) > (ROOM_TOP if top_level else ROOM_BACK)
        or len(title) > TITLE_CHARS
    }
    assert too_wide == {}
    assert len(seen) == len(ROUTES) + 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_owner_menus_offer_the_same_words(
    language: str,
    preferences: MemoryPreferences,
    play: Callable[..., None],
    with_example: VaultSession,
) -> None:
    """'Who writes the summary?' and 'Who starts it?' name employee, leader, both alike."""
    with_language(preferences, language)
    t = Translator(language)
    menus: dict[str, dict[str, str]] = {}

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/wheel/process")
        menus["writer"] = _options(ui, "summary-writer")
        await ui.go("/wheel/goals/goal-1")
        menus["owner"] = _options(ui, "activity-responsible-activity-1")

    play(scenario)
    shared = {p.value for p in Party}
    assert {k: v for k, v in menus["owner"].items() if k in shared} == menus["writer"]
    assert menus["writer"] == {p.value: t(enum_key(p)) for p in Party}
    assert menus["owner"][Responsible.OTHER.value] == t(enum_key(Responsible.OTHER))


def _options(ui: UI, key: str) -> dict[str, str]:
    return {str(o.key): str(o.text) for o in ui.find(key).options}  # type: ignore[attr-defined]


def test_plan_lists_each_check_in_by_its_kind(
    play: Callable[..., None], vault: VaultSession
) -> None:
    record = example_conversation(NOW.date())
    (own,) = record.check_ins
    mini_on = own.on + timedelta(days=7)
    mini = MiniMus(
        id="mini-mus-1",
        check_in=CheckIn(id="check-in-2", on=mini_on, items=own.items[:1]),
    )
    vault.unlock(PASSPHRASE)
    vault.conversations().save(plans.with_mini_mus(record, mini))
    vault.lock()
    da = Translator("da")

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        assert ui.text_of("plan-check-in-check-in-2") == da(
            "plan.check_in.one", kind="Mini-MUS", date=mini_on.strftime("%d.%m.%Y")
        )
        assert ui.text_of("plan-check-in-check-in-1") == da(
            "plan.check_in",
            kind="Selvevaluering",
            date=own.on.strftime("%d.%m.%Y"),
            items=len(own.items),
        )
        # The follow-up step says the same.
        await ui.go("/wheel/follow_up")
        assert ui.text_of("check-in-title-check-in-2").startswith("Mini-MUS ")
        assert ui.text_of("check-in-title-check-in-1").startswith("Selvevaluering ")

    play(scenario)


LABEL_PX = 22
"""Field labels (16 px) at 137.5 % text, as a phone set to large text shows them."""
LABEL_ROOM = 240
LABEL_ROOM_BESIDE_ICON = 210
"""One line of label on a 320-px phone, in px of DejaVu Sans at ``LABEL_PX``. Seen in
Chromium at 320 px with the page's text at 22 px: 'Medarbejder (dit navn)' (253 px)
wrapped onto two lines in an empty field; 'Conversation date' (202 px) beside the
calendar icon did not."""


@pytest.mark.parametrize("language", LANGUAGES)
def test_name_and_date_labels_stay_on_one_line(
    language: str,
    preferences: MemoryPreferences,
    play: Callable[..., None],
    with_example: VaultSession,
) -> None:
    """The new conversation's fields, and the names typed to agree (whose label held
    the plan's name: 'Medarbejder skriver sit navn (Sofie Eksempel)' took two lines)."""
    with_language(preferences, language)
    labels: dict[str, tuple[str, bool]] = {}

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        for route, keys in (
            ("/conversations/new", None),
            ("/plan", {"agree-employee", "agree-leader"}),
        ):
            await ui.go(route)
            for control in ui.controls():
                if isinstance(control, ft.TextField) and (keys is None or control.key in keys):
                    icon = control.suffix_icon is not None
                    labels[str(control.key)] = (str(control.label), icon)
        assert "Sofie Eksempel" in str(ui.prop("agree-employee", "helper")), "the name, below"

    play(scenario)
    font = ImageFont.truetype(str(TITLE_FONT), LABEL_PX)
    too_wide = {
        key: (label, round(font.getlength(label)))
        for key, (label, icon) in labels.items()
        if font.getlength(label) > (LABEL_ROOM_BESIDE_ICON if icon else LABEL_ROOM)
    }
    assert too_wide == {}
    assert {"employee-name", "leader-name", "unit", "meeting-date", "agree-leader"} <= labels.keys()

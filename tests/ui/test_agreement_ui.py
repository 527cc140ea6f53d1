"""Agreeing on the plan screen without a dead end (issue 10, part 4).

A real Flet session over a real vault: a name unlike the plan's asks before
anything is frozen, a disabled "Vi er enige" always says why, names are
corrected after agreeing as a new version, and a meeting far from today asks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import flet as ft
import pytest

from mus.agreement import AgreedVersion
from mus.demo import EXAMPLE_ID, example_conversation
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI, walk

TODAY = "24.11.2026"  # NOW's day in Copenhagen


@pytest.fixture
def on_the_day(vault: VaultSession) -> VaultSession:
    """The example with its meeting today: only names can be odd."""
    vault.unlock(PASSPHRASE)
    record = example_conversation(NOW.date())
    record = replace(record, conversation=replace(record.conversation, meeting_date=NOW.date()))
    vault.conversations().save(record)
    vault.lock()
    return vault


def versions(vault: VaultSession) -> tuple[AgreedVersion, ...]:
    vault.unlock(PASSPHRASE)
    try:
        return vault.versions().for_conversation(EXAMPLE_ID)
    finally:
        vault.lock()


def dialog_controls(ui: UI) -> list[Any]:
    """Controls of open dialogs (the harness walks the top view only)."""
    return [
        c
        for d in ui.page._dialogs.controls
        if isinstance(d, ft.AlertDialog) and d.open
        for c in walk(d)
    ]


def dialog_texts(ui: UI) -> list[str]:
    return [str(c.value) for c in dialog_controls(ui) if isinstance(c, ft.Text) and c.value]


def dialog_button(ui: UI, key: str) -> str:
    (button,) = [c for c in dialog_controls(ui) if getattr(c, "key", None) == key]
    return str(button.content)


async def tap_in_dialog(ui: UI, key: str) -> None:
    found = [c for c in dialog_controls(ui) if getattr(c, "key", None) == key]
    assert found, f"no open dialog control {key!r}"
    await ui.session.dispatch_event(found[0]._i, "click", None)
    await ui.settle()


def reason(ui: UI) -> str | None:
    found = ui.find_all("agree-reason")
    return ui.text_of("agree-reason") if found else None


def test_a_disabled_button_always_says_why(
    play: Callable[..., None], on_the_day: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        assert ui.prop("agree", "disabled")
        assert reason(ui) == "Skriv begge jeres navne ovenfor, så kan I blive enige."
        await ui.change("agree-employee", "Sofie Eksempel")
        assert ui.prop("agree", "disabled")
        assert reason(ui) == "Lederen skal skrive sit navn for at bekræfte planen."
        await ui.change("agree-leader", "Lars Eksempel")
        assert not ui.prop("agree", "disabled")
        assert reason(ui) is None
        await ui.change("agree-employee", "  ")
        assert reason(ui) == "Medarbejderen skal skrive sit navn for at bekræfte planen."
        assert ui.text_of("agree-dates") == (
            f"Samtalens dato: {TODAY} · I bliver enige i dag: {TODAY}"
        )

    play(scenario)
    assert versions(on_the_day) == ()


def test_a_name_unlike_the_plans_asks_before_anything_is_frozen(
    play: Callable[..., None], on_the_day: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        await ui.change("agree-employee", "Sofie Eksempel")
        await ui.change("agree-leader", "B. Holm")
        await ui.tap("agree")
        assert "Lederen skrev »B. Holm«, men i planen står »Lars Eksempel«." in dialog_texts(ui)
        # The app's vault is this one, open: nothing was frozen.
        assert on_the_day.versions().for_conversation(EXAMPLE_ID) == ()
        # "Ret navnet": back to the field, nothing frozen, nothing left behind.
        assert dialog_button(ui, "agree-cancel") == "Ret navnet"
        assert dialog_button(ui, "agree-confirm") == "Bekræft alligevel"
        await tap_in_dialog(ui, "agree-cancel")
        assert dialog_controls(ui) == []
        assert ui.text_of("plan-status").startswith("Udkast")
        # Retyped in full: no warning is left, the button works, no question.
        await ui.change("agree-leader", "Lars Eksempel")
        assert reason(ui) is None
        await ui.tap("agree")
        assert dialog_controls(ui) == []
        assert ui.text_of("plan-status").startswith("Aftalt: version 1")
        assert ui.prop("agree", "disabled")
        assert reason(ui) == (
            "Version 1 er aftalt. Skal et navn rettes, skriver I begge jeres navne igen "
            "– så bliver det version 2."
        )

    play(scenario)
    (v1,) = versions(on_the_day)
    assert v1.agreement.leader_typed == "Lars Eksempel"


def test_confirmed_names_can_be_corrected_as_a_new_version(
    play: Callable[..., None], on_the_day: VaultSession
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        await ui.change("agree-employee", "Sofie Eksempel")
        await ui.change("agree-leader", "B. Holm")
        await ui.tap("agree")
        await tap_in_dialog(ui, "agree-confirm")
        assert ui.text_of("plan-status").startswith("Aftalt: version 1")
        # The fields are empty again: the next version needs both names anew.
        assert ui.prop("agree-employee", "value") == ""
        assert ui.prop("agree-leader", "value") == ""
        await ui.change("agree-employee", "Sofie Eksempel")
        await ui.change("agree-leader", "B. Holm")
        assert ui.prop("agree", "disabled")
        assert reason(ui) == (
            "Version 1 er allerede aftalt med præcis de navne. "
            "Ret et navn eller planen for at lave version 2."
        )
        await ui.change("agree-leader", "Lars Eksempel")
        assert not ui.prop("agree", "disabled")
        assert ui.text_of("agree-correcting") == (
            "Navnene rettes: det bliver version 2, og version 1 markeres som erstattet."
        )
        await ui.tap("agree")
        assert ui.text_of("plan-status").startswith("Aftalt: version 2")
        assert ui.text_of("version-title-2") == "Version 2 · gælder"
        assert ui.text_of("version-title-1") == (
            "Version 1 · erstattet af version 2 (navne rettet)"
        )
        history = [str(getattr(c, "key", "")) for c in ui.controls()]
        assert history.index("version-2") < history.index("version-1")  # newest first

    play(scenario)
    v1, v2 = versions(on_the_day)
    assert (v1.agreement.leader_typed, v2.agreement.leader_typed) == ("B. Holm", "Lars Eksempel")
    assert v1.fingerprint == v2.fingerprint


def test_a_meeting_far_from_today_asks_first(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    meeting = example_conversation(NOW.date()).conversation.meeting_date
    assert meeting is not None
    days = (NOW.date() - meeting).days
    shown = meeting.strftime("%d.%m.%Y")

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/plan")
        assert ui.text_of("agree-dates") == (
            f"Samtalens dato: {shown} · I bliver enige i dag: {TODAY}"
        )
        await ui.change("agree-employee", "Sofie Eksempel")
        await ui.change("agree-leader", "Lars Eksempel")
        await ui.tap("agree")
        texts = dialog_texts(ui)
        assert (
            f"Samtalen står til {shown}, men I bliver enige i dag, {TODAY} – {days} dage senere."
        ) in texts
        # No name to correct: the way back says so.
        assert dialog_button(ui, "agree-cancel") == "Tilbage"
        await tap_in_dialog(ui, "agree-cancel")
        assert ui.text_of("plan-status").startswith("Udkast")
        await ui.tap("agree")
        await tap_in_dialog(ui, "agree-confirm")
        assert ui.text_of("plan-status").startswith("Aftalt: version 1")

    play(scenario)
    assert [v.version for v in versions(with_example)] == [1]

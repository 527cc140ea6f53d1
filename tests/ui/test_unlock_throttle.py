"""Wrong unlock tries in a real session: the countdown, and a wrong recovery
code that changes nothing for the tab that has the vault open."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mus.model import PrepNote
from mus.ports import MemoryPreferences
from mus.throttle import Backoff
from storage.session import VaultSession
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE, StillClock
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from views.screens.lock import wait_time
from views.state import AppState, EditorState

WRONG_CODE = "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567"


@pytest.fixture
def clock() -> StillClock:
    return StillClock()


@pytest.fixture
def braked(tmp_path: Path, clock: StillClock) -> Iterator[VaultSession]:
    session = VaultSession(tmp_path / "braked", kdf=FAST_KDF, limits=LAX, backoff=Backoff(clock))
    session.create(PASSPHRASE)
    session.lock()
    yield session
    session.lock()


def test_five_wrong_passphrases_start_a_countdown_that_holds_the_button(
    play: Callable[..., None], braked: VaultSession, clock: StillClock
) -> None:
    async def scenario(ui: UI) -> None:
        for n in range(4):
            await ui.unlock(f"forkert gæt {n}")
            assert ui.find_all("unlock-wait") == []
        await ui.unlock("forkert gæt 4")
        assert ui.text_of("unlock-wait") == "For mange forkerte forsøg. Du kan prøve igen om 1 s."
        await ui.type("passphrase", PASSPHRASE)
        assert ui.prop("unlock", "disabled")
        clock.now += 1  # the wait is over: the countdown sees it at its next tick
        await ui.wait_for(lambda: not ui.find_all("unlock-wait"))
        assert not ui.prop("unlock", "disabled")
        await ui.unlock("forkert gæt 5")  # the 6th failure: two seconds
        assert ui.text_of("unlock-wait").endswith("om 2 s.")
        clock.now += 2
        await ui.wait_for(lambda: not ui.find_all("unlock-wait"))
        await ui.unlock(PASSPHRASE)
        assert ui.text_of("home-title") == "Velkommen til Musling"
        assert braked.unlock_wait() == 0

    play(scenario, session=braked)


def test_a_tab_opened_during_the_wait_counts_it_down_too(
    play: Callable[..., None], braked: VaultSession, clock: StillClock
) -> None:
    """Wrong tries made in another tab: the count is the process's, not the tab's."""
    for n in range(5):
        with pytest.raises(Exception, match="passphrase"):
            braked.unlock(f"et andet vindue {n}")

    async def scenario(ui: UI) -> None:
        await ui.wait_for(lambda: bool(ui.find_all("unlock-wait")))
        assert ui.prop("unlock", "disabled")
        await ui.tap("toggle-recovery")
        await ui.type("passphrase", WRONG_CODE)
        assert ui.prop("unlock", "disabled")
        clock.now += 1
        await ui.wait_for(lambda: not ui.find_all("unlock-wait"))
        await ui.unlock(WRONG_CODE)  # the 6th failure, with the code
        assert "Gendannelseskoden passer ikke" in str(ui.prop("passphrase", "error"))
        assert ui.text_of("unlock-wait").endswith("om 2 s.")

    play(scenario, session=braked)


def tab(vault: VaultSession) -> AppState:
    """One tab's state over the process's one vault."""
    return AppState(
        preferences=MemoryPreferences(),
        vault=vault,
        editor=EditorState(clock=lambda: NOW),
        clock=lambda: NOW,
    )


def test_a_try_during_the_wait_is_refused_unchecked(
    braked: VaultSession, clock: StillClock
) -> None:
    async def scenario() -> None:
        guesser, mine = tab(braked), tab(braked)
        for n in range(5):
            await guesser.unlock(f"gæt {n}")
        assert guesser.unlock_wait_s == 1
        await mine.unlock(PASSPHRASE)  # right, but not even checked
        assert mine.error_code == "try_later"
        assert not mine.unlocked
        assert mine.unlock_wait_s == 1
        clock.now += 1
        await mine.unlock(PASSPHRASE)
        assert mine.unlocked

    asyncio.run(scenario())


def test_wait_times_read_naturally() -> None:
    assert wait_time(1) == "1 s"
    assert wait_time(59) == "59 s"
    assert wait_time(60) == "1:00 min"
    assert wait_time(300) == "5:00 min"
    assert wait_time(245) == "4:05 min"


def test_a_wrong_recovery_code_in_another_tab_keeps_this_tabs_edit(braked: VaultSession) -> None:
    """Two tabs are two AppStates over the process's one vault."""

    async def scenario() -> None:
        mine, other = tab(braked), tab(braked)
        await mine.unlock(PASSPHRASE)
        mine.start_conversation(
            employee_name="Eva", leader_name="Lars", unit="Lager", meeting_date=NOW.date()
        )
        await other.unlock_with_recovery_code(WRONG_CODE)
        assert other.error_code == "wrong_recovery_code"
        assert not other.unlocked
        assert mine.unlocked
        assert braked.unlocked
        note = PrepNote("q1", "det jeg var ved at skrive", NOW)
        mine.editor.edit(lambda r: replace(r, preparation=r.preparation.with_note(note)))
        assert mine.editor.error_code == ""
        record = mine.editor.record
        assert record is not None
        assert braked.conversations().get(record.id) == record

    asyncio.run(scenario())

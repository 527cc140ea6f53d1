"""The lock screen when the newest saved state is damaged: one line naming the
part, and a "recover" choice that first shows what would be lost and writes
only when confirmed (a real vault, damaged on disk)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

from mus.demo import example_conversation
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI


def damage_last_save(vault: VaultSession) -> None:
    """Two saves, then a flipped bit in the last one's tag."""
    vault.unlock(PASSPHRASE)
    record = example_conversation(NOW.date())
    vault.conversations().save(record)
    vault.conversations().save(record.touched(NOW))
    vault.lock()
    journal = vault.folder / "journal"
    data = bytearray(journal.read_bytes())
    data[len(data.rstrip(b"\0")) - 4] ^= 0x01
    journal.write_bytes(bytes(data))


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.iterdir()
        if p.is_file() and p.name != "lock"
    }


def test_damage_is_named_and_recovering_shows_the_loss_before_writing(
    play: Callable[..., None], vault: VaultSession
) -> None:
    damage_last_save(vault)
    before = digests(vault.folder)

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        error = str(ui.prop("passphrase", "error"))
        assert error.startswith("Dine data er beskadigede: en gemt ændring")
        assert ui.find_all("home-title") == []
        await ui.tap("recover-open")
        assert ui.text_of("recover-title") == "Gendan dine data"
        assert ui.text_of("recover-line-0").startswith("Beholdes: 1 gemning, fra ")
        assert ui.text_of("recover-line-1").startswith("1 gemning (nr. 2) efter ")
        assert ui.prop("recover-confirm", "content") == "Gendan og mist det nævnte"
        assert digests(vault.folder) == before  # shown, not yet written
        await ui.tap("recover-confirm")
        await ui.wait_for(lambda: bool(ui.find_all("home-title")))
        assert vault.unlocked

    play(scenario)
    assert digests(vault.folder) != before
    vault.lock()
    vault.unlock(PASSPHRASE)  # the recovered state opens as usual
    assert len(vault.conversations().list()) == 1


def test_cancel_writes_nothing_and_keeps_it_locked(
    play: Callable[..., None], vault: VaultSession
) -> None:
    damage_last_save(vault)
    before = digests(vault.folder)

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.tap("recover-open")
        await ui.tap("recover-cancel")
        assert ui.find_all("recover-panel") == []
        assert ui.find_all("recover-open") == []
        assert not vault.unlocked

    play(scenario)
    assert digests(vault.folder) == before
    assert vault.recovery_report() is None


def test_a_whole_vault_offers_no_recovery(play: Callable[..., None], vault: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock("ikke den rigtige sætning")
        assert ui.find_all("recover-open") == []
        await ui.unlock(PASSPHRASE)
        assert ui.text_of("home-title") == "Velkommen til Musling"

    play(scenario)

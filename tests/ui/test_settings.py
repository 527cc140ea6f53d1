"""Settings in a real session over a real vault: passphrase, recovery code, auto-lock, erase."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from mus.errors import WrongPassphrase
from mus.ports import MemoryPreferences
from storage.session import VaultSession
from tests.storage.conftest import PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI
from views.state import AppState, EditorState

NEW = "en helt ny og lang sætning"


def test_change_passphrase(play: Callable[..., None], vault: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        await ui.change("old-passphrase", "forkert gammel sætning")
        await ui.change("changed-passphrase", NEW)
        await ui.change("changed-repeat", NEW)
        await ui.tap("change-passphrase")
        await ui.wait_for(lambda: bool(ui.find_all("passphrase-message")))
        assert "Forkert" in ui.text_of("passphrase-message")
        await ui.change("old-passphrase", PASSPHRASE)
        await ui.tap("change-passphrase")
        await ui.wait_for(lambda: "skiftet" in ui.text_of("passphrase-message"))

    play(scenario)
    vault.lock()
    with pytest.raises(WrongPassphrase):
        vault.unlock(PASSPHRASE)
    vault.unlock(NEW)


def test_new_recovery_code_is_shown_once_and_works(
    play: Callable[..., None], vault: VaultSession
) -> None:
    codes: list[str] = []

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        await ui.tap("new-recovery-code")
        await ui.wait_for(lambda: bool(ui.find_all("recovery-code")))
        codes.append(ui.text_of("recovery-code"))
        await ui.change("code-saved", True)
        await ui.tap("code-continue")
        assert ui.find_all("recovery-code") == []

    play(scenario)
    vault.lock()
    vault.unlock_with_recovery_code(codes[0])


def test_erase_everything_needs_the_word(play: Callable[..., None], vault: VaultSession) -> None:
    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        assert ui.prop("erase", "disabled")
        await ui.change("erase-confirm", "slet ikke")
        assert ui.prop("erase", "disabled")
        await ui.change("erase-confirm", "SLET")
        await ui.tap("erase")
        assert ui.text_of("create-title") == "Beskyt dine data"

    play(scenario)
    assert not vault.exists()
    assert not any(vault.folder.glob("*")) if vault.folder.exists() else True


def test_auto_lock_after_idle_time(vault: VaultSession) -> None:
    """The idle rule itself, on the real state object and the real vault."""
    now = [NOW]
    prefs = MemoryPreferences()
    state = AppState(
        preferences=prefs, vault=vault, editor=EditorState(clock=lambda: now[0]),
        clock=lambda: now[0],
    )  # fmt: skip
    vault.unlock(PASSPHRASE)
    state._after_unlock()
    now[0] = NOW + timedelta(minutes=4, seconds=59)
    assert not state.lock_if_idle()
    state.touched()
    now[0] = now[0] + timedelta(minutes=5)
    assert state.lock_if_idle()
    assert not state.unlocked and not vault.unlocked
    assert state.editor.record is None
    state.choose_auto_lock(1)
    assert prefs.load().auto_lock_minutes == 1


def test_backup_and_data_export_are_handed_to_the_platform(
    play: Callable[..., None], with_example: VaultSession, tmp_path: Path
) -> None:
    files: dict[str, bytes] = {}

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        await ui.tap("export-data")
        await ui.change("backup-passphrase", PASSPHRASE)
        await ui.tap("backup")
        await ui.wait_for(lambda: len(saved(ui)) == 2)
        files.update(saved(ui))

    play(scenario)
    (json_name, exported), (backup_name, backup) = sorted(
        files.items(), key=lambda kv: kv[0].endswith(".musbackup")
    )
    assert json_name.endswith(".json") and backup_name.endswith(".musbackup")
    document = json.loads(exported)
    assert document["format"] == "musling-export"
    assert "Sofie Eksempel" in exported.decode()
    assert b"Sofie" not in backup  # encrypted
    path = tmp_path / backup_name
    path.write_bytes(backup)
    from storage.backup import read_backup

    assert read_backup(path, PASSPHRASE)


def saved(ui: UI) -> dict[str, bytes]:
    return {
        str(c.args["file_name"]): bytes(c.args["src_bytes"])
        for c in ui.client.invocations
        if c.name == "save_file"
    }

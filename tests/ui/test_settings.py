"""Settings in a real session over a real vault: passphrase, recovery code, auto-lock, erase."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from mus.demo import example_conversation
from mus.errors import WrongPassphrase
from mus.ports import MemoryPreferences
from storage.session import VaultSession
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI

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

    assert read_backup(path, PASSPHRASE, limits=LAX)


def test_a_backup_locked_with_another_passphrase(
    play: Callable[..., None], with_example: VaultSession
) -> None:
    """For handing to someone, or a phone with another passphrase: the vault's own
    passphrase is still asked for; the file opens with the other one only."""
    other = "en anden lang sætning til kopien"
    files: dict[str, bytes] = {}

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        await ui.change("backup-own-passphrase", True)
        await ui.change("backup-passphrase", PASSPHRASE)
        await ui.change("backup-other", "for kort")
        assert ui.prop("backup", "disabled"), "too short"
        await ui.change("backup-other", other)
        await ui.change("backup-other-again", other + "x")
        assert ui.prop("backup", "disabled"), "not the same twice"
        assert ui.find_all("backup-other-again")
        await ui.change("backup-other-again", other)
        assert not ui.prop("backup", "disabled")
        await ui.tap("backup")
        await ui.wait_for(lambda: len(saved(ui)) == 1)
        files.update(saved(ui))

    play(scenario)
    (backup,) = files.values()
    from storage.backup import read_backup

    with pytest.raises(WrongPassphrase):
        read_backup(backup, PASSPHRASE, limits=LAX)
    assert read_backup(backup, other, limits=LAX)["conversations"]


def saved(ui: UI) -> dict[str, bytes]:
    return {
        str(c.args["file_name"]): bytes(c.args["src_bytes"])
        for c in ui.client.invocations
        if c.name == "save_file"
    }


# ------------------------------------------------------- moving to a new phone


def _backup_of(session: VaultSession) -> bytes:
    session.unlock(PASSPHRASE)
    session.conversations().save(example_conversation(NOW.date()))
    data = session.export_backup(PASSPHRASE)
    session.lock()
    return data


def test_restore_a_backup_on_a_new_phone(
    play: Callable[..., None], vault: VaultSession, new_vault: VaultSession
) -> None:
    """First screen → "restore" → pick the file → a wrong, then the right passphrase
    → the new recovery code once → the old phone's conversation is here."""
    backup = _backup_of(vault)

    async def scenario(ui: UI) -> None:
        assert ui.text_of("create-title") == "Beskyt dine data"
        await ui.tap("restore-open")
        assert ui.text_of("restore-title") == "Gendan fra sikkerhedskopi"
        assert ui.prop("restore", "disabled")
        ui.client.picks.append([("musling-2026-11-24.musbackup", backup)])
        await ui.tap("restore-pick")
        await ui.wait_for(lambda: bool(ui.find_all("restore-picked")))
        assert "musling-2026-11-24.musbackup" in ui.text_of("restore-picked")
        await ui.change("restore-passphrase", "en forkert og lang sætning")
        await ui.tap("restore")
        await ui.wait_for(lambda: bool(ui.find_all("restore-problem")))
        assert "passer ikke" in ui.text_of("restore-problem")
        assert not new_vault.exists(), "a wrong passphrase writes nothing"
        await ui.change("restore-passphrase", PASSPHRASE)
        await ui.tap("restore")
        await ui.wait_for(lambda: bool(ui.find_all("recovery-code")))
        await ui.change("code-saved", True)
        await ui.tap("code-continue")
        await ui.go("/conversations")
        assert any("Sofie Eksempel" in text for text in ui.texts())

    play(scenario, session=new_vault)
    new_vault.lock()
    new_vault.unlock(PASSPHRASE)
    assert [c.employee_name for c in new_vault.conversations().list()] == ["Sofie Eksempel"]


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"", "tom"),
        (b"not a backup at all", "ikke en Musling-sikkerhedskopi"),
    ],
)
def test_restore_refuses_a_file_that_is_no_backup(
    play: Callable[..., None], new_vault: VaultSession, content: bytes, shown: str
) -> None:
    async def scenario(ui: UI) -> None:
        await ui.tap("restore-open")
        ui.client.picks.append([("billede.jpg", content)])
        await ui.tap("restore-pick")
        if content:
            await ui.wait_for(lambda: bool(ui.find_all("restore-picked")))
            await ui.change("restore-passphrase", PASSPHRASE)
            await ui.tap("restore")
        await ui.wait_for(lambda: bool(ui.find_all("restore-problem")))
        assert shown in ui.text_of("restore-problem")
        await ui.tap("restore-cancel")
        assert ui.text_of("create-title") == "Beskyt dine data"

    play(scenario, session=new_vault)
    assert not new_vault.exists()


def test_import_all_my_data_merges_and_reports(
    play: Callable[..., None], vault: VaultSession, tmp_path: Path
) -> None:
    """An export from another vault: added once, unchanged the second time; a
    file that is no export is refused whole with a plain message."""
    other = VaultSession(tmp_path / "other", kdf=FAST_KDF, limits=LAX)
    other.create(PASSPHRASE)
    other.conversations().save(example_conversation(NOW.date()))
    exported = other.export_data(MemoryPreferences().load(), NOW)
    other.lock()

    async def scenario(ui: UI) -> None:
        await ui.unlock(PASSPHRASE)
        await ui.go("/settings")
        ui.client.picks.append([("musling-data.json", exported)])
        await ui.tap("import-data")
        await ui.wait_for(lambda: "Indlæst" in _message(ui))
        assert "1 nye" in _message(ui)
        ui.client.picks.append([("musling-data.json", exported)])
        await ui.tap("import-data")
        await ui.wait_for(lambda: "1 fandtes allerede" in _message(ui))
        ui.client.picks.append([("noter.json", b'{"format": "noget andet"}')])
        await ui.tap("import-data")
        await ui.wait_for(lambda: "ikke en eksport" in _message(ui))
        ui.client.picks.append([])  # the picker closed without a choice: nothing happens
        await ui.tap("import-data")
        assert "ikke en eksport" in _message(ui)
        await ui.go("/conversations")
        assert any("Sofie Eksempel" in text for text in ui.texts())

    play(scenario)
    vault.unlock(PASSPHRASE)
    assert [c.employee_name for c in vault.conversations().list()] == ["Sofie Eksempel"]


def _message(ui: UI) -> str:
    found = ui.find_all("data-message")
    return ui.text_of("data-message") if found else ""

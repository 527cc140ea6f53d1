"""The first screen over a vault whose key file is gone: damaged, never "create".

It used to offer to create a new vault, which deleted the encrypted files a
copy of the key file could still open. Now it names the damage, offers to
restore a backup or start anew, and both move the old files into a dated
folder inside the data folder (byte for byte) and say where.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from mus.demo import example_conversation
from storage.session import VaultSession
from storage.vault import Vault
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE
from tests.ui.conftest import NOW
from tests.ui.harness import UI

ASIDE = "vault-set-aside-2026-11-24-100000"
"""NOW (09:00 UTC) in Copenhagen."""


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "lock"}


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[VaultSession]:
    """A vault with the example conversation whose key file was deleted (a copy is
    kept in ``tmp_path / "keys.copy"``)."""
    session = VaultSession(tmp_path / "data" / "vault", kdf=FAST_KDF, limits=LAX)
    session.folder.parent.mkdir()
    session.create(PASSPHRASE)
    session.conversations().save(example_conversation(NOW.date()))
    session.lock()
    shutil.copyfile(session.folder / "keys", tmp_path / "keys.copy")
    (session.folder / "keys").unlink()
    yield session
    session.lock()


def backup_with_one_conversation(tmp_path: Path) -> bytes:
    other = VaultSession(tmp_path / "other", kdf=FAST_KDF, limits=LAX)
    other.create(PASSPHRASE)
    record = example_conversation(NOW.date())
    renamed = replace(record.conversation, employee_name="Backup Bent")
    other.conversations().save(replace(record, conversation=renamed))
    data = other.export_backup(PASSPHRASE)
    other.lock()
    return data


def old_files_open_with_the_key_copy(aside: Path, tmp_path: Path) -> None:
    shutil.copyfile(tmp_path / "keys.copy", aside / "keys")
    with Vault.open(aside, PASSPHRASE, limits=LAX) as vault:
        assert "Sofie Eksempel" in str(vault.read())


def test_the_first_screen_names_the_damage_and_offers_no_plain_create(
    play: Callable[..., None], damaged: VaultSession
) -> None:
    before = files_of(damaged.folder)

    async def scenario(ui: UI) -> None:
        assert ui.text_of("damaged-title") == "Dine data er beskadigede"
        intro = ui.text_of("damaged-intro")
        assert "nøglefilen mangler" in intro and "Intet er ændret eller slettet" in intro
        assert ui.find_all("create-vault") == [] and ui.find_all("create-title") == []
        assert ui.find_all("unlock-title") == []
        assert ui.find_all("damaged-restore") and ui.find_all("damaged-fresh")

    play(scenario, session=damaged)
    assert files_of(damaged.folder) == before, "showing the screen writes nothing"


def test_restore_a_backup_moves_the_old_files_aside_and_says_where(
    play: Callable[..., None], damaged: VaultSession, tmp_path: Path
) -> None:
    backup = backup_with_one_conversation(tmp_path)
    before = files_of(damaged.folder)

    async def scenario(ui: UI) -> None:
        await ui.tap("damaged-restore")
        assert ui.text_of("restore-title") == "Gendan fra sikkerhedskopi"
        assert "flyttes først over i en mappe med dato" in ui.text_of("set-aside-note")
        assert ui.prop("restore-cancel", "content") == "Tilbage"
        ui.client.picks.append([("musling.musbackup", backup)])
        await ui.tap("restore-pick")
        await ui.wait_for(lambda: bool(ui.find_all("restore-picked")))
        await ui.change("restore-passphrase", "en forkert og lang sætning")
        await ui.tap("restore")
        await ui.wait_for(lambda: bool(ui.find_all("restore-problem")))
        assert files_of(damaged.folder) == before, "a wrong passphrase moves nothing"
        assert not (damaged.folder.parent / ASIDE).exists()
        await ui.change("restore-passphrase", PASSPHRASE)
        await ui.tap("restore")
        await ui.wait_for(lambda: bool(ui.find_all("recovery-code")))
        assert ui.text_of("set-aside-done") == (
            f"De beskadigede filer er flyttet til mappen “{ASIDE}” i datamappen. Intet er slettet."
        )
        await ui.change("code-saved", True)
        await ui.tap("code-continue")
        await ui.go("/conversations")
        assert any("Backup Bent" in text for text in ui.texts())

    play(scenario, session=damaged)
    aside = damaged.folder.parent / ASIDE
    assert files_of(aside) == before, "moved byte for byte"
    old_files_open_with_the_key_copy(aside, tmp_path)


def test_start_anew_moves_the_old_files_aside_too(
    play: Callable[..., None], damaged: VaultSession, tmp_path: Path
) -> None:
    before = files_of(damaged.folder)

    async def scenario(ui: UI) -> None:
        await ui.tap("damaged-fresh")
        assert ui.text_of("create-title") == "Beskyt dine data"
        assert ui.find_all("set-aside-note") and ui.find_all("restore-open") == []
        await ui.tap("create-back")
        assert ui.text_of("damaged-title") == "Dine data er beskadigede"
        await ui.tap("damaged-fresh")
        await ui.change("new-passphrase", "min hemmelige sætning om æbler")
        await ui.change("repeat-passphrase", "min hemmelige sætning om æbler")
        await ui.change("understood", True)
        await ui.tap("create-vault")
        await ui.wait_for(lambda: bool(ui.find_all("recovery-code")))
        assert ASIDE in ui.text_of("set-aside-done")
        await ui.change("code-saved", True)
        await ui.tap("code-continue")
        assert ui.text_of("home-title") == "Velkommen til Musling"

    play(scenario, session=damaged)
    aside = damaged.folder.parent / ASIDE
    assert files_of(aside) == before
    assert damaged.exists() and not damaged.keys_missing()
    old_files_open_with_the_key_copy(aside, tmp_path)

"""A vault folder whose key file is gone (or cannot be read) is a damaged vault.

Never "no vault yet": the encrypted files left are exactly what a copy of the
key file, put back, opens again. So opening says ``KeysMissing`` (exit 3),
creating over them is refused, and restoring a backup or starting anew moves
them into a dated folder beside the vault, byte for byte, deleting nothing.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mus.errors import KeysMissing, VaultExists, VaultMissing, WrongPassphrase
from storage.generations import KEYS
from storage.session import VaultSession
from storage.vault import SET_ASIDE_PREFIX, Vault, erase_vault, folder_state
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE, create_vault, open_vault

NOW = datetime(2026, 11, 24, 9, 30, 5, tzinfo=UTC)
"""10:30:05 in Copenhagen: the set-aside folder is named by the app's local time."""
ASIDE = f"{SET_ASIDE_PREFIX}2026-11-24-103005"
OLD = {"notes": {"1": {"text": "gammel note, æøå"}}}


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.name != "lock"}


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    """A vault with saves (and a compaction's previous generation), its key file
    copied to ``tmp_path / "keys.copy"`` and then deleted."""
    folder = tmp_path / "data" / "vault"
    folder.parent.mkdir()
    vault, _ = create_vault(folder)
    vault.write(OLD)
    vault.close()
    shutil.copyfile(folder / KEYS, tmp_path / "keys.copy")
    (folder / KEYS).unlink()
    return folder


def test_a_deleted_key_file_is_damage_not_no_vault(damaged: Path) -> None:
    before = files_of(damaged)
    assert folder_state(damaged) == "keys_missing"
    for opening in (
        lambda: open_vault(damaged),
        lambda: Vault.open(damaged, PASSPHRASE, limits=LAX, read_only=True),
        lambda: Vault.open_for_recovery(damaged, PASSPHRASE, limits=LAX),
        lambda: Vault.open_with_recovery_code(damaged, "0" * 32, limits=LAX),
    ):
        with pytest.raises(KeysMissing) as raised:
            opening()
        assert raised.value.exit_code == 3
    session = VaultSession(damaged, kdf=FAST_KDF, limits=LAX)
    assert not session.exists() and session.keys_missing()
    with pytest.raises(KeysMissing):
        session.require()
    assert files_of(damaged) == before, "nothing written"


@pytest.mark.parametrize("left", ["snapshot", "journal", "snapshot.prev", "journal.next"])
def test_any_one_vault_file_without_the_key_file_is_damage(tmp_path: Path, left: str) -> None:
    folder = tmp_path / "vault"
    folder.mkdir()
    (folder / left).write_bytes(b"\x89MUSLING rest")
    assert folder_state(folder) == "keys_missing"
    (folder / left).unlink()
    (folder / "lock").touch()
    (folder / ".tmp-1234").write_bytes(b"x")
    assert folder_state(folder) == "empty", "a lock and a temp file are no vault"


def test_a_key_file_that_cannot_be_read_is_damage(damaged: Path) -> None:
    (damaged / KEYS).mkdir()  # there, but no file (also how root meets an unreadable one)
    assert folder_state(damaged) == "keys_missing"
    with pytest.raises(KeysMissing):
        open_vault(damaged)
    with pytest.raises(KeysMissing):
        create_vault(damaged)


def test_create_refuses_over_the_files_and_deletes_nothing(damaged: Path) -> None:
    before = files_of(damaged)
    with pytest.raises(KeysMissing):
        create_vault(damaged)
    with pytest.raises(KeysMissing):
        VaultSession(damaged, kdf=FAST_KDF, limits=LAX).create(PASSPHRASE)
    assert files_of(damaged) == before
    assert [p.name for p in damaged.parent.iterdir()] == ["vault"]


def test_create_with_set_aside_moves_every_file_into_a_dated_folder(
    damaged: Path, tmp_path: Path
) -> None:
    before = files_of(damaged)
    session = VaultSession(damaged, kdf=FAST_KDF, limits=LAX)
    session.create(PASSPHRASE, set_aside=NOW)
    assert session.set_aside_folder() == ASIDE
    aside = damaged.parent / ASIDE
    assert files_of(aside) == before, "moved byte for byte"
    assert not session.vault.read(), "the new vault starts empty"
    session.lock()
    # The person finds a copy of the key file: the set-aside files open as before.
    shutil.copyfile(tmp_path / "keys.copy", aside / KEYS)
    old = open_vault(aside)
    assert old.read() == OLD
    old.close()


def test_restore_with_set_aside_reads_the_backup_before_moving_anything(
    damaged: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    vault, _ = create_vault(other)
    vault.write({"notes": {"2": {"text": "fra backup"}}})
    backup = tmp_path / "b.musbackup"
    vault.export_backup(backup, PASSPHRASE, kdf=FAST_KDF)
    vault.close()
    before = files_of(damaged)
    session = VaultSession(damaged, kdf=FAST_KDF, limits=LAX)
    with pytest.raises(WrongPassphrase):
        session.restore_backup(backup.read_bytes(), "en forkert lang sætning", set_aside=NOW)
    assert files_of(damaged) == before and not (damaged.parent / ASIDE).exists()
    session.restore_backup(backup.read_bytes(), PASSPHRASE, set_aside=NOW)
    assert session.vault.read() == {"notes": {"2": {"text": "fra backup"}}}
    session.lock()
    assert files_of(damaged.parent / ASIDE) == before


def test_a_second_set_aside_in_the_same_second_gets_its_own_folder(damaged: Path) -> None:
    (damaged.parent / ASIDE).mkdir()
    before = files_of(damaged)
    vault, _ = Vault.create(damaged, PASSPHRASE, kdf=FAST_KDF, limits=LAX, set_aside=NOW)
    vault.close()
    assert vault.set_aside_to == damaged.parent / f"{ASIDE}-2"
    assert files_of(damaged.parent / f"{ASIDE}-2") == before


def test_a_whole_vault_is_never_set_aside(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    create_vault(folder)[0].close()
    with pytest.raises(VaultExists):
        Vault.create(folder, PASSPHRASE, kdf=FAST_KDF, limits=LAX, set_aside=NOW)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["vault"]


def test_erase_removes_a_damaged_vault_too(damaged: Path) -> None:
    erase_vault(damaged)
    assert not damaged.exists()
    with pytest.raises(VaultMissing):
        erase_vault(damaged)

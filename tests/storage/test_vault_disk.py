"""Full disk and read-only folders: the save fails cleanly, the last good content stays."""

from __future__ import annotations

import errno
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB

from mus.errors import DiskError, DiskFull, DiskReadOnly
from storage.vault import Vault, VaultStorage
from tests.storage.conftest import (
    FAST_KDF,
    LAX,
    PASSPHRASE,
    SMALL_JOURNAL,
    FailingFileSystem,
    create_vault,
    open_vault,
    reopened_tables,
)


def _saved(vault: Vault) -> dict[str, Any]:
    return vault.read() or {}


@pytest.mark.parametrize(
    ("operations", "after"),
    [
        (("write_at",), 0),
        (("write_at_half",), 0),
        (("fsync",), 0),
    ],
    ids=["write", "short-write", "fsync"],
)
def test_journal_append_fails(
    vault_folder: Path, failing_fs: FailingFileSystem, operations: tuple[str, ...], after: int
) -> None:
    vault, _ = create_vault(vault_folder, fs=failing_fs)
    db = TinyDB(vault, storage=VaultStorage)
    plans = db.table("plans")
    plans.insert({"note": "første", "goals": ["a"]})
    good = _saved(vault)
    failing_fs.arm(*operations, after=after)
    with pytest.raises(DiskFull):
        plans.update({"note": "anden"}, doc_ids=[1])
    with pytest.raises(DiskFull):
        plans.update(lambda doc: doc["goals"].append("b"), doc_ids=[1])
    with pytest.raises(DiskFull):
        plans.insert({"note": "tredje"})
    assert _saved(vault) == good  # memory shows what the disk holds
    failing_fs.disarm()
    plans.update({"note": "fjerde"}, doc_ids=[1])  # and the next save works
    expected = _saved(vault)
    db.close()
    assert reopened_tables(vault_folder) == expected
    assert expected["plans"]["1"]["note"] == "fjerde"


@pytest.mark.parametrize("after", [0, 1, 2, 3, 5])
@pytest.mark.parametrize(
    "operation", ["write_at", "fsync", "replace", "create_exclusive", "fsync_dir", "link"]
)
def test_compaction_failing_at_any_step_loses_no_save(
    vault_folder: Path, failing_fs: FailingFileSystem, operation: str, after: int
) -> None:
    """The disk refuses one kind of call from the ``after``-th on, while saves keep
    crossing compactions: a save either returns (and survives) or fails (and is
    not in memory either); a half-done compaction is undone, or saves wait for a
    reopen, which finishes it."""
    vault, _ = create_vault(vault_folder, tuning=SMALL_JOURNAL, fs=failing_fs)
    expected: dict[str, Any] = {}
    for i in range(3):
        expected = {"t": {str(i): {"v": "x" * 700}}}
        vault.write(expected)
    failing_fs.arm(operation, after=after)
    for i in range(3, 12):
        attempt = {"t": {str(i): {"v": "y" * 700}}}
        try:
            vault.write(attempt)
        except DiskError:
            assert _saved(vault) == expected
            continue
        expected = attempt
    failing_fs.disarm()
    try:
        vault.write({"t": {"last": {"v": 1}}})
        expected = {"t": {"last": {"v": 1}}}
    except DiskError:  # a compaction stopped halfway: saves wait for a reopen
        pass
    vault.close()
    assert reopened_tables(vault_folder) == expected
    vault = open_vault(vault_folder, tuning=SMALL_JOURNAL)
    vault.write({"t": {"after": {"reopen": True}}})
    vault.close()
    assert reopened_tables(vault_folder) == {"t": {"after": {"reopen": True}}}
    assert not list(vault_folder.glob(".tmp-*"))


@pytest.mark.parametrize("after", [0, 1, 2, 3, 4, 6])
@pytest.mark.parametrize(
    "operation", ["write_at", "fsync", "replace", "create_exclusive", "fsync_dir"]
)
def test_passphrase_change_failing_at_any_step(
    vault_folder: Path, failing_fs: FailingFileSystem, operation: str, after: int
) -> None:
    """Either the old passphrase opens everything, or (once the key file is
    replaced) the new one does; never neither, never less."""
    vault, _ = create_vault(vault_folder, fs=failing_fs)
    vault.write({"t": {"1": {"v": "before"}}})
    failing_fs.arm(operation, after=after)
    try:
        vault.change_passphrase("ny adgangssætning", kdf=FAST_KDF)
        changed = True
    except DiskError:
        changed = False
    failing_fs.disarm()
    vault.close()
    new = "ny adgangssætning"
    opened = Vault.open(vault_folder, new if changed else PASSPHRASE, limits=LAX)
    assert opened.read() == {"t": {"1": {"v": "before"}}}
    opened.write({"t": {"1": {"v": "after"}}})
    opened.close()
    assert not list(vault_folder.glob("*.next"))
    assert not list(vault_folder.glob(".tmp-*"))


def test_compaction_after_append_failing_is_retried(
    vault_folder: Path, failing_fs: FailingFileSystem
) -> None:
    vault, _ = create_vault(vault_folder, tuning=SMALL_JOURNAL, fs=failing_fs)
    vault.write({"t": {"1": {"v": 0}}})
    failing_fs.arm("create_exclusive")  # temp snapshot cannot be made; appends still work
    for i in range(1, 12):
        vault.write({"t": {"1": {"v": i, "pad": "p" * 400}}})
    generation = vault.generation
    failing_fs.disarm()
    vault.write({"t": {"1": {"v": 99}}})
    assert vault.generation > generation
    vault.close()
    assert reopened_tables(vault_folder) == {"t": {"1": {"v": 99}}}


def test_change_passphrase_failure_keeps_old_passphrase(
    vault_folder: Path, failing_fs: FailingFileSystem
) -> None:
    vault, _ = create_vault(vault_folder, fs=failing_fs)
    failing_fs.arm("fsync")
    with pytest.raises(DiskFull):
        vault.change_passphrase("ny", kdf=FAST_KDF)
    failing_fs.disarm()
    vault.close()
    open_vault(vault_folder).close()
    assert not list(vault_folder.glob(".tmp-*"))


def test_read_only_error_is_named(vault_folder: Path, failing_fs: FailingFileSystem) -> None:
    vault, _ = create_vault(vault_folder, fs=failing_fs)
    failing_fs.arm("write_at", error=errno.EROFS)
    with pytest.raises(DiskReadOnly) as caught:
        vault.write({"t": {}})
    assert caught.value.exit_code == 6
    assert caught.value.code == "disk_read_only"
    failing_fs.arm("write_at", error=errno.EIO)
    with pytest.raises(DiskError) as io_error:
        vault.write({"t": {}})
    assert io_error.value.code == "disk"
    vault.close()


# ---------------------------------------------------------------- a real, tiny file system


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 192 KiB tmpfs: real ENOSPC and a real read-only remount (root ignores chmod)."""
    mount_point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=192k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here (needs root / CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_real_disk_full(tiny_tmpfs: Path) -> None:
    folder = tiny_tmpfs / "vault"
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=FAST_KDF, limits=LAX)
    db = TinyDB(vault, storage=VaultStorage)
    plans = db.table("plans")
    good: dict[str, Any] = {}
    with pytest.raises(DiskFull):
        for i in range(10_000):
            plans.insert({"i": i, "text": f"plan {i} " + "æøå" * 300})
            good = _saved(vault)
    assert _saved(vault) == good
    assert len(good["plans"]) > 10
    db.close()
    vault = Vault.open(folder, PASSPHRASE, limits=LAX)
    assert vault.read() == good
    vault.close()


def test_real_read_only_folder(tiny_tmpfs: Path) -> None:
    """Remounted read-only (Linux refuses that while files are open for writing,
    so the vault is closed first; a write failing mid-session is the injected
    EROFS test above)."""
    folder = tiny_tmpfs / "vault"
    vault, _ = Vault.create(folder, PASSPHRASE, kdf=FAST_KDF, limits=LAX)
    vault.write({"t": {"1": {"saved": True}}})
    vault.close()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    vault = Vault.open(folder, PASSPHRASE, limits=LAX)  # a read-only medium still opens
    assert vault.read() == {"t": {"1": {"saved": True}}}
    with pytest.raises(DiskReadOnly):
        vault.write({"t": {"1": {"saved": False}}})
    assert vault.read() == {"t": {"1": {"saved": True}}}
    with pytest.raises(DiskReadOnly):
        vault.change_passphrase("ny", kdf=FAST_KDF)
    vault.close()
    vault = Vault.open(folder, PASSPHRASE, limits=LAX)
    assert vault.read() == {"t": {"1": {"saved": True}}}
    vault.close()

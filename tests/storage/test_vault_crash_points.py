"""Every point where the process can die inside one vault operation, in turn.

A ``CrashingFileSystem`` lets the first N-1 file-system calls happen and then
"dies" at call N: that call does not happen (a write is left half done), and
neither does any later one, as after ``kill -9`` (the page cache keeps what
was written). For N = 1, 2, … until the operation completes, the folder is
then opened as a fresh process would: it must hold the state before the
operation or after it, read whole (``check``), and take the next save.

This enumerates process crashes deterministically; ``test_vault_crash.py``
kills real processes at random moments.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from mus.errors import KeysMissing, VaultMissing
from storage.fs import FileSystem
from storage.vault import Tuning, Vault
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE, create_vault, open_vault

TUNING = Tuning(compact_min_bytes=600, compact_ratio=0.5, journal_chunk=512)
NEW = "en helt ny adgangssætning"


class Crash(BaseException):
    """The process died here (a BaseException: nothing may catch and carry on)."""


class CrashingFileSystem(FileSystem):
    def __init__(self) -> None:
        self.crash_at: int | None = None
        self.calls = 0
        self.dead = False

    def arm(self, crash_at: int) -> None:
        self.crash_at, self.calls = crash_at, 0

    def _step(self) -> bool:
        """True when this call is the one the process dies in."""
        if self.dead:
            raise Crash
        self.calls += 1
        if self.calls == self.crash_at:
            self.dead = True
            return True
        return False

    def create_exclusive(self, path: Path) -> int:
        if self._step():
            raise Crash
        return super().create_exclusive(path)

    def open_for_append(self, path: Path) -> int:
        if self._step():
            raise Crash
        return super().open_for_append(path)

    def write_at(self, fd: int, data: bytes, offset: int) -> None:
        if self._step():
            super().write_at(fd, data[: len(data) // 2], offset)  # died mid-write
            raise Crash
        super().write_at(fd, data, offset)

    def fsync(self, fd: int) -> None:
        if self._step():
            raise Crash
        super().fsync(fd)

    def truncate(self, fd: int, size: int) -> None:
        if self._step():
            raise Crash
        super().truncate(fd, size)

    def replace(self, source: Path, target: Path) -> None:
        if self._step():
            raise Crash
        super().replace(source, target)

    def link(self, source: Path, target: Path) -> None:
        if self._step():
            raise Crash
        super().link(source, target)

    def unlink(self, path: Path) -> None:
        if self._step():
            raise Crash
        super().unlink(path)

    def fsync_dir(self, folder: Path) -> None:
        if self._step():
            raise Crash
        super().fsync_dir(folder)


def every_crash_point(
    prepared: Path, work: Path, operation: Callable[[Path, CrashingFileSystem], None]
) -> int:
    """Run ``operation`` on a fresh copy of ``prepared``, dying at call 1, 2, …;
    yields after each crash with the folder as the crash left it. Returns how
    many crash points there were."""
    crash_at = 0
    while True:
        crash_at += 1
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(prepared, work)
        fs = CrashingFileSystem()
        fs.arm(crash_at)
        try:
            operation(work, fs)
        except Crash:
            yield_point(work, crash_at)
            continue
        assert not fs.dead
        return crash_at - 1


_checks: list[Callable[[Path, int], None]] = []


def yield_point(folder: Path, crash_at: int) -> None:
    _checks[-1](folder, crash_at)


def plans(count: int, text: str = "x") -> dict[str, Any]:
    return {"t": {str(i): {"v": text * 150, "i": i} for i in range(count)}}


def reopened(folder: Path, passphrase: str = PASSPHRASE) -> dict[str, Any]:
    with Vault.open(folder, passphrase, limits=LAX, read_only=True) as vault:
        vault.check()
    with Vault.open(folder, passphrase, limits=LAX, tuning=TUNING) as vault:
        tables = vault.read() or {}
        vault.write({**tables, "after": {"1": {"ok": True}}})  # the next save works
    with Vault.open(folder, passphrase, limits=LAX, read_only=True) as vault:
        assert (vault.read() or {}).get("after") == {"1": {"ok": True}}
    return tables


@pytest.fixture
def prepared(tmp_path: Path) -> Path:
    """A vault whose next save compacts (its journal is nearly full)."""
    folder = tmp_path / "prepared"
    vault, _ = create_vault(folder, tuning=TUNING)
    for i in range(1, 4):
        vault.write(plans(i))
    vault.close()
    return folder


def test_every_crash_point_of_a_compacting_save(prepared: Path, tmp_path: Path) -> None:
    before, after = plans(3), plans(4, "y")

    def check(folder: Path, crash_at: int) -> None:
        assert reopened(folder) in (before, after), crash_at

    def save(folder: Path, fs: CrashingFileSystem) -> None:
        vault = open_vault(folder, fs=fs, tuning=TUNING)
        try:
            generation = vault.generation
            fs.arm(fs.crash_at or 0)  # count from here: the save, not the open
            vault.write(after)
            assert vault.generation > generation, "the save compacted"
        finally:
            vault._close_journal()
            if vault._lock is not None:
                vault._lock.release()

    _checks.append(check)
    points = every_crash_point(prepared, tmp_path / "work", save)
    assert points >= 15  # append, grow, temp files, links, two renames, fsyncs


def test_every_crash_point_of_a_passphrase_change(prepared: Path, tmp_path: Path) -> None:
    def check(folder: Path, crash_at: int) -> None:
        try:
            tables = reopened(folder, PASSPHRASE)
        except Exception:
            tables = reopened(folder, NEW)  # the key file was replaced: the new one
        assert tables == plans(3), crash_at
        assert not list(folder.glob("*.next"))

    def change(folder: Path, fs: CrashingFileSystem) -> None:
        vault = open_vault(folder, fs=fs, tuning=TUNING)
        try:
            fs.arm(fs.crash_at or 0)
            vault.change_passphrase(NEW, kdf=FAST_KDF)
        finally:
            vault._close_journal()
            if vault._lock is not None:
                vault._lock.release()

    _checks.append(check)
    assert every_crash_point(prepared, tmp_path / "work", change) >= 10


def test_every_crash_point_of_a_recovery(prepared: Path, tmp_path: Path) -> None:
    with open_vault(prepared) as vault:  # one more save, in the journal
        vault.write({**plans(3), "extra": {"1": {"lost": True}}})
    data = bytearray((prepared / "journal").read_bytes())
    data[len(data.rstrip(b"\0")) - 5] ^= 1  # the last save's tag: damaged
    (prepared / "journal").write_bytes(bytes(data))
    first = Vault.open_for_recovery(prepared, PASSPHRASE, limits=LAX)
    kept = first.report
    assert kept is not None and kept.lost_saves == 1 and kept.exact
    first.close()

    def check(folder: Path, crash_at: int) -> None:
        recovery = Vault.open_for_recovery(folder, PASSPHRASE, limits=LAX, tuning=TUNING)
        report = recovery.report
        recovery.close()
        if report is not None:  # the crash left it to be recovered again: no worse
            assert report.kept_saves == kept.kept_saves, crash_at
            again = Vault.open_for_recovery(folder, PASSPHRASE, limits=LAX, tuning=TUNING)
            again.apply().close()
        assert reopened(folder) == plans(3), crash_at

    def recover(folder: Path, fs: CrashingFileSystem) -> None:
        recovery = Vault.open_for_recovery(folder, PASSPHRASE, limits=LAX, fs=fs, tuning=TUNING)
        vault = recovery._vault
        try:
            fs.arm(fs.crash_at or 0)
            recovery.apply()
        finally:
            assert vault is not None
            vault._close_journal()
            if vault._lock is not None:
                vault._lock.release()

    _checks.append(check)
    assert every_crash_point(prepared, tmp_path / "work", recover) >= 8


def test_every_crash_point_of_a_version_1_migration(tmp_path: Path) -> None:
    from tests.storage.test_vault_formats import CODE, FIXTURE, expected
    from tests.storage.test_vault_formats import PASSPHRASE as V1_PASSPHRASE

    prepared = tmp_path / "v1"
    shutil.copytree(FIXTURE, prepared, ignore=shutil.ignore_patterns("*.md"))

    def check(folder: Path, crash_at: int) -> None:
        assert reopened(folder, V1_PASSPHRASE) == expected(), crash_at
        with Vault.open_with_recovery_code(folder, CODE, limits=LAX) as vault:
            assert "after" in (vault.read() or {})

    def migrate(folder: Path, fs: CrashingFileSystem) -> None:
        vault = Vault.open(folder, V1_PASSPHRASE, limits=LAX, fs=fs, tuning=TUNING)
        vault._close_journal()
        if vault._lock is not None:
            vault._lock.release()

    _checks.append(check)
    assert every_crash_point(prepared, tmp_path / "work", migrate) >= 10


def test_every_crash_point_of_create(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()

    def check(folder: Path, crash_at: int) -> None:
        try:
            assert reopened(folder) == plans(2), crash_at
        except VaultMissing:  # nothing written yet
            create_vault(folder)[0].close()
        except KeysMissing:  # data written, the key file not yet: damaged, never overwritten
            with pytest.raises(KeysMissing):
                create_vault(folder)
            Vault.create(folder, PASSPHRASE, kdf=FAST_KDF, limits=LAX, set_aside=datetime.now(UTC))[
                0
            ].close()
            assert list(folder.parent.glob("vault-set-aside-*/snapshot")), crash_at

    def create(folder: Path, fs: CrashingFileSystem) -> None:
        vault, _ = Vault.create(
            folder / "v", PASSPHRASE, kdf=FAST_KDF, limits=LAX, fs=fs, tables=plans(2)
        )
        vault._close_journal()
        if vault._lock is not None:
            vault._lock.release()

    def check_inner(folder: Path, crash_at: int) -> None:
        check(folder / "v", crash_at)

    _checks.append(check_inner)
    assert every_crash_point(empty, tmp_path / "work", create) >= 6

"""Real vaults in real folders with real crypto; only the KDF cost is lowered.

``FAST_KDF`` (scrypt N=2**10) makes unlocking ~2 ms instead of 0.15-0.4 s, so
hundreds of reopenings fit in the time budget. It is below the production floor,
which is why every test that opens such a vault passes ``LAX`` limits: the
floor is the reader's policy, never the file's. Tests marked in their name
``real_kdf`` use the production defaults.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from tinydb import TinyDB
from tinydb.storages import JSONStorage, MemoryStorage

from storage.crypto import KDF_SCRYPT, KdfLimits, KdfParams
from storage.fs import FileSystem
from storage.table import IndexedDB
from storage.vault import Tuning, Vault, VaultStorage

PASSPHRASE = "rødgrød med fløde 🍓"
FAST_KDF = KdfParams(KDF_SCRYPT, 10, 8, 1)
LAX = KdfLimits(argon2_min_memory_kib=8, argon2_min_iterations=1, scrypt_min_work_log2=10)
SMALL_JOURNAL = Tuning(compact_min_bytes=2048, compact_ratio=0.5, journal_chunk=1024)
"""Compacts every few saves and grows the journal file every save or two, so
tests cross the snapshot and the file-growing paths often."""


def create_vault(
    folder: Path, *, tuning: Tuning | None = None, fs: FileSystem | None = None
) -> tuple[Vault, str]:
    return Vault.create(folder, PASSPHRASE, kdf=FAST_KDF, limits=LAX, tuning=tuning, fs=fs)


def open_vault(
    folder: Path, *, tuning: Tuning | None = None, fs: FileSystem | None = None
) -> Vault:
    return Vault.open(folder, PASSPHRASE, limits=LAX, tuning=tuning, fs=fs)


def reopened_tables(folder: Path) -> dict[str, dict[str, Any]]:
    """What a fresh process would see (the lock must be free)."""
    vault = open_vault(folder)
    try:
        return vault.read() or {}
    finally:
        vault.close()


@pytest.fixture
def vault_folder(tmp_path: Path) -> Path:
    return tmp_path / "musling.vault"


@pytest.fixture(params=["memory", "json", "stock-tinydb", "vault", "vault-small-journal"])
def db(request: pytest.FixtureRequest, vault_folder: Path) -> Iterator[TinyDB]:
    """One TinyDB per backend, in tinydb's own tests/conftest.py style.

    ``IndexedDB`` (the app's) over memory, a JSON file and the vault; and the
    stock ``TinyDB`` over memory, since repositories accept any TinyDB. The
    vault backends are checked again after the test: reopening from disk must
    give exactly what the live database holds.
    """
    if request.param in ("memory", "stock-tinydb", "json"):
        if request.param == "json":
            database: TinyDB = IndexedDB(vault_folder.with_suffix(".json"), storage=JSONStorage)
        elif request.param == "memory":
            database = IndexedDB(storage=MemoryStorage)
        else:
            database = TinyDB(storage=MemoryStorage)
        yield database
        database.close()
        return
    tuning = SMALL_JOURNAL if request.param == "vault-small-journal" else None
    vault, _ = create_vault(vault_folder, tuning=tuning)
    database = IndexedDB(vault, storage=VaultStorage)
    yield database
    if vault.is_open:
        live = vault.read() or {}
        database.close()
        assert reopened_tables(vault_folder) == live


class FailingFileSystem(FileSystem):
    """Real file calls, except that armed operations fail like a full disk.

    ``fail_on`` names FileSystem methods (``write_at``, ``fsync``, ``replace``,
    ``create_exclusive`` ...); ``after`` lets that many calls succeed first.
    """

    def __init__(self) -> None:
        self.fail_on: set[str] = set()
        self.after = 0
        self.error = errno.ENOSPC

    def arm(self, *names: str, after: int = 0, error: int = errno.ENOSPC) -> None:
        self.fail_on = set(names)
        self.after = after
        self.error = error

    def disarm(self) -> None:
        self.fail_on = set()

    def _maybe_fail(self, name: str) -> None:
        if name in self.fail_on:
            if self.after > 0:
                self.after -= 1
                return
            raise OSError(self.error, "injected failure")

    def write_at(self, fd: int, data: bytes, offset: int) -> None:
        self._maybe_fail("write_at")
        if "write_at_half" in self.fail_on:
            super().write_at(fd, data[: len(data) // 2], offset)
            raise OSError(self.error, "injected short write")
        super().write_at(fd, data, offset)

    def fsync(self, fd: int) -> None:
        self._maybe_fail("fsync")
        super().fsync(fd)

    def replace(self, source: Path, target: Path) -> None:
        self._maybe_fail("replace")
        super().replace(source, target)

    def create_exclusive(self, path: Path) -> int:
        self._maybe_fail("create_exclusive")
        return super().create_exclusive(path)

    def fsync_dir(self, folder: Path) -> None:
        self._maybe_fail("fsync_dir")
        super().fsync_dir(folder)

    def link(self, source: Path, target: Path) -> None:
        self._maybe_fail("link")
        super().link(source, target)


@pytest.fixture
def failing_fs() -> FailingFileSystem:
    return FailingFileSystem()


Flip = Callable[[bytes, int], bytes]


class StillClock:
    """The unlock brake's clock (monotonic seconds): still until the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> StillClock:
    return StillClock()

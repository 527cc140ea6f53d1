"""The user's encrypted vault: a folder only this module writes, and its TinyDB storage.

Use::

    vault, recovery_code = Vault.create(folder, passphrase)      # show the code once
    vault = Vault.open(folder, passphrase)                       # 0.15-0.4 s: off the UI thread
    db = TinyDB(vault, storage=VaultStorage)                     # TinyDB stays the query API
    ...
    db.close()                                                   # locks the vault again

Every ``write()`` is durable when it returns (fsync) and costs about the same at
100 or 10,000 plans: it appends one AEAD frame with only the changed documents
to a journal; once the journal outgrows the snapshot, the next save writes a new
snapshot instead (atomic replace, previous generation kept). The on-disk format
is in ``storage/FORMAT.md``. Decrypted data never touches the disk.

Errors are ``mus.errors`` types only; ``OSError`` and ``InvalidTag`` are renamed
at this edge. No log line here ever holds a file name or content.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from tinydb.storages import Storage

from mus.errors import VaultDamaged, VaultExists, VaultLocked, VaultMissing
from storage.atomic import keep_previous, remove_temp_files, replace_file, write_temp
from storage.contents import Contents, Tables
from storage.crypto import (
    DEFAULT_LIMITS,
    KdfLimits,
    KdfParams,
    Sealer,
    default_kdf,
    derive_passphrase_key,
    derive_recovery_key,
    new_key,
    new_recovery_code,
    new_salt,
)
from storage.fs import FileSystem, disk_errors
from storage.generations import (
    JOURNAL,
    JOURNAL_PREV,
    KEYS,
    SNAPSHOT,
    SNAPSHOT_PREV,
    VAULT_FILES,
    JournalTail,
    decode_snapshot,
    load,
    read_optional,
)
from storage.lock import LOCK_NAME, VaultLock
from storage.vaultfile import (
    FORMAT_VERSION,
    KIND_JOURNAL,
    KIND_KEYS,
    KIND_SNAPSHOT,
    KeyBlock,
    Preamble,
    build_key_block,
    frame_key,
    pack_frame,
    parse_key_block,
)

VAULT_ID_BYTES = 16


@dataclass(frozen=True, slots=True)
class Tuning:
    """When a save writes a new snapshot instead of appending to the journal.

    The journal may grow to ``max(compact_min_bytes, ratio × snapshot size)``:
    compaction costs one snapshot write, spread over that many bytes of edits,
    and opening replays at most about one snapshot's worth of journal.
    """

    compact_min_bytes: int = 1 << 20
    compact_ratio: float = 1.0


@dataclass(frozen=True, slots=True)
class VaultReport:
    """What ``check`` found: structure and counts only, never content."""

    format_version: int
    generation: int
    kdf: str
    tables: dict[str, int]
    journal_records: int
    restored_from_previous: bool
    dropped_torn_tail: bool
    previous_generation_ok: bool | None
    """None when there is no previous generation yet."""


@dataclass(slots=True)
class _Journal:
    fd: int
    preamble: bytes
    seq: int
    size: int
    dirty_tail: bool = False
    """Bytes past ``size`` from a failed append: truncate before the next one."""


class Vault:
    """An unlocked vault: holds the folder lock, the data key and the decrypted tables."""

    def __init__(
        self,
        *,
        folder: Path,
        fs: FileSystem,
        lock: VaultLock,
        block: KeyBlock,
        data_key: bytes,
        tuning: Tuning,
        limits: KdfLimits,
    ) -> None:
        """Internal: use ``create``, ``open``, ``open_with_recovery_code`` or ``restore``."""
        self.folder = folder
        self._limits = limits
        self._fs = fs
        self._lock: VaultLock | None = lock
        self._block = block
        self._data_key: bytes | None = data_key
        self._sealer: Sealer | None = Sealer(frame_key(data_key))
        self._tuning = tuning
        self._contents: Contents | None = Contents()
        self._journal: _Journal | None = None
        self._generation = 0
        self._next_generation = 1
        self._snapshot_size = 0
        self._must_compact = False
        self._keep_previous = True
        self.restored_from_previous = False
        """True when the main snapshot was damaged and the previous generation was used."""
        self.dropped_torn_tail = False
        """True when a half-written (never acknowledged) save was dropped on open."""

    # ------------------------------------------------------------------ unlock

    @classmethod
    def create(
        cls,
        folder: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        limits: KdfLimits = DEFAULT_LIMITS,
        fs: FileSystem | None = None,
        tuning: Tuning | None = None,
        tables: Tables | None = None,
    ) -> tuple[Vault, str]:
        """A new vault in ``folder``; returns it unlocked and its recovery code.

        The recovery code is shown to the user once and never stored in clear.
        """
        fs = fs or FileSystem()
        kdf = kdf or default_kdf()
        try:
            limits.check(kdf)
        except VaultDamaged:
            raise ValueError("key derivation parameters outside the accepted limits") from None
        with disk_errors():
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        lock = VaultLock(folder)
        try:
            with disk_errors():
                if (folder / KEYS).exists():
                    raise VaultExists("a vault already exists here")
                for name in VAULT_FILES:  # leftovers of a create that crashed
                    fs.unlink(folder / name)
                remove_temp_files(fs, folder)
            data_key = new_key()
            salt = new_salt()
            passphrase_key = derive_passphrase_key(passphrase, salt, kdf)
            code = new_recovery_code()
            recovery_salt = new_salt()
            recovery_key = derive_recovery_key(code, recovery_salt)
            preamble = Preamble(KIND_KEYS, secrets.token_bytes(VAULT_ID_BYTES))
            block = build_key_block(
                preamble,
                data_key=data_key,
                kdf=kdf,
                salt=salt,
                passphrase=passphrase_key,
                recovery=(recovery_key, recovery_salt),
            )
            vault = cls(
                folder=folder,
                fs=fs,
                lock=lock,
                block=block,
                data_key=data_key,
                tuning=tuning or Tuning(),
                limits=limits,
            )
            contents = vault._live()
            if tables:
                contents.replace_all(tables)
            vault._keep_previous = False
            with disk_errors():
                vault._compact(contents.snapshot_plaintext(), chained=False)
                fs.fsync_dir(folder)
                vault._start_journal()
                # The key file last: until it exists there is no vault, only debris.
                replace_file(fs, folder / KEYS, block.pack())
        except BaseException:
            lock.release()
            raise
        vault._keep_previous = True
        return vault, code

    @classmethod
    def open(
        cls,
        folder: Path,
        passphrase: str,
        *,
        limits: KdfLimits = DEFAULT_LIMITS,
        fs: FileSystem | None = None,
        tuning: Tuning | None = None,
    ) -> Vault:
        """Unlock with the passphrase (slow KDF: call it off the UI thread)."""

        def unwrap(block: KeyBlock) -> bytes:
            key = derive_passphrase_key(passphrase, block.salt, block.kdf)
            return block.unwrap_with_passphrase_key(key)

        return cls._open(folder, unwrap, limits, fs or FileSystem(), tuning or Tuning())

    @classmethod
    def open_with_recovery_code(
        cls,
        folder: Path,
        code: str,
        *,
        limits: KdfLimits = DEFAULT_LIMITS,
        fs: FileSystem | None = None,
        tuning: Tuning | None = None,
    ) -> Vault:
        """Unlock with the recovery code; the UI should then ask for a new passphrase."""

        def unwrap(block: KeyBlock) -> bytes:
            if block.recovery is None:
                return block.unwrap_with_recovery_key(b"")
            return block.unwrap_with_recovery_key(derive_recovery_key(code, block.recovery.salt))

        return cls._open(folder, unwrap, limits, fs or FileSystem(), tuning or Tuning())

    @classmethod
    def restore(
        cls,
        backup: Path | bytes,
        backup_passphrase: str,
        folder: Path,
        passphrase: str,
        *,
        kdf: KdfParams | None = None,
        limits: KdfLimits = DEFAULT_LIMITS,
        fs: FileSystem | None = None,
        tuning: Tuning | None = None,
    ) -> tuple[Vault, str]:
        """A new vault in ``folder`` holding a backup's content (new keys, new code)."""
        from storage.backup import read_backup

        tables = read_backup(backup, backup_passphrase, limits=limits, fs=fs)
        return cls.create(
            folder, passphrase, kdf=kdf, limits=limits, fs=fs, tuning=tuning, tables=tables
        )

    @classmethod
    def _open(
        cls,
        folder: Path,
        unwrap: Any,
        limits: KdfLimits,
        fs: FileSystem,
        tuning: Tuning,
    ) -> Vault:
        if not (folder / KEYS).is_file():
            raise VaultMissing("no vault here")
        lock = VaultLock(folder)
        try:
            with disk_errors():
                raw = fs.read_bytes(folder / KEYS)
            block = parse_key_block(raw, KIND_KEYS, limits)
            if block.size != len(raw):
                raise VaultDamaged("key file has trailing bytes")
            data_key: bytes = unwrap(block)
            vault = cls(
                folder=folder,
                fs=fs,
                lock=lock,
                block=block,
                data_key=data_key,
                tuning=tuning,
                limits=limits,
            )
            vault._load()
        except BaseException:
            lock.release()
            raise
        return vault

    def _load(self) -> None:
        fs, folder = self._fs, self.folder
        with disk_errors():
            with contextlib.suppress(OSError):  # read-only medium: reading is still fine
                remove_temp_files(fs, folder)
            loaded = load(fs, folder, self._live_sealer(), self._block.preamble.vault_id)
        self._contents = loaded.contents
        self._generation = loaded.generation
        self._next_generation = loaded.highest_generation + 1
        self._snapshot_size = loaded.snapshot_size
        self.restored_from_previous = loaded.restored_from_previous
        self._must_compact = loaded.must_compact
        self._keep_previous = not loaded.must_compact  # never let a damaged file become .prev
        if loaded.journal is not None:
            self._attach_journal(loaded.journal)

    def _attach_journal(self, tail: JournalTail) -> None:
        path = self.folder / JOURNAL
        preamble = Preamble(KIND_JOURNAL, self._block.preamble.vault_id, tail.generation).pack()
        try:
            fd = self._fs.open_for_append(path)
        except OSError:
            self._must_compact = True  # read-only: a later save will fail cleanly
            return
        self._journal = _Journal(fd, preamble, tail.seq, tail.end, dirty_tail=tail.torn)
        if tail.torn:
            self.dropped_torn_tail = True
            with contextlib.suppress(OSError):  # stays dirty: truncated before the next append
                self._truncate_tail(self._journal)

    # ------------------------------------------------------------------ TinyDB contract

    def read(self) -> Tables | None:
        """The committed tables (treat as read-only; TinyDB copies what it returns)."""
        return self._live().view()

    def write(self, data: Tables) -> None:
        """Save what changed in ``data``; durable (fsynced) when this returns.

        The save is one journal append; when the journal has outgrown the
        snapshot, a compaction follows (its failure is retried on a later save:
        the edit is already durable in the journal). On failure nothing of this
        save is kept, on disk or in memory, and the error is a ``DiskError``
        (or TypeError for values JSON cannot hold).
        """
        contents = self._live()
        saved_to = ""
        try:
            change = contents.diff(data)
            if change:
                with disk_errors():
                    if self._must_compact:
                        self._compact(contents.snapshot_plaintext(data), chained=False)
                        saved_to = "snapshot"
                    else:
                        self._append(change.frame_plaintext())
                        saved_to = "journal"
        except BaseException:
            contents.rollback()
            raise
        contents.commit(data, change)
        if saved_to == "snapshot":
            self._finish_compaction(strict=True)
        elif saved_to == "journal" and self._compact_if_full(contents):
            self._finish_compaction(strict=False)

    # ------------------------------------------------------------------ saving

    def _compact_if_full(self, contents: Contents) -> bool:
        """Compact after an append made the journal too long; never fails the save."""
        journal = self._journal
        if journal is None:
            return False
        tuning = self._tuning
        limit = max(tuning.compact_min_bytes, int(self._snapshot_size * tuning.compact_ratio))
        if journal.size <= limit:
            return False
        try:
            self._compact(contents.snapshot_plaintext(), chained=True)
        except OSError:
            return False  # the edit is in the journal; try again on a later save
        return True

    def _append(self, plaintext: bytes) -> None:
        if self._journal is None:
            self._start_journal()
        journal = self._journal
        assert journal is not None
        if journal.dirty_tail:
            self._truncate_tail(journal)
        frame = pack_frame(self._live_sealer(), journal.preamble, journal.seq, plaintext)
        try:
            self._fs.write_at(journal.fd, frame, journal.size)
            self._fs.fsync(journal.fd)
        except OSError:
            journal.dirty_tail = True
            with contextlib.suppress(OSError):
                self._truncate_tail(journal)
            raise
        journal.size += len(frame)
        journal.seq += 1

    def _truncate_tail(self, journal: _Journal) -> None:
        self._fs.truncate(journal.fd, journal.size)
        self._fs.fsync(journal.fd)
        journal.dirty_tail = False

    def _compact(self, plaintext: bytes, *, chained: bool) -> None:
        """Write ``plaintext`` as the next snapshot generation; the journal restarts.

        Commit point: the ``os.replace`` of the snapshot. Before it, the old
        snapshot is hard-linked as ``snapshot.prev``. ``chained`` promises that
        ``plaintext`` is exactly the old snapshot plus the old journal; only
        then is the old journal kept as ``journal.prev`` (so the previous
        generation rebuilds this one if it is ever damaged). Otherwise
        ``journal.prev`` is removed and a fallback stops at the old snapshot.
        Until the new journal exists, the old one is stale (ignored on open).
        """
        fs, folder = self._fs, self.folder
        generation = self._next_generation
        preamble = Preamble(KIND_SNAPSHOT, self._block.preamble.vault_id, generation).pack()
        data = preamble + pack_frame(self._live_sealer(), preamble, 0, plaintext)
        temp = write_temp(fs, folder, data)
        try:
            if self._keep_previous:
                if chained and self._journal is not None:
                    keep_previous(fs, folder / JOURNAL, folder / JOURNAL_PREV)
                else:
                    fs.unlink(folder / JOURNAL_PREV)
                keep_previous(fs, folder / SNAPSHOT, folder / SNAPSHOT_PREV)
            fs.replace(temp, folder / SNAPSHOT)
        except BaseException:
            fs.unlink(temp)
            raise
        self._close_journal()
        self._generation = generation
        self._next_generation = generation + 1
        self._snapshot_size = len(data)
        self._must_compact = False
        self._keep_previous = True

    def _finish_compaction(self, *, strict: bool = True) -> None:
        """After the commit point: make the rename durable, then start the journal.

        ``strict``: the save lives only in the new snapshot, so a failing folder
        fsync is reported (it may not survive a power cut), though not rolled
        back: the new snapshot already is the vault's state. Otherwise the save
        is durable in the old journal whichever snapshot a power cut leaves.
        """
        try:
            with disk_errors():
                self._fs.fsync_dir(self.folder)
        except BaseException:
            self._must_compact = True
            if strict:
                raise
            return
        try:
            self._start_journal()
        except OSError:
            self._journal = None  # the save is durable; the next one starts a journal

    def _start_journal(self) -> None:
        self._close_journal()
        preamble = Preamble(KIND_JOURNAL, self._block.preamble.vault_id, self._generation).pack()
        path = self.folder / JOURNAL
        replace_file(self._fs, path, preamble)
        fd = self._fs.open_for_append(path)
        self._journal = _Journal(fd, preamble, 0, len(preamble))

    def _close_journal(self) -> None:
        if self._journal is not None:
            journal, self._journal = self._journal, None
            with contextlib.suppress(OSError):
                self._fs.close(journal.fd)

    # ------------------------------------------------------------------ keys

    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> None:
        """Re-wrap the data key under a new passphrase: one KDF run, one small atomic write.

        The old key file is replaced, not kept: an old passphrase must stop working.
        """
        data_key = self._live_key()
        kdf = kdf or default_kdf()
        salt = new_salt()
        passphrase_key = derive_passphrase_key(new_passphrase, salt, kdf)
        block = build_key_block(
            self._block.preamble,
            data_key=data_key,
            kdf=kdf,
            salt=salt,
            passphrase=passphrase_key,
            recovery=self._block.recovery,
        )
        with disk_errors():
            replace_file(self._fs, self.folder / KEYS, block.pack())
        self._block = block

    def verify_passphrase(self, passphrase: str) -> None:
        """Raise WrongPassphrase unless ``passphrase`` unlocks this vault (one KDF run).

        For a UI that re-asks the current passphrase before changing it.
        """
        self._live_key()
        key = derive_passphrase_key(passphrase, self._block.salt, self._block.kdf)
        self._block.unwrap_with_passphrase_key(key)

    def verify_recovery_code(self, code: str) -> None:
        """Raise WrongRecoveryCode unless ``code`` unlocks this vault; changes nothing.

        For a second window of the web app that opens an already open vault with
        the code: a wrong code must not close the vault under the first one."""
        self._live_key()
        recovery = self._block.recovery
        key = derive_recovery_key(code, recovery.salt) if recovery is not None else b""
        self._block.unwrap_with_recovery_key(key)

    def new_recovery_code(self) -> str:
        """A fresh recovery code; the old one stops working."""
        data_key = self._live_key()
        code = new_recovery_code()
        salt = new_salt()
        block = build_key_block(
            self._block.preamble,
            data_key=data_key,
            kdf=self._block.kdf,
            salt=self._block.salt,
            passphrase=self._block.passphrase,
            recovery=(derive_recovery_key(code, salt), salt),
        )
        with disk_errors():
            replace_file(self._fs, self.folder / KEYS, block.pack())
        self._block = block
        return code

    # ------------------------------------------------------------------ whole-vault operations

    def check(self) -> VaultReport:
        """Re-read and authenticate every file; counts only, no content leaves."""
        data_key = self._live_key()
        sealer = self._live_sealer()
        fs, folder = self._fs, self.folder
        vault_id = self._block.preamble.vault_id
        with disk_errors():
            raw = fs.read_bytes(folder / KEYS)
            block = parse_key_block(raw, KIND_KEYS, self._limits)
            if block.size != len(raw):
                raise VaultDamaged("key file has trailing bytes")
            block.verify(data_key)
            loaded = load(fs, folder, sealer, vault_id)
            previous_ok: bool | None = None
            previous_raw = read_optional(fs, folder / SNAPSHOT_PREV)
            if previous_raw is not None:
                try:
                    decode_snapshot(previous_raw, sealer, vault_id)
                    previous_ok = True
                except VaultDamaged:
                    previous_ok = False
        torn = loaded.journal is not None and loaded.journal.torn
        return VaultReport(
            format_version=FORMAT_VERSION,
            generation=loaded.generation,
            kdf=block.kdf.name,
            tables=loaded.contents.counts(),
            journal_records=loaded.frames,
            restored_from_previous=loaded.restored_from_previous,
            dropped_torn_tail=torn,
            previous_generation_ok=previous_ok,
        )

    def export_backup(
        self, destination: Path, passphrase: str, *, kdf: KdfParams | None = None
    ) -> None:
        """One encrypted file with everything, under its own key and passphrase."""
        from storage.backup import write_backup

        write_backup(
            self._fs,
            destination,
            passphrase,
            self._live().snapshot_plaintext(),
            vault_id=self._block.preamble.vault_id,
            generation=self._generation,
            kdf=kdf or default_kdf(),
        )

    def import_backup(
        self, backup: Path | bytes, passphrase: str, *, limits: KdfLimits = DEFAULT_LIMITS
    ) -> None:
        """Replace this vault's content with a backup's (as one new snapshot)."""
        from storage.backup import read_backup

        tables = read_backup(backup, passphrase, limits=limits, fs=self._fs)
        fresh = Contents()
        fresh.replace_all(tables)
        with disk_errors():
            self._compact(fresh.snapshot_plaintext(), chained=False)
        self._contents = fresh
        self._finish_compaction()

    def erase(self) -> None:
        """Destroy the keys first (overwrite + fsync), then delete every file."""
        self._live()
        with disk_errors():
            _erase_files(self._fs, self.folder)
        self.close()
        with contextlib.suppress(OSError):  # something not ours lives there: leave it
            self.folder.rmdir()

    def close(self) -> None:
        """Lock: drop the keys and the decrypted tables, release the folder lock."""
        self._close_journal()
        self._data_key = None
        self._sealer = None
        self._contents = None
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.release()

    # ------------------------------------------------------------------ state

    @property
    def is_open(self) -> bool:
        return self._contents is not None

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def kdf(self) -> KdfParams:
        return self._block.kdf

    def __enter__(self) -> Vault:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _live(self) -> Contents:
        if self._contents is None:
            raise VaultLocked("vault is locked")
        return self._contents

    def _live_key(self) -> bytes:
        if self._data_key is None:
            raise VaultLocked("vault is locked")
        return self._data_key

    def _live_sealer(self) -> Sealer:
        if self._sealer is None:
            raise VaultLocked("vault is locked")
        return self._sealer


def erase_vault(folder: Path, *, fs: FileSystem | None = None) -> None:
    """Erase a vault without its passphrase (forgotten): needs only the lock."""
    fs = fs or FileSystem()
    if not (folder / KEYS).is_file():
        raise VaultMissing("no vault here")
    lock = VaultLock(folder)
    try:
        with disk_errors():
            _erase_files(fs, folder)
    finally:
        lock.release()
    with contextlib.suppress(OSError):
        folder.rmdir()


def _erase_files(fs: FileSystem, folder: Path) -> None:
    keys = folder / KEYS
    size = keys.stat().st_size
    fd = os.open(keys, os.O_WRONLY)
    try:
        fs.write_at(fd, secrets.token_bytes(size), 0)
        fs.fsync(fd)
    finally:
        fs.close(fd)
    for name in VAULT_FILES:
        fs.unlink(folder / name)
    remove_temp_files(fs, folder)
    fs.unlink(folder / LOCK_NAME)
    fs.fsync_dir(folder)


class VaultStorage(Storage):
    """TinyDB's ``Storage`` over an unlocked ``Vault``: ``TinyDB(vault, storage=VaultStorage)``.

    ``close()`` (TinyDB's ``db.close()``) locks the vault.
    """

    def __init__(self, vault: Vault) -> None:
        super().__init__()
        self.vault = vault

    def read(self) -> Tables | None:
        return self.vault.read()

    def write(self, data: Tables) -> None:
        self.vault.write(data)

    def close(self) -> None:
        self.vault.close()


__all__ = ["Tuning", "Vault", "VaultReport", "VaultStorage", "erase_vault"]

"""The user's encrypted vault: a folder only this module writes, and its TinyDB storage.

Use::

    vault, recovery_code = Vault.create(folder, passphrase)      # show the code once
    vault = Vault.open(folder, passphrase)                       # 0.15-0.4 s: off the UI thread
    db = TinyDB(vault, storage=VaultStorage)                     # TinyDB stays the query API
    ...
    db.close()                                                   # locks the vault again

Every ``write()`` is durable when it returns (fsync) and costs about the same at
100 or 10,000 plans: it appends one AEAD frame with only the changed documents
to a journal (chained to the frame before it, inside a file grown in 64 KiB
steps of zeros, so a cut is visible); once the journal outgrows the snapshot,
the next save writes a new snapshot too (new journal first, then the snapshot:
each rename leaves a state that reads whole). The on-disk format is in
``storage/FORMAT.md``. Decrypted data never touches the disk.

Opening is strict: when the newest state cannot be read whole it raises a
``CurrentDamaged`` naming the part, and never shows an older state instead.
``Vault.open_for_recovery`` says what choosing the newest provable state would
lose, and writes it only when asked (``Recovery.apply``).

Errors are ``mus.errors`` types only; ``OSError`` and ``InvalidTag`` are renamed
at this edge. No log line here ever holds a file name or content.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Literal

from tinydb.storages import Storage

from mus.errors import (
    CurrentDamaged,
    DiskError,
    DiskReadOnly,
    KeysMissing,
    VaultDamaged,
    VaultExists,
    VaultLocked,
    VaultMissing,
)
from mus.recovery import LossReport
from storage.atomic import keep_previous, remove_temp_files, replace_file, write_temp
from storage.contents import Contents, Tables
from storage.crypto import (
    DEFAULT_LIMITS,
    KDF_X25519,
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
from storage.fs import FileSystem, disk_error, disk_errors
from storage.generations import (
    JOURNAL,
    JOURNAL_NEXT,
    JOURNAL_PREV,
    KEYS,
    SNAPSHOT,
    SNAPSHOT_NEXT,
    SNAPSHOT_PREV,
    VAULT_FILES,
    After,
    Files,
    JournalInfo,
    JournalState,
    Loaded,
    Plan,
    load,
    plan_recovery,
    reaches,
)
from storage.lock import LOCK_NAME, VaultLock
from storage.vaultfile import (
    END_MARK,
    KIND_JOURNAL,
    KIND_KEYS,
    KIND_SNAPSHOT,
    LEGACY_VERSION,
    NO_TAG,
    PREAMBLE,
    KeyBlock,
    Preamble,
    RecoveryWrap,
    build_key_block,
    frame_key,
    frame_tag,
    pack_frame,
    parse_key_block,
)

VAULT_ID_BYTES = 16
JOURNAL_ID_BYTES = 16
FRAME_HEAD_BYTES = 8
DATA_FILES = tuple(name for name in VAULT_FILES if name != KEYS)
SET_ASIDE_PREFIX = "vault-set-aside-"

FolderState = Literal["empty", "vault", "keys_missing"]
"""What a vault folder holds: nothing of a vault, a vault with its key file, or
vault files without a readable key file (a damaged vault, ``KeysMissing``)."""


def folder_state(folder: Path) -> FolderState:
    """Looked at before anything is asked or written.

    Data files without a readable key file are a damaged vault, never "no vault
    yet": a copy of the key file put back opens them all, so nothing may create
    over them. (A create that crashed before writing its key file leaves such
    files too; they hold nothing the person did not still have elsewhere, and
    are set aside like any other.)
    """
    keys = folder / KEYS
    try:
        if keys.is_file():
            with keys.open("rb"):
                return "vault"
    except OSError:
        pass  # there but unreadable (permissions, I/O): damaged
    if os.path.lexists(keys) or any(os.path.lexists(folder / name) for name in DATA_FILES):
        return "keys_missing"
    return "empty"


def _set_aside(fs: FileSystem, folder: Path, now: datetime) -> Path:
    """Move everything in a damaged vault's folder (but its lock) into a new folder
    named by the date and time, beside it in the data folder. Nothing is deleted;
    a crash midway leaves the rest for the next try (the folder stays damaged)."""
    from mus.reminders import copenhagen  # the app's time zone, loaded only here

    stamp = now.astimezone(copenhagen()).strftime("%Y-%m-%d-%H%M%S")
    for n in range(1, 1000):
        target = folder.parent / (SET_ASIDE_PREFIX + stamp + ("" if n == 1 else f"-{n}"))
        try:
            target.mkdir(mode=0o700)
            break
        except FileExistsError:
            continue
    else:  # pragma: no cover - a thousand set-asides in one second
        raise DiskError("no free name for the set-aside folder")
    for path in sorted(folder.iterdir()):
        if path.name != LOCK_NAME:
            fs.replace(path, target / path.name)
    fs.fsync_dir(target)
    fs.fsync_dir(folder)
    fs.fsync_dir(folder.parent)
    return target


def _now() -> int:
    """A save's time as stored: whole seconds since 1970, UTC."""
    return int(time.time())


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


@dataclass(frozen=True, slots=True)
class Tuning:
    """When a save writes a new snapshot instead of appending to the journal.

    The journal may grow to ``max(compact_min_bytes, ratio × snapshot size)``:
    compaction costs one snapshot write, spread over that many bytes of edits,
    and opening replays at most about one snapshot's worth of journal.
    ``journal_chunk``: the journal file grows by this many zero bytes at a time
    (one extra fsync per chunk, not per save).
    """

    compact_min_bytes: int = 1 << 20
    compact_ratio: float = 1.0
    journal_chunk: int = 64 * 1024


@dataclass(frozen=True, slots=True)
class VaultReport:
    """What ``check`` found: structure and counts only, never content."""

    format_version: int
    generation: int
    kdf: str
    tables: dict[str, int]
    journal_records: int
    dropped_torn_tail: bool
    """A save that never returned (a crash mid-append) is at the journal's end;
    it is not part of the data (a writable open zeroes it)."""
    previous_generation_ok: bool | None
    """None when there is no previous generation (yet, or since a key change)."""


@dataclass(slots=True)
class _Journal:
    """The open journal: where the next frame goes and what it chains on."""

    fd: int
    preamble: bytes
    journal_id: bytes
    frames: int
    size: int
    """End of the last frame."""
    alloc: int
    """The file's size (zeros after ``size``)."""
    chain: bytes
    dirty_end: int = 0
    """Non-zero bytes after ``size`` up to here (a torn or failed append): zeroed
    before the next append."""

    def state(self) -> JournalState:
        return JournalState(self.journal_id, self.frames, self.chain)


@dataclass(slots=True)
class _Snapshot:
    generation: int
    tag: bytes
    size: int


@dataclass(frozen=True, slots=True)
class _Generation:
    """A new generation's two files, ready to be written."""

    generation: int
    journal_id: bytes
    journal: bytes
    journal_body: int
    snapshot: bytes


Unwrap = Callable[[KeyBlock], tuple[bytes, bytes | None]]
"""Key block → (data key, passphrase key if the passphrase was used)."""


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
        self._legacy_journal: JournalState | None = None
        """A version 1 vault's current journal (migrated by the first writable open)."""
        self._snapshot: _Snapshot | None = None
        self._generation = 0
        self._next_generation = 1
        self._saves = 0
        self._at: int | None = None
        self._read_only = False
        self._broken: DiskError | None = None
        """Set when the disk refused a step that must finish before the next save
        (the files stay readable as they are): saves fail until reopened."""
        self.dropped_torn_tail = False
        """True when a half-written (never acknowledged) save was found at the end."""
        self.set_aside_to: Path | None = None
        """Where ``create`` moved a damaged vault's files (``set_aside``)."""

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
        set_aside: datetime | None = None,
    ) -> tuple[Vault, str]:
        """A new vault in ``folder``; returns it unlocked and its recovery code.

        The recovery code is shown to the user once and never stored in clear.
        Over a damaged vault without its key file (``KeysMissing``) only with
        ``set_aside`` (now): its files are first moved into a folder named by
        that time (``Vault.set_aside_to``), never deleted.
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
        moved: Path | None = None
        try:
            with disk_errors():
                state = folder_state(folder)
                if state == "vault":
                    raise VaultExists("a vault already exists here")
                if state == "keys_missing":
                    if set_aside is None:
                        raise KeysMissing("vault files without a key file")
                    moved = _set_aside(fs, folder, set_aside)
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
            contents = Contents()
            if tables:
                contents.replace_all(tables)
            with disk_errors():
                vault._compact(contents, 1 if tables else 0, _now(), chained=False, relink=False)
                # The key file last: until it exists there is no vault, only debris.
                replace_file(fs, folder / KEYS, block.pack())
        except BaseException:
            lock.release()
            raise
        vault.set_aside_to = moved
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
        read_only: bool = False,
    ) -> Vault:
        """Unlock with the passphrase (slow KDF: call it off the UI thread).

        ``read_only``: write nothing at all, not even the tidying a normal open
        does (zeroing a torn save, finishing a stopped compaction or key change,
        migrating a version 1 vault); ``check`` opens so.
        """
        return cls._open(
            folder, _passphrase_unwrap(passphrase), limits, fs, tuning, read_only=read_only
        )

    @classmethod
    def open_with_recovery_code(
        cls,
        folder: Path,
        code: str,
        *,
        limits: KdfLimits = DEFAULT_LIMITS,
        fs: FileSystem | None = None,
        tuning: Tuning | None = None,
        read_only: bool = False,
    ) -> Vault:
        """Unlock with the recovery code; the UI should then ask for a new passphrase."""
        return cls._open(folder, _code_unwrap(code), limits, fs, tuning, read_only=read_only)

    @classmethod
    def open_for_recovery(
        cls,
        folder: Path,
        passphrase: str | None = None,
        *,
        recovery_code: str | None = None,
        limits: KdfLimits = DEFAULT_LIMITS,
        fs: FileSystem | None = None,
        tuning: Tuning | None = None,
    ) -> Recovery:
        """Unlock a vault whose newest state may be damaged, writing nothing yet.

        ``Recovery.report`` says what recovering would lose (None: nothing is
        damaged); ``Recovery.apply`` writes the recovered state and returns the
        open vault. Raises the damage itself when no state can be read at all.
        """
        if recovery_code is not None:
            unwrap = _code_unwrap(recovery_code)
        elif passphrase is not None:
            unwrap = _passphrase_unwrap(passphrase)
        else:
            raise ValueError("a passphrase or a recovery code is needed")
        vault, passphrase_key = cls._unlock(folder, unwrap, limits, fs, tuning)
        try:
            files = vault._files()
            with disk_errors():
                try:
                    load(files)
                    plan: Plan | None = None
                except CurrentDamaged as damage:
                    plan = plan_recovery(files, damage)
        except BaseException:
            vault.close()
            raise
        return Recovery(vault, plan, passphrase_key)

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
        set_aside: datetime | None = None,
    ) -> tuple[Vault, str]:
        """A new vault in ``folder`` holding a backup's content (new keys, new code).

        The backup is read (and its passphrase checked) before anything in
        ``folder`` moves; ``set_aside`` as for ``create``."""
        from storage.backup import read_backup

        tables = read_backup(backup, backup_passphrase, limits=limits, fs=fs)
        return cls.create(
            folder,
            passphrase,
            kdf=kdf,
            limits=limits,
            fs=fs,
            tuning=tuning,
            tables=tables,
            set_aside=set_aside,
        )

    @classmethod
    def _unlock(
        cls,
        folder: Path,
        unwrap: Unwrap,
        limits: KdfLimits,
        fs: FileSystem | None,
        tuning: Tuning | None,
    ) -> tuple[Vault, bytes | None]:
        """The key file read, checked and unwrapped; nothing else read yet."""
        fs = fs or FileSystem()
        require_vault(folder)
        lock = VaultLock(folder)
        try:
            with disk_errors():
                raw = fs.read_bytes(folder / KEYS)
            block = parse_key_block(raw, KIND_KEYS, limits)
            if block.size != len(raw):
                raise VaultDamaged("key file has trailing bytes")
            data_key, passphrase_key = unwrap(block)
        except BaseException:
            lock.release()
            raise
        vault = cls(
            folder=folder,
            fs=fs,
            lock=lock,
            block=block,
            data_key=data_key,
            tuning=tuning or Tuning(),
            limits=limits,
        )
        return vault, passphrase_key

    @classmethod
    def _open(
        cls,
        folder: Path,
        unwrap: Unwrap,
        limits: KdfLimits,
        fs: FileSystem | None,
        tuning: Tuning | None,
        *,
        read_only: bool,
    ) -> Vault:
        vault, passphrase_key = cls._unlock(folder, unwrap, limits, fs, tuning)
        try:
            vault._load(read_only=read_only, passphrase_key=passphrase_key)
        except BaseException:
            vault.close()
            raise
        return vault

    def _load(self, *, read_only: bool, passphrase_key: bytes | None) -> None:
        fs, folder = self._fs, self.folder
        if not read_only:
            with contextlib.suppress(OSError):  # read-only medium: reading is still fine
                remove_temp_files(fs, folder)
        with disk_errors():
            loaded = load(self._files())
        self._install(loaded)
        if read_only:
            self._read_only = True
            return
        try:
            self._tidy(loaded, passphrase_key)
        except OSError as exc:
            self._broken = disk_error(exc)  # readable as it is; saves wait for a reopen

    def _install(self, loaded: Loaded) -> None:
        snapshot = loaded.snapshot
        self._contents = loaded.contents
        self._generation = loaded.generation
        self._next_generation = loaded.highest_generation + 1
        self._snapshot = _Snapshot(snapshot.generation, snapshot.tag, snapshot.size)
        self._saves, self._at = loaded.saves, loaded.at
        journal = loaded.journal
        self.dropped_torn_tail = journal is not None and journal.ending == "torn"
        if loaded.legacy and journal is not None and journal.version == LEGACY_VERSION:
            self._legacy_journal = journal.state()

    def _tidy(self, loaded: Loaded, passphrase_key: bytes | None) -> None:
        """What a writable open finishes: a key change's renames, a stopped
        compaction's snapshot, a torn save's bytes, a version 1 folder (the key
        file when the passphrase opened it: its wrap is sealed anew under the same
        key; the data by one chained compaction, new journal first as always)."""
        fs, folder = self._fs, self.folder
        for source, target in loaded.renames:
            fs.replace(folder / source, folder / target)
        for name in loaded.stale:
            fs.unlink(folder / name)
        if loaded.renames or loaded.stale:
            fs.fsync_dir(folder)
        journal = loaded.journal
        if journal is not None and journal.version != LEGACY_VERSION:
            self._attach(journal)
            if loaded.window:
                self._finish_window(journal)
        if passphrase_key is not None and self._block.preamble.version == LEGACY_VERSION:
            _migrate_keys(self, passphrase_key)
        if loaded.legacy and not loaded.window:
            self._compact(self._live(), self._saves, self._at, chained=True, relink=True)

    def _attach(self, info: JournalInfo) -> None:
        try:
            fd = self._fs.open_for_append(self.folder / JOURNAL)
        except OSError:
            return  # a read-only medium: a save fails cleanly (no journal open)
        preamble = Preamble(KIND_JOURNAL, self._vault_id, info.generation, epoch=self._epoch)
        self._journal = _Journal(
            fd,
            preamble.pack(),
            info.journal_id,
            len(info.ops),
            info.end,
            info.size,
            info.tags[-1],
            dirty_end=info.dirty_end if info.ending == "torn" else 0,
        )
        if info.ending == "torn":
            with contextlib.suppress(OSError):  # stays dirty: zeroed before the next append
                self._clear_tail(self._journal)

    def _finish_window(self, journal: JournalInfo) -> None:
        """A compaction wrote its journal but not its snapshot: write the snapshot
        now (the same state: the old snapshot + the old journal up to the point
        the new journal names)."""
        snapshot = self._new_generation(
            self._live(),
            self._saves,
            self._at,
            generation=journal.generation,
            journal_id=journal.journal_id,
        ).snapshot
        temp = write_temp(self._fs, self.folder, snapshot)
        try:
            self._fs.replace(temp, self.folder / SNAPSHOT)
        except BaseException:
            with contextlib.suppress(OSError):
                self._fs.unlink(temp)
            raise
        self._fs.fsync_dir(self.folder)
        self._snapshot = _Snapshot(journal.generation, frame_tag(snapshot), len(snapshot))

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
        at = _now()
        try:
            change = contents.diff(data)
            if change:
                self._writable()
                with disk_errors():
                    self._append(change.frame_plaintext(at))
        except BaseException:
            contents.rollback()
            raise
        contents.commit(data, change)
        if change:
            self._saves += 1
            self._at = at
            self._compact_if_full(contents)

    # ------------------------------------------------------------------ saving

    def _writable(self) -> None:
        if self._read_only:
            raise DiskReadOnly("opened read-only")
        broken = self._broken
        if broken is not None:
            raise type(broken)(broken.detail, broken.errno)

    def _compact_if_full(self, contents: Contents) -> None:
        """Compact after an append made the journal too long; never fails the save."""
        journal = self._journal
        if journal is None:
            return
        tuning = self._tuning
        snapshot_size = self._snapshot.size if self._snapshot is not None else 0
        limit = max(tuning.compact_min_bytes, int(snapshot_size * tuning.compact_ratio))
        if journal.size <= limit:
            return
        with contextlib.suppress(OSError):  # the edit is in the journal; retried later
            self._compact(contents, self._saves, self._at, chained=True, relink=True)

    def _append(self, plaintext: bytes) -> None:
        journal = self._journal
        if journal is None:
            raise OSError(errno.EROFS, "no journal open")  # the medium refused it at open
        fs = self._fs
        if journal.dirty_end > journal.size:
            self._clear_tail(journal)
        frame = pack_frame(
            self._live_sealer(), journal.preamble, journal.frames + 1, plaintext, journal.chain
        )
        end = journal.size + len(frame)
        if end + END_MARK > journal.alloc:
            # Grow first (zeros) and make the size durable: a frame never ends
            # beyond the file, so a file that stops inside one was cut.
            alloc = _round_up(end + END_MARK, self._tuning.journal_chunk)
            fs.truncate(journal.fd, alloc)
            fs.fsync(journal.fd)
            journal.alloc = alloc
        try:
            fs.write_at(journal.fd, frame, journal.size)
            fs.fsync(journal.fd)
        except OSError:
            journal.dirty_end = end
            with contextlib.suppress(OSError):
                self._clear_tail(journal)
            raise
        journal.size = end
        journal.frames += 1
        journal.chain = frame_tag(frame)

    def _clear_tail(self, journal: _Journal) -> None:
        """Zero what a torn or failed append left, its header last: a crash in
        between still leaves one torn frame, never a headless one."""
        fs, start, stop = self._fs, journal.size, journal.dirty_end
        if stop > start + FRAME_HEAD_BYTES:
            fs.write_at(
                journal.fd, bytes(stop - start - FRAME_HEAD_BYTES), start + FRAME_HEAD_BYTES
            )
            fs.fsync(journal.fd)
        fs.write_at(journal.fd, bytes(min(FRAME_HEAD_BYTES, stop - start)), start)
        fs.fsync(journal.fd)
        journal.dirty_end = 0

    def _after(self, *, chained: bool) -> After | None:
        snapshot = self._snapshot
        if snapshot is None:
            return None
        journal = self._journal.state() if self._journal is not None else self._legacy_journal
        return After(snapshot.generation, snapshot.tag, journal, chained)

    def _new_generation(
        self,
        contents: Contents,
        saves: int,
        at: int | None,
        *,
        generation: int,
        after: After | None = None,
        journal_id: bytes | None = None,
        keys: tuple[int, Sealer] | None = None,
    ) -> _Generation:
        """The bytes of a generation: an empty journal (header frame, zeros) and a
        snapshot naming that journal; under the open key unless ``keys`` (epoch,
        sealer) names a new one."""
        epoch, sealer = keys or (self._epoch, self._live_sealer())
        journal_id = journal_id or secrets.token_bytes(JOURNAL_ID_BYTES)
        vault_id = self._vault_id
        head = Preamble(KIND_JOURNAL, vault_id, generation, epoch=epoch).pack()
        header = json.dumps(
            {
                "id": journal_id.hex(),
                "saves": saves,
                "at": at,
                "after": None if after is None else after.to_json(),
            },
            separators=(",", ":"),
        ).encode("ascii")
        journal = head + pack_frame(sealer, head, 0, header, NO_TAG)
        body = len(journal)
        journal += bytes(_round_up(body + END_MARK, self._tuning.journal_chunk) - body)
        spre = Preamble(KIND_SNAPSHOT, vault_id, generation, epoch=epoch).pack()
        snapshot = spre + pack_frame(
            sealer, spre, 0, contents.snapshot_plaintext(journal_id, saves, at)
        )
        return _Generation(generation, journal_id, journal, body, snapshot)

    def _compact(
        self,
        contents: Contents,
        saves: int,
        at: int | None,
        *,
        chained: bool,
        relink: bool,
    ) -> None:
        """Write ``contents`` as the next generation; the journal restarts.

        ``relink`` (every compaction but create and recover): the current snapshot
        and journal become ``snapshot.prev``/``journal.prev``, the new journal
        replaces the old one first (its header names the old snapshot and how far
        the old journal went) and the snapshot second: between the two renames
        the folder reads as the old state. ``chained`` promises that ``contents``
        is exactly the old snapshot plus the old journal (so the previous
        generation rebuilds this one if it is ever damaged).

        Without ``relink`` (create, recover) nothing is kept as previous, and the
        snapshot is replaced first: a crash between the renames leaves the new
        snapshot with a journal that is not its own, which ``recover`` resolves
        to the new snapshot.
        """
        fs, folder = self._fs, self.folder
        after = self._after(chained=chained) if relink else None
        new = self._new_generation(
            contents, saves, at, generation=self._next_generation, after=after
        )
        first, second = (JOURNAL, SNAPSHOT) if relink else (SNAPSHOT, JOURNAL)
        temps: dict[str, Path] = {}
        fd: int | None = None
        try:
            temps[JOURNAL] = write_temp(fs, folder, new.journal)
            fd = fs.open_for_append(temps[JOURNAL])  # follows the file through its rename
            temps[SNAPSHOT] = write_temp(fs, folder, new.snapshot)
            if relink:
                self._keep_as_previous()
            fs.replace(temps[first], folder / first)
            del temps[first]
        except BaseException:
            _discard(fs, fd, *temps.values())
            raise
        try:
            fs.fsync_dir(folder)
            fs.replace(temps[second], folder / second)
            del temps[second]
        except BaseException as exc:
            _discard(fs, fd, *temps.values())
            self._undo_half(relink, exc)
            raise
        durable: OSError | None = None
        try:
            fs.fsync_dir(folder)
        except OSError as exc:
            durable = exc
        self._switch(new, fd, contents, saves, at)
        if durable is not None and not chained:
            # The new state lives only in the new snapshot: say it may not survive
            # a power cut (the old journal still holds every chained save).
            raise durable

    def _keep_as_previous(self) -> None:
        fs, folder = self._fs, self.folder
        if self._journal is not None or self._legacy_journal is not None:
            keep_previous(fs, folder / JOURNAL, folder / JOURNAL_PREV)
        else:
            fs.unlink(folder / JOURNAL_PREV)
        keep_previous(fs, folder / SNAPSHOT, folder / SNAPSHOT_PREV)

    def _switch(
        self, new: _Generation, fd: int, contents: Contents, saves: int, at: int | None
    ) -> None:
        """The new generation is on disk: appends go to its journal from now on."""
        self._close_journal()
        self._journal = _Journal(
            fd,
            new.journal[: PREAMBLE.size],
            new.journal_id,
            0,
            new.journal_body,
            len(new.journal),
            frame_tag(new.journal[: new.journal_body]),
        )
        self._legacy_journal = None
        self._contents = contents
        self._saves, self._at = saves, at
        self._generation = new.generation
        self._next_generation = new.generation + 1
        self._snapshot = _Snapshot(new.generation, frame_tag(new.snapshot), len(new.snapshot))

    def _undo_half(self, relink: bool, cause: BaseException) -> None:
        """The first rename happened, the second did not: put the old journal back
        (it is ``journal.prev``), or refuse saves until the vault is reopened."""
        if relink and (self._journal is not None or self._legacy_journal is not None):
            try:
                keep_previous(self._fs, self.folder / JOURNAL_PREV, self.folder / JOURNAL)
                self._fs.fsync_dir(self.folder)
                return
            except OSError:
                pass
        self._broken = (
            disk_error(cause) if isinstance(cause, OSError) else DiskError("compaction stopped")
        )

    def _close_journal(self) -> None:
        if self._journal is not None:
            journal, self._journal = self._journal, None
            with contextlib.suppress(OSError):
                self._fs.close(journal.fd)

    # ------------------------------------------------------------------ keys

    def change_passphrase(self, new_passphrase: str, *, kdf: KdfParams | None = None) -> str | None:
        """A new passphrase *and* a new data key: everything is re-encrypted
        (the vault is small), so an old copy of the key file opens nothing
        written from now on, even with the old passphrase.

        The recovery code keeps working (its wrap is a sealed box to a public key
        kept in the key file). A vault still holding a version 1 recovery wrap
        cannot be re-wrapped without the old code: it gets a new code, returned
        (show it once); otherwise None.

        Commit point: the key file's atomic replace. The new data is written
        first as ``snapshot.next``/``journal.next``, renamed into place after;
        an open picks whichever files match the key file's epoch.
        """
        self._writable()
        self._live_key()
        kdf = kdf or default_kdf()
        salt = new_salt()
        passphrase_key = derive_passphrase_key(new_passphrase, salt, kdf)
        data_key = new_key()
        epoch = self._epoch + 1
        code: str | None = None
        recovery = self._block.recovery
        rewrap: RecoveryWrap | tuple[bytes, bytes] | None = recovery
        if recovery is None or recovery.kdf_id != KDF_X25519:
            code = new_recovery_code()
            recovery_salt = new_salt()
            rewrap = (derive_recovery_key(code, recovery_salt), recovery_salt)
        block = build_key_block(
            Preamble(KIND_KEYS, self._vault_id, epoch=epoch),
            data_key=data_key,
            kdf=kdf,
            salt=salt,
            passphrase=passphrase_key,
            recovery=rewrap,
        )
        sealer = Sealer(frame_key(data_key))
        contents = self._live()
        new = self._new_generation(
            contents,
            self._saves,
            self._at,
            generation=self._next_generation,
            keys=(epoch, sealer),
        )
        fs, folder = self._fs, self.folder
        with disk_errors():
            fd = self._stage_next(new)
            try:
                keys_temp = write_temp(fs, folder, block.pack())
                try:
                    fs.replace(keys_temp, folder / KEYS)  # ← commit
                except BaseException:
                    fs.unlink(keys_temp)
                    raise
            except BaseException:
                _discard(fs, fd, folder / JOURNAL_NEXT, folder / SNAPSHOT_NEXT)
                raise
        self._data_key, self._sealer, self._block = data_key, sealer, block
        self._switch(new, fd, contents, self._saves, self._at)
        try:
            fs.fsync_dir(folder)
            fs.replace(folder / SNAPSHOT_NEXT, folder / SNAPSHOT)
            fs.replace(folder / JOURNAL_NEXT, folder / JOURNAL)
            fs.fsync_dir(folder)
        except OSError as exc:
            self._broken = disk_error(exc)  # the next open finishes the renames
            return code
        with contextlib.suppress(OSError):  # of the old key: unusable, and in the way
            fs.unlink(folder / SNAPSHOT_PREV)
            fs.unlink(folder / JOURNAL_PREV)
            fs.fsync_dir(folder)
        return code

    def _stage_next(self, new: _Generation) -> int:
        """The new key's journal and snapshot as ``*.next`` (durable); returns an
        open descriptor of the journal."""
        fs, folder = self._fs, self.folder
        temps: list[Path] = []
        fd: int | None = None
        try:
            temps.append(write_temp(fs, folder, new.journal))
            fd = fs.open_for_append(temps[0])
            temps.append(write_temp(fs, folder, new.snapshot))
            fs.replace(temps[0], folder / JOURNAL_NEXT)
            fs.replace(temps[1], folder / SNAPSHOT_NEXT)
            fs.fsync_dir(folder)
        except BaseException:
            _discard(fs, fd, *temps, folder / JOURNAL_NEXT, folder / SNAPSHOT_NEXT)
            raise
        return fd

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
        self._writable()
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
        """Re-read and authenticate every file; counts only, no content leaves.

        Reads only: the files' bytes are the same after it. The newest state
        must read whole (else the ``CurrentDamaged`` that opening would raise);
        the previous generation is checked too, against what the current
        journal's header says it was.
        """
        data_key = self._live_key()
        fs, folder = self._fs, self.folder
        with disk_errors():
            raw = fs.read_bytes(folder / KEYS)
            block = parse_key_block(raw, KIND_KEYS, self._limits)
            if block.size != len(raw):
                raise VaultDamaged("key file has trailing bytes")
            block.verify(data_key)
            files = self._files()
            loaded = load(files)
            previous_ok = _previous_ok(files, loaded)
        journal = loaded.journal
        return VaultReport(
            format_version=loaded.snapshot.version,
            generation=loaded.generation,
            kdf=block.kdf.name,
            tables=loaded.contents.counts(),
            journal_records=loaded.frames,
            dropped_torn_tail=journal is not None and journal.ending == "torn",
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
            self._live().tables_plaintext(),
            vault_id=self._vault_id,
            generation=self._generation,
            kdf=kdf or default_kdf(),
        )

    def import_backup(
        self, backup: Path | bytes, passphrase: str, *, limits: KdfLimits = DEFAULT_LIMITS
    ) -> None:
        """Replace this vault's content with a backup's (as one new snapshot)."""
        from storage.backup import read_backup

        tables = read_backup(backup, passphrase, limits=limits, fs=self._fs)
        self._writable()
        fresh = Contents()
        fresh.replace_all(tables)
        with disk_errors():
            self._compact(fresh, self._saves + 1, _now(), chained=False, relink=True)

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
    def saves(self) -> int:
        """Acknowledged saves since the vault was created (what a loss report counts)."""
        return self._saves

    @property
    def kdf(self) -> KdfParams:
        return self._block.kdf

    @property
    def _vault_id(self) -> bytes:
        return self._block.preamble.vault_id

    @property
    def _epoch(self) -> int:
        return self._block.epoch

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

    def _files(self) -> Files:
        return Files(self._fs, self.folder, self._live_sealer(), self._vault_id, self._epoch)


class Recovery:
    """A vault unlocked to be recovered: nothing is written until ``apply``.

    ``report`` is what recovering would lose, shown to the user first; None
    when nothing is damaged (``apply`` then just opens the vault).
    """

    def __init__(self, vault: Vault, plan: Plan | None, passphrase_key: bytes | None) -> None:
        self._vault: Vault | None = vault
        self._plan = plan
        self._passphrase_key = passphrase_key

    @property
    def report(self) -> LossReport | None:
        return None if self._plan is None else self._plan.report

    def apply(self) -> Vault:
        """Write the recovered state as a new generation and return the open vault
        (the lock and keys pass to it)."""
        vault = self._vault
        if vault is None:
            raise VaultLocked("recovery closed")
        plan = self._plan
        try:
            if plan is None:
                vault._load(read_only=False, passphrase_key=self._passphrase_key)
            else:
                _apply_plan(vault, plan, self._passphrase_key)
        except BaseException:
            self.close()
            raise
        self._vault = None
        return vault

    def close(self) -> None:
        """Give up: drop the keys, release the lock; nothing was written."""
        if self._vault is not None:
            vault, self._vault = self._vault, None
            vault.close()


def _apply_plan(vault: Vault, plan: Plan, passphrase_key: bytes | None) -> None:
    """The chosen state becomes the current generation (snapshot first, no
    previous kept: the previous files may be what it was rebuilt from)."""
    fs, folder = vault._fs, vault.folder
    chosen = plan.chosen
    vault._contents = chosen.contents
    vault._saves, vault._at = chosen.saves, chosen.at
    vault._next_generation = plan.highest_generation + 1
    with disk_errors():
        with contextlib.suppress(OSError):
            remove_temp_files(fs, folder)
        vault._compact(chosen.contents, chosen.saves, chosen.at, chained=False, relink=False)
        for name in (SNAPSHOT_NEXT, JOURNAL_NEXT):
            fs.unlink(folder / name)
        fs.fsync_dir(folder)
        if vault._block.preamble.version == LEGACY_VERSION and passphrase_key is not None:
            _migrate_keys(vault, passphrase_key)


def _migrate_keys(vault: Vault, passphrase_key: bytes) -> None:
    """A version 1 key file as version 2: same data key and epoch 0; the
    passphrase wrap sealed anew (its AAD names the version), a legacy recovery
    wrap kept byte for byte (its AAD stays the version 1 preamble)."""
    block = vault._block
    upgraded = build_key_block(
        Preamble(KIND_KEYS, block.preamble.vault_id),
        data_key=vault._live_key(),
        kdf=block.kdf,
        salt=block.salt,
        passphrase=passphrase_key,
        recovery=block.recovery,
    )
    replace_file(vault._fs, vault.folder / KEYS, upgraded.pack())
    vault._block = upgraded


def _previous_ok(files: Files, loaded: Loaded) -> bool | None:
    """Whether the previous generation is whole: ``snapshot.prev`` authenticates,
    and is (with ``journal.prev`` up to the named point) what the current
    journal's header says came before it."""
    if files.get(SNAPSHOT_PREV) is None or SNAPSHOT_PREV in loaded.stale:
        return None
    previous = files.try_snapshot(SNAPSHOT_PREV)
    journal = loaded.journal
    after = journal.after if journal is not None else None
    if previous is None or after is None or after.snapshot_generation != previous.generation:
        return previous is not None
    if after.journal is None:
        return after.snapshot_tag == previous.tag
    state = after.journal
    return after.snapshot_tag == previous.tag and reaches(
        files.try_journal(JOURNAL_PREV), state, previous.generation
    )


def _discard(fs: FileSystem, fd: int | None, *paths: Path | None) -> None:
    if fd is not None:
        with contextlib.suppress(OSError):
            fs.close(fd)
    for path in paths:
        if path is not None:
            with contextlib.suppress(OSError):
                fs.unlink(path)


def _passphrase_unwrap(passphrase: str) -> Unwrap:
    def unwrap(block: KeyBlock) -> tuple[bytes, bytes | None]:
        key = derive_passphrase_key(passphrase, block.salt, block.kdf)
        return block.unwrap_with_passphrase_key(key), key

    return unwrap


def _code_unwrap(code: str) -> Unwrap:
    def unwrap(block: KeyBlock) -> tuple[bytes, bytes | None]:
        if block.recovery is None:
            return block.unwrap_with_recovery_key(b""), None
        return block.unwrap_with_recovery_key(derive_recovery_key(code, block.recovery.salt)), None

    return unwrap


def require_vault(folder: Path) -> None:
    """``VaultMissing`` where there is nothing, ``KeysMissing`` where the key file is gone."""
    state = folder_state(folder)
    if state == "empty":
        raise VaultMissing("no vault here")
    if state == "keys_missing":
        raise KeysMissing("vault files without a key file")


def erase_vault(folder: Path, *, fs: FileSystem | None = None) -> None:
    """Erase a vault without its passphrase (forgotten): needs only the lock."""
    fs = fs or FileSystem()
    if folder_state(folder) == "empty":
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
    if keys.is_file():  # a damaged vault may have lost it (or an erase stopped after it)
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


__all__ = ["Recovery", "Tuning", "Vault", "VaultReport", "VaultStorage", "erase_vault"]

"""Rebuilding the database from the files on disk: which generation wins.

A vault folder holds a snapshot (generation g) and a journal of the edits made
since (also tagged g); compaction keeps the previous snapshot and journal as
``*.prev``. The newest snapshot that authenticates wins; its journal replays
on top; a torn journal tail (an append that never returned) is dropped. When
the main snapshot is damaged, ``snapshot.prev`` plus ``journal.prev`` rebuild
exactly what it held, and the current journal replays on top of that.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from mus.errors import VaultDamaged
from storage.contents import Contents
from storage.crypto import AuthFailed, Sealer
from storage.fs import FileSystem
from storage.vaultfile import (
    KIND_JOURNAL,
    KIND_SNAPSHOT,
    PREAMBLE,
    looks_torn,
    open_frame,
    parse_preamble,
    scan_frames,
)

KEYS = "keys"
SNAPSHOT = "snapshot"
SNAPSHOT_PREV = "snapshot.prev"
JOURNAL = "journal"
JOURNAL_PREV = "journal.prev"
VAULT_FILES = (KEYS, SNAPSHOT, SNAPSHOT_PREV, JOURNAL, JOURNAL_PREV)


@dataclass(slots=True)
class JournalTail:
    """Where the current journal continues: next sequence number and byte offset."""

    generation: int
    seq: int
    end: int
    torn: bool


@dataclass(slots=True)
class Loaded:
    contents: Contents
    generation: int
    snapshot_size: int
    journal: JournalTail | None
    """None: no journal for ``generation`` yet (start one before appending)."""
    restored_from_previous: bool = False
    must_compact: bool = False
    """The main snapshot is damaged: the next save writes a fresh one."""
    highest_generation: int = 0
    frames: int = 0
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Journal:
    generation: int
    frames: list[bytes]
    end: int
    torn: bool


def read_optional(fs: FileSystem, path: Path) -> bytes | None:
    try:
        return fs.read_bytes(path)
    except FileNotFoundError:
        return None


def decode_snapshot(data: bytes, sealer: Sealer, vault_id: bytes) -> tuple[int, bytes]:
    """(generation, plaintext) of a snapshot file, or VaultDamaged."""
    preamble = parse_preamble(data, KIND_SNAPSHOT)
    if preamble.vault_id != vault_id:
        raise VaultDamaged("snapshot of another vault")
    scan = scan_frames(data, PREAMBLE.size)
    if scan.torn or len(scan.frames) != 1 or scan.end != len(data):
        raise VaultDamaged("snapshot truncated")
    try:
        plaintext = open_frame(sealer, data[: PREAMBLE.size], 0, scan.frames[0])
    except AuthFailed:
        raise VaultDamaged("snapshot does not authenticate") from None
    return preamble.generation, plaintext


def journal_generation(data: bytes, vault_id: bytes) -> int:
    preamble = parse_preamble(data, KIND_JOURNAL)
    if preamble.vault_id != vault_id:
        raise VaultDamaged("journal of another vault")
    return preamble.generation


def decode_journal(data: bytes, sealer: Sealer, vault_id: bytes) -> _Journal:
    """Every authenticated frame in order; a damaged middle is VaultDamaged."""
    generation = journal_generation(data, vault_id)
    scan = scan_frames(data, PREAMBLE.size)
    head = data[: PREAMBLE.size]
    plaintexts: list[bytes] = []
    end, torn = scan.end, scan.torn
    last = len(scan.frames) - 1
    for seq, frame in enumerate(scan.frames):
        try:
            plaintexts.append(open_frame(sealer, head, seq, frame))
        except AuthFailed:
            if seq == last and not scan.torn and looks_torn(frame):
                end, torn = frame.start, True
                break
            raise VaultDamaged("journal frame does not authenticate") from None
    return _Journal(generation, plaintexts, end, torn)


def load(fs: FileSystem, folder: Path, sealer: Sealer, vault_id: bytes) -> Loaded:
    """The newest state that authenticates (see the module docstring)."""
    journal_raw = read_optional(fs, folder / JOURNAL)
    journal_gen = None if journal_raw is None else journal_generation(journal_raw, vault_id)
    snapshot_raw = read_optional(fs, folder / SNAPSHOT)
    main: tuple[int, bytes] | None = None
    if snapshot_raw is not None:
        try:
            main = decode_snapshot(snapshot_raw, sealer, vault_id)
        except VaultDamaged:
            main = None
    if main is not None and snapshot_raw is not None:
        generation, plaintext = main
        contents = Contents()
        contents.load_snapshot(plaintext)
        loaded = Loaded(contents, generation, len(snapshot_raw), None)
        loaded.highest_generation = max(generation, journal_gen or 0)
        if journal_raw is None or journal_gen is None or journal_gen < generation:
            return loaded  # none yet, or stale: its edits are in the snapshot
        if journal_gen > generation:
            raise VaultDamaged("journal is newer than the snapshot")
        journal = decode_journal(journal_raw, sealer, vault_id)
        for frame in journal.frames:
            contents.apply_frame(frame)
        loaded.frames = len(journal.frames)
        loaded.journal = JournalTail(generation, len(journal.frames), journal.end, journal.torn)
        return loaded
    return _load_previous(
        fs=fs,
        folder=folder,
        sealer=sealer,
        vault_id=vault_id,
        journal_raw=journal_raw,
        journal_gen=journal_gen,
    )


def _load_previous(
    *,
    fs: FileSystem,
    folder: Path,
    sealer: Sealer,
    vault_id: bytes,
    journal_raw: bytes | None,
    journal_gen: int | None,
) -> Loaded:
    """Main snapshot unreadable: previous snapshot, then every journal that chains on."""
    previous_raw = read_optional(fs, folder / SNAPSHOT_PREV)
    if previous_raw is None:
        raise VaultDamaged("no snapshot authenticates")
    generation, plaintext = decode_snapshot(previous_raw, sealer, vault_id)
    contents = Contents()
    contents.load_snapshot(plaintext)
    loaded = Loaded(contents, generation, len(previous_raw), None, restored_from_previous=True)
    loaded.must_compact = True
    candidates: dict[int, bytes] = {}
    prev_journal = read_optional(fs, folder / JOURNAL_PREV)
    if prev_journal is not None:
        with contextlib.suppress(VaultDamaged):
            candidates[journal_generation(prev_journal, vault_id)] = prev_journal
    if journal_raw is not None and journal_gen is not None:
        candidates.setdefault(journal_gen, journal_raw)
    loaded.highest_generation = max([generation, *candidates])
    current = generation
    while current in candidates:
        try:
            journal = decode_journal(candidates[current], sealer, vault_id)
        except VaultDamaged:
            break
        for frame in journal.frames:
            contents.apply_frame(frame)
        loaded.frames += len(journal.frames)
        current += 1
    return loaded

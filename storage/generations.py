"""Rebuilding the database from the files on disk, strictly, or as a chosen recovery.

A vault folder holds a snapshot (generation g) and the journal of the edits
made since (also g). The snapshot commits to its journal's random id; the
journal's first frame (its header) records what it follows: the snapshot
before it and how far that snapshot's journal went (frames, chain tag), and
whether the new snapshot is exactly those two together ("chained").

``load`` accepts only the newest state, whole:

* snapshot g + the journal g it names, every frame authenticating in a chain;
  a torn last frame (a save that never returned) is the only thing left out;
* or, after a compaction stopped between its two renames, snapshot g + the
  previous journal up to the point the new journal's header names + that new,
  still empty journal g+1.

Anything else raises a ``CurrentDamaged`` naming the damaged part: an older
state is never shown in place of the newest one. ``plan_recovery`` then finds
the newest state that can still be proven (the readable part of the journal,
or the previous generation) and says what choosing it would lose.

Version 1 folders (no journal header, no chain, no padding) are read by the
old rules, minus the silent fallback to the previous generation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mus.errors import (
    CurrentDamaged,
    JournalCut,
    JournalDamaged,
    JournalMismatch,
    JournalMissing,
    KeysMismatch,
    NewerFormat,
    SnapshotDamaged,
    SnapshotMissing,
    SnapshotOld,
    VaultDamaged,
)
from mus.recovery import LossReport, at_time
from storage.contents import Contents
from storage.crypto import AuthFailed, Sealer
from storage.fs import FileSystem
from storage.vaultfile import (
    KIND_JOURNAL,
    KIND_SNAPSHOT,
    LEGACY_VERSION,
    NO_TAG,
    PREAMBLE,
    PaddedScan,
    RawFrame,
    looks_torn,
    open_frame,
    parse_preamble,
    scan_frames,
    scan_padded,
    torn_in_place,
)

KEYS = "keys"
SNAPSHOT = "snapshot"
SNAPSHOT_PREV = "snapshot.prev"
SNAPSHOT_NEXT = "snapshot.next"
JOURNAL = "journal"
JOURNAL_PREV = "journal.prev"
JOURNAL_NEXT = "journal.next"
VAULT_FILES = (KEYS, SNAPSHOT, SNAPSHOT_PREV, SNAPSHOT_NEXT, JOURNAL, JOURNAL_PREV, JOURNAL_NEXT)
NEXT = ".next"


# ---------------------------------------------------------------- what the files say


@dataclass(frozen=True, slots=True)
class JournalState:
    """How far a journal went: its id (b"" in version 1), edits, and the chain tag
    after them (version 1: the last frame's tag)."""

    journal_id: bytes
    frames: int
    tag: bytes

    def to_json(self) -> list[Any]:
        return [self.journal_id.hex(), self.frames, self.tag.hex()]

    @classmethod
    def from_json(cls, value: Any) -> JournalState:
        jid, frames, tag = value
        if not isinstance(frames, int) or frames < 0:
            raise ValueError(frames)
        return cls(bytes.fromhex(jid), frames, bytes.fromhex(tag))


@dataclass(frozen=True, slots=True)
class After:
    """What a journal's header says came before it (None for the vault's first)."""

    snapshot_generation: int
    snapshot_tag: bytes
    journal: JournalState | None
    chained: bool
    """The snapshot this journal follows is exactly that snapshot + that journal."""

    def to_json(self) -> dict[str, Any]:
        return {
            "snapshot": [self.snapshot_generation, self.snapshot_tag.hex()],
            "journal": None if self.journal is None else self.journal.to_json(),
            "chained": self.chained,
        }

    @classmethod
    def from_json(cls, value: Any) -> After | None:
        if value is None:
            return None
        generation, tag = value["snapshot"]
        journal = value["journal"]
        chained = value["chained"]
        if not isinstance(generation, int) or not isinstance(chained, bool):
            raise ValueError(value)
        state = None if journal is None else JournalState.from_json(journal)
        return cls(generation, bytes.fromhex(tag), state, chained)


@dataclass(slots=True)
class SnapshotInfo:
    version: int
    generation: int
    tag: bytes
    journal_id: bytes | None
    """The journal this snapshot goes with (None in version 1)."""
    saves: int
    at: int | None
    size: int
    tables: dict[str, Any]


@dataclass(slots=True)
class JournalInfo:
    """A journal read as far as it authenticates, and how it ends."""

    version: int
    generation: int
    journal_id: bytes
    saves: int | None
    """Saves in the snapshot it follows (header; None in version 1)."""
    at: int | None
    after: After | None
    ops: list[list[Any]]
    """The edits of the readable prefix, in order."""
    times: list[int | None]
    tags: list[bytes]
    """Chain tag after 0, 1, … edits (``len(ops) + 1`` entries)."""
    end: int
    """Offset after the readable prefix: where the next frame goes."""
    ending: str
    """clean | torn (a save that never returned) | cut | damaged."""
    dirty_end: int
    """End of the bytes a clean-up must zero (torn tail)."""
    size: int
    later: int = 0
    """Frames seen after the readable prefix (the damaged one included)."""
    later_times: list[int] = field(default_factory=list)
    """Times of those later frames that still authenticate on their own."""

    @property
    def whole(self) -> bool:
        return self.ending in ("clean", "torn")

    def state(self, frames: int | None = None) -> JournalState:
        n = len(self.ops) if frames is None else frames
        return JournalState(self.journal_id, n, self.tags[n])


class Files:
    """The folder's files, each read at most once (the ``.prev`` ones only if needed),
    with what reading them takes: the frame key, the vault's id and key epoch."""

    def __init__(
        self, fs: FileSystem, folder: Path, sealer: Sealer, vault_id: bytes, epoch: int
    ) -> None:
        self._fs = fs
        self._folder = folder
        self.sealer = sealer
        self.vault_id = vault_id
        self.epoch = epoch
        self._cache: dict[str, bytes | None] = {}

    def get(self, name: str) -> bytes | None:
        if name not in self._cache:
            try:
                self._cache[name] = self._fs.read_bytes(self._folder / name)
            except FileNotFoundError:
                self._cache[name] = None
        return self._cache[name]

    def head(self, name: str) -> bytes | None:
        """A file's first 40 bytes (its preamble), without reading the rest."""
        if name in self._cache:
            data = self._cache[name]
            return None if data is None else data[: PREAMBLE.size]
        try:
            with (self._folder / name).open("rb") as f:
                return f.read(PREAMBLE.size)
        except FileNotFoundError:
            return None

    def pick(self, name: str, kind: int) -> tuple[str, bytes | None]:
        """``name.next`` when it is of the key file's epoch (a key change stopped
        before its last renames), else ``name``."""
        if epoch_of(self.head(name + NEXT), kind) == self.epoch:
            return name + NEXT, self.get(name + NEXT)
        return name, self.get(name)

    def snapshot(self, data: bytes) -> SnapshotInfo:
        return read_snapshot(data, self.sealer, self.vault_id, self.epoch)

    def journal(self, data: bytes) -> JournalInfo:
        return read_journal(data, self.sealer, self.vault_id, self.epoch)

    def try_snapshot(self, name: str) -> SnapshotInfo | None:
        """The file read, or None when it is missing or unreadable (a previous
        generation's damage, even a "newer" version field, is not the newest's)."""
        data = self.get(name)
        try:
            return None if data is None else self.snapshot(data)
        except (VaultDamaged, NewerFormat):
            return None

    def try_journal(self, name: str) -> JournalInfo | None:
        data = self.get(name)
        try:
            return None if data is None else self.journal(data)
        except (VaultDamaged, NewerFormat):
            return None


def read_optional(fs: FileSystem, path: Path) -> bytes | None:
    try:
        return fs.read_bytes(path)
    except FileNotFoundError:
        return None


def epoch_of(data: bytes | None, kind: int) -> int | None:
    """The key epoch a file's header names, or None when it has no readable header."""
    if data is None:
        return None
    try:
        return parse_preamble(data, kind).epoch
    except (VaultDamaged, NewerFormat):
        return None


def _check_header(data: bytes, kind: int, vault_id: bytes, epoch: int) -> tuple[int, int]:
    preamble = parse_preamble(data, kind)
    if preamble.vault_id != vault_id:
        raise VaultDamaged("file of another vault")
    if preamble.epoch != epoch:
        raise KeysMismatch("file of another key epoch")
    return preamble.version, preamble.generation


def read_snapshot(data: bytes, sealer: Sealer, vault_id: bytes, epoch: int) -> SnapshotInfo:
    """A snapshot file, authenticated and decoded, or VaultDamaged (KeysMismatch for
    a file of another key)."""
    version, generation = _check_header(data, KIND_SNAPSHOT, vault_id, epoch)
    scan = scan_frames(data, PREAMBLE.size)
    if scan.torn or len(scan.frames) != 1 or scan.end != len(data):
        raise VaultDamaged("snapshot truncated")
    frame = scan.frames[0]
    try:
        plaintext = open_frame(sealer, data[: PREAMBLE.size], 0, frame)
    except AuthFailed:
        raise VaultDamaged("snapshot does not authenticate") from None
    try:
        decoded = json.loads(plaintext)
        tables = decoded["tables"]
        journal_id: bytes | None = None
        saves, at = 0, None
        if version != LEGACY_VERSION:
            journal_id = bytes.fromhex(decoded["journal"])
            saves, at = decoded["saves"], decoded["at"]
            if not isinstance(saves, int) or not (at is None or isinstance(at, int)):
                raise ValueError(saves)
    except (ValueError, KeyError, TypeError):
        raise VaultDamaged("snapshot content unreadable") from None
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise VaultDamaged("snapshot content unreadable")
    return SnapshotInfo(
        version, generation, frame.ciphertext[-16:], journal_id, saves, at, len(data), tables
    )


def _decode_edit(plaintext: bytes, version: int) -> tuple[list[Any], int | None]:
    decoded = json.loads(plaintext)
    if version == LEGACY_VERSION:
        ops, at = decoded, None
    else:
        ops, at = decoded["ops"], decoded["at"]
    if not isinstance(ops, list) or not (at is None or isinstance(at, int)):
        raise ValueError(ops)
    return ops, at


def read_journal(data: bytes, sealer: Sealer, vault_id: bytes, epoch: int) -> JournalInfo:
    """A journal's readable prefix and how it ends.

    Raises JournalDamaged / JournalCut only when not even its header can be read
    (KeysMismatch for another key); a damaged or cut later part is reported in
    ``ending`` (the caller decides what that means).
    """
    if len(data) < PREAMBLE.size:
        raise JournalCut("journal shorter than its header")
    version, generation = _check_header(data, KIND_JOURNAL, vault_id, epoch)
    if version == LEGACY_VERSION:
        return _read_journal_v1(data, sealer, generation)
    head = data[: PREAMBLE.size]
    scan = scan_padded(data, PREAMBLE.size)
    info = _read_header(data, scan, sealer, version, generation)
    frames = scan.frames
    for seq in range(1, len(frames)):
        frame = frames[seq]
        try:
            ops, at = _decode_edit(open_frame(sealer, head, seq, frame, info.tags[-1]), version)
        except (AuthFailed, ValueError, KeyError, TypeError):
            last = seq == len(frames) - 1
            if last and scan.ending == "clean" and torn_in_place(data, frame):
                info.ending, info.dirty_end = "torn", frame.end
            else:
                info.ending = "damaged"
                _count_later(info, frames, seq, lambda n, f, c: open_frame(sealer, head, n, f, c))
            return info
        info.ops.append(ops)
        info.times.append(at)
        info.tags.append(frame.ciphertext[-16:])
        info.end = info.dirty_end = frame.end
    if scan.ending == "torn":
        info.ending, info.dirty_end = "torn", scan.dirty_end
    elif scan.ending == "cut":
        info.ending = "cut"
    elif scan.ending == "garbage":
        info.ending = "damaged"
    return info


def _read_header(
    data: bytes, scan: PaddedScan, sealer: Sealer, version: int, generation: int
) -> JournalInfo:
    """A version 2 journal's first frame: its id, what it follows, where it starts."""
    if not scan.frames:
        if scan.ending == "cut":
            raise JournalCut("journal header cut")
        raise JournalDamaged("journal header missing")
    first = scan.frames[0]
    try:
        header = json.loads(open_frame(sealer, data[: PREAMBLE.size], 0, first, NO_TAG))
        return JournalInfo(
            version=version,
            generation=generation,
            journal_id=bytes.fromhex(header["id"]),
            saves=int(header["saves"]),
            at=header["at"],
            after=After.from_json(header["after"]),
            ops=[],
            times=[],
            tags=[first.ciphertext[-16:]],
            end=first.end,
            ending="clean",
            dirty_end=first.end,
            size=len(data),
        )
    except AuthFailed:
        raise JournalDamaged("journal header does not authenticate") from None
    except (ValueError, KeyError, TypeError):
        raise JournalDamaged("journal header unreadable") from None


def _count_later(
    info: JournalInfo,
    frames: list[RawFrame],
    bad: int,
    opener: Callable[[int, RawFrame, bytes], bytes],
) -> None:
    """After a damaged frame: how many frames follow, and the times of those that
    still authenticate (each names its predecessor's stored tag)."""
    info.later = len(frames) - bad
    for seq in range(bad + 1, len(frames)):
        chain = frames[seq - 1].ciphertext[-16:]
        try:
            _, at = _decode_edit(opener(seq, frames[seq], chain), info.version)
        except (AuthFailed, ValueError, KeyError, TypeError):
            continue
        if at is not None:
            info.later_times.append(at)


def _read_journal_v1(data: bytes, sealer: Sealer, generation: int) -> JournalInfo:
    head = data[: PREAMBLE.size]
    info = JournalInfo(
        version=LEGACY_VERSION,
        generation=generation,
        journal_id=b"",
        saves=None,
        at=None,
        after=None,
        ops=[],
        times=[],
        tags=[b""],
        end=PREAMBLE.size,
        ending="clean",
        dirty_end=PREAMBLE.size,
        size=len(data),
    )
    try:
        scan = scan_frames(data, PREAMBLE.size)
    except VaultDamaged:
        info.ending = "damaged"
        return info
    for seq, frame in enumerate(scan.frames):
        try:
            ops, _ = _decode_edit(open_frame(sealer, head, seq, frame), LEGACY_VERSION)
        except (AuthFailed, ValueError, KeyError, TypeError):
            if seq == len(scan.frames) - 1 and not scan.torn and looks_torn(frame):
                info.ending, info.dirty_end = "torn", len(data)
            else:
                info.ending, info.later = "damaged", len(scan.frames) - seq
            return info
        info.ops.append(ops)
        info.times.append(None)
        info.tags.append(frame.ciphertext[-16:])
        info.end = info.dirty_end = frame.end
    if scan.torn:
        info.ending, info.dirty_end = "torn", len(data)
    return info


# ---------------------------------------------------------------- the strict load


@dataclass(slots=True)
class Loaded:
    """The newest state, whole, and what a writable open must tidy."""

    contents: Contents
    snapshot: SnapshotInfo
    journal: JournalInfo | None
    """The journal saves go on in (None: version 1 without a current journal)."""
    generation: int
    """Of that journal (snapshot's + 1 in a stopped compaction)."""
    highest_generation: int
    saves: int
    at: int | None
    frames: int = 0
    window: bool = False
    """A compaction stopped between its renames: snapshot + 1 == journal."""
    legacy: bool = False
    """Version 1 files: a writable open migrates them."""
    renames: list[tuple[str, str]] = field(default_factory=list)
    """``.next`` files of a finished key change, to put in place."""
    stale: list[str] = field(default_factory=list)
    """Files of another key epoch (unusable): removed by a writable open."""


def load(files: Files) -> Loaded:
    """The newest state, whole, or a ``CurrentDamaged`` naming what is not."""
    s_name, s_raw = files.pick(SNAPSHOT, KIND_SNAPSHOT)
    if s_raw is None:
        raise SnapshotMissing("no snapshot")
    try:
        snapshot = files.snapshot(s_raw)
    except KeysMismatch:
        raise
    except VaultDamaged:
        raise SnapshotDamaged("snapshot does not authenticate") from None
    j_name, j_raw = files.pick(JOURNAL, KIND_JOURNAL)
    journal = None if j_raw is None else _journal_or_damage(files, j_raw)
    contents = Contents()
    contents.replace_all(snapshot.tables)
    loaded = Loaded(
        contents,
        snapshot,
        None,
        snapshot.generation,
        max(snapshot.generation, journal.generation if journal is not None else 0),
        snapshot.saves,
        snapshot.at,
        legacy=snapshot.version == LEGACY_VERSION,
    )
    if journal is not None and journal.generation == snapshot.generation + 1:
        _window(loaded, journal, files)
    elif loaded.legacy:
        _legacy(loaded, journal)
    else:
        _current(loaded, journal)
    _tidying(loaded, files, {SNAPSHOT: s_name, JOURNAL: j_name})
    return loaded


def _journal_or_damage(files: Files, data: bytes) -> JournalInfo:
    try:
        return files.journal(data)
    except (CurrentDamaged, KeysMismatch):
        raise
    except VaultDamaged:
        raise JournalDamaged("journal header damaged") from None


def _current(loaded: Loaded, journal: JournalInfo | None) -> None:
    """Version 2: the journal the snapshot names, whole."""
    snapshot = loaded.snapshot
    if journal is None:
        raise JournalMissing("no journal")
    if journal.generation != snapshot.generation or journal.journal_id != snapshot.journal_id:
        raise JournalMismatch("journal is not the snapshot's")
    _require_whole(journal)
    _replay(loaded, journal, len(journal.ops))
    loaded.journal = journal


def _tidying(loaded: Loaded, files: Files, picked: dict[str, str]) -> None:
    """Which ``.next`` files a writable open renames, and which files of another
    key epoch it removes."""
    for name in (SNAPSHOT, JOURNAL):
        if picked[name] == name + NEXT:
            loaded.renames.append((name + NEXT, name))
        elif files.head(name + NEXT) is not None:
            loaded.stale.append(name + NEXT)
    for name, kind in ((SNAPSHOT_PREV, KIND_SNAPSHOT), (JOURNAL_PREV, KIND_JOURNAL)):
        found = epoch_of(files.head(name), kind)
        if found is not None and found != files.epoch:
            loaded.stale.append(name)


def _require_whole(journal: JournalInfo) -> None:
    if journal.ending == "cut":
        raise JournalCut("journal cut")
    if journal.ending == "damaged":
        raise JournalDamaged("journal frame does not authenticate")


def _replay(loaded: Loaded, journal: JournalInfo, frames: int) -> None:
    for ops in journal.ops[:frames]:
        loaded.contents.apply_ops(ops)
    loaded.frames += frames
    if frames:
        loaded.saves += frames
        loaded.at = journal.times[frames - 1] or loaded.at


def _legacy(loaded: Loaded, journal: JournalInfo | None) -> None:
    """Version 1: a missing or older journal is one a compaction had not yet replaced."""
    snapshot = loaded.snapshot
    if journal is None or journal.generation < snapshot.generation:
        return
    if journal.generation > snapshot.generation or journal.version != LEGACY_VERSION:
        raise JournalMismatch("journal is newer than the snapshot")
    _require_whole(journal)
    _replay(loaded, journal, len(journal.ops))
    loaded.journal = journal


def reaches(journal: JournalInfo | None, state: JournalState, generation: int) -> bool:
    """Whether ``journal`` is the named one (of ``generation``) and reaches the
    named point: as many frames, the same chain tag there."""
    return (
        journal is not None
        and journal.generation == generation
        and journal.journal_id == state.journal_id
        and len(journal.ops) >= state.frames
        and journal.tags[state.frames] == state.tag
    )


def _window(loaded: Loaded, journal: JournalInfo, files: Files) -> None:
    """Snapshot g + journal g+1: a compaction that wrote its new journal but not yet
    its snapshot. Whole only if the new journal is still empty and names this
    snapshot, and ``journal.prev`` reaches the point it names."""
    snapshot = loaded.snapshot
    after = journal.after
    if (
        after is None
        or journal.ops
        or not journal.whole
        or after.snapshot_generation != snapshot.generation
        or after.snapshot_tag != snapshot.tag
    ):
        raise SnapshotOld("journal is newer than the snapshot")
    if after.journal is not None:
        if snapshot.journal_id is not None and after.journal.journal_id != snapshot.journal_id:
            raise SnapshotOld("journal is newer than the snapshot")
        prev = files.try_journal(JOURNAL_PREV)
        if prev is None or not reaches(prev, after.journal, snapshot.generation):
            raise SnapshotOld("previous journal does not reach the compaction point")
        _replay(loaded, prev, after.journal.frames)
    loaded.journal = journal
    loaded.generation = journal.generation
    loaded.window = True


# ---------------------------------------------------------------- recovery


@dataclass(slots=True)
class Candidate:
    """One state recovery could choose: its tables, saves and generation."""

    contents: Contents
    saves: int
    at: int | None
    generation: int
    current: bool


@dataclass(slots=True)
class Plan:
    """What ``vault recover`` would write, and what it would lose."""

    report: LossReport
    chosen: Candidate
    highest_generation: int


def _candidate(
    snapshot: SnapshotInfo, journals: list[tuple[JournalInfo, int]], *, current: bool
) -> Candidate:
    contents = Contents()
    contents.replace_all(snapshot.tables)
    saves, at = snapshot.saves, snapshot.at
    for journal, frames in journals:
        for ops in journal.ops[:frames]:
            contents.apply_ops(ops)
        saves += frames
        if frames:
            at = journal.times[frames - 1] or at
    return Candidate(contents, saves, at, snapshot.generation, current)


def plan_recovery(files: Files, damage: CurrentDamaged) -> Plan:
    """The newest state that can still be proven, and what choosing it loses.

    Candidates: the main snapshot + the readable part of its journal; the
    previous snapshot + the readable part of the previous journal, + the current
    journal too when the current journal's header proves the previous pair is
    exactly what the (damaged) main snapshot held. The one with the most saves
    wins. Raises ``damage`` itself when no snapshot can be read at all.
    """
    snapshot = files.try_snapshot(files.pick(SNAPSHOT, KIND_SNAPSHOT)[0])
    journal = files.try_journal(files.pick(JOURNAL, KIND_JOURNAL)[0])
    prev = files.try_snapshot(SNAPSHOT_PREV)
    prev_journal = files.try_journal(JOURNAL_PREV)
    candidates: list[Candidate] = []
    if snapshot is not None:
        candidates.append(_from_current(snapshot, journal, prev_journal))
    if prev is not None:
        candidates.append(_from_previous(prev, prev_journal, journal))
    if not candidates:
        raise damage
    chosen = max(candidates, key=lambda c: (c.saves, c.generation, c.current))
    newest, exact, times = _newest(snapshot, journal, chosen)
    lost_times = [t for n, t in times if n > chosen.saves and t is not None]
    report = LossReport(
        damage=damage.code,
        kept_saves=chosen.saves,
        kept_at=at_time(chosen.at),
        lost_saves=max(0, newest - chosen.saves),
        exact=exact,
        lost_last_at=at_time(max(lost_times)) if lost_times else None,
    )
    infos = (snapshot, journal, prev, prev_journal)
    highest = max(info.generation for info in infos if info is not None)
    return Plan(report, chosen, highest)


def _from_current(
    snapshot: SnapshotInfo, journal: JournalInfo | None, prev_journal: JournalInfo | None
) -> Candidate:
    """The main snapshot + as much of its journal as reads (in a stopped
    compaction: + the previous journal up to the named point)."""
    parts: list[tuple[JournalInfo, int]] = []
    if journal is not None and _belongs(journal, snapshot):
        parts.append((journal, len(journal.ops)))
    elif journal is not None and journal.generation == snapshot.generation + 1:
        after = journal.after
        if (
            after is not None
            and after.journal is not None
            and prev_journal is not None
            and after.snapshot_tag == snapshot.tag
            and _belongs(prev_journal, snapshot)
        ):
            parts.append((prev_journal, min(len(prev_journal.ops), after.journal.frames)))
    return _candidate(snapshot, parts, current=True)


def _from_previous(
    prev: SnapshotInfo, prev_journal: JournalInfo | None, journal: JournalInfo | None
) -> Candidate:
    """The previous snapshot + its journal; + the current journal when that one's
    header proves the pair is exactly what the main snapshot was made of."""
    if prev_journal is None or not _belongs(prev_journal, prev):
        return _candidate(prev, [], current=False)
    parts = [(prev_journal, len(prev_journal.ops))]
    after = journal.after if journal is not None else None
    if (
        journal is not None
        and after is not None
        and after.chained
        and after.journal is not None
        and journal.generation == prev.generation + 1
        and after.snapshot_generation == prev.generation
        and after.snapshot_tag == prev.tag
        and reaches(prev_journal, after.journal, prev.generation)
    ):
        parts = [(prev_journal, after.journal.frames), (journal, len(journal.ops))]
    return _candidate(prev, parts, current=False)


def _belongs(journal: JournalInfo, snapshot: SnapshotInfo) -> bool:
    if journal.generation != snapshot.generation:
        return False
    if snapshot.version == LEGACY_VERSION:
        return journal.version == LEGACY_VERSION
    return journal.journal_id == snapshot.journal_id


def _newest(
    snapshot: SnapshotInfo | None, journal: JournalInfo | None, chosen: Candidate
) -> tuple[int, bool, list[tuple[int, int | None]]]:
    """The highest save number the files show, whether that is exact, and the
    (save number, time) of every save whose time can be read."""
    known: list[tuple[int, bool]] = [(chosen.saves, False)]
    times: list[tuple[int, int | None]] = []
    base: int | None = None
    if journal is not None and journal.saves is not None:
        base = journal.saves
    elif journal is not None and snapshot is not None and _belongs(journal, snapshot):
        base = snapshot.saves
    if journal is not None and base is not None:
        seen = len(journal.ops) + journal.later
        known.append((base + seen, journal.ending in ("clean", "torn", "damaged")))
        times += [(base + i + 1, t) for i, t in enumerate(journal.times)]
        times += [(base + len(journal.ops) + 1, t) for t in journal.later_times]
    if snapshot is not None:
        known.append((snapshot.saves, False))
    newest = max(n for n, _ in known)
    exact = any(ok for n, ok in known if n == newest)
    return newest, exact, times

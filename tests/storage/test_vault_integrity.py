"""Nothing lost, nothing silently older: the damage once seen on real folders.

Each test here failed on the version 1 code (commit 2324cf5): a flipped byte in
``snapshot`` after a restore opened an empty vault, a cut, deleted or older
journal opened fewer saves without a word, ``journal.prev`` was never checked,
and a damaged key file read as a wrong passphrase. Now opening stops with the
damaged part named, and only a chosen recovery (which first says what it
loses) opens anything older.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from mus.errors import (
    CurrentDamaged,
    JournalCut,
    JournalMismatch,
    JournalMissing,
    NewerFormat,
    SnapshotDamaged,
    SnapshotMissing,
    SnapshotOld,
    VaultDamaged,
    WrongPassphrase,
)
from storage.crypto import KDF_SCRYPT
from storage.vault import Tuning, Vault
from tests.storage.conftest import (
    FAST_KDF,
    LAX,
    PASSPHRASE,
    SMALL_JOURNAL,
    create_vault,
    open_vault,
)

Tables = dict[str, Any]


def saved(
    folder: Path, count: int, *, start: int = 0, tuning: Tuning = SMALL_JOURNAL
) -> list[Tables]:
    """``count`` saves into an open-close vault at ``folder``; the state after each."""
    vault = open_vault(folder, tuning=tuning)
    states = []
    for i in range(start, start + count):
        tables = vault.read() or {}
        notes = dict(tables.get("notes", {}))
        notes[str(i)] = {"text": f"note {i} " + "æ" * (300 if i % 3 else 5)}
        vault.write({**tables, "notes": notes})
        states.append(vault.read() or {})
    vault.close()
    return states


APPENDS = Tuning(journal_chunk=1024)
"""Saves stay in the journal (no compaction) and grow its file often."""


def fresh(folder: Path, count: int = 8, tuning: Tuning = SMALL_JOURNAL) -> list[Tables]:
    create_vault(folder, tuning=tuning)[0].close()
    return [{}, *saved(folder, count, tuning=tuning)]


def state_of(folder: Path) -> Tables:
    vault = open_vault(folder)
    try:
        return vault.read() or {}
    finally:
        vault.close()


def flip(path: Path, offset: int, mask: int = 0x01) -> None:
    data = bytearray(path.read_bytes())
    data[offset] ^= mask
    path.write_bytes(bytes(data))


def frame_ends(journal: bytes) -> list[int]:
    """Byte offsets where each frame of a version 2 journal ends (header first)."""
    ends, pos = [], 40
    while journal[pos : pos + 8] != bytes(8):
        length = int.from_bytes(journal[pos : pos + 4], "big")
        pos += 8 + 12 + length
        ends.append(pos)
    return ends


# ---------------------------------------------------------------- seen: restore, then a flip


def test_flipped_snapshot_after_a_restore_stops_instead_of_opening_empty(tmp_path: Path) -> None:
    source = tmp_path / "source"
    fresh(source, 4)
    backup = tmp_path / "backup"
    with open_vault(source) as vault:
        vault.export_backup(backup, PASSPHRASE, kdf=FAST_KDF)
        restored = vault.read()
    folder = tmp_path / "vault"
    create_vault(folder)[0].close()
    with open_vault(folder) as vault:  # restore over an existing (empty) vault
        vault.import_backup(backup, PASSPHRASE, limits=LAX)
    snapshot = folder / "snapshot"
    flip(snapshot, len(snapshot.read_bytes()) // 2)
    with pytest.raises(SnapshotDamaged):
        open_vault(folder)
    with pytest.raises(SnapshotDamaged):  # still: nothing was written by trying
        open_vault(folder)
    recovery = Vault.open_for_recovery(folder, PASSPHRASE, limits=LAX)
    report = recovery.report
    assert report is not None and report.damage == "snapshot_damaged"
    assert report.kept_saves == 0 and report.lost_saves == 1 and report.exact  # the restore
    recovery.close()
    assert restored  # what the restore had put there is what a recovery would lose


# ---------------------------------------------------------------- seen: the journal


def test_journal_cut_inside_any_acknowledged_frame_is_named_cut(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder, 3, APPENDS)
    journal = (folder / "journal").read_bytes()
    ends = frame_ends(journal)
    assert len(ends) >= 2, "the journal holds acknowledged saves"
    cuts = sorted({*range(ends[0] + 1, ends[-1] + 8, 7), *(e for e in ends[1:]), ends[-1] + 7})
    for cut in cuts:  # a failed open writes nothing: the same folder serves every cut
        (folder / "journal").write_bytes(journal[:cut])
        with pytest.raises(JournalCut):
            open_vault(folder)


def test_journal_cut_at_the_header_or_preamble_is_damage(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder, 2)
    journal = (folder / "journal").read_bytes()
    for cut in (0, 10, 39, 40, 45, frame_ends(journal)[0] - 1):
        (folder / "journal").write_bytes(journal[:cut])
        with pytest.raises(CurrentDamaged):
            open_vault(folder)


def test_deleted_journal_is_named_missing(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder, 3)
    (folder / "journal").unlink()
    with pytest.raises(JournalMissing):
        open_vault(folder)


def test_previous_journal_copied_over_the_journal_is_named_mismatch(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder)
    shutil.copy(folder / "journal.prev", folder / "journal")
    with pytest.raises(JournalMismatch):
        open_vault(folder)


def test_older_generation_journal_is_named_mismatch(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder, 2)
    old = (folder / "journal").read_bytes()
    saved(folder, 12, start=100)  # several compactions later
    (folder / "journal").write_bytes(old)
    with pytest.raises(JournalMismatch):
        open_vault(folder)


def test_a_save_that_never_returned_is_the_only_thing_left_out(tmp_path: Path) -> None:
    """A crash mid-append leaves a prefix of the frame, then zeros, inside the file
    (it was grown first): that is a torn save, never a cut."""
    folder = tmp_path / "v"
    states = fresh(folder, 2, APPENDS)
    journal = (folder / "journal").read_bytes()
    end = frame_ends(journal)[-1]
    bigger = tmp_path / "bigger"
    shutil.copytree(folder, bigger)
    vault = open_vault(bigger, tuning=APPENDS)  # one big append (it crosses pages)
    vault.write({**(vault.read() or {}), "big": {"1": {"text": "ø" * 9000}}})
    vault.close()
    grown = (bigger / "journal").read_bytes()
    assert grown[:end] == journal[:end]
    next_end = frame_ends(grown)[-1]
    pages = [p for p in range(end + 1, next_end) if p % 4096 == 0]
    assert pages
    for torn_at in (end + 1, end + 3, end + 8, next_end - 16, *pages):
        torn = grown[:torn_at] + bytes(len(grown) - torn_at)
        (folder / "journal").write_bytes(torn)
        vault = open_vault(folder)
        assert vault.dropped_torn_tail == any(grown[end:torn_at])  # else: nothing written yet
        assert vault.read() == states[-1]
        vault.close()
        assert (folder / "journal").read_bytes()[end:] == bytes(len(grown) - end)  # zeroed


def test_a_journal_rolled_back_to_an_older_copy_of_itself_is_not_detected(
    tmp_path: Path,
) -> None:
    """Documented limit (FORMAT.md): an earlier copy of the same journal, whole
    with its zero tail, is an earlier consistent state of the folder."""
    folder = tmp_path / "v"
    states = fresh(folder, 1, APPENDS)
    earlier = (folder / "journal").read_bytes()
    more = saved(folder, 1, start=60, tuning=APPENDS)
    assert (folder / "journal").read_bytes() != earlier
    (folder / "journal").write_bytes(earlier)
    assert state_of(folder) == states[-1] != more[-1]


def test_a_cut_at_a_frame_boundary_padded_with_zeros_is_not_detected(tmp_path: Path) -> None:
    """Documented limit: a deliberate cut that also writes the zero end mark back
    is the same bytes as an earlier copy of the journal."""
    folder = tmp_path / "v"
    states = fresh(folder, 3, APPENDS)
    journal = (folder / "journal").read_bytes()
    boundary = frame_ends(journal)[-2]
    (folder / "journal").write_bytes(journal[:boundary] + bytes(len(journal) - boundary))
    assert state_of(folder) == states[-2]


def test_the_whole_folder_rolled_back_is_not_detected(tmp_path: Path) -> None:
    """Documented limit: every file put back together from an older copy is an
    older consistent vault; only state kept outside the folder could tell."""
    folder = tmp_path / "v"
    states = fresh(folder, 2)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    saved(folder, 5, start=40)
    shutil.rmtree(folder)
    shutil.copytree(copy, folder)
    assert state_of(folder) == states[-1]


# ---------------------------------------------------------------- the main file


def test_deleted_snapshot_is_named_missing(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder, 2)
    (folder / "snapshot").unlink()
    with pytest.raises(SnapshotMissing):
        open_vault(folder)


def test_previous_snapshot_copied_over_the_snapshot_is_named_old(tmp_path: Path) -> None:
    """The journal names a newer snapshot than the one there: saves in it would
    apply to the wrong base."""
    folder = tmp_path / "v"
    fresh(folder, 7)  # compacted, and saves since
    with open_vault(folder, tuning=APPENDS) as vault:
        vault.write({**(vault.read() or {}), "x": {"1": {"after": "compaction"}}})
    shutil.copy(folder / "snapshot.prev", folder / "snapshot")
    with pytest.raises(SnapshotOld):
        open_vault(folder)


def test_previous_snapshot_copied_over_an_empty_journals_snapshot_loses_nothing(
    tmp_path: Path,
) -> None:
    """Right after a compaction that is exactly the state between its two renames:
    the previous pair, proven by the journal's header, is the whole newest state."""
    folder = tmp_path / "v"
    states = fresh(folder, 4)
    while frame_ends((folder / "journal").read_bytes())[1:]:  # until a save compacts
        states += saved(folder, 1, start=len(states) + 100)
    shutil.copy(folder / "snapshot.prev", folder / "snapshot")
    assert state_of(folder) == states[-1]


# ---------------------------------------------------------------- seen: journal.prev


def test_damaged_previous_journal_is_reported_by_check(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder)
    prev = folder / "journal.prev"
    ends = frame_ends(prev.read_bytes())
    assert len(ends) >= 2
    flip(prev, ends[1] - 3)  # inside the first edit's tag
    with Vault.open(folder, PASSPHRASE, limits=LAX, read_only=True) as vault:
        assert vault.check().previous_generation_ok is False


def test_previous_journal_of_another_generation_is_reported_by_check(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    fresh(folder, 2)
    old_prev = (folder / "journal.prev").read_bytes() if (folder / "journal.prev").exists() else b""
    saved(folder, 12, start=100)
    if not old_prev:
        pytest.skip("no previous journal early on")
    (folder / "journal.prev").write_bytes(old_prev)
    with Vault.open(folder, PASSPHRASE, limits=LAX, read_only=True) as vault:
        assert vault.check().previous_generation_ok is False


# ---------------------------------------------------------------- seen: the key file


def test_a_damaged_key_file_never_reads_as_a_wrong_passphrase(tmp_path: Path) -> None:
    """Every byte of the key file, one bit (a different one per byte) and all
    eight flipped: 'damaged' (or, in the version field, 'newer format'), never
    'wrong passphrase'; the KDF never runs."""
    folder = tmp_path / "v"
    create_vault(folder)[0].close()
    keys = folder / "keys"
    original = keys.read_bytes()
    outcomes: dict[str, int] = {}
    for position in range(len(original)):
        for mask in (1 << position % 8, 0xFF):
            damaged = bytearray(original)
            damaged[position] ^= mask
            keys.write_bytes(bytes(damaged))
            try:
                Vault.open(folder, PASSPHRASE, limits=LAX).close()
                outcome = "opened"
            except WrongPassphrase:
                outcome = "wrong passphrase"
            except NewerFormat:
                outcome = "newer" if position in (8, 9) else "newer elsewhere"
            except VaultDamaged:
                outcome = "damaged"
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
    keys.write_bytes(original)
    assert set(outcomes) <= {"damaged", "newer"}, outcomes
    assert outcomes["damaged"] >= 2 * len(original) - 4


def test_a_cut_or_extended_key_file_is_damaged(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    create_vault(folder)[0].close()
    keys = folder / "keys"
    original = keys.read_bytes()
    for cut in range(len(original)):
        keys.write_bytes(original[:cut])
        with pytest.raises(VaultDamaged):
            open_vault(folder)
    keys.write_bytes(original + b"\0")
    with pytest.raises(VaultDamaged):
        open_vault(folder)
    keys.write_bytes(original)
    open_vault(folder).close()
    assert FAST_KDF.kdf_id == KDF_SCRYPT

"""Flipped, truncated or torn bytes: damage is reported, never shown as content."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from mus.errors import NewerFormat, SnapshotDamaged, VaultDamaged, WrongPassphrase
from storage.vault import Vault
from tests.storage.conftest import LAX, PASSPHRASE, SMALL_JOURNAL, create_vault, open_vault

ALLOWED = (VaultDamaged, WrongPassphrase, NewerFormat)


def build_small_vault(folder: Path) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A vault with every file present: keys, snapshot(.prev), journal(.prev).

    Returns the final tables and the state after each save (for truncations).
    """
    vault, _ = create_vault(folder, tuning=SMALL_JOURNAL)
    states: list[dict[str, Any]] = [{}]
    tables: dict[str, Any] = {}
    for i in range(6):
        tables = {"t": {**tables.get("t", {}), str(i): {"n": "æ" * 700 if i < 3 else i}}}
        vault.write(tables)
        states.append(vault.read() or {})
    assert vault.generation >= 2
    for name in ("keys", "snapshot", "snapshot.prev", "journal", "journal.prev"):
        assert (folder / name).exists(), name
    final = vault.read() or {}
    vault.close()
    return final, states


def try_open(folder: Path) -> dict[str, Any] | BaseException:
    try:
        vault = open_vault(folder)
    except ALLOWED as exc:
        return exc
    try:
        return vault.read() or {}
    finally:
        vault.close()


@pytest.mark.parametrize("name", ["keys", "snapshot", "snapshot.prev", "journal", "journal.prev"])
def test_every_byte_flipped(tmp_path: Path, name: str) -> None:
    pristine = tmp_path / "pristine"
    final, _ = build_small_vault(pristine)
    original = (pristine / name).read_bytes()
    work = tmp_path / "work"
    shutil.copytree(pristine, work)
    masks = (0x01, 0x80) if name == "keys" else (0x01,)
    outcomes: dict[str, int] = {}
    step = 1 if len(original) < 4096 else 7  # a 2 KB frame: every byte; larger: every 7th
    for position in range(0, len(original), step):
        for mask in masks:
            flipped = bytearray(original)
            flipped[position] ^= mask
            (work / name).write_bytes(bytes(flipped))
            result = try_open(work)
            if isinstance(result, BaseException):
                outcomes[type(result).__name__] = outcomes.get(type(result).__name__, 0) + 1
            else:
                assert result == final, f"wrong data after flipping byte {position} of {name}"
                outcomes["intact"] = outcomes.get("intact", 0) + 1
                end_mark = len(original.rstrip(b"\0"))
                if name == "journal":  # a bit in the end mark reads as a save that never
                    assert end_mark <= position < end_mark + 8  # returned: all is shown
    (work / name).write_bytes(original)
    if name in ("keys", "snapshot"):  # the newest state: never shown changed
        assert "intact" not in outcomes
    if name == "keys":
        assert "WrongPassphrase" not in outcomes  # a damaged key file says so, before the KDF
    assert sum(outcomes.values()) >= len(original) // step


def test_damaged_main_snapshot_stops_and_recovers_in_full_from_previous(tmp_path: Path) -> None:
    """No silent fallback: opening stops; the chosen recovery proves (from the
    current journal's header) that the previous generation rebuilds everything."""
    final, _ = build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    data = bytearray((folder / "snapshot").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "snapshot").write_bytes(bytes(data))
    with pytest.raises(SnapshotDamaged):
        open_vault(folder, tuning=SMALL_JOURNAL)
    recovery = Vault.open_for_recovery(folder, PASSPHRASE, limits=LAX, tuning=SMALL_JOURNAL)
    assert recovery.report is not None and recovery.report.loses_nothing
    vault = recovery.apply()
    assert vault.read() == final
    vault.write({"t": {"after": {"ok": True}}})
    vault.close()
    assert try_open(folder) == {"t": {"after": {"ok": True}}}


def test_journal_truncated_anywhere_never_opens_an_older_state(tmp_path: Path) -> None:
    """Every cut that removes acknowledged bytes is damage; a cut inside the zero
    tail past the end mark loses nothing and opens."""
    final, _ = build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    original = (folder / "journal").read_bytes()
    end = len(original.rstrip(b"\0"))
    for cut in range(0, len(original)):
        (folder / "journal").write_bytes(original[:cut])
        result = try_open(folder)
        if cut >= end + 8:
            assert result == final
        else:
            assert isinstance(result, VaultDamaged), cut
    (folder / "journal").write_bytes(original)
    assert try_open(folder) == final


def test_more_zeros_at_the_end_change_nothing(tmp_path: Path) -> None:
    """A power cut can leave allocated but unwritten (zero) blocks at the end."""
    final, _ = build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    with (folder / "journal").open("ab") as journal:
        journal.write(b"\0" * 300)
    vault = open_vault(folder)
    assert not vault.dropped_torn_tail
    assert vault.read() == final
    vault.write({"t": {"x": {"y": 1}}})
    vault.close()
    assert try_open(folder) == {"t": {"x": {"y": 1}}}


def test_damaged_middle_frame_is_damage_not_a_tail(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    vault, _ = create_vault(folder)
    for i in range(3):
        vault.write({"t": {str(j): {"i": j} for j in range(i + 1)}})
    vault.close()
    data = bytearray((folder / "journal").read_bytes())
    data[70] ^= 0x10  # inside the first frame's ciphertext
    (folder / "journal").write_bytes(bytes(data))
    with pytest.raises(VaultDamaged):
        open_vault(folder)


def test_swapped_frames_are_damage(tmp_path: Path) -> None:
    """Sequence numbers are in the AAD: reordering frames cannot pass."""
    folder = tmp_path / "v"
    vault, _ = create_vault(folder)
    vault.write({"t": {"1": {"v": "aaaa"}}})
    vault.write({"t": {"1": {"v": "bbbb"}}})
    vault.close()
    data = (folder / "journal").read_bytes()
    head, rest = data[:40], data[40:]
    half = len(rest) // 2
    (folder / "journal").write_bytes(head + rest[half:] + rest[:half])
    with pytest.raises(VaultDamaged):
        open_vault(folder)


def test_truncated_or_emptied_key_file(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    create_vault(folder)[0].close()
    data = (folder / "keys").read_bytes()
    for cut in (0, 10, 40, len(data) // 2, len(data) - 1):
        (folder / "keys").write_bytes(data[:cut])
        with pytest.raises(VaultDamaged):
            open_vault(folder)
    (folder / "keys").write_bytes(data + b"x")
    with pytest.raises(VaultDamaged):
        open_vault(folder)


def test_leftover_temp_files_are_removed(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    create_vault(folder)[0].close()
    (folder / ".tmp-deadbeef").write_bytes(b"half a snapshot")
    open_vault(folder).close()
    assert not (folder / ".tmp-deadbeef").exists()


def test_files_from_another_vault_are_damage(tmp_path: Path) -> None:
    one, two = tmp_path / "one", tmp_path / "two"
    for folder in (one, two):
        vault, _ = create_vault(folder)
        vault.write({"t": {"1": {"who": folder.name}}})
        vault.close()
    shutil.copy(two / "journal", one / "journal")
    with pytest.raises(VaultDamaged):
        open_vault(one)


def test_check_sees_damaged_previous_generation(tmp_path: Path) -> None:
    build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    data = bytearray((folder / "snapshot.prev").read_bytes())
    data[-5] ^= 1
    (folder / "snapshot.prev").write_bytes(bytes(data))
    vault: Vault = open_vault(folder)
    report = vault.check()
    assert report.previous_generation_ok is False
    assert report.tables == {"t": 6}  # the current generation is whole
    vault.close()

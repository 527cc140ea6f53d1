"""Flipped, truncated or torn bytes: damage is reported, never shown as content."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from mus.errors import NewerFormat, VaultDamaged, WrongPassphrase
from storage.vault import Vault
from tests.storage.conftest import SMALL_JOURNAL, create_vault, open_vault

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
    (work / name).write_bytes(original)
    if name in ("keys", "journal"):
        assert "intact" not in outcomes or name == "journal"
    assert sum(outcomes.values()) >= len(original) // step


def test_damaged_main_snapshot_falls_back_to_previous(tmp_path: Path) -> None:
    final, _ = build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    data = bytearray((folder / "snapshot").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / "snapshot").write_bytes(bytes(data))
    vault = open_vault(folder, tuning=SMALL_JOURNAL)
    assert vault.restored_from_previous
    assert vault.read() == final
    vault.write({"t": {"after": {"ok": True}}})
    vault.close()
    vault = open_vault(folder)
    assert not vault.restored_from_previous
    assert vault.read() == {"t": {"after": {"ok": True}}}
    vault.close()


def test_journal_truncated_anywhere_gives_an_acknowledged_state(tmp_path: Path) -> None:
    """A torn tail is dropped (never acknowledged); what remains is a real past state."""
    final, states = build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    original = (folder / "journal").read_bytes()
    torn_seen = False
    for cut in range(40, len(original)):
        (folder / "journal").write_bytes(original[:cut])
        vault = open_vault(folder)
        torn_seen |= vault.dropped_torn_tail
        assert vault.read() in states
        vault.close()
        (folder / "journal").write_bytes(original)
    assert torn_seen
    assert try_open(folder) == final


def test_zero_filled_tail_is_torn(tmp_path: Path) -> None:
    """A power cut can leave allocated but unwritten (zero) blocks at the end."""
    final, _ = build_small_vault(tmp_path / "v")
    folder = tmp_path / "v"
    with (folder / "journal").open("ab") as journal:
        journal.write(b"\0" * 300)
    vault = open_vault(folder)
    assert vault.dropped_torn_tail
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
    assert not report.restored_from_previous
    vault.close()

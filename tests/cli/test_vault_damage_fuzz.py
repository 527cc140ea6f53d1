"""Damage every part of a vault, then run every normal command on it.

For each case — one flipped bit in each offset class of each file (preamble
fields, key block fields, frame length, check, nonce, ciphertext, tag, end
mark, padding), a cut at seeded random points, each file deleted — the
commands run in turn on the damaged folder (in-process, cheap KDF). The
promise under test: **no command exits 0 with data that differs from the last
acknowledged state**, and a command that fails writes nothing. A command that
saves (a sync target added, the passphrase changed) moves the acknowledged
state on; later commands must show that.
"""

from __future__ import annotations

import hashlib
import json
import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from storage.backup import read_backup
from storage.crypto import KDF_SCRYPT, KdfParams
from storage.vault import Tuning, Vault
from storage.vaultfile import FRAME_HEAD, PREAMBLE, scan_frames, scan_padded
from tests.cli.conftest import LAX, NEW_PASSPHRASE, PASSPHRASE, Cli

SEED = 20261129
CHEAPEST = KdfParams(KDF_SCRYPT, 7, 8, 1)
"""The least key derivation the tests' lax limits take (~1,400 unlocks here)."""
FILES = ("keys", "snapshot", "journal", "snapshot.prev", "journal.prev")
PREAMBLE_FIELDS = {
    "magic": (0, 8),
    "version": (8, 10),
    "kind": (10, 11),
    "flags": (11, 12),
    "epoch": (12, 16),
    "vault id": (16, 32),
    "generation": (32, 40),
}
KEY_FIELDS = {  # a version 2 key block with an X25519 recovery wrap (337 bytes)
    "kdf id": (40, 41),
    "kdf params": (41, 53),
    "salt length": (53, 54),
    "salt": (54, 70),
    "pass nonce": (70, 82),
    "pass wrap": (82, 130),
    "has recovery": (130, 131),
    "recovery kind": (131, 132),
    "recovery salt": (132, 149),
    "recovery public": (149, 181),
    "ephemeral": (181, 213),
    "recovery nonce": (213, 225),
    "recovery wrap": (225, 273),
    "mac": (273, 305),
    "check": (305, 337),
}


def offset_classes(name: str, data: bytes) -> dict[str, tuple[int, int]]:
    """Every structural region of a file: (start, end) per class."""
    classes = dict(PREAMBLE_FIELDS)
    if name == "keys":
        assert len(data) == 337
        return classes | KEY_FIELDS
    if name.startswith("snapshot"):
        frames = scan_frames(data, PREAMBLE.size).frames
    else:
        scan = scan_padded(data, PREAMBLE.size)
        frames = scan.frames
        classes["end mark"] = (scan.end, scan.end + 8)
        if len(data) > scan.end + 8:
            classes["padding"] = (scan.end + 8, len(data))
    for index, frame in enumerate(frames[:4]):
        label = "header frame" if index == 0 and not name.startswith("snapshot") else "frame"
        label = f"{label} {index}"
        body = frame.start + FRAME_HEAD.size + 12
        classes |= {
            f"{label} length": (frame.start, frame.start + 4),
            f"{label} check": (frame.start + 4, frame.start + 8),
            f"{label} nonce": (frame.start + 8, body),
            f"{label} ciphertext": (body, frame.end - 16),
            f"{label} tag": (frame.end - 16, frame.end),
        }
    return classes


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != "lock"
    }


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example plus saves enough for every file to exist: a previous
    generation, and edits in the current journal."""
    data = tmp_path_factory.mktemp("pristine") / "data"
    cli = Cli(data)
    cli.vault.parent.mkdir(parents=True)
    Vault.create(cli.vault, PASSPHRASE, kdf=CHEAPEST, limits=LAX)[0].close()
    assert cli("demo").code == 0
    small = Tuning(compact_min_bytes=600, compact_ratio=0.2, journal_chunk=1024)
    with Vault.open(cli.vault, PASSPHRASE, limits=LAX, tuning=small) as vault:
        tables = vault.read() or {}
        for i in range(3):  # compactions: snapshot.prev and journal.prev appear
            vault.write({**tables, "extra": {str(j): {"n": "x" * 300} for j in range(i + 1)}})
    with Vault.open(cli.vault, PASSPHRASE, limits=LAX, tuning=Tuning()) as vault:
        for i in range(3):  # edits that stay in the journal
            vault.write({**(vault.read() or {}), "more": {str(i): {"i": i}}})
    assert all((cli.vault / name).exists() for name in FILES)
    journal = (cli.vault / "journal").read_bytes()
    assert len(scan_padded(journal, PREAMBLE.size).frames) >= 4  # header + edits
    return data


class Observer:
    """What the commands may show: the acknowledged state, and checks against it."""

    def __init__(self, cli: Cli, tmp: Path) -> None:
        self.cli, self.tmp = cli, tmp
        self.export = self._export(cli)
        assert cli("sync", "targets").out.startswith("Ingen modtagere")  # none yet
        self.reminders = cli("reminders", "list").out
        with Vault.open(cli.vault, PASSPHRASE, limits=LAX, read_only=True) as vault:
            self.tables = vault.read() or {}

    def _export(self, cli: Cli, env: dict[str, str] | None = None) -> dict[str, Any] | None:
        out = self.tmp / "export.json"
        out.unlink(missing_ok=True)
        result = cli("data", "export", str(out), env=env)
        if result.code != 0:
            return None
        data: dict[str, Any] = json.loads(out.read_text("utf-8"))
        data.pop("exported_at")
        return data


def run_every_command(case: str, cli: Cli, seen: Observer, tmp: Path) -> dict[str, int]:
    """Each normal command on the damaged folder; returns their exit codes."""
    codes: dict[str, int] = {}
    passphrase = PASSPHRASE

    def run(label: str, *argv: str, env: dict[str, str] | None = None) -> int:
        before = digests(cli.vault)
        result = cli(*argv, env={"MUSLING_PASSPHRASE": passphrase, **(env or {})})
        codes[label] = result.code
        if result.code != 0:
            assert digests(cli.vault) == before, f"{case}: failed {label} wrote"
            assert len(result.err.strip().splitlines()) == 1, (case, label, result.err)
        return result.code

    def export_is_acknowledged() -> None:
        shown = seen._export(cli, env={"MUSLING_PASSPHRASE": passphrase})
        assert shown in (None, seen.export), f"{case}: export differs"

    if run("check", "vault", "check") == 0:
        export_is_acknowledged()
    out = tmp / "export.json"
    if run("export", "data", "export", str(out)) == 0:
        data = json.loads(out.read_text("utf-8"))
        data.pop("exported_at")
        assert data == seen.export, f"{case}: export differs"
    result = cli("reminders", "list", env={"MUSLING_PASSPHRASE": passphrase})
    codes["reminders"] = result.code
    if result.code == 0:
        assert result.out == seen.reminders, f"{case}: reminders differ"
    backup = tmp / "backup"
    backup.unlink(missing_ok=True)
    if run("backup", "vault", "backup", str(backup)) == 0:
        assert read_backup(backup, PASSPHRASE, limits=LAX) == seen.tables, f"{case}: backup"
    if run("demo", "demo") == 0:  # the example exists: it saves nothing new
        export_is_acknowledged()
    target = tmp / "target"
    target.mkdir(exist_ok=True)
    if run("add target", "sync", "add-folder", "fuzz", str(target), "--role", "mine") == 0:
        listed = cli("sync", "targets", env={"MUSLING_PASSPHRASE": passphrase})
        assert listed.code == 0, f"{case}: the save was lost"
        assert listed.out.splitlines() == [
            line for line in listed.out.splitlines() if "fuzz" in line
        ]
        assert len(listed.out.splitlines()) == 1, f"{case}: only the target just added"
    if run("recovery code", "vault", "recovery-code") == 0:
        export_is_acknowledged()
    if run("passwd", "vault", "passwd", env={"MUSLING_NEW_PASSPHRASE": NEW_PASSPHRASE}) == 0:
        passphrase = NEW_PASSPHRASE
        export_is_acknowledged()
    return codes


def cases(pristine: Path) -> Iterator[tuple[str, str, str, int]]:
    """(case name, file, kind, parameter): a flip per offset class, cuts, deletions."""
    rng = random.Random(SEED)
    vault = pristine / "vault"
    for name in FILES:
        data = (vault / name).read_bytes()
        for label, (start, end) in offset_classes(name, data).items():
            offset = rng.randrange(start, end)
            yield f"{name}: bit flipped in {label} (byte {offset})", name, "flip", offset
        cuts = {0, 20, len(data) - 1, *(rng.randrange(1, len(data)) for _ in range(3))}
        for cut in sorted(cuts):
            yield f"{name}: cut at {cut} of {len(data)}", name, "cut", cut
        yield f"{name}: deleted", name, "delete", 0


@pytest.fixture
def one_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """Build the command line's parser once, not per command (it is stateless; this
    halves the run time of ~1,400 in-process commands)."""
    import storage.cli

    parser = storage.cli.build_parser()
    monkeypatch.setattr(storage.cli, "build_parser", lambda: parser)


@pytest.mark.usefixtures("one_parser")
def test_no_command_ever_shows_anything_but_the_acknowledged_state(
    pristine: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED + 1)
    seen = Observer(Cli(pristine), tmp_path)
    outcomes: dict[str, int] = {"cases": 0, "refused (exit 3)": 0, "whole": 0}
    work = tmp_path / "work"
    for case, name, kind, parameter in cases(pristine):
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(pristine, work)
        path = work / "vault" / name
        if kind == "flip":
            data = bytearray(path.read_bytes())
            data[parameter] ^= 1 << rng.randrange(8)
            path.write_bytes(bytes(data))
        elif kind == "cut":
            path.write_bytes(path.read_bytes()[:parameter])
        else:
            path.unlink()
        codes = run_every_command(case, Cli(work), seen, tmp_path)
        outcomes["cases"] += 1
        if codes["export"] == 0:
            outcomes["whole"] += 1
        else:
            outcomes["refused (exit 3)"] += codes["export"] == 3
            # damaged (a deleted key file too: never "no data here yet"), or "newer format"
            assert codes["export"] in (3, 5), (case, codes)
        if name in ("snapshot.prev", "journal.prev"):
            assert codes["export"] == 0, case  # the previous generation is not read to open
        if name in ("keys", "snapshot") and kind != "flip":
            assert codes["export"] != 0, case
    assert outcomes["cases"] >= 120
    assert outcomes["whole"] >= 30 and outcomes["refused (exit 3)"] >= 60, outcomes

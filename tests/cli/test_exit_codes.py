"""Exit codes and one-line errors of the real process: ``python main.py …``.

These use the production KDF (Argon2id), so each unlock costs ~0.15 s; only the
promises that need a real process are here (exit codes, no traceback, the lock
held by another process, real disk errors on a tiny tmpfs).
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.session import VaultSession
from tests.cli.conftest import PASSPHRASE, run_main

ENV = {"MUSLING_PASSPHRASE": PASSPHRASE}


def assert_one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real-KDF data folder with the example, made by the real process."""
    folder = tmp_path_factory.mktemp("cli-real") / "data"
    result = run_main("demo", "--data-dir", str(folder), env=ENV)
    assert result.returncode == 0, result.stderr
    return folder


@pytest.fixture
def copy_of_demo(demo_data: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "data"
    shutil.copytree(demo_data, target)
    return target


def test_the_whole_path_in_real_processes(demo_data: Path, tmp_path: Path) -> None:
    check = run_main("vault", "check", "--data-dir", str(demo_data), env=ENV)
    assert check.returncode == 0, check.stderr
    assert "Formatversion: 2" in check.stdout
    assert "argon2id" in check.stdout
    pdf = tmp_path / "plan.pdf"
    made = run_main(
        "pdf", "export", "--conversation", "latest", "--out", str(pdf), "--data-dir",
        str(demo_data), env=ENV,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    verified = run_main("pdf", "verify", str(pdf), "--data-dir", str(demo_data), env=ENV)
    assert verified.returncode == 0, verified.stderr


def test_wrong_passphrase_exits_2(demo_data: Path) -> None:
    result = run_main(
        "vault", "check", "--data-dir", str(demo_data), env={"MUSLING_PASSPHRASE": "forkert x"}
    )
    assert result.returncode == 2
    assert assert_one_line(result) == "Forkert adgangssætning. Prøv igen."


def test_tampered_vault_exits_3(copy_of_demo: Path) -> None:
    snapshot = copy_of_demo / "vault" / "snapshot"
    data = bytearray(snapshot.read_bytes())
    data[-5] ^= 0x40
    snapshot.write_bytes(bytes(data))
    result = run_main("vault", "check", "--data-dir", str(copy_of_demo), env=ENV)
    assert result.returncode == 3
    assert assert_one_line(result).startswith("Dine data er beskadigede")


def test_open_in_another_process_exits_4(demo_data: Path) -> None:
    holder = VaultSession(demo_data / "vault")
    holder.unlock(PASSPHRASE)
    try:
        result = run_main("reminders", "list", "--data-dir", str(demo_data), env=ENV)
    finally:
        holder.lock()
    assert result.returncode == 4
    assert assert_one_line(result).startswith("Dine data er åbne i et andet vindue")


def test_newer_format_exits_5(copy_of_demo: Path) -> None:
    keys = copy_of_demo / "vault" / "keys"
    data = bytearray(keys.read_bytes())
    data[8:10] = (3).to_bytes(2, "big")  # FORMAT.md: the version field of the preamble
    keys.write_bytes(bytes(data))
    result = run_main("vault", "check", "--data-dir", str(copy_of_demo), env=ENV)
    assert result.returncode == 5
    assert assert_one_line(result).startswith("Dine data er gemt af en nyere version")


def test_usage_error_exits_1_not_2(tmp_path: Path) -> None:
    result = run_main("pdf", "export", "--data-dir", str(tmp_path))
    assert result.returncode == 1
    assert assert_one_line(result).startswith("Forkert brug:")
    missing = run_main("vault", "check", "--data-dir", str(tmp_path / "none"), env=ENV)
    assert missing.returncode == 1
    assert assert_one_line(missing) == "Der er ingen data her endnu."


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a real ENOSPC, and a real read-only remount (root ignores chmod)."""
    mount_point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs is not permitted here (needs root / CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_full_disk_exits_6(demo_data: Path, tiny_tmpfs: Path) -> None:
    (tiny_tmpfs / "filler").write_bytes(b"\0" * (60 * 1024))
    out = tiny_tmpfs / "plan.pdf"
    result = run_main(
        "pdf", "export", "--conversation", "latest", "--out", str(out), "--data-dir",
        str(demo_data), env=ENV,
    )  # fmt: skip
    assert result.returncode == 6
    assert assert_one_line(result).startswith("Der er ikke mere plads")
    assert not out.exists()
    assert [p.name for p in tiny_tmpfs.iterdir()] == ["filler"]  # no temp file left


def test_read_only_folder_exits_6(demo_data: Path, tiny_tmpfs: Path) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    result = run_main(
        "data", "export", str(tiny_tmpfs / "mine.json"), "--data-dir", str(demo_data), env=ENV
    )
    assert result.returncode == 6
    assert assert_one_line(result).startswith("Mappen kan ikke skrives i")

"""A data folder that cannot be used gets one plain line at start, from the app and from
every command: read-only (exit 6) for what saves, a file in its place (exit 1) for all.

Read-only is real: the tests run as root, where ``chmod 0500`` stops nothing, so the
folder lives on a tmpfs that is remounted read-only (``mount -o remount,ro``), which
refuses root too; where mounting is not permitted the tests skip. ``/proc`` is the
other real unwritable place: nothing can be created in it.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from storage.paths import DataPaths
from tests.cli.conftest import PASSPHRASE, Cli, run_main

READ_ONLY = (
    "Datamappen kan ikke skrives i (skrivebeskyttet eller uden adgang). "
    "Vælg en anden med --data-dir DIR."
)
NOT_A_FOLDER = (
    "Der ligger en fil, hvor datamappen (eller en mappe over den) skal være. "
    "Vælg en anden med --data-dir DIR."
)


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """A tmpfs holding a data folder with the example, then remounted read-only."""
    mount_point = tmp_path / f"ro-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    try:
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", str(mount_point)],
            check=True,
            capture_output=True,
        )
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("mounting a tmpfs is not permitted here (needs root / CAP_SYS_ADMIN)")
    try:
        assert Cli(mount_point / "data")("demo").code == 0
        subprocess.run(["mount", "-o", "remount,ro", str(mount_point)], check=True)
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _saving_commands(tmp_path: Path) -> list[tuple[str, ...]]:
    some_file = tmp_path / "some.file"
    some_file.write_bytes(b"{}")
    return [
        ("vault", "init"),
        ("vault", "passwd"),
        ("vault", "recovery-code"),
        ("vault", "restore", str(some_file), "--yes"),
        ("vault", "erase", "--yes"),
        ("data", "import", str(some_file)),
        ("demo",),
        ("sync", "add-folder", "mine", str(tmp_path), "--role", "mine"),
        ("sync", "add-webdav", "x", "https://dav.invalid/", "--user", "u", "--folder", "f",
         "--role", "mine"),
        ("sync", "run"),
        ("sync", "run", "--now"),
        ("sync", "retry", "abcd"),
        ("sync", "password", "abcd"),
        ("sync", "remove", "abcd", "--yes"),
    ]  # fmt: skip


def test_every_saving_command_refuses_a_read_only_folder_before_asking(
    read_only: Path, tmp_path: Path
) -> None:
    cli = Cli(read_only / "data")
    for args in _saving_commands(tmp_path):
        # No passphrase anywhere: a refusal after unlocking would ask for one instead.
        result = cli(*args, env={"MUSLING_PASSPHRASE": ""})
        assert (result.code, result.error_line) == (6, READ_ONLY), args
        assert result.out == ""


def test_reading_commands_still_work_on_a_read_only_folder(read_only: Path, tmp_path: Path) -> None:
    """Checking, listing and exporting need no write (the vault opens read-only)."""
    cli = Cli(read_only / "data")
    for args in (
        ("vault", "check"),
        ("vault", "backup", str(tmp_path / "b.musbackup")),
        ("data", "export", str(tmp_path / "mine.json")),
        ("pdf", "export", "--conversation", "latest", "--out", str(tmp_path / "p.pdf")),
        ("reminders", "list"),
        ("reminders", "ics", "--out", str(tmp_path / "r.ics")),
        ("sync", "targets"),
        ("sync", "status"),
    ):
        result = cli(*args)
        assert result.code == 0, (args, result.err)


def test_a_new_folder_under_a_read_only_one(read_only: Path) -> None:
    cli = Cli(read_only / "new" / "data")
    result = cli("vault", "init")
    assert (result.code, result.error_line) == (6, READ_ONLY)
    nothing = cli("vault", "check")
    assert (nothing.code, nothing.error_line) == (1, "Der er ingen data her endnu.")


@pytest.mark.parametrize("where", ["file", "file/below", "vault-file"])
def test_a_file_where_the_folder_should_be(tmp_path: Path, where: str) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("not a folder", "utf-8")
    if where == "vault-file":  # the data folder is fine, but its vault/ is a file
        data = tmp_path / "data"
        data.mkdir()
        (data / "vault").write_text("not a folder", "utf-8")
    else:
        data = tmp_path / where
    cli = Cli(data)
    for args in (("vault", "init"), ("vault", "check"), ("demo",), ("reminders", "list")):
        result = cli(*args)
        assert (result.code, result.error_line) == (1, NOT_A_FOLDER), args
    assert a_file.read_text("utf-8") == "not a folder"


def test_the_folder_problem_is_judged_from_the_nearest_existing_folder(tmp_path: Path) -> None:
    assert DataPaths.resolve(tmp_path / "a" / "b" / "c").problem(writing=True) is None
    assert DataPaths.resolve("/proc/musling-test").problem(writing=True) == "read_only"
    assert DataPaths.resolve("/proc/musling-test").problem(writing=False) is None


# ---------------------------------------------------------------- real processes


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_the_app_start_says_one_line_for_a_read_only_folder(read_only: Path) -> None:
    """``python main.py`` (the app, not a command) stops before any web server starts."""
    for folder in (read_only / "data", read_only / "new"):
        result = run_main("--data-dir", str(folder), "--port", "1")
        assert result.returncode == 6
        assert _one_line(result) == READ_ONLY
        assert result.stdout == ""


def test_the_app_start_says_one_line_for_proc_and_a_file(tmp_path: Path) -> None:
    result = run_main("--data-dir", "/proc/musling-test")
    assert (result.returncode, _one_line(result)) == (6, READ_ONLY)
    a_file = tmp_path / "file"
    a_file.write_text("x", "utf-8")
    result = run_main("--data-dir", str(a_file))
    assert (result.returncode, _one_line(result)) == (1, NOT_A_FOLDER)


def test_a_real_command_on_a_read_only_folder(read_only: Path) -> None:
    result = run_main(
        "vault", "passwd", "--data-dir", str(read_only / "data"),
        env={"MUSLING_PASSPHRASE": PASSPHRASE},
    )  # fmt: skip
    assert (result.returncode, _one_line(result)) == (6, READ_ONLY)

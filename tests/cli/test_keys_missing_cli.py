"""A data folder whose vault lost its key file, in real ``python main.py`` processes.

Not "no data here yet" (exit 1), which invited a new vault over the old files:
every command that needs the vault exits 3 with one line naming the missing key
file and writes nothing; ``vault init`` refuses. ``vault restore`` is the way on
(as the app's first screen): the old files are moved into a dated folder inside
the data folder, never deleted, and a copy of the key file still opens them
there. ``vault erase --yes`` removes them when that is what the person wants.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from mus.i18n import catalog
from tests.cli.conftest import PASSPHRASE, run_main

ENV = {"MUSLING_PASSPHRASE": PASSPHRASE, "MUSLING_NEW_PASSPHRASE": "tre små kinesere på Højbro"}
LINE = catalog("da")["error.keys_missing"]


def main(data: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return run_main(*argv, "--data-dir", str(data), env=ENV)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under the data folder (but the vault's lock), by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "lock"
    }


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real-KDF data folder with the example, and what was exported from it while
    it was whole: a plan PDF, an "all my data" file, a backup, a copy of ``keys``."""
    base = tmp_path_factory.mktemp("keys-missing")
    data = base / "data"
    for argv in (
        ("demo",),
        ("pdf", "export", "--conversation", "latest", "--out", str(base / "plan.pdf")),
        ("data", "export", str(base / "all.json")),
        ("vault", "backup", str(base / "old.musbackup")),
    ):
        result = main(data, *argv)
        assert result.returncode == 0, (argv, result.stderr)
    shutil.copyfile(data / "vault" / "keys", base / "keys.copy")
    return base


@pytest.fixture
def damaged(made: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the data folder, its vault's key file deleted."""
    data = tmp_path / "data"
    shutil.copytree(made / "data", data)
    (data / "vault" / "keys").unlink()
    yield data


def commands(made: Path, out: Path) -> list[tuple[str, ...]]:
    return [
        ("vault", "init"),
        ("vault", "check"),
        ("vault", "recover", "--yes"),
        ("vault", "passwd"),
        ("vault", "recovery-code"),
        ("vault", "backup", str(out / "new.musbackup")),
        ("data", "export", str(out / "x.json")),
        ("data", "import", str(made / "all.json")),
        ("demo",),
        ("pdf", "export", "--conversation", "latest", "--out", str(out / "x.pdf")),
        ("pdf", "verify", str(made / "plan.pdf")),
        ("reminders", "list"),
        ("reminders", "ics", "--out", str(out / "x.ics")),
        ("sync", "targets"),
        ("sync", "status"),
        ("sync", "run"),
        ("sync", "retry", "1"),
        ("sync", "add-folder", "--role", "mine", "mappe", str(out / "sync")),
        ("sync", "add-webdav", "--user", "u", "--folder", "f", "--role", "mine", "dav",
         "https://dav.example.org/"),
        ("sync", "password", "dav"),
        ("sync", "remove", "--yes", "dav"),
    ]  # fmt: skip


def test_every_command_exits_3_naming_the_missing_key_file_and_writes_nothing(
    made: Path, damaged: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    before = tree(damaged)
    for argv in commands(made, out):
        result = main(damaged, *argv)
        assert (result.returncode, one_line(result)) == (3, LINE), argv
        assert "nøglefilen mangler" in LINE
        assert tree(damaged) == before, argv
    assert list(out.iterdir()) == [], "no output file either"
    assert [p.name for p in damaged.iterdir()] == ["vault"], "no set-aside folder"


def test_a_key_file_that_cannot_be_read_is_the_same_damage(damaged: Path) -> None:
    (damaged / "vault" / "keys").mkdir()  # root reads any file: a folder stands in its place
    for argv in (("vault", "check"), ("vault", "init")):
        result = main(damaged, *argv)
        assert (result.returncode, one_line(result)) == (3, LINE), argv


def test_restore_moves_the_old_files_aside_and_a_copy_of_the_key_file_opens_them(
    made: Path, damaged: Path, tmp_path: Path
) -> None:
    old = tree(damaged / "vault")
    result = main(damaged, "vault", "restore", str(made / "old.musbackup"))
    assert result.returncode == 0, result.stderr
    asides = sorted(damaged.glob("vault-set-aside-*"))
    assert len(asides) == 1
    assert f"De beskadigede filer er flyttet til mappen {asides[0].name}" in result.stderr
    assert tree(asides[0]) == old, "moved byte for byte, nothing deleted"
    assert main(damaged, "vault", "check").returncode == 0, "the restored vault opens"
    # Later the key file turns up: the set-aside files open as they were.
    found = tmp_path / "found"
    shutil.copytree(asides[0], found / "vault")
    shutil.copyfile(made / "keys.copy", found / "vault" / "keys")
    check = main(found, "vault", "check")
    assert check.returncode == 0, check.stderr
    exported = main(found, "data", "export", str(tmp_path / "found.json"))
    assert exported.returncode == 0, exported.stderr
    assert "Sofie Eksempel" in (tmp_path / "found.json").read_text("utf-8")


def test_erase_removes_a_damaged_vault_when_confirmed(damaged: Path) -> None:
    result = main(damaged, "vault", "erase", "--yes")
    assert result.returncode == 0, result.stderr
    assert not (damaged / "vault").exists()
    assert main(damaged, "vault", "check").returncode == 1, "now there is no vault"

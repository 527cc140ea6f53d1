"""Every output name (``--out``, ``data export FILE``, ``vault backup FILE``) goes through
one helper: a regular file is replaced atomically, a character device or FIFO is
written into (``/dev/null`` stays ``/dev/null``), anything else is refused with one
line before any slow work.

Devices are real: a private ``mknod`` of /dev/null's numbers (1, 3) in the test's
folder, so a bug replaces a node of ours and not the machine's /dev/null; the
real /dev/null is written only after the private node came through whole.
"""

from __future__ import annotations

import os
import socket
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.conftest import PASSPHRASE, Cli

Args = Callable[[Path], tuple[str, ...]]
OUTPUTS: dict[str, Args] = {
    "pdf": lambda out: ("pdf", "export", "--conversation", "latest", "--out", str(out)),
    "data": lambda out: ("data", "export", str(out)),
    "ics": lambda out: ("reminders", "ics", "--out", str(out)),
    "backup": lambda out: ("vault", "backup", str(out)),
}
KINDS = sorted(OUTPUTS)
MAGIC = {"pdf": b"%PDF-", "data": b"{", "ics": b"BEGIN:VCALENDAR", "backup": b"\x89MUSLING"}


def private_null(folder: Path) -> Path:
    """A character device with /dev/null's numbers, in our own folder (needs CAP_MKNOD)."""
    node = folder / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("mknod is not permitted here")
    return node


def assert_same_device(before: os.stat_result, path: Path) -> None:
    after = os.lstat(path)
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def regular_output(cli: Cli, kind: str, folder: Path) -> bytes:
    path = folder / f"regular.{kind}"
    result = cli(*OUTPUTS[kind](path))
    assert result.code == 0, result.err
    return path.read_bytes()


@pytest.mark.parametrize("kind", KINDS)
def test_a_character_device_is_written_into_not_replaced(
    demo_cli: Cli, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "dev"
    folder.mkdir()
    node = private_null(folder)
    before = os.lstat(node)
    result = demo_cli(*OUTPUTS[kind](node))
    assert result.code == 0, result.err
    assert_same_device(before, node)
    assert [p.name for p in folder.iterdir()] == ["null"]  # no temp file left beside it


def test_dev_null_itself_stays_a_device(demo_cli: Cli, tmp_path: Path) -> None:
    """What the issue asked: ``--out /dev/null`` (as root, where a rename would succeed)."""
    node = private_null(tmp_path)  # the same path first, on a node of our own
    before = os.lstat(node)
    assert demo_cli(*OUTPUTS["data"](node)).code == 0
    assert_same_device(before, node)
    dev_null = Path("/dev/null")
    before = os.lstat(dev_null)
    for kind in KINDS:
        result = demo_cli(*OUTPUTS[kind](dev_null))
        assert result.code == 0, result.err
        assert_same_device(before, dev_null)
    assert not [p for p in Path("/dev").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize("kind", KINDS)
def test_a_fifo_gets_the_whole_output_in_order(demo_cli: Cli, tmp_path: Path, kind: str) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def reader() -> None:
        with fifo.open("rb") as f:  # blocks until the command opens the other end
            received.append(f.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    result = demo_cli(*OUTPUTS[kind](fifo))
    thread.join(timeout=60)
    assert result.code == 0, result.err
    assert not thread.is_alive()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    data = received[0]
    assert data.startswith(MAGIC[kind])
    if kind in ("data", "ics"):  # fixed clock: the same bytes as into a regular file
        assert data == regular_output(demo_cli, kind, tmp_path)
    if kind == "backup":  # whole: it restores into a new data folder
        copy = tmp_path / "from-fifo.musbackup"
        copy.write_bytes(data)
        fresh = Cli(tmp_path / "fresh")
        restored = fresh("vault", "restore", str(copy))
        assert restored.code == 0, restored.err


@pytest.mark.parametrize("kind", KINDS)
def test_a_folder_is_refused_before_anything_is_asked(
    demo_cli: Cli, tmp_path: Path, kind: str
) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine", "utf-8")
    # No passphrase anywhere: a refusal that came after unlocking would say so instead.
    result = demo_cli(*OUTPUTS[kind](folder), env={"MUSLING_PASSPHRASE": ""})
    assert result.code == 1
    assert result.error_line == "Der ligger en mappe med det navn. Vælg et filnavn."
    assert [p.name for p in folder.iterdir()] == ["keep.txt"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_folder_is_refused(demo_cli: Cli, tmp_path: Path, kind: str) -> None:
    result = demo_cli(*OUTPUTS[kind](tmp_path / "no-such-folder" / "out"))
    assert result.code == 1
    assert result.error_line == "Mappen til filen findes ikke."
    assert not (tmp_path / "no-such-folder").exists()


@pytest.mark.parametrize("kind", KINDS)
def test_a_socket_is_refused(demo_cli: Cli, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        result = demo_cli(*OUTPUTS[kind](path))
    assert result.code == 1
    assert result.error_line.startswith("Der ligger noget med det navn, som hverken er")
    assert stat.S_ISSOCK(os.lstat(path).st_mode)


@pytest.mark.parametrize("kind", KINDS)
def test_a_symlink_is_followed_and_its_file_replaced(
    demo_cli: Cli, tmp_path: Path, kind: str
) -> None:
    """As the shell's ``>``: the link stays a link, the file it names gets the output."""
    target = tmp_path / "real" / "out.bin"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "link"
    link.symlink_to(target)
    result = demo_cli(*OUTPUTS[kind](link))
    assert result.code == 0, result.err
    assert link.is_symlink() and link.resolve() == target
    assert target.read_bytes().startswith(MAGIC[kind])
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.bin"]


def test_a_dangling_symlink_creates_its_file(demo_cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "made.json"
    link = tmp_path / "link.json"
    link.symlink_to(target)
    assert demo_cli(*OUTPUTS["data"](link)).code == 0
    assert link.is_symlink()
    assert target.read_bytes().startswith(b"{")


@pytest.mark.parametrize("kind", KINDS)
def test_an_existing_file_is_replaced_whole(demo_cli: Cli, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "out"
    path.write_bytes(b"x" * 1_000_000)
    path.chmod(0o644)
    inode = path.stat().st_ino
    result = demo_cli(*OUTPUTS[kind](path))
    assert result.code == 0, result.err
    assert path.read_bytes().startswith(MAGIC[kind])
    assert path.stat().st_ino != inode  # a new file renamed over, not rewritten in place
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_backup_through_a_device_leaves_no_temp_folder(demo_cli: Cli, tmp_path: Path) -> None:
    import tempfile

    node = private_null(tmp_path)
    temp_root = Path(tempfile.gettempdir())
    before = {p.name for p in temp_root.glob("musling-out-*")}
    assert demo_cli(*OUTPUTS["backup"](node), env={"MUSLING_PASSPHRASE": PASSPHRASE}).code == 0
    assert {p.name for p in temp_root.glob("musling-out-*")} == before

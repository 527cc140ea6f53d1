"""Delivery into a folder on the device: the same promises as WebDAV, with local calls."""

from __future__ import annotations

import errno
import subprocess
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from mus.sync import DeliveryState, SyncTarget, TargetKind, TargetRole
from storage.sync import Outbox, StandardDeliverers
from tests.storage.conftest import FailingFileSystem
from tests.sync.conftest import META, NOW, pdf_bytes

NAME = "MUS-referat 2026 – Anna Hansen.pdf"


def folder_target(outbox: Outbox, path: Path) -> SyncTarget:
    return outbox.add_target(
        SyncTarget("", "Kort", TargetRole.MINE, TargetKind.FOLDER, path=str(path)), now=NOW
    )


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "Synkroniseret"
    path.mkdir()
    return path


@pytest.fixture
def fs() -> FailingFileSystem:
    return FailingFileSystem()


@pytest.fixture
def local(fs: FailingFileSystem) -> Iterator[StandardDeliverers]:
    factory = StandardDeliverers(fs=fs)
    yield factory
    factory.close()


def test_upload_reupload_and_conflict(
    outbox: Outbox, folder: Path, local: StandardDeliverers
) -> None:
    folder_target(outbox, folder)
    pdf, other = pdf_bytes(1), pdf_bytes(2)
    (item,) = outbox.enqueue(pdf, NAME, META, now=NOW)
    (r,) = outbox.run_due(NOW, local)
    assert r.item.state is DeliveryState.SENT and listing(folder) == {NAME: pdf}
    assert (folder / NAME).stat().st_mode & 0o777 == 0o600

    assert outbox.enqueue(pdf, NAME, META, now=NOW)[0].id == item.id
    assert outbox.run_due(NOW, local) == ()

    outbox.enqueue(other, NAME, META, now=NOW)
    (r,) = outbox.run_due(NOW, local)
    assert r.item.delivered_name == "MUS-referat 2026 – Anna Hansen (2).pdf"
    assert listing(folder) == {NAME: pdf, "MUS-referat 2026 – Anna Hansen (2).pdf": other}


def test_missing_folder_backs_off_rather_than_pausing(
    outbox: Outbox, tmp_path: Path, local: StandardDeliverers
) -> None:
    """A memory card that is out comes back by itself; a wrong WebDAV folder does not."""
    card = tmp_path / "card"
    folder_target(outbox, card)
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    (r,) = outbox.run_due(NOW, local)
    assert r.item.last_error_code == "folder_missing" and not r.item.paused
    card.mkdir()
    (r,) = outbox.run_due(NOW + timedelta(hours=1), local)
    assert r.item.state is DeliveryState.SENT and listing(card) == {NAME: pdf_bytes()}


def test_crash_before_the_final_name_leaves_no_file_there(
    outbox: Outbox, folder: Path, fs: FailingFileSystem, local: StandardDeliverers
) -> None:
    folder_target(outbox, folder)
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    fs.arm("write_at_half", error=errno.EIO)
    (r,) = outbox.run_due(NOW, local)
    assert r.item.last_error_code == "disk_error"
    assert listing(folder) == {}  # neither a half final file nor a temporary one
    fs.disarm()
    (r,) = outbox.run_due(NOW + timedelta(hours=1), local)
    assert r.item.state is DeliveryState.SENT and listing(folder) == {NAME: pdf_bytes()}


def test_lost_result_after_the_link_is_found_on_retry(
    outbox: Outbox, folder: Path, fs: FailingFileSystem, local: StandardDeliverers
) -> None:
    """The file landed but the run died before saying so: the retry checks first."""
    folder_target(outbox, folder)
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    fs.arm("fsync_dir")
    (r,) = outbox.run_due(NOW, local)
    assert r.item.state is DeliveryState.FAILED  # ENOSPC at the folder fsync
    assert listing(folder) == {NAME: pdf_bytes()}
    fs.disarm()
    outbox.retry(r.item.id, now=NOW)
    (r,) = outbox.run_due(NOW, local)
    assert r.item.state is DeliveryState.SENT and r.outcome.already_there  # type: ignore[union-attr]
    assert listing(folder) == {NAME: pdf_bytes()}


class NoHardLinks(FailingFileSystem):
    """Like a FAT memory card: ``link`` is not supported (EPERM)."""

    def link(self, source: Path, target: Path) -> None:
        raise OSError(errno.EPERM, "no hard links here")


def test_media_without_hard_links_fall_back_to_rename(outbox: Outbox, folder: Path) -> None:
    folder_target(outbox, folder)
    (folder / NAME).write_bytes(b"someone else's")
    outbox.enqueue(pdf_bytes(), NAME, META, now=NOW)
    (r,) = outbox.run_due(NOW, StandardDeliverers(fs=NoHardLinks()))
    assert r.item.delivered_name == "MUS-referat 2026 – Anna Hansen (2).pdf"
    assert listing(folder) == {NAME: b"someone else's", r.item.delivered_name: pdf_bytes()}


@pytest.mark.parametrize(
    ("error", "code"), [(errno.ENOSPC, "disk_full"), (errno.EROFS, "read_only")]
)
def test_full_or_read_only_folder_pauses(
    outbox: Outbox, folder: Path, error: int, code: str
) -> None:
    fs = FailingFileSystem()
    local = StandardDeliverers(fs=fs)
    folder_target(outbox, folder)
    outbox.enqueue(pdf_bytes(1), "a.pdf", META, now=NOW)
    outbox.enqueue(pdf_bytes(2), "b.pdf", META, now=NOW + timedelta(seconds=1))
    fs.arm("create_exclusive" if error == errno.EROFS else "write_at", error=error)
    results = outbox.run_due(NOW, local)
    assert [(x.item.last_error_code, x.item.paused) for x in results] == [(code, True)] * 2
    assert listing(folder) == {}


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs: a real ENOSPC and a real read-only remount (as tests/storage do)."""
    mount_point = tmp_path / f"tmpfs-{uuid.uuid4().hex[:8]}"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip("mounting a tmpfs is not permitted here (needs root / CAP_SYS_ADMIN)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def test_real_full_disk_and_real_read_only_folder(outbox: Outbox, tiny_tmpfs: Path) -> None:
    folder_target(outbox, tiny_tmpfs)
    big, small = pdf_bytes(1, size=50_000), pdf_bytes(2, size=30_000)
    outbox.enqueue(big, "a.pdf", META, now=NOW)
    outbox.enqueue(small, "b.pdf", META, now=NOW + timedelta(seconds=1))
    first, second = outbox.run_due(NOW)
    assert first.item.state is DeliveryState.SENT
    assert (second.item.last_error_code, second.item.paused) == ("disk_full", True)
    assert sorted(p.name for p in tiny_tmpfs.iterdir()) == ["a.pdf"]  # no temp file left

    (tiny_tmpfs / "a.pdf").unlink()
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    outbox.retry(second.item.id, now=NOW)
    (r,) = outbox.run_due(NOW)
    assert (r.item.last_error_code, r.item.paused) == ("read_only", True)

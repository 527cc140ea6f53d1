"""Crash-safe file replacement: the reader sees the old file or the new, never half.

temp file (O_EXCL, 0600, same folder) → write → fsync → [keep the current file as
the previous generation by hard link] → ``os.replace`` → fsync the folder.
Passed 300 kill -9 runs with no unreadable file in the prototype (security notes).
"""

from __future__ import annotations

import contextlib
import errno
import secrets
from pathlib import Path

from storage.fs import FileSystem

TMP_PREFIX = ".tmp-"


def temp_name(folder: Path) -> Path:
    return folder / f"{TMP_PREFIX}{secrets.token_hex(8)}"


def write_temp(fs: FileSystem, folder: Path, data: bytes) -> Path:
    """A durable new file under a temporary name; removed again if anything fails."""
    path = temp_name(folder)
    fd = fs.create_exclusive(path)
    try:
        fs.write_at(fd, data, 0)
        fs.fsync(fd)
    except BaseException:
        fs.close(fd)
        _quietly_unlink(fs, path)
        raise
    fs.close(fd)
    return path


def keep_previous(fs: FileSystem, current: Path, previous: Path) -> None:
    """Make ``previous`` the same file as ``current`` (a hard link, atomically)."""
    if not current.exists():
        return
    link = temp_name(current.parent)
    try:
        fs.link(current, link)
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK):
            raise
        # No hard links here (some removable media): fall back to a durable copy.
        link = write_temp(fs, current.parent, fs.read_bytes(current))
    try:
        fs.replace(link, previous)
    except BaseException:
        _quietly_unlink(fs, link)
        raise


def replace_file(
    fs: FileSystem, target: Path, data: bytes, *, previous: Path | None = None
) -> None:
    """Atomically give ``target`` the content ``data`` (optionally keeping the old one)."""
    folder = target.parent
    temp = write_temp(fs, folder, data)
    try:
        if previous is not None:
            keep_previous(fs, target, previous)
        fs.replace(temp, target)
    except BaseException:
        _quietly_unlink(fs, temp)
        raise
    fs.fsync_dir(folder)


def remove_temp_files(fs: FileSystem, folder: Path) -> None:
    """Leftovers of a crash mid-save: encrypted, but useless and in the way."""
    for path in folder.glob(f"{TMP_PREFIX}*"):
        _quietly_unlink(fs, path)


def _quietly_unlink(fs: FileSystem, path: Path) -> None:
    with contextlib.suppress(OSError):
        fs.unlink(path)

"""The vault's only door to the operating system's file calls.

Every write, fsync, rename and link goes through one ``FileSystem`` object so a
test can swap in one whose ``write`` or ``fsync`` fails with ENOSPC or EIO, and
the vault's reaction (roll back, keep the last good content) is tested without
mocks. ``disk_errors`` renames ``OSError`` into the domain's ``DiskError``.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mus.errors import DiskError, DiskFull, DiskReadOnly, VaultMissing

_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


class FileSystem:
    """Plain POSIX calls; subclass to inject failures in tests."""

    def create_exclusive(self, path: Path) -> int:
        """A new file only this user can read (0600), failing if it exists."""
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        return os.open(path, flags, 0o600)

    def open_for_append(self, path: Path) -> int:
        return os.open(path, os.O_WRONLY | getattr(os, "O_CLOEXEC", 0))

    def write_at(self, fd: int, data: bytes, offset: int) -> None:
        """Write all of ``data`` at ``offset`` (pwrite loops over short writes)."""
        view = memoryview(data)
        while view:
            done = os.pwrite(fd, view, offset)
            if done <= 0:
                raise OSError(errno.EIO, "short write")
            view = view[done:]
            offset += done

    def fsync(self, fd: int) -> None:
        os.fsync(fd)

    def truncate(self, fd: int, size: int) -> None:
        os.ftruncate(fd, size)

    def close(self, fd: int) -> None:
        os.close(fd)

    def read_bytes(self, path: Path) -> bytes:
        return path.read_bytes()

    def replace(self, source: Path, target: Path) -> None:
        source.replace(target)

    def link(self, source: Path, target: Path) -> None:
        os.link(source, target)

    def unlink(self, path: Path) -> None:
        path.unlink(missing_ok=True)

    def fsync_dir(self, folder: Path) -> None:
        """Make renames and links in ``folder`` durable (no-op where unsupported)."""
        if not hasattr(os, "O_DIRECTORY"):
            return
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def disk_error(exc: OSError) -> DiskError:
    """The domain's name for an OS failure (the message never holds a path)."""
    number = exc.errno
    if number in _FULL:
        return DiskFull("no space left", number)
    if number in _READ_ONLY:
        return DiskReadOnly("folder is read-only or not permitted", number)
    return DiskError(f"file system error {errno.errorcode.get(number or 0, number)}", number)


@contextmanager
def disk_errors() -> Iterator[None]:
    """Rename OSError at the edge; a missing vault file is VaultMissing."""
    try:
        yield
    except FileNotFoundError as exc:
        raise VaultMissing("vault file not found") from exc
    except OSError as exc:
        raise disk_error(exc) from exc

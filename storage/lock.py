"""One owner per vault: an exclusive, non-blocking lock on a file beside the data.

POSIX: ``fcntl.flock`` on ``<vault>/lock``; the kernel drops it when the owner
dies (even by SIGKILL), so a crash never leaves a stale lock. A second process,
or a second open in the same process, gets ``VaultOpenElsewhere``.
Windows: ``msvcrt.locking`` on the first byte, the same semantics as far as
Windows allows. Where neither exists the vault opens unlocked (documented in
FORMAT.md): a desktop-only degradation, never on phones.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

from mus.errors import VaultOpenElsewhere
from storage.fs import disk_error

LOCK_NAME = "lock"


class VaultLock:
    """Held from open (or create) until close; release is idempotent."""

    def __init__(self, folder: Path) -> None:
        path = folder / LOCK_NAME
        try:
            self._fd: int | None = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
                raise disk_error(exc) from exc
            try:  # a read-only medium: a read lock fd still takes flock
                self._fd = os.open(path, os.O_RDONLY)
            except OSError as exc2:
                raise disk_error(exc2) from exc2
        try:
            _acquire(self._fd)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise VaultOpenElsewhere("vault is open in another process") from None
        except OSError as exc:
            os.close(self._fd)
            self._fd = None
            raise disk_error(exc) from exc

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        if self._fd is not None:
            fd, self._fd = self._fd, None
            os.close(fd)  # closing the descriptor drops the lock


if sys.platform == "win32":  # pragma: no cover - not testable here

    def _acquire(fd: int) -> None:
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as exc:
            raise BlockingIOError(errno.EAGAIN, "locked") from exc

else:
    import fcntl

    def _acquire(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

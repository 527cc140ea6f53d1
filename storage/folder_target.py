"""Delivery of one PDF into a folder on the device (synced by another client, or a memory card).

Same promise as WebDAV, with local calls: write a hidden temporary file in the
target folder (so the final step is a same-file-system link), fsync it, then
``os.link`` it to the final name — which fails instead of overwriting when the
name exists — then remove the temporary name and fsync the folder. A crash
leaves at most the hidden temporary file; the final name is whole or absent.
A name that exists with other bytes makes ``name (2).pdf``; with ours, the
item is done.

Media without hard links (FAT/exFAT memory cards, some Android storage) fall
back to "check the name is free, then ``rename``": a rival writer appearing
between the two calls could be overwritten, a race the app itself never runs.

All file calls go through ``storage.fs.FileSystem`` so tests inject ENOSPC,
EROFS and friends without mocks.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
from pathlib import Path

from mus.sync import Delivered, Failure, OutboxItem, SyncTarget, numbered_name, temp_name
from storage.fs import FileSystem

log = logging.getLogger("musling.sync")

MAX_CONFLICT_NUMBER = 50
_NO_LINKS = {errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV}
_FULL = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}


def os_failure(exc: OSError) -> Failure:
    if exc.errno in _FULL:
        return Failure("disk_full", pause=True, whole_target=True)
    if exc.errno in _READ_ONLY:
        return Failure("read_only", pause=True, whole_target=True)
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return Failure("folder_missing", whole_target=True)
    return Failure("disk_error", whole_target=True)


class FolderDeliverer:
    """Delivers items to one local folder (``mus.sync`` Deliverer protocol)."""

    def __init__(self, target: SyncTarget, fs: FileSystem | None = None) -> None:
        self.target = target
        self.folder = Path(target.path)
        self.fs = fs or FileSystem()

    def deliver(self, item: OutboxItem, data: bytes, *, check_first: bool) -> Delivered | Failure:
        if not self.folder.is_dir():
            # A memory card may be out for a while: back off, do not pause.
            return Failure("folder_missing", whole_target=True)
        try:
            if check_first and self._holds(self.folder / item.file_name, item):
                return Delivered(item.file_name, already_there=True)
            temp = self._write_temp(item, data)
            try:
                return self._link_into_place(temp, item)
            finally:
                with contextlib.suppress(OSError):
                    self.fs.unlink(temp)
                with contextlib.suppress(OSError):
                    self.fs.fsync_dir(self.folder)
        except OSError as exc:
            failure = os_failure(exc)
            log.info("item %s: %s", item.id[:8], failure.code)
            return failure

    def close(self) -> None:
        """Nothing held open between items."""

    def _write_temp(self, item: OutboxItem, data: bytes) -> Path:
        temp = self.folder / temp_name(item.id)
        self.fs.unlink(temp)  # a leftover of a crashed attempt of this same item
        fd = self.fs.create_exclusive(temp)
        try:
            self.fs.write_at(fd, data, 0)
            self.fs.fsync(fd)
        except BaseException:
            self.fs.close(fd)
            with contextlib.suppress(OSError):
                self.fs.unlink(temp)
            raise
        self.fs.close(fd)
        return temp

    def _link_into_place(self, temp: Path, item: OutboxItem) -> Delivered | Failure:
        for number in range(1, MAX_CONFLICT_NUMBER + 1):
            name = numbered_name(item.file_name, number)
            final = self.folder / name
            try:
                self._place(temp, final)
            except FileExistsError:
                if self._holds(final, item):
                    return Delivered(name, already_there=True)
                continue
            self.fs.fsync_dir(self.folder)
            return Delivered(name)
        return Failure("too_many_conflicts", pause=True)

    def _place(self, temp: Path, final: Path) -> None:
        """Give ``temp`` the name ``final`` unless ``final`` exists (FileExistsError)."""
        try:
            self.fs.link(temp, final)
        except OSError as exc:
            if isinstance(exc, FileExistsError) or exc.errno not in _NO_LINKS:
                raise
            if final.exists():
                raise FileExistsError(errno.EEXIST, "exists") from exc
            self.fs.replace(temp, final)

    def _holds(self, path: Path, item: OutboxItem) -> bool:
        try:
            if path.stat().st_size != item.size:
                return False
            data = self.fs.read_bytes(path)
        except FileNotFoundError:
            return False
        return hashlib.sha256(data).hexdigest() == item.sha256

"""The one module that knows where Musling's files live.

Order of precedence: an explicit ``--data-dir``; Flet's ``FLET_APP_STORAGE_DATA``
(set by the phone builds to the app's private, backed-up data folder — never a
cache or temp folder, which the OS may empty); otherwise the user's data folder
(``$XDG_DATA_HOME/musling``, ``~/Library/Application Support/Musling``,
``%APPDATA%\\Musling``).
"""

from __future__ import annotations

import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

APP_DIR_NAME = "musling"

FolderProblem = Literal["not_a_folder", "read_only"]
"""Why a data folder cannot be used: a file stands where it (or a folder above it)
should be, or it cannot be written (read-only medium, no permission, /proc)."""


def default_data_dir(environ: dict[str, str] | None = None) -> Path:
    """The app's own data folder on this platform."""
    env = os.environ if environ is None else environ
    flet_data = env.get("FLET_APP_STORAGE_DATA")
    if flet_data:
        return Path(flet_data)
    if sys.platform == "win32":
        base = Path(env.get("APPDATA") or Path.home() / "AppData" / "Roaming")
        return base / "Musling"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "Musling"
    xdg = env.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / APP_DIR_NAME


@dataclass(frozen=True, slots=True)
class DataPaths:
    """The files inside one data folder."""

    root: Path

    @classmethod
    def resolve(cls, data_dir: str | Path | None = None) -> DataPaths:
        root = Path(data_dir).expanduser() if data_dir else default_data_dir()
        return cls(root.absolute())

    @property
    def preferences(self) -> Path:
        """Language and other non-personal choices (plain JSON)."""
        return self.root / "preferences.json"

    @property
    def vault(self) -> Path:
        """The encrypted vault (a folder of files) with every note, plan and follow-up."""
        return self.root / "vault"

    def ensure(self) -> None:
        """Create the folder, private to the user (0700)."""
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)

    def problem(self, *, writing: bool) -> FolderProblem | None:
        """What stops a command (``writing``: one that saves) from using this folder.

        Looked at before anything is asked, so the person gets one plain line
        instead of a traceback or a failed save after typing a passphrase. Read
        only with ``writing=False``: a read-only folder can still be opened,
        checked and exported from. A folder that does not exist yet is judged by
        the nearest folder above it that does (it would be created there).
        """
        existing = next((p for p in (self.root, *self.root.parents) if os.path.lexists(p)), None)
        if existing is None:
            return None
        if not existing.is_dir() or (self.vault.exists() and not self.vault.is_dir()):
            return "not_a_folder"
        if not writing:
            return None
        folders = [existing, self.vault] if self.vault.is_dir() else [existing]
        return "read_only" if any(not _can_create_in(f) for f in folders) else None

    def prepare(self) -> FolderProblem | None:
        """The app's start: create the folder if needed and make sure it can be written."""
        found = self.problem(writing=True)
        if found is not None:
            return found
        try:
            self.ensure()
        except OSError:
            return "read_only"
        return self.problem(writing=True)


def _can_create_in(folder: Path) -> bool:
    """Really create (and drop) a nameless file: permission bits alone say nothing to
    root, and a read-only mount refuses whoever asks. A full disk still counts as
    writable here (the vault keeps its last save and says so when it happens)."""
    import tempfile  # loaded only when a folder is probed (reading commands never are)

    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError as exc:
        return exc.errno in (errno.ENOSPC, errno.EDQUOT)

"""The one module that knows where Musling's files live.

Order of precedence: an explicit ``--data-dir``; Flet's ``FLET_APP_STORAGE_DATA``
(set by the phone builds to the app's private, backed-up data folder — never a
cache or temp folder, which the OS may empty); otherwise the user's data folder
(``$XDG_DATA_HOME/musling``, ``~/Library/Application Support/Musling``,
``%APPDATA%\\Musling``).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

APP_DIR_NAME = "musling"


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

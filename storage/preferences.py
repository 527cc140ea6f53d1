"""Preferences as a small JSON file, written atomically.

Only non-personal choices live here (see ``mus.settings``); everything about
the user's conversations goes in the encrypted vault.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from mus.settings import Preferences


class JsonPreferences:
    """A ``mus.ports.PreferencesStore`` backed by one JSON file."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def load(self) -> Preferences:
        """Defaults when the file is missing or unreadable: a bad file must not stop the app."""
        try:
            data = json.loads(self._path.read_text("utf-8"))
        except (OSError, ValueError):
            return Preferences()
        return Preferences.from_dict(data)

    def save(self, preferences: Preferences) -> None:
        """Temp file in the same folder, fsync, atomic replace: never a half-written file."""
        self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".prefs-", dir=self._path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(preferences.to_dict(), f)
                f.flush()
                os.fsync(f.fileno())
            Path(tmp).replace(self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

"""The user's app preferences: the few things needed before the vault is open.

They hold no personal data (only the language and similar choices), which is
why they may live outside the encrypted vault: the unlock screen must already
speak the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mus.i18n import DEFAULT_LANGUAGE, LANGUAGES

AUTO_LOCK_CHOICES: tuple[int, ...] = (1, 2, 5, 10, 15, 30)


@dataclass(frozen=True, slots=True)
class Preferences:
    """Choices the user made in settings."""

    language: str = DEFAULT_LANGUAGE
    """UI and PDF language: ``da`` (default) or ``en``."""

    auto_lock_minutes: int = 5
    """Lock the vault after this long without use (one of ``AUTO_LOCK_CHOICES``)."""

    def with_language(self, language: str) -> Preferences:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        return replace(self, language=language)

    def with_auto_lock(self, minutes: int) -> Preferences:
        if minutes not in AUTO_LOCK_CHOICES:
            raise ValueError(f"unsupported auto-lock time {minutes!r}")
        return replace(self, auto_lock_minutes=minutes)

    def to_dict(self) -> dict[str, str | int]:
        return {"language": self.language, "auto_lock_minutes": self.auto_lock_minutes}

    @classmethod
    def from_dict(cls, data: object) -> Preferences:
        """Read tolerantly: unknown or bad values fall back to defaults, never fail."""
        if not isinstance(data, dict):
            return cls()
        language = data.get("language")
        minutes = data.get("auto_lock_minutes")
        return cls(
            language=language if language in LANGUAGES else DEFAULT_LANGUAGE,
            auto_lock_minutes=minutes if minutes in AUTO_LOCK_CHOICES else 5,
        )

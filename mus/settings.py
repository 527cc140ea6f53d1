"""The user's app preferences: the few things needed before the vault is open.

They hold no personal data (only the language and similar choices), which is
why they may live outside the encrypted vault: the unlock screen must already
speak the user's language.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from mus.i18n import DEFAULT_LANGUAGE, LANGUAGES


@dataclass(frozen=True, slots=True)
class Preferences:
    """Choices the user made in settings."""

    language: str = DEFAULT_LANGUAGE
    """UI and PDF language: ``da`` (default) or ``en``."""

    def with_language(self, language: str) -> Preferences:
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}")
        return replace(self, language=language)

    def to_dict(self) -> dict[str, str]:
        return {"language": self.language}

    @classmethod
    def from_dict(cls, data: object) -> Preferences:
        """Read tolerantly: unknown or bad values fall back to defaults, never fail."""
        if not isinstance(data, dict):
            return cls()
        language = data.get("language")
        return cls(language=language if language in LANGUAGES else DEFAULT_LANGUAGE)

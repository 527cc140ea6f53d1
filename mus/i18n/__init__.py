"""Translation catalogs, Danish first: ``da.json`` is the source of truth.

Code holds keys, never sentences; both catalogs carry the same keys with the
same ``{placeholders}`` (a test checks it).
"""

from __future__ import annotations

import json
import string
from functools import cache
from importlib import resources

LANGUAGES: tuple[str, ...] = ("da", "en")
DEFAULT_LANGUAGE = "da"


@cache
def catalog(language: str) -> dict[str, str]:
    """The catalog of one language, loaded once per process.

    ``da.json`` holds the screens' texts; an area with many texts of its own
    (the PDF, reminders) keeps them in ``<area>.da.json`` beside it. A key may
    live in one file only.
    """
    if language not in LANGUAGES:
        raise KeyError(language)
    folder = resources.files(__package__)
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(f".{language}.json"))
    data: dict[str, str] = {}
    for name in [f"{language}.json", *names]:
        part: dict[str, str] = json.loads(folder.joinpath(name).read_text("utf-8"))
        clash = data.keys() & part.keys()
        if clash:
            raise ValueError(f"{name} repeats keys: {sorted(clash)[:5]}")
        data.update(part)
    return data


def placeholders(text: str) -> frozenset[str]:
    """The ``{names}`` a catalog text expects."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)


class Translator:
    """Looks keys up in one language, falling back to Danish, then to the key.

    Falling back to the key (rather than raising) keeps a missing translation
    visible on screen instead of crashing a user's session; the catalog test
    makes sure none is missing.
    """

    __slots__ = ("_fallback", "_primary", "language")

    def __init__(self, language: str = DEFAULT_LANGUAGE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._primary = catalog(self.language)
        self._fallback = catalog(DEFAULT_LANGUAGE)

    def __call__(self, key: str, **params: object) -> str:
        text = self._primary.get(key) or self._fallback.get(key)
        if text is None:
            return key
        return text.format(**params) if params else text

    def has(self, key: str) -> bool:
        return key in self._primary or key in self._fallback

"""What importing "all my data" did: per kind of record, added, replaced, unchanged, skipped.

Pure tallies, so the settings screen and the command line report an import
the same way; the merging itself is ``storage.portability.merge``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

KINDS = ("conversations", "agreed_versions", "schedules")
"""The kinds of record an export carries, in the order they are imported."""


@dataclass(slots=True)
class Tally:
    """What merging did with one kind of record."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0
    """Already there and different: kept as it was (no ``--replace``, or an agreed version)."""


@dataclass(slots=True)
class MergeReport:
    tallies: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})

    @property
    def skipped(self) -> int:
        return sum(t.skipped for t in self.tallies.values())

    @property
    def added(self) -> int:
        return sum(t.added for t in self.tallies.values())

    @property
    def unchanged(self) -> int:
        return sum(t.unchanged for t in self.tallies.values())

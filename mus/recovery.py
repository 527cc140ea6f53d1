"""What recovering a damaged vault would lose, said before anything is written.

When the newest saved state cannot be read whole (``mus.errors.CurrentDamaged``)
the vault is not opened. Recovering rebuilds the newest state that can be
proven from what is left (the readable part of the journal, or the previous
generation) and writes it as the new current state. A ``LossReport`` says
which saves that would give up and from when; the command line
(``vault recover``) and the lock screen show the same lines (``describe``)
and ask before they write.

Saves are numbered from the vault's creation (one per acknowledged save), so
"saves 41-44" means the same on both sides of a recovery.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from mus.i18n import Translator


@dataclass(frozen=True, slots=True)
class LossReport:
    """The recovery on offer: what is damaged, what stays, what goes."""

    damage: str
    """The ``mus.errors`` code naming what is damaged (``error.<code>`` is its line)."""
    kept_saves: int
    """Saves the recovered state holds (numbered from the vault's creation)."""
    kept_at: datetime | None
    """When the last kept save was made (None: unknown, e.g. a version 1 vault)."""
    lost_saves: int
    """Saves that would be lost: exactly this many, or at least this many."""
    exact: bool
    """False when how many saves followed cannot be read (a cut or missing journal)."""
    lost_last_at: datetime | None = None
    """The newest lost save whose time could still be read."""

    @property
    def loses_nothing(self) -> bool:
        return self.exact and self.lost_saves == 0


def at_time(seconds: int | None) -> datetime | None:
    """A save's stored time (seconds since 1970, UTC) as an aware datetime."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _when(t: Translator, moment: datetime | None) -> str:
    if moment is None:
        return t("recover.when.unknown")
    from mus.reminders import copenhagen  # zoneinfo loads only when a report is shown

    return moment.astimezone(copenhagen()).strftime("%Y-%m-%d %H:%M")


def describe(report: LossReport, t: Translator) -> list[str]:
    """The lines both the command line and the lock screen show, in order:
    what is damaged, what would be kept, what would be lost."""
    kept_at = _when(t, report.kept_at)
    kept = {0: "recover.kept.none", 1: "recover.kept.one"}.get(report.kept_saves, "recover.kept")
    lines = [t(f"error.{report.damage}"), t(kept, saves=report.kept_saves, at=kept_at)]
    first, last = report.kept_saves + 1, report.kept_saves + report.lost_saves
    if report.loses_nothing:
        lines.append(t("recover.lost.nothing"))
    elif not report.exact and report.lost_saves == 0:
        lines.append(t("recover.lost.unknown", after=kept_at))
    elif not report.exact:
        lines.append(t("recover.lost.at_least", count=report.lost_saves, after=kept_at))
    elif report.lost_saves == 1:
        lines.append(t("recover.lost.one", number=first, after=kept_at))
    else:
        lines.append(
            t("recover.lost.many", count=report.lost_saves, first=first, last=last, after=kept_at)
        )
    if report.lost_last_at is not None and not report.loses_nothing:
        lines.append(t("recover.lost.newest", at=_when(t, report.lost_last_at)))
    return lines

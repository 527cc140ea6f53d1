"""The lines a loss report shows, the same on the command line and the lock screen."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mus.i18n import Translator
from mus.recovery import LossReport, describe

AT = datetime(2026, 5, 1, 8, 2, tzinfo=UTC)  # 10:02 in Copenhagen
LATER = datetime(2026, 5, 1, 8, 15, tzinfo=UTC)


def report(**changes: object) -> LossReport:
    base: dict[str, object] = {
        "damage": "journal_damaged",
        "kept_saves": 41,
        "kept_at": AT,
        "lost_saves": 4,
        "exact": True,
        "lost_last_at": LATER,
    }
    return LossReport(**{**base, **changes})  # type: ignore[arg-type]


def test_what_is_damaged_kept_and_lost_with_numbers_and_local_times() -> None:
    lines = describe(report(), Translator("da"))
    assert lines[0].startswith("Dine data er beskadigede: en gemt ændring")
    assert lines[1] == "Beholdes: 41 gemninger, den seneste fra 2026-05-01 10:02."
    assert lines[2] == "4 gemninger (nr. 42–45) efter 2026-05-01 10:02 ville gå tabt."
    assert lines[3] == "Den nyeste af dem er fra 2026-05-01 10:15."


AFTER = "made after 2026-05-01 10:02 would be lost"
CASES = [
    ({"lost_saves": 0, "lost_last_at": None}, "Nothing would be lost: everything can be rebuilt."),
    ({"lost_saves": 1, "lost_last_at": None}, f"1 save (no. 42) {AFTER}."),
    (
        {"exact": False, "lost_last_at": None},
        f"At least 4 saves {AFTER} (how many in all cannot be read).",
    ),
    (
        {"exact": False, "lost_saves": 0, "lost_last_at": None},
        f"Saves {AFTER} (how many cannot be read).",
    ),
]


@pytest.mark.parametrize(("changes", "line"), CASES)
def test_the_loss_line(changes: dict[str, object], line: str) -> None:
    assert describe(report(**changes), Translator("en"))[2:] == [line]


def test_kept_none_one_and_unknown_time() -> None:
    t = Translator("en")
    assert describe(report(kept_saves=0), t)[1] == (
        "Kept: no saves, only the starting point from 2026-05-01 10:02."
    )
    assert (
        describe(report(kept_saves=1, kept_at=None), t)[1] == "Kept: 1 save, from an unknown time."
    )
    assert (
        report(lost_saves=0).loses_nothing and not report(lost_saves=0, exact=False).loses_nothing
    )

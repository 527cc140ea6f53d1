"""Dates as people type and read them in Denmark: 24.11.2026.

Phones offer date pickers, but a typed date is quicker in a meeting and works
with every keyboard; both end here.
"""

from __future__ import annotations

import re
from datetime import date

_DMY = re.compile(r"^\s*(\d{1,2})\s*[./\- ]\s*(\d{1,2})\s*[./\- ]\s*(\d{2}|\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TIME = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*$")


def parse_date(text: str) -> date | None:
    """``24.11.2026``, ``24/11/26``, ``24-11-2026`` or ISO ``2026-11-24``; None if not a date.

    Raises ``ValueError`` for text that is not empty and not a real date, so the
    field can say so where it is.
    """
    if not text.strip():
        return None
    if m := _ISO.match(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _DMY.match(text):
        day, month, year = (int(g) for g in m.groups())
        if year < 100:
            year += 2000
    else:
        raise ValueError(text)
    return date(year, month, day)


def format_date(day: date | None) -> str:
    return "" if day is None else f"{day.day:02d}.{day.month:02d}.{day.year}"


def parse_time(text: str) -> str:
    """``9.30`` or ``09:30`` → ``"09:30"``; empty stays empty; ``ValueError`` otherwise."""
    if not text.strip():
        return ""
    m = _TIME.match(text)
    if not m:
        raise ValueError(text)
    return f"{int(m.group(1)):02d}:{m.group(2)}"

"""Dates as people type and read them in Denmark: 24.11.2026.

Phones offer date pickers, but a typed date is quicker in a meeting and works
with every keyboard; both end here.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

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


PICKER_YEARS = 5
"""How many years back and ahead a date picker offers when nothing narrower applies."""


def picker_bounds(
    today: date,
    current: date | None = None,
    *,
    earliest: date | None = None,
    latest: date | None = None,
) -> tuple[date, date, date]:
    """First and last day a date picker offers, and the day it opens on.

    ``earliest``/``latest`` are the field's own limits (a check-in is never in
    the future, a follow-up comes after the meeting). Without one, the picker
    spans ``PICKER_YEARS`` around today, widened to take in a date already in
    the field. It opens on the field's date, or today, moved inside the range:
    Flutter's picker must never open on a day it does not offer.
    """
    first = earliest or date(today.year - PICKER_YEARS, 1, 1)
    last = latest or date(today.year + PICKER_YEARS, 12, 31)
    if current is not None and earliest is None:
        first = min(first, current)
    if current is not None and latest is None:
        last = max(last, current)
    first = min(first, last)  # limits that cross (a meeting long ago) leave one day
    opens = min(max(current or today, first), last)
    return first, last, opens


def picked_date(value: datetime | date) -> date:
    """The day a person picked in Flutter's date picker.

    The picker answers with local midnight of the chosen day, which Flet sends
    in UTC: 24.11.2026 picked in Copenhagen arrives as 23:00 on the 23rd. The
    server and the screen share one clock (the app runs on the phone, or serves
    127.0.0.1 only), so local time gives the day back when it lands on midnight;
    otherwise the nearest UTC midnight does (right for any offset under 12 hours).
    """
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is None:
        return value.date()
    local = value.astimezone()
    if (local.hour, local.minute, local.second) == (0, 0, 0):
        return local.date()
    return (value.astimezone(UTC) + timedelta(hours=12)).date()

"""Typed and picked dates: what the fields accept and what the calendar hands back."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from mus.dates import PICKER_YEARS, format_date, parse_date, picked_date, picker_bounds

TODAY = date(2026, 11, 29)


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Set this process's local time zone (the server's clock) for one test."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("24.11.2026", date(2026, 11, 24)),
        ("24/11/26", date(2026, 11, 24)),
        ("24-11-2026", date(2026, 11, 24)),
        ("2026-11-24", date(2026, 11, 24)),
        (" 1.2.2027 ", date(2027, 2, 1)),
        ("", None),
    ],
)
def test_typed_dates(typed: str, day: date | None) -> None:
    assert parse_date(typed) == day


@pytest.mark.parametrize("typed", ["31.02.2026", "i morgen", "24.11", "2026/11/24x"])
def test_a_typed_non_date_is_an_error(typed: str) -> None:
    with pytest.raises(ValueError):
        parse_date(typed)


def test_a_picked_day_is_written_as_a_typed_one_and_reads_back() -> None:
    assert parse_date(format_date(date(2026, 3, 5))) == date(2026, 3, 5)
    assert format_date(date(2026, 3, 5)) == "05.03.2026"


@pytest.mark.parametrize(
    ("sent", "day"),
    [
        # What Flet sends for local midnight in Copenhagen: winter (+1), summer (+2).
        (datetime(2026, 11, 23, 23, 0, tzinfo=UTC), date(2026, 11, 24)),
        (datetime(2026, 6, 30, 22, 0, tzinfo=UTC), date(2026, 7, 1)),
        # The night summer time ends: midnight is still +2.
        (datetime(2026, 10, 24, 22, 0, tzinfo=UTC), date(2026, 10, 25)),
    ],
)
def test_picked_day_in_copenhagen(
    local_zone: Callable[[str], None], sent: datetime, day: date
) -> None:
    local_zone("Europe/Copenhagen")
    assert picked_date(sent) == day


@pytest.mark.parametrize(
    ("offset_hours", "day"),
    [
        (1, date(2026, 11, 24)),
        (2, date(2026, 11, 24)),
        (-5, date(2026, 11, 24)),
        (11, date(2026, 11, 24)),
    ],
)
def test_picked_day_when_the_screen_has_another_clock(
    local_zone: Callable[[str], None], offset_hours: int, day: date
) -> None:
    """A server on UTC and a browser elsewhere: the nearest midnight is the day."""
    local_zone("UTC")
    zone = timezone(timedelta(hours=offset_hours))
    sent = datetime(2026, 11, 24, tzinfo=zone).astimezone(UTC)
    assert picked_date(sent) == day


def test_picked_plain_dates_and_naive_times_pass_through() -> None:
    assert picked_date(date(2026, 11, 24)) == date(2026, 11, 24)
    assert picked_date(datetime(2026, 11, 24, 0, 0)) == date(2026, 11, 24)


def test_picker_spans_years_around_today_and_opens_on_today() -> None:
    first, last, opens = picker_bounds(TODAY)
    assert first == date(TODAY.year - PICKER_YEARS, 1, 1)
    assert last == date(TODAY.year + PICKER_YEARS, 12, 31)
    assert opens == TODAY


def test_picker_opens_on_the_fields_date_and_widens_for_an_old_one() -> None:
    assert picker_bounds(TODAY, date(2027, 3, 1))[2] == date(2027, 3, 1)
    old = date(2012, 5, 1)
    first, _, opens = picker_bounds(TODAY, old)
    assert (first, opens) == (old, old)


def test_picker_keeps_a_fields_limits_and_opens_inside_them() -> None:
    # A check-in is never in the future: a typed future date opens on the last day.
    first, last, opens = picker_bounds(TODAY, date(2027, 1, 5), latest=TODAY)
    assert (last, opens) == (TODAY, TODAY)
    assert first < TODAY
    # A follow-up after a meeting next month opens on the meeting day.
    meeting = date(2026, 12, 15)
    first, _, opens = picker_bounds(TODAY, None, earliest=meeting)
    assert (first, opens) == (meeting, meeting)


def test_picker_limits_that_cross_leave_one_day() -> None:
    """Preparation shared 'by' a meeting long before the usual range."""
    meeting = date(2015, 3, 1)
    first, last, opens = picker_bounds(TODAY, None, latest=meeting)
    assert first == last == opens == meeting

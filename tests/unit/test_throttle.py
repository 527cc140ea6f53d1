"""The brake on wrong unlock tries: free at first, then 1, 2, 4 ... up to 300 s."""

from __future__ import annotations

import pytest

from mus.throttle import Backoff


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fail_times(backoff: Backoff, clock: Clock, n: int) -> list[float]:
    """Fail ``n`` times, each right when allowed; the wait imposed after each."""
    waits = []
    for _ in range(n):
        clock.now += backoff.wait_left()
        assert backoff.wait_left() == 0
        backoff.failed()
        waits.append(backoff.wait_left())
    return waits


def test_five_failures_are_free_then_each_wait_doubles_up_to_five_minutes() -> None:
    clock = Clock()
    waits = fail_times(Backoff(clock), clock, 16)
    assert waits == [0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]


def test_the_wait_counts_down_with_the_clock() -> None:
    clock = Clock()
    backoff = Backoff(clock)
    fail_times(backoff, clock, 7)  # the 7th imposes 4 s
    assert backoff.wait_left() == 4
    clock.now += 1.5
    assert backoff.wait_left() == 2.5
    clock.now += 10
    assert backoff.wait_left() == 0


def test_success_starts_over() -> None:
    clock = Clock()
    backoff = Backoff(clock)
    fail_times(backoff, clock, 8)
    clock.now += backoff.wait_left()
    backoff.succeeded()
    assert backoff.failures == 0
    assert backoff.wait_left() == 0
    assert fail_times(backoff, clock, 6) == [0, 0, 0, 0, 1, 2]


def test_next_wait_says_what_the_next_failure_costs() -> None:
    clock = Clock()
    backoff = Backoff(clock)
    assert backoff.next_wait() == 0
    fail_times(backoff, clock, 4)
    assert backoff.next_wait() == 1
    fail_times(backoff, clock, 1)
    assert backoff.next_wait() == 2


def test_a_thousand_failures_stay_at_the_cap() -> None:
    clock = Clock()
    backoff = Backoff(clock)
    backoff.failures = 10_000
    backoff.failed()
    assert backoff.wait_left() == 300


def test_other_settings() -> None:
    clock = Clock()
    backoff = Backoff(clock, free_tries=1, first_wait_s=0.25, longest_wait_s=1)
    assert fail_times(backoff, clock, 5) == [0.25, 0.5, 1, 1, 1]


@pytest.mark.parametrize(
    "settings",
    [
        {"free_tries": 0},
        {"first_wait_s": 0},
        {"first_wait_s": 10, "longest_wait_s": 5},
    ],
)
def test_nonsense_settings_are_refused(settings: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="backoff"):
        Backoff(Clock(), **settings)  # type: ignore[arg-type]

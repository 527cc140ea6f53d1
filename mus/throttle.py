"""How fast wrong unlock tries may follow each other: the rule, without a clock of its own.

A guessed passphrase costs one key derivation (~0.2 s); every tab of the web
app shares one process, so without a brake several tabs guess several times a
second. Tries come freely until ``free_tries`` have failed (people mistype);
then the next try waits ``first_wait_s``, and each later one twice as long as
the one before, up to ``longest_wait_s``. A success starts over.
"""

from __future__ import annotations

from collections.abc import Callable

FREE_TRIES = 5
FIRST_WAIT_S = 1.0
LONGEST_WAIT_S = 300.0


class Backoff:
    """Failures counted per process; ``clock`` is monotonic seconds (injected for tests).

    Not thread-safe by itself: the vault session checks and records under its own lock.
    """

    def __init__(
        self,
        clock: Callable[[], float],
        *,
        free_tries: int = FREE_TRIES,
        first_wait_s: float = FIRST_WAIT_S,
        longest_wait_s: float = LONGEST_WAIT_S,
    ) -> None:
        if free_tries < 1 or first_wait_s <= 0 or longest_wait_s < first_wait_s:
            raise ValueError("backoff needs free_tries >= 1 and 0 < first wait <= longest wait")
        self._clock = clock
        self.free_tries = free_tries
        self.first_wait_s = first_wait_s
        self.longest_wait_s = longest_wait_s
        self.failures = 0
        self._not_before: float | None = None

    def wait_left(self) -> float:
        """Seconds until the next try may run; 0 when it may run now."""
        if self._not_before is None:
            return 0.0
        return max(0.0, self._not_before - self._clock())

    def next_wait(self) -> float:
        """The wait that the next failure will impose (0 while tries are still free)."""
        beyond = self.failures + 1 - self.free_tries
        if beyond < 0:
            return 0.0
        # 2**n past ~2**9 is above any sensible cap already; keep the float finite.
        return min(self.longest_wait_s, self.first_wait_s * 2.0 ** min(beyond, 60))

    def failed(self) -> None:
        wait = self.next_wait()
        self.failures += 1
        self._not_before = self._clock() + wait if wait > 0 else None

    def succeeded(self) -> None:
        self.failures = 0
        self._not_before = None

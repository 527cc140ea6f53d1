"""Unlocking through the app's one VaultSession: throttled per process, and a
wrong recovery code never closes a vault another tab has open."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from mus.demo import example_conversation
from mus.errors import TryLater, VaultMissing, WrongPassphrase, WrongRecoveryCode
from mus.throttle import Backoff
from storage.session import VaultSession
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE, StillClock

WRONG_CODE = "ABCDE-FGHJK-MNPQR-STVWX-YZ012-34567"


@pytest.fixture
def made(tmp_path: Path, clock: StillClock) -> Iterator[tuple[VaultSession, str]]:
    """A locked vault and its recovery code; the brake runs on the test's clock."""
    session = VaultSession(tmp_path / "vault", kdf=FAST_KDF, limits=LAX, backoff=Backoff(clock))
    code = session.create(PASSPHRASE)
    session.lock()
    yield session, code
    session.lock()


def test_a_wrong_code_leaves_an_open_vault_open_and_writable(
    made: tuple[VaultSession, str],
) -> None:
    session, _ = made
    session.unlock(PASSPHRASE)
    repo = session.conversations()
    record = example_conversation(date(2026, 11, 24))
    with pytest.raises(WrongRecoveryCode):
        session.unlock_with_recovery_code(WRONG_CODE)
    with pytest.raises(WrongRecoveryCode):
        session.unlock_with_recovery_code("too short")
    assert session.unlocked
    repo.save(record)  # the repository the first tab holds still works
    assert session.conversations().get(record.id) == record


def test_the_right_code_on_an_open_vault_checks_it_without_reopening(
    made: tuple[VaultSession, str],
) -> None:
    session, code = made
    session.unlock(PASSPHRASE)
    vault = session.vault
    session.unlock_with_recovery_code(code.lower())
    assert session.vault is vault


def test_a_wrong_code_on_a_locked_vault_keeps_it_locked(made: tuple[VaultSession, str]) -> None:
    session, code = made
    with pytest.raises(WrongRecoveryCode):
        session.unlock_with_recovery_code(WRONG_CODE)
    assert not session.unlocked
    session.unlock_with_recovery_code(code)
    assert session.unlocked


def test_after_five_failures_the_next_try_waits_and_is_not_checked(
    made: tuple[VaultSession, str], clock: StillClock
) -> None:
    session, _ = made
    for n in range(5):
        assert session.unlock_wait() == 0
        with pytest.raises(WrongPassphrase):
            session.unlock(f"gæt nummer {n}")
    assert session.unlock_wait() == 1
    # Even the right passphrase is refused unchecked during the wait.
    with pytest.raises(TryLater) as refused:
        session.unlock(PASSPHRASE)
    assert refused.value.seconds_left == 1
    assert refused.value.code == "try_later"
    assert not session.unlocked
    clock.now += 0.4
    with pytest.raises(TryLater) as refused:
        session.unlock_with_recovery_code(WRONG_CODE)
    assert refused.value.seconds_left == pytest.approx(0.6)
    clock.now += 0.6
    with pytest.raises(WrongPassphrase):
        session.unlock("gæt nummer 6")
    assert session.unlock_wait() == 2
    clock.now += 2
    session.unlock(PASSPHRASE)  # success starts over
    session.conversations()  # open
    assert session.unlock_wait() == 0


def test_recovery_codes_and_passphrases_share_the_count(
    made: tuple[VaultSession, str], clock: StillClock
) -> None:
    session, code = made
    for n in range(3):
        with pytest.raises(WrongPassphrase):
            session.unlock(f"gæt {n}")
    for _ in range(2):
        with pytest.raises(WrongRecoveryCode):
            session.unlock_with_recovery_code(WRONG_CODE)
    assert session.unlock_wait() == 1
    with pytest.raises(TryLater):
        session.unlock_with_recovery_code(code)
    clock.now += 1
    session.unlock_with_recovery_code(code)
    assert session.unlock_wait() == 0


def test_tries_on_an_open_vault_count_too(made: tuple[VaultSession, str]) -> None:
    """Another tab guessing while the user works: the vault stays open, the guesses slow."""
    session, _ = made
    session.unlock(PASSPHRASE)
    for n in range(5):
        with pytest.raises(WrongPassphrase):
            session.unlock(f"gæt {n}")
    with pytest.raises(TryLater):
        session.unlock(PASSPHRASE)
    assert session.unlocked


def test_what_is_not_a_wrong_secret_does_not_count(tmp_path: Path, clock: StillClock) -> None:
    session = VaultSession(tmp_path / "none", kdf=FAST_KDF, limits=LAX, backoff=Backoff(clock))
    for _ in range(8):
        with pytest.raises(VaultMissing):
            session.unlock(PASSPHRASE)
    assert session.unlock_wait() == 0


def test_many_tabs_at_once_get_five_checked_tries_in_all(made: tuple[VaultSession, str]) -> None:
    """Six threads (tabs) guessing together while the clock stands still."""
    session, _ = made
    outcomes: list[str] = []
    start = threading.Barrier(6)

    def tab(i: int) -> None:
        start.wait()
        for n in range(3):
            try:
                session.unlock(f"fane {i} gæt {n}")
            except (WrongPassphrase, TryLater) as e:
                outcomes.append(e.code)

    threads = [threading.Thread(target=tab, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["try_later"] * 13 + ["wrong_passphrase"] * 5

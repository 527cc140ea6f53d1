"""Fixtures for in-process UI tests: the real app over a fake client, a real vault.

The vault is the real encrypted one in a temporary folder; only its key
derivation is made cheap (see tests/storage/conftest.py), so a test unlocks in
milliseconds.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import flet as ft
import pytest

from mus.demo import example_bundle, example_conversation
from mus.ports import MemoryPreferences
from storage.session import VaultSession
from tests.storage.conftest import FAST_KDF, LAX, PASSPHRASE
from tests.ui.harness import UI, run_app
from views.app import setup_page

Scenario = Callable[[UI], Awaitable[None]]
NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


@pytest.fixture
def preferences() -> MemoryPreferences:
    """In memory: each test starts with Danish, the default."""
    return MemoryPreferences()


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[VaultSession]:
    """A vault that exists and is locked, as on a later start."""
    session = VaultSession(tmp_path / "vault", kdf=FAST_KDF, limits=LAX)
    session.create(PASSPHRASE)
    session.lock()
    yield session
    session.lock()


@pytest.fixture
def new_vault(tmp_path: Path) -> Iterator[VaultSession]:
    """No vault yet, as on the very first start."""
    session = VaultSession(tmp_path / "fresh", kdf=FAST_KDF, limits=LAX)
    yield session
    session.lock()


@pytest.fixture
def with_example(vault: VaultSession) -> VaultSession:
    vault.unlock(PASSPHRASE)
    vault.conversations().save(example_conversation(NOW.date()))
    vault.lock()
    return vault


@pytest.fixture
def play(preferences: MemoryPreferences, vault: VaultSession) -> Callable[..., None]:
    def _play(scenario: Scenario, route: str = "/", session: VaultSession | None = None) -> None:
        def app_main(page: ft.Page) -> None:
            setup_page(page, preferences, session or vault, lambda: NOW)

        run_app(app_main, scenario, route)

    return _play


@pytest.fixture
def example_year(vault: VaultSession) -> VaultSession:
    """The example as "see an example" leaves it: agreed, with its follow-up schedule."""
    bundle = example_bundle(NOW.date())
    vault.unlock(PASSPHRASE)
    vault.conversations().save(bundle.record)
    vault.versions().add(bundle.version)
    vault.schedules().save(bundle.schedule)
    vault.lock()
    return vault

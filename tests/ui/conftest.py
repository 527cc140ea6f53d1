"""Fixtures for in-process UI tests: the real app over a fake client."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import flet as ft
import pytest

from mus.ports import MemoryPreferences
from tests.ui.harness import UI, run_app
from views.app import setup_page

Scenario = Callable[[UI], Awaitable[None]]


@pytest.fixture
def preferences() -> MemoryPreferences:
    """In memory: each test starts with Danish, the default."""
    return MemoryPreferences()


@pytest.fixture
def play(preferences: MemoryPreferences) -> Callable[..., None]:
    def _play(scenario: Scenario, route: str = "/") -> None:
        def app_main(page: ft.Page) -> None:
            setup_page(page, preferences)

        run_app(app_main, scenario, route)

    return _play

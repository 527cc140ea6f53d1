"""The root component: the session state provider and the one route table."""

from __future__ import annotations

from typing import Any

import flet as ft

from mus.ports import PreferencesStore
from views.context import AppStateContext
from views.screens.home import HomeView
from views.screens.not_found import NotFoundView
from views.screens.settings import SettingsView
from views.screens.step import StepView
from views.screens.wheel import WheelView
from views.state import AppState
from views.widgets.theme import FONTS, app_theme


def ROUTES() -> list[ft.Route]:
    """Nested routes become the view stack: back goes up one level."""
    return [
        ft.Route(
            path="/",
            component=HomeView,
            children=[
                ft.Route(
                    path="wheel",
                    component=WheelView,
                    children=[ft.Route(path=":element", component=StepView)],
                ),
                ft.Route(path="settings", component=SettingsView),
                ft.Route(path=":unknown+", component=NotFoundView),
            ],
        )
    ]


@ft.component
def App(preferences: PreferencesStore) -> Any:
    # Made once per session; screens subscribe to it through the context.
    state = ft.use_memo(
        lambda: AppState(preferences=preferences, language=preferences.load().language),
        dependencies=[],
    )
    return AppStateContext(
        state,
        lambda: ft.Router(ROUTES(), manage_views=True),
    )


def setup_page(page: ft.Page, preferences: PreferencesStore) -> None:
    """Configure the page once per session and render the app into it."""
    page.title = "Musling"
    page.fonts = FONTS
    page.theme = app_theme()
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=[ft.Locale("da", "DK"), ft.Locale("en", "GB")],
        current_locale=ft.Locale("da", "DK"),
    )
    page.render_views(App, preferences)

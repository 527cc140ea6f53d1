"""A friendly dead end with a way home, for addresses typed or linked by hand."""

from __future__ import annotations

import flet as ft

from mus.i18n import Translator
from views import routes
from views.context import use_app_state
from views.widgets.scaffold import screen


def not_found_screen(location: str, t: Translator) -> ft.View:
    return screen(
        location,
        t("not_found.title"),
        [
            ft.Icon(ft.Icons.EXPLORE_OFF_OUTLINED, size=48),
            ft.Text(t("not_found.title"), size=24, weight=ft.FontWeight.BOLD, key="not-found"),
            ft.Text(t("not_found.text", route=location)),
            ft.FilledButton(
                t("not_found.home"),
                icon=ft.Icons.HOME,
                key="go-home",
                on_click=lambda: ft.context.page.navigate(routes.HOME),
            ),
        ],
        t=t,
    )


@ft.component
def NotFoundView() -> ft.View:
    """Matched by the catch-all route, so the back arrow leads home."""
    return not_found_screen(ft.use_route_location() or "/", use_app_state().t)

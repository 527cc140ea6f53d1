"""The first screen: what Musling is, how far this year's MUS has come."""

from __future__ import annotations

import flet as ft

from mus.wheel import ELEMENTS
from views import routes
from views.context import use_app_state
from views.widgets.scaffold import screen


@ft.component
def HomeView() -> ft.View:
    state = use_app_state()
    t = state.t
    return screen(
        routes.HOME,
        t("app.name"),
        [
            ft.Text(t("home.title"), size=26, weight=ft.FontWeight.BOLD, key="home-title"),
            ft.Text(t("home.intro"), size=16),
            ft.Card(
                content=ft.Container(
                    padding=16,
                    content=ft.Column(
                        [
                            ft.Text(
                                t("home.progress", done=state.done_count(), total=len(ELEMENTS)),
                                size=16,
                                key="home-progress",
                            ),
                            ft.ProgressBar(value=state.done_count() / len(ELEMENTS)),
                            ft.FilledButton(
                                t("home.open_wheel"),
                                icon=ft.Icons.DONUT_LARGE,
                                key="open-wheel",
                                on_click=lambda: ft.context.page.navigate(routes.WHEEL),
                            ),
                        ],
                        spacing=12,
                    ),
                )
            ),
            ft.Row(
                [
                    ft.Icon(ft.Icons.WIFI_OFF, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
                    ft.Text(
                        t("home.offline"),
                        size=13,
                        color=ft.Colors.ON_SURFACE_VARIANT,
                        expand=True,
                    ),
                ],
                vertical_alignment=ft.CrossAxisAlignment.START,
            ),
        ],
        t=t,
        top_level=True,
    )

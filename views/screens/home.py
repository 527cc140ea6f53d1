"""The first screen after unlocking: this year's MUS, how far it has come, what is next."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from mus.dates import format_date
from mus.reminders import YearEntry
from mus.wheel import ELEMENTS
from views import routes
from views.context import use_app_state, use_editor
from views.screens.reminders import reminder_tile
from views.widgets.scaffold import screen


@ft.component
def HomeView() -> ft.View:
    state = use_app_state()
    editor = use_editor()
    t = state.t
    page = ft.context.page
    record = editor.record
    ft.use_effect(state.refresh_reminders, dependencies=[])
    body: list[ft.Control] = [
        ft.Text(t("home.title"), size=26, weight=ft.FontWeight.BOLD, key="home-title"),
    ]
    if state.due_reminders:
        body.append(ft.Text(t("home.due_heading"), size=17, weight=ft.FontWeight.BOLD,
                            key="home-due"))  # fmt: skip
        body.extend(reminder_tile(state, YearEntry.of_due(d)) for d in state.due_reminders[:3])
        body.append(
            ft.TextButton(
                t("home.due_more"),
                key="home-reminders",
                on_click=lambda: page.navigate(routes.REMINDERS),
            )
        )
    if record is None:
        body += [
            ft.Text(t("home.intro"), size=16),
            ft.FilledButton(
                t("home.start"),
                icon=ft.Icons.ADD,
                key="home-start",
                on_click=lambda: page.navigate(routes.NEW_CONVERSATION),
            ),
            ft.OutlinedButton(
                t("home.example"),
                icon=ft.Icons.SCIENCE_OUTLINED,
                key="open-example",
                on_click=lambda: _open_example(state.open_example),
            ),
        ]
    else:
        c = record.conversation
        done = editor.done_count()
        when = format_date(c.meeting_date) if c.meeting_date else t("home.no_date")
        body.append(
            ft.Card(
                content=ft.Container(
                    padding=16,
                    content=ft.Column(
                        [
                            ft.Text(
                                t("home.current", year=c.year, name=c.employee_name),
                                size=18,
                                weight=ft.FontWeight.BOLD,
                                key="home-current",
                            ),
                            ft.Text(t("home.meeting", date=when, leader=c.leader_name)),
                            *(
                                [ft.Text(t("conversations.example_badge"), italic=True)]
                                if c.example
                                else []
                            ),
                            ft.Text(
                                t("home.progress", done=done, total=len(ELEMENTS)),
                                key="home-progress",
                            ),
                            ft.ProgressBar(value=done / len(ELEMENTS)),
                            ft.Row(
                                [
                                    ft.FilledButton(
                                        t("home.open_wheel"),
                                        icon=ft.Icons.DONUT_LARGE,
                                        key="open-wheel",
                                        on_click=lambda: page.navigate(routes.WHEEL),
                                    ),
                                    ft.OutlinedButton(
                                        t("plan.open"),
                                        icon=ft.Icons.DESCRIPTION_OUTLINED,
                                        key="open-plan",
                                        on_click=lambda: page.navigate(routes.PLAN),
                                    ),
                                ],
                                wrap=True,
                            ),
                        ],
                        spacing=10,
                    ),
                )
            )
        )
    body += [
        ft.TextButton(
            t("home.all_conversations"),
            icon=ft.Icons.LIST,
            key="all-conversations",
            on_click=lambda: page.navigate(routes.CONVERSATIONS),
        ),
        ft.Row(
            [
                ft.Icon(ft.Icons.WIFI_OFF, size=18, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.Text(
                    t("home.offline"), size=13, color=ft.Colors.ON_SURFACE_VARIANT, expand=True
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
    ]
    return screen(
        routes.HOME, t("app.name"), body, t=t, top_level=True, badge=state.reminder_counts.badge
    )


def _open_example(open_example: Callable[[], None]) -> None:
    open_example()
    ft.context.page.navigate(routes.WHEEL)

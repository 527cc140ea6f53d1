"""Settings: language, locking, passphrase and recovery code."""

from __future__ import annotations

import flet as ft

from mus.i18n import LANGUAGES
from views import routes
from views.context import use_app_state
from views.widgets.scaffold import screen


@ft.component
def SettingsView() -> ft.View:
    state = use_app_state()
    t = state.t
    return screen(
        routes.SETTINGS,
        t("settings.title"),
        [
            ft.Text(t("settings.language"), size=16, weight=ft.FontWeight.BOLD),
            ft.RadioGroup(
                key="language",
                value=state.language,
                on_change=lambda e: state.choose_language(str(e.control.value)),
                content=ft.Column(
                    [
                        ft.Radio(
                            value=lang, label=t(f"settings.language.{lang}"), key=f"lang-{lang}"
                        )
                        for lang in LANGUAGES
                    ]
                ),
            ),
            ft.Divider(),
            ft.Text(t("settings.security"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.lock.help"), size=13),
            ft.OutlinedButton(
                t("settings.lock"), icon=ft.Icons.LOCK, key="lock-now", on_click=state.lock
            ),
            ft.Divider(),
            ft.Text(t("settings.about"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.about.text")),
        ],
        t=t,
        top_level=True,
        badge=state.reminder_counts.badge,
    )

"""The first screen when the data folder holds a damaged vault without its key file.

Such files are never "no data yet": a copy of the key file put back opens them
all. So this screen offers no plain "create" (which used to delete them): it
says what is wrong, how a copy of the key file helps, and offers to restore a
backup or start with empty data, both of which move the old files aside into a
dated folder first (``VaultPort.create`` / ``restore_backup`` with
``set_aside``) and say where.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from views.context import use_app_state
from views.screens.lock import language_choice
from views.widgets.scaffold import screen


@ft.component
def DamagedVaultView(on_restore: Callable[[], None], on_fresh: Callable[[], None]) -> ft.View:
    state = use_app_state()
    t = state.t
    body: list[ft.Control] = [
        language_choice(state),
        ft.Icon(ft.Icons.REPORT_PROBLEM_OUTLINED, size=40, color=ft.Colors.ERROR),
        ft.Text(t("damaged.title"), size=24, weight=ft.FontWeight.BOLD, key="damaged-title"),
        ft.Text(t("damaged.intro"), key="damaged-intro"),
        ft.Text(t("damaged.copy")),
        ft.Text(t("damaged.choices")),
        ft.FilledButton(
            t("damaged.restore"),
            key="damaged-restore",
            icon=ft.Icons.SETTINGS_BACKUP_RESTORE,
            on_click=on_restore,
        ),
        ft.TextButton(
            t("damaged.fresh"), key="damaged-fresh", icon=ft.Icons.ADD, on_click=on_fresh
        ),
    ]
    return screen("/", t("app.name"), body, t=t)

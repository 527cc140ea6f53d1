"""The lock screen's way out when the newest saved state is damaged.

Unlocking stopped with one line naming the damaged part (the field's error).
This offers to recover, but shows first what that would keep and lose (the
same lines as ``vault recover``, ``mus.recovery.describe``) and writes only
after the user confirms. Nothing older is ever opened without that choice.
"""

from __future__ import annotations

import flet as ft

from mus.recovery import describe
from views.context import use_app_state


@ft.component
def RecoverPanel() -> ft.Control:
    """ "Recover …", then the report with "recover" and "cancel"."""
    state = use_app_state()
    t = state.t
    report = state.recovery
    shown, set_shown = ft.use_state(False)
    if report is None:
        return ft.Container(key="recover-none", visible=False)
    if not shown:
        return ft.OutlinedButton(
            t("recover.open"),
            key="recover-open",
            icon=ft.Icons.HEALING_OUTLINED,
            disabled=state.busy,
            on_click=lambda: set_shown(True),
        )

    def cancel() -> None:
        set_shown(False)
        state.cancel_recovery()

    lines = describe(report, t)[1:]  # the first, what is damaged, is the field's error
    confirm = t("recover.confirm") if report.loses_nothing else t("recover.confirm_loss")
    return ft.Container(
        key="recover-panel",
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
        border_radius=8,
        padding=12,
        content=ft.Column(
            [
                ft.Text(t("recover.title"), weight=ft.FontWeight.BOLD, key="recover-title"),
                ft.Text(t("recover.intro")),
                *[ft.Text(line, key=f"recover-line-{i}") for i, line in enumerate(lines)],
                ft.Row(
                    [
                        ft.FilledButton(
                            confirm,
                            key="recover-confirm",
                            icon=ft.Icons.HEALING,
                            disabled=state.busy,
                            on_click=state.recover,
                        ),
                        ft.TextButton(
                            t("recover.cancel"),
                            key="recover-cancel",
                            disabled=state.busy,
                            on_click=cancel,
                        ),
                    ],
                    wrap=True,
                ),
            ],
            tight=True,
        ),
    )

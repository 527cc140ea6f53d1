"""The outbox: every exported PDF on its way to a target, and what became of it.

Waiting, sending, sent (when, where, under which name), failed (why, and when
it is tried again) or paused until the user acts; each can be retried or
cancelled, and "Send now" tries at once what waits or is paused, except what a
refused login paused (``Outbox.retry_now``, as ``sync run --now``). Such a file
says it waits for a new app password for its target and offers the field right
there: saving it sends every file the login held back (``sync password`` on the
command line). Retrying with the old password is not offered after a wrong one
(Nextcloud throttles repeated failed logins), only after "no access to the folder".
"""

from __future__ import annotations

import flet as ft

from mus.i18n import Translator
from mus.sync import (
    OPEN_STATES,
    DeliveryState,
    OutboxItem,
    SyncTarget,
    TargetKind,
    error_text,
)
from views.context import use_app_state
from views.screens.sync_targets import PasswordEditor
from views.sync_state import SyncState, use_sync, when_text
from views.widgets.scaffold import screen

ROUTE = "/settings/outbox"  # to move to views/routes.py as OUTBOX
TARGETS_ROUTE = "/settings/sync"  # views/routes.py: SYNC_TARGETS

STATE_LOOK: dict[DeliveryState, tuple[ft.IconData, str]] = {
    DeliveryState.WAITING: (ft.Icons.SCHEDULE, ft.Colors.ON_SURFACE_VARIANT),
    DeliveryState.SENDING: (ft.Icons.CLOUD_UPLOAD_OUTLINED, ft.Colors.PRIMARY),
    DeliveryState.SENT: (ft.Icons.CHECK_CIRCLE, ft.Colors.GREEN_700),
    DeliveryState.FAILED: (ft.Icons.ERROR_OUTLINE, ft.Colors.ERROR),
    DeliveryState.CANCELLED: (ft.Icons.BLOCK, ft.Colors.ON_SURFACE_VARIANT),
}


def state_lines(t: Translator, item: OutboxItem, target: SyncTarget | None) -> list[str]:
    """What happened to the item, in plain words: first line the state, then details."""
    target_name = target.name if target is not None else t("syncui.target.gone")
    kind = target.kind if target is not None else None
    if item.state is DeliveryState.SENT:
        lines = [t("syncui.item.sent", when=when_text(item.sent_at), target=target_name)]
        if item.delivered_name and item.delivered_name != item.file_name:
            lines.append(t("syncui.item.sent_as", name=item.delivered_name))
        return lines
    if item.state is DeliveryState.FAILED:
        reason = error_text(t, item.last_error_code or "unexpected", kind)
        lines = [t("syncui.item.failed", reason=reason)]
        if item.needs_password:  # a refused login: access to the folder, or a new password
            forbidden = item.last_error_code == "forbidden"
            held = "syncui.item.forbidden" if forbidden else "syncui.item.needs_password"
            lines.append(t(held, target=target_name))
        elif item.paused:
            lines.append(t("sync.paused"))
        elif item.next_attempt_at is not None:
            lines.append(t("sync.next_retry", at=when_text(item.next_attempt_at)))
        return lines
    lines = [t(f"sync.state.{item.state}")]
    if item.state is DeliveryState.WAITING and item.next_attempt_at is not None:
        if item.last_error_code:
            lines.append(error_text(t, item.last_error_code, kind))
        lines.append(t("sync.next_retry", at=when_text(item.next_attempt_at)))
    return lines


def item_card(sync: SyncState, item: OutboxItem, t: Translator) -> ft.Control:
    target = sync.target(item.target_id)
    target_name = target.name if target is not None else t("syncui.target.gone")
    icon, colour = STATE_LOOK[item.state]
    first, *rest = state_lines(t, item, target)

    def retry() -> None:
        sync.retry(item.id)

    def cancel() -> None:
        sync.cancel(item.id)

    actions: list[ft.Control] = []
    wrong_password = item.needs_password and item.last_error_code != "forbidden"
    if item.state is DeliveryState.FAILED and not wrong_password:
        actions.append(
            ft.FilledTonalButton(
                t("sync.action.retry"), icon=ft.Icons.REFRESH, key=f"retry-{item.id}",
                disabled=sync.sending, on_click=retry,
            )
        )  # fmt: skip
    if item.state in OPEN_STATES:
        actions.append(
            ft.TextButton(
                t("sync.action.cancel"), icon=ft.Icons.CLOSE, key=f"cancel-{item.id}",
                on_click=cancel,
            )
        )  # fmt: skip
    to = t("syncui.item.to", target=target_name, created=when_text(item.created_at))
    return ft.Card(
        key=f"item-{item.id}",
        content=ft.Container(
            padding=12,
            content=ft.Column(
                [
                    ft.Text(item.file_name, weight=ft.FontWeight.BOLD, key=f"item-name-{item.id}"),
                    ft.Text(to, size=13),
                    ft.Row(
                        [
                            ft.Icon(icon, color=colour, size=20),
                            ft.Text(
                                first, key=f"item-state-{item.id}", color=colour,
                                weight=ft.FontWeight.BOLD, expand=True,
                            ),
                        ],
                        spacing=8,
                    ),
                    *[ft.Text(line, size=13, key=f"item-detail-{item.id}") for line in rest],
                    *(
                        [PasswordEditor(target.id, ident=item.id, opener="syncui.password.enter")]
                        if item.needs_password
                        and target is not None
                        and target.kind is TargetKind.WEBDAV
                        else []
                    ),
                    *([ft.Row(actions, wrap=True)] if actions else []),
                ],
                spacing=6,
            ),
        ),
    )  # fmt: skip


@ft.component
def OutboxView() -> ft.View:
    state = use_app_state()
    sync = use_sync()
    t = state.t
    page = ft.context.page
    ft.use_effect(sync.refresh, dependencies=[])

    async def send_now() -> None:
        await sync.send_all()

    def open_targets() -> None:
        page.navigate(TARGETS_ROUTE)

    waiting = sync.open_count()
    # What "Send nu" can move: not a file that waits for a new password.
    sendable = any(i.state in OPEN_STATES and not i.needs_password for i in sync.items)
    body: list[ft.Control] = [ft.Text(t("syncui.outbox.help"), size=14)]
    if not sync.targets:
        body += [
            ft.Text(t("syncui.outbox.no_targets"), key="outbox-no-targets"),
            ft.FilledTonalButton(
                t("syncui.targets.title"), icon=ft.Icons.CLOUD_OUTLINED,
                key="open-targets", on_click=open_targets,
            ),
        ]  # fmt: skip
    body.append(
        ft.FilledButton(
            t("syncui.send_now"), icon=ft.Icons.SEND, key="send-now",
            disabled=sync.sending or not sendable, on_click=send_now,
        )
    )  # fmt: skip
    if sync.sending:
        body.append(
            ft.Column(
                [ft.ProgressBar(), ft.Text(t("syncui.sending"), size=13)], key="sending", spacing=4
            )
        )
    if sync.error_key:
        body.append(ft.Text(t(sync.error_key), color=ft.Colors.ERROR, key="outbox-error"))
    body.append(
        ft.Text(
            t("syncui.outbox.count", count=waiting) if waiting else t("syncui.outbox.all_sent"),
            key="outbox-summary", size=15, weight=ft.FontWeight.BOLD,
        )
    )  # fmt: skip
    shown = [i for i in sync.items if i.state is not DeliveryState.CANCELLED]
    body += [item_card(sync, item, t) for item in shown] or [
        ft.Text(t("syncui.outbox.empty"), key="outbox-empty")
    ]
    return screen(ROUTE, t("syncui.outbox.title"), body, t=t)

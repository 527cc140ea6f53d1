"""Where exported PDFs go: the user's archive and the leader's copy.

Each target is a WebDAV folder (Nextcloud, ownCloud …) or a folder on the
device; a switch says whether every export goes there. Settings are checked
where they are typed (HTTPS required, except to this device), and "Test
connection" tells in plain words whether the server takes them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

import flet as ft

from mus.i18n import Translator
from mus.sync import SyncTarget, TargetKind, TargetRole, error_text, validate_target
from views.context import use_app_state
from views.sync_state import (
    NEW,
    OK,
    SyncState,
    folder_target,
    use_sync,
    webdav_target,
)
from views.widgets.a11y import own_node
from views.widgets.passphrase import PassphraseField
from views.widgets.scaffold import screen

ROUTE = "/settings/sync"  # to move to views/routes.py as SYNC_TARGETS
OUTBOX_ROUTE = "/settings/outbox"  # views/routes.py: OUTBOX

#: Which field an error code belongs under.
FIELD_OF: dict[str, str] = {
    "name_missing": "name",
    "url_invalid": "url",
    "https_required": "url",
    "user_missing": "user",
    "folder_invalid": "folder",
    "path_missing": "path",
    "path_relative": "path",
}


@dataclass(frozen=True, slots=True)
class Draft:
    """The add form as typed; ``kind`` "" means the form is closed."""

    kind: str = ""
    name: str = ""
    url: str = ""
    user: str = ""
    password: str = ""
    folder: str = "MUS"
    path: str = ""
    role: str = TargetRole.MINE.value
    touched: frozenset[str] = frozenset()
    tried: bool = False

    def target(self) -> SyncTarget:
        role = TargetRole(self.role)
        if self.kind == TargetKind.FOLDER:
            return folder_target(self.name, self.path, role)
        return webdav_target(self.name, self.url, self.user, self.folder, role)

    def errors(self) -> dict[str, str]:
        """Field → error code, for the fields the user has left or after a try."""
        shown: dict[str, str] = {}
        for code in validate_target(self.target()):
            name = FIELD_OF.get(code, "name")
            if (self.tried or name in self.touched) and name not in shown:
                shown[name] = code
        return shown


def _changed(changes: dict[str, Any], draft: Draft) -> Draft:
    return replace(draft, **changes)


def _touched(name: str, draft: Draft) -> Draft:
    return replace(draft, touched=draft.touched | {name})


def result_text(t: Translator, code: str, key: str, kind: TargetKind) -> ft.Text:
    """A connection test's result in plain words: green when it works, red when not."""
    ok = code == OK
    return ft.Text(
        t("sync.test.ok") if ok else error_text(t, code, kind),
        key=key,
        color=ft.Colors.GREEN_800 if ok else ft.Colors.ERROR,
        weight=ft.FontWeight.BOLD,
    )


def target_subtitle(t: Translator, target: SyncTarget) -> str:
    where = target.path if target.kind is TargetKind.FOLDER else target.url.rstrip("/")
    if target.kind is TargetKind.WEBDAV and target.folder:
        where = f"{where} · {target.folder}"
    return t(
        "syncui.target.detail",
        role=t(f"sync.role.{target.role}"),
        kind=t(f"sync.kind.{target.kind}"),
        where=where,
    )


@ft.component
def PasswordEditor(
    target_id: str, *, ident: str = "", opener: str = "syncui.password.change"
) -> ft.Control:
    """A new app password for a WebDAV target (after "Wrong user name or password").

    ``ident`` tells apart the editors of one target on one screen (the outbox
    shows one for each file that waits for it); ``opener`` keys the button's text.
    """
    ident = ident or target_id
    t = use_app_state().t
    sync = use_sync()
    editing, set_editing = ft.use_state(False)
    password, set_password = ft.use_state("")

    def open_it() -> None:
        set_editing(True)

    def close() -> None:
        set_password("")
        set_editing(False)

    def typed(e: ft.Event[ft.TextField]) -> None:
        set_password(str(e.control.value or ""))

    def save() -> None:
        sync.set_password(target_id, password)
        close()

    if not editing:
        return ft.TextButton(
            t(opener),
            icon=ft.Icons.KEY,
            key=f"change-password-{ident}",
            on_click=open_it,
        )
    return ft.Column(
        [
            PassphraseField(
                field_key=f"new-password-{ident}",
                kind="password",
                label=t("syncui.password.new"),
                value=password,
                on_change=typed,
            ),
            ft.Row(
                [
                    ft.FilledButton(
                        t("syncui.password.save"),
                        key=f"save-password-{ident}",
                        disabled=not password,
                        on_click=save,
                    ),
                    ft.TextButton(
                        t("action.cancel"), key=f"cancel-password-{ident}", on_click=close
                    ),
                ],
                wrap=True,
            ),
        ],
        spacing=8,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def target_card(
    sync: SyncState, target: SyncTarget, t: Translator, ask_delete: Callable[[str], None]
) -> ft.Control:
    """One target: what and where, the auto switch, test and delete."""

    async def test() -> None:
        await sync.test_connection(target)

    def delete() -> None:
        ask_delete(target.id)

    def set_auto(e: ft.Event[ft.Switch]) -> None:
        sync.set_auto(target.id, bool(e.control.value))

    testing = sync.testing == target.id
    lines: list[ft.Control] = [
        ft.Text(target.name, size=16, weight=ft.FontWeight.BOLD, key=f"target-name-{target.id}"),
        ft.Text(target_subtitle(t, target), size=13),
        ft.Switch(
            key=f"auto-{target.id}",
            label=t("syncui.auto"),
            value=target.auto,
            on_change=set_auto,
        ),
        ft.Row(
            [
                ft.OutlinedButton(
                    t("sync.action.test"),
                    icon=ft.Icons.WIFI_TETHERING,
                    key=f"test-{target.id}",
                    disabled=testing,
                    on_click=test,
                ),
                ft.TextButton(
                    t("syncui.delete"),
                    icon=ft.Icons.DELETE_OUTLINE,
                    key=f"delete-{target.id}",
                    on_click=delete,
                ),
            ],
            wrap=True,
        ),
    ]
    if target.kind is TargetKind.WEBDAV:
        lines.append(PasswordEditor(target.id))
    if testing:
        lines.append(ft.ProgressBar(key=f"testing-{target.id}"))
    elif sync.tested == target.id and sync.test_code:
        lines.append(result_text(t, sync.test_code, f"test-result-{target.id}", target.kind))
    return ft.Card(
        key=f"target-{target.id}",
        content=ft.Container(padding=12, content=ft.Column(lines, spacing=6)),
    )


def _add_buttons(t: Translator, open_form: Callable[[TargetKind], None]) -> ft.Control:
    return ft.Column(
        [
            ft.Text(t("syncui.add.heading"), size=17, weight=ft.FontWeight.BOLD),
            ft.FilledTonalButton(
                t("syncui.add.webdav"),
                icon=ft.Icons.CLOUD_UPLOAD_OUTLINED,
                key="add-webdav",
                on_click=partial(open_form, TargetKind.WEBDAV),
            ),
            ft.FilledTonalButton(
                t("syncui.add.folder"),
                icon=ft.Icons.FOLDER_OUTLINED,
                key="add-folder",
                on_click=partial(open_form, TargetKind.FOLDER),
            ),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


def _form_fields(
    t: Translator,
    draft: Draft,
    typed: Callable[[str, ft.Event[ft.TextField]], None],
    left: Callable[[str], None],
) -> list[ft.Control]:
    """The text fields of the form's kind, each with its own error under it."""
    errors = draft.errors()

    def field(
        name: str, label: str, *, helper: str | None = None, secret: bool = False, **extra: Any
    ) -> ft.Control:
        code = errors.get(name)
        settings: dict[str, Any] = {
            "label": label,
            "value": str(getattr(draft, name)),
            "helper": helper,
            "error": t(f"sync.error.{code}") if code else None,
            "error_max_lines": 3,
            "helper_max_lines": 3,
            "on_change": partial(typed, name),
            "on_blur": partial(left, name),
            **extra,
        }
        if secret:
            return PassphraseField(field_key=f"target-{name}-field", kind="password", **settings)
        return own_node(ft.TextField(key=f"target-{name}-field", **settings))

    fields = [field("name", t("syncui.field.name"))]
    if draft.kind == TargetKind.FOLDER:
        return [*fields, field("path", t("syncui.field.path"), helper=t("syncui.field.path_help"))]
    return [
        *fields,
        field(
            "url",
            t("syncui.field.url"),
            helper=t("syncui.field.url_help"),
            keyboard_type=ft.KeyboardType.URL,
            autocorrect=False,
        ),
        field("user", t("syncui.field.user"), autocorrect=False),
        field(
            "password",
            t("syncui.field.password"),
            helper=t("syncui.field.password_help"),
            secret=True,
        ),
        field("folder", t("syncui.field.folder"), helper=t("syncui.field.folder_help")),
    ]


@ft.component
def AddTargetForm() -> ft.Control:
    """Add a WebDAV or folder target; errors show under the field they are about."""
    t = use_app_state().t
    sync = use_sync()
    draft, set_draft = ft.use_state(Draft())

    def update(change: Callable[[Draft], Draft]) -> Draft:
        """Change the draft and return it as it now is.

        Updaters, not values: a blur or a tap may arrive before the change it
        follows has re-rendered, and its handler's ``draft`` would be stale.
        """
        seen: list[Draft] = []

        def apply(current: Draft) -> Draft:
            seen.append(change(current))
            return seen[-1]

        set_draft(apply)
        return seen[-1]

    def open_form(kind: TargetKind) -> None:
        sync.forget_test()
        default = f"syncui.default_name.{kind.value}"
        set_draft(Draft(kind=kind.value, name=t(default)))

    def close() -> None:
        sync.forget_test()
        set_draft(Draft())

    def typed(name: str, e: ft.Event[ft.TextField]) -> None:
        if sync.tested == NEW:
            sync.forget_test()  # the result was of other settings
        update(partial(_changed, {name: str(e.control.value or "")}))

    def left(name: str) -> None:
        update(partial(_touched, name))

    def chose_role(e: ft.Event[ft.RadioGroup]) -> None:
        update(partial(_changed, {"role": str(e.control.value)}))

    async def test() -> None:
        current = update(partial(_changed, {"tried": True}))
        if not validate_target(current.target()):
            await sync.test_connection(current.target(), current.password)

    def save() -> None:
        current = update(partial(_changed, {"tried": True}))
        role = TargetRole(current.role)
        if current.kind == TargetKind.FOLDER:
            problems = sync.add_folder(current.name, current.path, role)
        else:
            problems = sync.add_webdav(
                current.name,
                url=current.url,
                user=current.user,
                folder=current.folder,
                role=role,
                password=current.password,
            )
        if problems:
            return
        set_draft(Draft())
        name = current.name.strip()
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(t("syncui.added", name=name))))

    if not draft.kind:
        return _add_buttons(t, open_form)

    title = "syncui.add.folder" if draft.kind == TargetKind.FOLDER else "syncui.add.webdav"
    fields: list[ft.Control] = [
        ft.Text(t(title), size=17, weight=ft.FontWeight.BOLD, key="add-form-title"),
        *_form_fields(t, draft, typed, left),
        ft.RadioGroup(
            key="target-role",
            value=draft.role,
            on_change=chose_role,
            content=ft.Column(
                [
                    ft.Radio(value=role.value, label=t(f"sync.role.{role}"), key=f"role-{role}")
                    for role in TargetRole
                ]
            ),
        ),
    ]
    if sync.testing == NEW:
        fields.append(ft.ProgressBar(key="testing-new"))
    elif sync.tested == NEW and sync.test_code:
        fields.append(result_text(t, sync.test_code, "test-result-new", TargetKind(draft.kind)))
    fields.append(
        ft.Row(
            [
                ft.OutlinedButton(
                    t("sync.action.test"),
                    icon=ft.Icons.WIFI_TETHERING,
                    key="test-new",
                    disabled=sync.testing == NEW,
                    on_click=test,
                ),
                ft.FilledButton(
                    t("syncui.save"), icon=ft.Icons.CHECK, key="save-target", on_click=save
                ),
                ft.TextButton(t("action.cancel"), key="cancel-target", on_click=close),
            ],
            wrap=True,
        )
    )
    return ft.Column(fields, spacing=10, horizontal_alignment=ft.CrossAxisAlignment.STRETCH)


@ft.component
def SyncTargetsView() -> ft.View:
    state = use_app_state()
    sync = use_sync()
    t = state.t
    page = ft.context.page
    confirm_id, set_confirm_id = ft.use_state("")
    ft.use_effect(sync.refresh, dependencies=[])

    def delete_it() -> None:
        target_id = confirm_id
        set_confirm_id("")
        sync.remove(target_id)

    def keep_it() -> None:
        set_confirm_id("")

    def open_outbox() -> None:
        page.navigate(OUTBOX_ROUTE)

    doomed = sync.target(confirm_id) if confirm_id else None
    dialog = ft.AlertDialog(
        modal=True,
        title=ft.Text(t("syncui.delete.title", name=doomed.name if doomed else "")),
        content=ft.Text(t("syncui.delete.text")),
        actions=[
            ft.TextButton(t("action.cancel"), key="cancel-delete-target", on_click=keep_it),
            ft.FilledButton(t("action.delete"), key="confirm-delete-target", on_click=delete_it),
        ],
        on_dismiss=keep_it,
    )
    ft.use_dialog(dialog if doomed else None)

    ask: Callable[[str], None] = set_confirm_id
    waiting = sync.open_count()
    body: list[ft.Control] = [
        ft.Text(t("syncui.targets.help"), size=14),
        ft.OutlinedButton(
            t("syncui.open_outbox.count", count=waiting) if waiting else t("syncui.open_outbox"),
            icon=ft.Icons.OUTBOX,
            key="open-outbox",
            on_click=open_outbox,
        ),
        ft.Text(t("syncui.targets.heading"), size=17, weight=ft.FontWeight.BOLD),
        *(
            [target_card(sync, target, t, ask) for target in sync.targets]
            or [ft.Text(t("syncui.targets.none"), key="no-targets")]
        ),
        ft.Divider(),
        AddTargetForm(),
    ]
    return screen(ROUTE, t("syncui.targets.title"), body, t=t)

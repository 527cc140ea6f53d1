"""The door to the vault: create it on first start, unlock it later.

Nothing behind the door renders until the vault is open, whatever the address.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import flet as ft

from mus.i18n import LANGUAGES
from mus.passphrase import MIN_LENGTH, Strength, assess
from views.context import use_app_state
from views.state import AppState
from views.widgets.files import pick_one
from views.widgets.passphrase import PassphraseField
from views.widgets.recover import RecoverPanel
from views.widgets.scaffold import screen

STRENGTH_COLOURS = {
    Strength.TOO_SHORT: ft.Colors.ERROR,
    Strength.WEAK: ft.Colors.ORANGE_700,
    Strength.FAIR: ft.Colors.AMBER_700,
    Strength.GOOD: ft.Colors.LIGHT_GREEN_700,
    Strength.STRONG: ft.Colors.GREEN_700,
}


def _busy_row(text: str) -> ft.Control:
    return ft.Row(
        [ft.ProgressRing(width=20, height=20, stroke_width=3), ft.Text(text)],
        key="busy",
    )


@ft.component
def CreateVaultView(
    on_restore: Callable[[], None] | None = None,
    *,
    set_aside: bool = False,
    on_back: Callable[[], None] | None = None,
) -> ft.View:
    """First start: a passphrase twice, why it must be long, what losing it means.
    Or, on a new phone, the way to a backup from the old one.

    ``set_aside``: over a damaged vault without its key file (``DamagedVaultView``):
    its files are moved into a dated folder first, and the screen says so."""
    state = use_app_state()
    t = state.t
    first, set_first = ft.use_state("")
    second, set_second = ft.use_state("")
    understood, set_understood = ft.use_state(False)
    tried, set_tried = ft.use_state(False)
    verdict = assess(first)
    mismatch = bool(second) and first != second
    ready = verdict.acceptable and first == second and understood

    async def create() -> None:
        set_tried(True)
        if ready:
            await state.create_vault(first, set_aside=set_aside)

    problems = []
    if tried and not verdict.acceptable:
        problems.append(t("passphrase.too_short", min=MIN_LENGTH))
    body: list[ft.Control] = [
        language_choice(state),
        ft.Text(t("vault.create.title"), size=24, weight=ft.FontWeight.BOLD, key="create-title"),
        ft.Text(t("vault.create.intro")),
        *([ft.Text(t("damaged.aside"), key="set-aside-note")] if set_aside else []),
        PassphraseField(
            field_key="new-passphrase",
            label=t("vault.passphrase"),
            value=first,
            helper=t("passphrase.rule", min=MIN_LENGTH),
            helper_max_lines=3,
            error_max_lines=3,
            error=problems[0] if problems else None,
            on_change=lambda e: set_first(str(e.control.value or "")),
        ),
        ft.Row(
            [
                ft.Text(t("passphrase.strength"), size=13),
                ft.Text(
                    t(verdict.strength.key),
                    size=13,
                    weight=ft.FontWeight.BOLD,
                    color=STRENGTH_COLOURS[verdict.strength],
                    key="strength",
                ),
            ]
        ),
        PassphraseField(
            field_key="repeat-passphrase",
            label=t("vault.passphrase.repeat"),
            value=second,
            error_max_lines=3,
            error=t("passphrase.mismatch") if mismatch else None,
            on_change=lambda e: set_second(str(e.control.value or "")),
        ),
        ft.Container(
            bgcolor=ft.Colors.ERROR_CONTAINER,
            border_radius=8,
            padding=12,
            content=ft.Text(t("vault.create.warning"), color=ft.Colors.ON_ERROR_CONTAINER),
        ),
        ft.Checkbox(
            key="understood",
            label=t("vault.create.understood"),
            value=understood,
            on_change=lambda e: set_understood(bool(e.control.value)),
        ),
        _busy_row(t("vault.working"))
        if state.busy
        else ft.FilledButton(
            t("vault.create.button"),
            key="create-vault",
            icon=ft.Icons.LOCK,
            disabled=not ready,
            on_click=create,
        ),
    ]
    if state.error_code:
        body.append(ft.Text(t(f"error.{state.error_code}"), color=ft.Colors.ERROR, key="error"))
    if on_restore is not None:
        body += [
            ft.Divider(),
            ft.TextButton(
                t("restore.open"),
                key="restore-open",
                icon=ft.Icons.SETTINGS_BACKUP_RESTORE,
                on_click=on_restore,
            ),
        ]
    if on_back is not None:
        body.append(
            ft.TextButton(
                t("damaged.back"), key="create-back", disabled=state.busy, on_click=on_back
            )
        )
    return screen("/", t("app.name"), body, t=t)


def file_size(size: int) -> str:
    """Bytes as a person reads them on a phone: "12 KB", "3.4 MB"."""
    if size < 1000:
        return f"{size} B"
    if size < 1_000_000:
        return f"{round(size / 1000)} KB"
    return f"{size / 1_000_000:.1f} MB"


@ft.component
def RestoreBackupView(on_cancel: Callable[[], None], *, set_aside: bool = False) -> ft.View:
    """A new phone: the encrypted backup from the old one, opened with its passphrase.

    The picked file's bytes stay in memory (the web edition has no path to
    it); the only thing written is the new vault. ``set_aside``: over a damaged
    vault without its key file, whose files are moved into a dated folder once
    the backup has been read (never deleted); the screen says so."""
    state = use_app_state()
    t = state.t
    nothing: tuple[str, bytes] | None = None
    picked, set_picked = ft.use_state(nothing)
    secret, set_secret = ft.use_state("")
    problem, set_problem = ft.use_state("")

    async def pick() -> None:
        chosen = await pick_one(t("restore.pick"))
        if chosen is None:
            return  # the user closed the picker
        if not chosen[1]:
            set_problem(t("restore.empty"))
            return
        set_problem("")
        set_picked(chosen)

    async def restore() -> None:
        if picked is None or not secret:
            return
        await state.restore_backup(picked[1], secret, set_aside=set_aside)
        if state.error_code:
            code = state.error_code
            key = f"restore.error.{code}"
            set_problem(t(key) if t.has(key) else t(f"error.{code}"))
            set_secret("")
        else:
            on_cancel()  # open: the gate moves on to the new recovery code

    async def submitted(e: ft.Event[ft.TextField]) -> None:
        set_secret(str(e.control.value or ""))
        await restore()

    body: list[ft.Control] = [
        ft.Text(t("restore.title"), size=24, weight=ft.FontWeight.BOLD, key="restore-title"),
        ft.Text(t("restore.intro")),
        *([ft.Text(t("damaged.aside"), key="set-aside-note")] if set_aside else []),
        ft.OutlinedButton(
            t("restore.pick"),
            key="restore-pick",
            icon=ft.Icons.FILE_OPEN_OUTLINED,
            disabled=state.busy,
            on_click=pick,
        ),
    ]
    if picked is not None:
        body.append(
            ft.Text(
                t("restore.picked", name=picked[0], size=file_size(len(picked[1]))),
                key="restore-picked",
            )
        )
    body += [
        PassphraseField(
            field_key="restore-passphrase",
            label=t("restore.passphrase"),
            value=secret,
            on_change=lambda e: set_secret(str(e.control.value or "")),
            on_submit=submitted,
        ),
        _busy_row(t("vault.working"))
        if state.busy
        else ft.FilledButton(
            t("restore.button"),
            key="restore",
            icon=ft.Icons.SETTINGS_BACKUP_RESTORE,
            disabled=picked is None or not secret,
            on_click=restore,
        ),
    ]
    if problem:
        body.append(ft.Text(problem, color=ft.Colors.ERROR, key="restore-problem"))
    body.append(
        ft.TextButton(
            t("damaged.back" if set_aside else "restore.cancel"),
            key="restore-cancel",
            disabled=state.busy,
            on_click=on_cancel,
        )
    )
    return screen("/", t("app.name"), body, t=t)


def wait_time(seconds: int) -> str:
    """A countdown as people read it: "8 s", "4:05 min"."""
    if seconds < 60:
        return f"{seconds} s"
    return f"{seconds // 60}:{seconds % 60:02d} min"


@ft.component
def UnlockView() -> ft.View:
    state = use_app_state()
    t = state.t
    secret, set_secret = ft.use_state("")
    with_code, set_with_code = ft.use_state(False)
    # A tab opened during a wait (wrong tries elsewhere) shows the countdown too.
    ft.use_effect(state.follow_unlock_wait, dependencies=[])
    waiting = state.unlock_wait_s > 0

    async def unlock_with(value: str) -> None:
        if not value or state.unlock_wait_s > 0:
            return
        if with_code:
            await state.unlock_with_recovery_code(value)
        else:
            await state.unlock(value)
        if state.error_code:
            set_secret("")

    async def unlock() -> None:
        await unlock_with(secret)

    async def submitted(e: ft.Event[ft.TextField]) -> None:
        # The field's own value: Enter may arrive before the re-render that
        # carries the last typed characters into ``secret``.
        await unlock_with(str(e.control.value or ""))

    body: list[ft.Control] = [
        ft.Icon(ft.Icons.LOCK_OUTLINE, size=40),
        ft.Text(t("vault.unlock.title"), size=24, weight=ft.FontWeight.BOLD, key="unlock-title"),
        ft.Text(t("vault.unlock.code_intro") if with_code else t("vault.unlock.intro")),
        PassphraseField(
            field_key="passphrase",
            label=t("vault.recovery_code") if with_code else t("vault.passphrase"),
            secret=not with_code,
            value=secret,
            autofocus=True,
            error_max_lines=3,
            error=t(f"error.{state.error_code}") if state.error_code else None,
            on_change=lambda e: set_secret(str(e.control.value or "")),
            on_submit=submitted,
        ),
        _busy_row(t("vault.working"))
        if state.busy
        else ft.FilledButton(
            t("vault.unlock.button"),
            key="unlock",
            icon=ft.Icons.LOCK_OPEN,
            disabled=not secret or waiting,
            on_click=unlock,
        ),
        ft.TextButton(
            t("vault.unlock.use_passphrase") if with_code else t("vault.unlock.use_code"),
            key="toggle-recovery",
            on_click=lambda: (set_with_code(not with_code), set_secret("")),
        ),
    ]
    if waiting:
        wait = t("vault.unlock.wait", time=wait_time(state.unlock_wait_s))
        body.insert(-1, ft.Text(wait, key="unlock-wait"))
    if state.recovery is not None:  # the newest state is damaged: the way out
        body.append(RecoverPanel())
    return screen("/", t("app.name"), body, t=t)


def language_choice(state: AppState) -> ft.Control:
    """Dansk or English before anything else: the first screen asks in both."""
    return ft.Row(
        [
            ft.Icon(ft.Icons.LANGUAGE, size=20),
            ft.Container(
                width=240,  # room for "English" on one line in the narrowest phones
                content=ft.SegmentedButton(
                    key="first-language",
                    selected=[state.language],
                    show_selected_icon=False,
                    segments=[
                        ft.Segment(value=lang, label=ft.Text(state.t(f"settings.language.{lang}")))
                        for lang in LANGUAGES
                    ],
                    on_change=lambda e: state.choose_language(str(e.control.selected[0])),
                ),
            ),
        ],
        alignment=ft.MainAxisAlignment.END,
    )


@ft.component
def RecoveryCodeView() -> ft.View:
    """Shown once, right after creation (and when a new code is made): copy it,
    save it as a one-page PDF to print, or write it down."""
    state = use_app_state()
    t = state.t
    saved, set_saved = ft.use_state(False)
    note, set_note = ft.use_state("")

    async def copy() -> None:
        await ft.Clipboard().set(state.recovery_code)
        set_note(t("vault.recovery.copied"))

    async def save_sheet() -> None:
        name, data = await asyncio.to_thread(state.recovery_sheet)
        await ft.FilePicker().save_file(file_name=name, src_bytes=data)
        set_note(t("vault.recovery.printed"))

    body: list[ft.Control] = [
        ft.Text(t("vault.recovery.intro"), key="recovery-title"),
        ft.Container(
            bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
            border_radius=8,
            padding=16,
            content=ft.Text(
                state.recovery_code,
                key="recovery-code",
                size=20,
                font_family="DejaVu Sans",
                selectable=True,
                weight=ft.FontWeight.BOLD,
                text_align=ft.TextAlign.CENTER,
            ),
        ),
        ft.Row(
            [
                ft.OutlinedButton(
                    t("vault.recovery.copy"),
                    key="code-copy",
                    icon=ft.Icons.COPY_OUTLINED,
                    on_click=copy,
                ),
                ft.OutlinedButton(
                    t("vault.recovery.print"),
                    key="code-print",
                    icon=ft.Icons.PRINT_OUTLINED,
                    on_click=save_sheet,
                ),
            ],
            wrap=True,
            spacing=8,
            run_spacing=8,
        ),
        *([ft.Text(note, key="code-note", size=13)] if note else []),
        *(
            [ft.Text(t("damaged.moved", folder=state.set_aside), key="set-aside-done")]
            if state.set_aside
            else []
        ),
        ft.Text(t("vault.recovery.keep")),
        ft.Checkbox(
            key="code-saved",
            label=t("vault.recovery.saved"),
            value=saved,
            on_change=lambda e: set_saved(bool(e.control.value)),
        ),
        ft.FilledButton(
            t("vault.recovery.continue"),
            key="code-continue",
            disabled=not saved,
            on_click=state.acknowledge_recovery_code,
        ),
    ]
    return screen("/", t("vault.recovery.title"), body, t=t)

"""Settings: language, auto-lock, passphrase, recovery code, erasing everything."""

from __future__ import annotations

import flet as ft

from mus.i18n import LANGUAGES
from mus.passphrase import MIN_LENGTH, assess
from mus.settings import AUTO_LOCK_CHOICES
from views import routes
from views.context import use_app_state
from views.state import AppState
from views.widgets.a11y import own_node
from views.widgets.fields import dropdown
from views.widgets.files import pick_one
from views.widgets.passphrase import PassphraseField
from views.widgets.scaffold import screen

ERASE_WORD = {"da": "SLET", "en": "DELETE"}


@ft.component
def PassphraseSection(state: AppState) -> ft.Control:
    t = state.t
    old, set_old = ft.use_state("")
    new, set_new = ft.use_state("")
    repeat, set_repeat = ft.use_state("")
    message, set_message = ft.use_state("")
    ok = assess(new).acceptable and new == repeat and bool(old)

    async def change() -> None:
        if await state.change_passphrase(old, new):
            set_old("")
            set_new("")
            set_repeat("")
            set_message(t("settings.passphrase.changed"))
        else:
            set_message(t(f"error.{state.error_code}"))

    def field(key: str, label: str, value: str, setter: object) -> ft.Control:
        return PassphraseField(
            field_key=key,
            label=label,
            value=value,
            on_change=lambda e: setter(str(e.control.value or "")),  # type: ignore[operator]
        )

    return ft.Column(
        [
            ft.Text(t("settings.passphrase"), size=16, weight=ft.FontWeight.BOLD),
            field("old-passphrase", t("settings.passphrase.old"), old, set_old),
            field("changed-passphrase", t("settings.passphrase.new"), new, set_new),
            field("changed-repeat", t("vault.passphrase.repeat"), repeat, set_repeat),
            ft.Text(t("passphrase.rule", min=MIN_LENGTH), size=12),
            ft.FilledButton(
                t("settings.passphrase.button"),
                key="change-passphrase",
                disabled=not ok or state.busy,
                on_click=change,
            ),
            *([ft.Text(message, key="passphrase-message")] if message else []),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def DataSection(state: AppState) -> ft.Control:
    """Backup for a new phone (encrypted) and "all my data" (JSON, not encrypted)."""
    t = state.t
    secret, set_secret = ft.use_state("")
    message, set_message = ft.use_state("")
    own, set_own = ft.use_state(False)
    other, set_other = ft.use_state("")
    other_again, set_other_again = ft.use_state("")
    verdict = assess(other)
    other_ok = not own or (verdict.acceptable and other == other_again)

    async def backup() -> None:
        result = await state.backup(secret, other if own else "")
        if result is None:
            set_message(t(f"error.{state.error_code}"))
            return
        name, data = result
        await ft.FilePicker().save_file(file_name=name, src_bytes=data)
        set_secret("")
        set_other("")
        set_other_again("")
        set_message(t("settings.backup.done", name=name))

    async def export() -> None:
        name, data = state.data_export()
        await ft.FilePicker().save_file(file_name=name, src_bytes=data)
        set_message(t("settings.export.done", name=name))

    async def import_() -> None:
        chosen = await pick_one(t("settings.import.button"))
        if chosen is None:
            return  # the user closed the picker
        report = await state.import_data(chosen[1])
        if report is None:
            set_message(t(f"error.{state.error_code}"))
            return
        done = t("settings.import.done", added=report.added, unchanged=report.unchanged)
        if report.skipped:
            done += " " + t("settings.import.skipped", skipped=report.skipped)
        set_message(done)

    return ft.Column(
        [
            ft.Text(t("settings.backup"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.backup.help"), size=13),
            PassphraseField(
                field_key="backup-passphrase",
                label=t("settings.passphrase.old"),
                value=secret,
                on_change=lambda e: set_secret(str(e.control.value or "")),
            ),
            ft.Checkbox(
                key="backup-own-passphrase",
                label=t("settings.backup.own"),
                value=own,
                on_change=lambda e: set_own(bool(e.control.value)),
            ),
            *(
                [
                    PassphraseField(
                        field_key="backup-other",
                        label=t("settings.backup.other"),
                        value=other,
                        helper=t("passphrase.rule", min=MIN_LENGTH),
                        helper_max_lines=3,
                        error_max_lines=3,
                        on_change=lambda e: set_other(str(e.control.value or "")),
                    ),
                    PassphraseField(
                        field_key="backup-other-again",
                        label=t("settings.backup.other_again"),
                        value=other_again,
                        error_max_lines=3,
                        error=t("passphrase.mismatch")
                        if other_again and other != other_again
                        else None,
                        on_change=lambda e: set_other_again(str(e.control.value or "")),
                    ),
                ]
                if own
                else []
            ),
            ft.OutlinedButton(
                t("settings.backup.button"),
                icon=ft.Icons.BACKUP_OUTLINED,
                key="backup",
                disabled=not secret or not other_ok or state.busy,
                on_click=backup,
            ),
            ft.Text(t("settings.export"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.export.help"), size=13),
            ft.OutlinedButton(
                t("settings.export.button"),
                icon=ft.Icons.DOWNLOAD,
                key="export-data",
                on_click=export,
            ),
            ft.Text(t("settings.import"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.import.help"), size=13),
            ft.OutlinedButton(
                t("settings.import.button"),
                icon=ft.Icons.UPLOAD_FILE,
                key="import-data",
                disabled=state.busy,
                on_click=import_,
            ),
            *([ft.Text(message, key="data-message")] if message else []),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def EraseSection(state: AppState) -> ft.Control:
    t = state.t
    typed, set_typed = ft.use_state("")
    word = ERASE_WORD.get(state.language, "SLET")
    return ft.Column(
        [
            ft.Text(t("settings.erase"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.erase.help", word=word), size=13),
            own_node(
                ft.TextField(
                    key="erase-confirm",
                    label=t("settings.erase.type", word=word),
                    value=typed,
                    on_change=lambda e: set_typed(str(e.control.value or "")),
                )
            ),
            ft.FilledButton(
                t("settings.erase.button"),
                key="erase",
                icon=ft.Icons.DELETE_FOREVER,
                style=ft.ButtonStyle(bgcolor=ft.Colors.ERROR, color=ft.Colors.ON_ERROR),
                disabled=typed.strip() != word,
                on_click=state.erase_everything,
            ),
        ],
        spacing=10,
        horizontal_alignment=ft.CrossAxisAlignment.STRETCH,
    )


@ft.component
def SettingsView() -> ft.View:
    state = use_app_state()
    t = state.t
    minutes = state.preferences.load().auto_lock_minutes
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
            dropdown(
                "auto-lock",
                t("settings.auto_lock"),
                value=str(minutes),
                options=[(str(m), t("settings.auto_lock.minutes", n=m)) for m in AUTO_LOCK_CHOICES],
                on_select=lambda key: state.choose_auto_lock(int(key)),
            ),
            ft.Text(t("settings.lock.help"), size=13),
            ft.OutlinedButton(
                t("settings.lock"), icon=ft.Icons.LOCK, key="lock-now", on_click=state.lock
            ),
            ft.Divider(),
            PassphraseSection(state),
            ft.Divider(),
            ft.Text(t("vault.recovery.title"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.recovery.help"), size=13),
            ft.OutlinedButton(
                t("settings.recovery.button"),
                icon=ft.Icons.KEY,
                key="new-recovery-code",
                on_click=state.make_recovery_code,
            ),
            ft.Divider(),
            ft.Text(t("settings.notifications"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("reminders.no_notifications"), size=13),
            ft.Divider(),
            ft.Text(t("syncui.settings.heading"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("syncui.settings.help"), size=13),
            ft.OutlinedButton(
                t("syncui.targets.title"),
                icon=ft.Icons.CLOUD_UPLOAD_OUTLINED,
                key="open-sync-targets",
                on_click=lambda: ft.context.page.navigate(routes.SYNC_TARGETS),
            ),
            ft.OutlinedButton(
                t("syncui.outbox.title"),
                icon=ft.Icons.OUTBOX,
                key="open-outbox",
                on_click=lambda: ft.context.page.navigate(routes.OUTBOX),
            ),
            ft.Divider(),
            DataSection(state),
            ft.Divider(),
            EraseSection(state),
            ft.Divider(),
            ft.Text(t("settings.about"), size=16, weight=ft.FontWeight.BOLD),
            ft.Text(t("settings.about.text")),
        ],
        t=t,
        top_level=True,
        badge=state.reminder_counts.badge,
    )

"""The root component: the session state providers, the lock gate and the one route table."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import flet as ft

from mus.autolock import Limits, Presence
from mus.ports import PreferencesStore, VaultPort
from views.autolock import follow_lifecycle, follow_session, limits_for, subscribe_forget
from views.context import AppStateContext, EditorContext, use_app_state
from views.screens.check_in import CheckInView
from views.screens.conversations import ConversationsView, NewConversationView
from views.screens.damaged import DamagedVaultView
from views.screens.goal import GoalView
from views.screens.home import HomeView
from views.screens.lock import CreateVaultView, RecoveryCodeView, RestoreBackupView, UnlockView
from views.screens.not_found import NotFoundView
from views.screens.outbox import OutboxView
from views.screens.plan import PlanView
from views.screens.reminder import ReminderView
from views.screens.reminders import RemindersView
from views.screens.settings import SettingsView
from views.screens.step import GoalStrategyView, StepView
from views.screens.sync_targets import SyncTargetsView
from views.screens.wheel import WheelView
from views.state import AppState, Clock, EditorState, utc_now
from views.sync_state import SyncContext, SyncState, use_sync
from views.widgets.theme import FONTS, app_theme


def ROUTES() -> list[ft.Route]:
    """Nested routes become the view stack: back goes up one level."""
    return [
        ft.Route(
            path="/",
            component=HomeView,
            children=[
                ft.Route(
                    path="conversations",
                    component=ConversationsView,
                    children=[ft.Route(path="new", component=NewConversationView)],
                ),
                ft.Route(
                    path="wheel",
                    component=WheelView,
                    children=[
                        ft.Route(
                            path=":element",
                            component=StepView,
                            children=[
                                ft.Route(path="check-in", component=CheckInView),
                                ft.Route(
                                    path=":goal_id",
                                    component=GoalView,
                                    children=[
                                        ft.Route(path="strategy", component=GoalStrategyView)
                                    ],
                                ),
                            ],
                        )
                    ],
                ),
                ft.Route(path="plan", component=PlanView),
                ft.Route(
                    path="reminders",
                    component=RemindersView,
                    children=[
                        ft.Route(
                            path=":conversation/:reminder",
                            component=ReminderView,
                            children=[ft.Route(path="check-in", component=CheckInView)],
                        )
                    ],
                ),
                ft.Route(
                    path="settings",
                    component=SettingsView,
                    children=[
                        ft.Route(path="sync", component=SyncTargetsView),
                        ft.Route(path="outbox", component=OutboxView),
                    ],
                ),
                ft.Route(path=":unknown+", component=NotFoundView),
            ],
        )
    ]


@ft.component
def Gate() -> Any:
    """Nothing but the lock screens until the vault is open, whatever the address."""
    state = use_app_state()
    sync = use_sync()
    ft.use_effect(lambda: _follow_language(state.language), dependencies=[state.language])
    # Deliver the outbox while the vault is open (every minute, and after each export).
    ft.use_effect(partial(sync.follow_lock, state.unlocked), dependencies=[state.unlocked])
    restoring, set_restoring = ft.use_state(False)
    fresh, set_fresh = ft.use_state(False)
    if not state.unlocked:
        return [_door(state, restoring, set_restoring, fresh, set_fresh)]
    if state.recovery_code:
        return [RecoveryCodeView()]
    return ft.Router(ROUTES(), manage_views=True)


def _door(
    state: AppState,
    restoring: bool,
    set_restoring: Callable[[bool], None],
    fresh: bool,
    set_fresh: Callable[[bool], None],
) -> ft.View:
    """The lock screen that fits the folder: unlock, create or restore, or (vault
    files without their key file: damaged, never "no vault yet") the damaged
    vault's screen, whose ways on move the old files aside instead of deleting."""
    if state.vault.exists():
        return UnlockView()
    damaged = state.vault.keys_missing()
    if restoring:
        return RestoreBackupView(on_cancel=lambda: set_restoring(False), set_aside=damaged)
    if not damaged:
        return CreateVaultView(on_restore=lambda: set_restoring(True))
    if fresh:
        return CreateVaultView(set_aside=True, on_back=lambda: set_fresh(False))
    return DamagedVaultView(
        on_restore=lambda: set_restoring(True), on_fresh=lambda: set_fresh(True)
    )


@ft.component
def App(preferences: PreferencesStore, vault: VaultPort, clock: Clock, presence: Presence) -> Any:
    # Made once per session; screens subscribe to them through the contexts.
    sync = ft.use_memo(lambda: SyncState(vault=vault, clock=clock), dependencies=[])
    state = ft.use_memo(
        lambda: AppState(
            preferences=preferences,
            vault=vault,
            editor=EditorState(clock=clock),
            clock=clock,
            language=preferences.load().language,
            before_lock=sync.stop,
            presence=presence,
        ),
        dependencies=[],
    )
    ft.use_effect(partial(_follow_width, state), dependencies=[])
    # The vault is shared by every tab: when it locks anywhere, this tab forgets.
    ft.use_effect(lambda: subscribe_forget(vault, state.forget), dependencies=[])
    return AppStateContext(
        state, lambda: SyncContext(sync, lambda: EditorContext(state.editor, Gate))
    )


def _follow_width(state: AppState) -> None:
    """A tablet or a turned phone: screens keep a readable column (see ``screen``)."""
    page = ft.context.page

    def resized(e: ft.PageResizeEvent) -> None:
        if abs(e.width - state.width) >= 1:
            state.width = e.width

    state.width = float(page.width or 0)
    page.on_resize = resized


LOCALES = {"da": ft.Locale("da", "DK"), "en": ft.Locale("en", "GB")}


def _follow_language(language: str) -> None:
    """Flutter's own texts (back button, date picker) follow the chosen language."""
    page = ft.context.page
    page.locale_configuration = ft.LocaleConfiguration(
        supported_locales=list(LOCALES.values()), current_locale=LOCALES[language]
    )
    page.update()


def setup_page(
    page: ft.Page,
    preferences: PreferencesStore,
    vault: VaultPort,
    clock: Clock = utc_now,
    *,
    presence: Presence | None = None,
    limits: Callable[[], Limits] | None = None,
) -> None:
    """Configure the page once per session and render the app into it.

    ``presence`` is the process's one record of use (every tab shares the
    vault); a test that starts one session may leave it out.
    """
    presence = presence or Presence(clock())
    follow_session(page, presence, clock)
    follow_lifecycle(page, presence, vault, limits or partial(limits_for, preferences), clock)
    page.title = "Musling"
    page.fonts = FONTS
    page.theme = app_theme()
    page.render_views(App, preferences, vault, clock, presence)

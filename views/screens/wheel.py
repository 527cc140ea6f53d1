"""The MUS wheel of the current conversation: every step with its state."""

from __future__ import annotations

import flet as ft

from mus.i18n import Translator
from mus.wheel import PHASES, STRATEGY, Element, StepState, in_phase
from views import routes
from views.context import use_app_state, use_editor
from views.widgets.scaffold import screen
from views.widgets.theme import PHASE_COLOURS, STATE_ICONS
from views.widgets.wheel_graphic import WheelGraphic


def _open(element: Element) -> None:
    ft.context.page.navigate(routes.step(element))


def _tile(element: Element, state: StepState, t: Translator) -> ft.Control:
    """One row of the wheel; a screen reader hears "Udviklingsmål, Trin 6 · Ikke startet"."""
    colour = PHASE_COLOURS[element.phase]
    where = (
        t("wheel.centre") if element is STRATEGY else t("wheel.step_number", number=element.number)
    )
    return ft.ListTile(
        key=f"wheel-item-{element.id}",
        leading=ft.Semantics(
            exclude_semantics=True,
            content=ft.CircleAvatar(
                content=ft.Text("★" if element is STRATEGY else str(element.number)),
                bgcolor=colour,
                color=ft.Colors.WHITE,
            ),
        ),
        title=ft.Text(t(element.title_key)),
        subtitle=ft.Row(
            [
                ft.Icon(STATE_ICONS[state], size=16, color=colour),
                ft.Text(f"{where} · {t(f'state.{state}')}"),
            ],
            spacing=6,
        ),
        on_click=lambda: _open(element),
    )


@ft.component
def WheelView() -> ft.View:
    state = use_app_state()
    editor = use_editor()
    t = state.t
    if editor.record is None:
        return screen(
            routes.WHEEL,
            t("wheel.title"),
            [
                ft.Text(t("wheel.no_conversation"), key="wheel-empty"),
                ft.FilledButton(
                    t("home.start"),
                    icon=ft.Icons.ADD,
                    key="wheel-start",
                    on_click=lambda: ft.context.page.navigate(routes.NEW_CONVERSATION),
                ),
            ],
            t=t,
            top_level=True,
        )
    states = editor.states()
    c = editor.record.conversation
    sections: list[ft.Control] = [
        ft.Text(
            t("home.current", year=c.year, name=c.employee_name),
            size=16,
            weight=ft.FontWeight.BOLD,
            key="wheel-conversation",
        ),
        ft.Text(t("wheel.intro"), size=15),
        WheelGraphic(states, t, _open),
        ft.Text(
            t("wheel.centre"),
            size=14,
            weight=ft.FontWeight.BOLD,
            color=PHASE_COLOURS[STRATEGY.phase],
        ),
        _tile(STRATEGY, states[STRATEGY.id], t),
    ]
    for phase in PHASES:
        sections.append(
            ft.Text(
                t(f"phase.{phase}"), size=14, weight=ft.FontWeight.BOLD, color=PHASE_COLOURS[phase]
            )
        )
        sections.extend(_tile(e, states[e.id], t) for e in in_phase(phase))
    sections.insert(
        2,
        ft.OutlinedButton(
            t("plan.open"),
            icon=ft.Icons.DESCRIPTION_OUTLINED,
            key="wheel-plan",
            on_click=lambda: ft.context.page.navigate(routes.PLAN),
        ),
    )
    return screen(
        routes.WHEEL,
        t("wheel.title"),
        sections,
        t=t,
        top_level=True,
        badge=state.reminder_counts.badge,
    )

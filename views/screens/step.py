"""One element of the wheel: its title and purpose, done-tick, next and back.

The fields of each step come in their own modules (a later issue); this
screen is the frame they fill.
"""

from __future__ import annotations

import flet as ft

from mus.wheel import ELEMENTS, STRATEGY, Element, StepState, find, next_of, previous_of
from views import routes
from views.context import use_app_state
from views.screens.not_found import not_found_screen
from views.widgets.scaffold import screen
from views.widgets.theme import PAD, PHASE_COLOURS


@ft.component
def StepView() -> ft.View:
    element = find(ft.use_route_params().get("element", ""))
    if element is None:
        return not_found_screen(ft.use_route_location() or "/", use_app_state().t)
    return _step_screen(element)


def _step_screen(element: Element) -> ft.View:
    state = use_app_state()
    t = state.t
    ft.use_effect(lambda: state.visit_step(element.id), dependencies=[element.id])
    current = state.state_of(element.id)
    colour = PHASE_COLOURS[element.phase]
    title = t(element.title_key)
    nxt, prev = next_of(element), previous_of(element)
    heading = t(f"phase.{element.phase}")
    if element is not STRATEGY:
        number = t("step.number", number=element.number, total=len(ELEMENTS))
        heading = f"{heading} · {number}"

    def go(target: Element | None) -> None:
        ft.context.page.navigate(routes.step(target) if target else routes.WHEEL)

    nav_row = ft.Container(
        padding=ft.Padding.symmetric(horizontal=PAD, vertical=8),
        content=ft.Row(
            [
                ft.OutlinedButton(
                    t("nav.back"),
                    icon=ft.Icons.ARROW_BACK,
                    key="step-previous",
                    tooltip=t("nav.previous_step", title=t(prev.title_key)) if prev else None,
                    disabled=prev is None,
                    on_click=lambda: go(prev),
                ),
                ft.FilledButton(
                    t("nav.next") if nxt else t("nav.to_wheel"),
                    icon=ft.Icons.ARROW_FORWARD if nxt else ft.Icons.DONUT_LARGE,
                    key="step-next",
                    tooltip=t("nav.next_step", title=t(nxt.title_key)) if nxt else None,
                    on_click=lambda: go(nxt),
                ),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        ),
    )
    body: list[ft.Control] = [
        ft.Text(heading, size=14, weight=ft.FontWeight.BOLD, color=colour, key="step-heading"),
        ft.Text(title, size=24, weight=ft.FontWeight.BOLD, key="step-title"),
        ft.Text(t(element.purpose_key), size=16, key="step-purpose"),
        ft.Switch(
            label=t("step.mark_done"),
            key="step-done",
            value=current is StepState.DONE,
            on_change=lambda e: state.mark_step(element.id, bool(e.control.value)),
        ),
        ft.Text(t("step.content_later"), size=13, italic=True, color=ft.Colors.ON_SURFACE_VARIANT),
    ]
    return screen(routes.step(element), title, body, t=t, bottom=nav_row)

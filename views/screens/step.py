"""One element of the wheel: its purpose, its fields, and the way to the next.

Each element's fields live in their own module under ``views/steps``; this is
the frame they share (title, phase, saved-at, next and back).
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from mus.wheel import ELEMENTS, STRATEGY, Element, StepState, find, next_of, previous_of
from views import routes
from views.context import use_app_state, use_editor
from views.screens.not_found import not_found_screen
from views.steps import STEP_BODIES
from views.widgets.scaffold import screen
from views.widgets.theme import PAD, PHASE_COLOURS, STATE_ICONS


@ft.component
def StepView() -> ft.View:
    element = find(ft.use_route_params().get("element", ""))
    if element is None:
        return not_found_screen(ft.use_route_location() or "/", use_app_state().t)
    return _step_screen(element)


def _step_screen(element: Element) -> ft.View:
    state = use_app_state()
    editor = use_editor()
    t = state.t
    title = t(element.title_key)
    if editor.record is None:
        return screen(routes.step(element), title, [ft.Text(t("wheel.no_conversation"))], t=t)
    current = editor.state_of(element.id)
    colour = PHASE_COLOURS[element.phase]
    nxt, prev = next_of(element), previous_of(element)
    heading = t(f"phase.{element.phase}")
    if element is not STRATEGY:
        number = t("step.number", number=element.number, total=len(ELEMENTS))
        heading = f"{heading} · {number}"

    def go(target: Element | None) -> Callable[[], None]:
        return lambda: ft.context.page.navigate(routes.step(target) if target else routes.WHEEL)

    saved = (
        t("step.saved_at", time=editor.saved_at.astimezone().strftime("%H:%M:%S"))
        if editor.saved_at
        else t("step.autosave")
    )
    nav_row = ft.Container(
        padding=ft.Padding.symmetric(horizontal=PAD, vertical=8),
        content=ft.Row(
            [
                ft.OutlinedButton(
                    t("nav.back"),
                    icon=ft.Icons.ARROW_BACK,
                    key="step-previous",
                    disabled=prev is None,
                    on_click=go(prev),
                ),
                ft.FilledButton(
                    t("nav.next") if nxt else t("nav.to_wheel"),
                    icon=ft.Icons.ARROW_FORWARD if nxt else ft.Icons.DONUT_LARGE,
                    key="step-next",
                    on_click=go(nxt),
                ),
            ],
            alignment=ft.MainAxisAlignment.SPACE_BETWEEN,
        ),
    )
    body: list[ft.Control] = [
        ft.Text(heading, size=14, weight=ft.FontWeight.BOLD, color=colour, key="step-heading"),
        ft.Text(title, size=24, weight=ft.FontWeight.BOLD, key="step-title"),
        ft.Text(t(element.purpose_key), size=15, key="step-purpose"),
        ft.Row(
            [
                ft.Icon(STATE_ICONS[current], size=16, color=colour),
                ft.Text(t(f"state.{current}"), size=13, key="step-state"),
                ft.Text("·", size=13),
                ft.Text(saved, size=13, key="saved-at", color=ft.Colors.ON_SURFACE_VARIANT),
            ],
            spacing=6,
            wrap=True,
        ),
    ]
    if editor.error_code:
        body.append(
            ft.Text(t(f"error.{editor.error_code}"), color=ft.Colors.ERROR, key="save-error")
        )
    body.append(ft.Divider())
    body.append(STEP_BODIES[element.id]())
    if current is StepState.DONE and nxt is not None:
        body.append(ft.Text(t("step.done_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT))
    return screen(routes.step(element), title, body, t=t, bottom=nav_row)

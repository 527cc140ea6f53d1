"""One element of the wheel: its purpose, its fields, and the way to the next.

Each element's fields live in their own module under ``views/steps``; this is
the frame they share (title, phase, saved-at, the user's "done" switch, next
and back). The strategy can also be opened from inside a goal
(``/wheel/goals/<goal_id>/strategy``): then the way out leads back to that goal.
"""

from __future__ import annotations

from functools import partial

import flet as ft

from mus import plans
from mus.i18n import Translator
from mus.wheel import ELEMENTS, STRATEGY, Element, StepState, element, find, next_of, previous_of
from views import routes
from views.context import use_app_state, use_editor
from views.screens.not_found import not_found_screen
from views.state import EditorState
from views.steps import STEP_BODIES
from views.widgets.scaffold import screen
from views.widgets.theme import PAD, PHASE_COLOURS, STATE_ICONS

GOALS = element("goals")


@ft.component
def StepView() -> ft.View:
    element = find(ft.use_route_params().get("element", ""))
    if element is None:
        return not_found_screen(ft.use_route_location() or "/", use_app_state().t)
    return _step_screen(element)


@ft.component
def GoalStrategyView() -> ft.View:
    """The strategy, opened from a goal: back (arrow, gesture or button) returns to the goal."""
    params = ft.use_route_params()
    goal_id = params.get("goal_id", "")
    if params.get("element") != GOALS.id:
        return not_found_screen(ft.use_route_location() or "/", use_app_state().t)
    return _step_screen(STRATEGY, return_to_goal=goal_id)


def _navigate(target: str) -> None:
    ft.context.page.navigate(target)


def _nav_row(t: Translator, element: Element, return_to_goal: str | None) -> ft.Control:
    """Back and next through the wheel, or (opened from a goal) the one way back to it."""
    if return_to_goal is not None:
        buttons: list[ft.Control] = [
            ft.FilledButton(
                t("step.return_to_goal"),
                icon=ft.Icons.ARROW_BACK,
                key="step-return-to-goal",
                on_click=partial(_navigate, routes.goal(return_to_goal)),
            )
        ]
    else:
        nxt, prev = next_of(element), previous_of(element)
        buttons = [
            ft.OutlinedButton(
                t("nav.back"),
                icon=ft.Icons.ARROW_BACK,
                key="step-previous",
                disabled=prev is None,
                on_click=partial(_navigate, routes.step(prev) if prev else routes.WHEEL),
            ),
            ft.FilledButton(
                t("nav.next") if nxt else t("nav.to_wheel"),
                icon=ft.Icons.ARROW_FORWARD if nxt else ft.Icons.DONUT_LARGE,
                key="step-next",
                on_click=partial(_navigate, routes.step(nxt) if nxt else routes.WHEEL),
            ),
        ]
    return ft.Container(
        padding=ft.Padding.symmetric(horizontal=PAD, vertical=8),
        content=ft.Row(buttons, alignment=ft.MainAxisAlignment.SPACE_BETWEEN),
    )


def _done_switch(
    t: Translator, editor: EditorState, element: Element, current: StepState
) -> list[ft.Control]:
    """The user's own word that the step is done; what still blocks it, in words.

    The switch shows the step's state, so "on" always reads "Færdig" above it.
    """
    assert editor.record is not None
    done = current is StepState.DONE
    blockers = plans.step_errors(editor.record, element.id)

    def changed(e: ft.Event[ft.Switch]) -> None:
        editor.edit(partial(plans.mark_step, element_id=element.id, done=bool(e.control.value)))

    controls: list[ft.Control] = [
        ft.Divider(),
        ft.Switch(
            key="step-done",
            label=t("step.mark_done"),
            value=done,
            disabled=bool(blockers) and not done,
            on_change=changed,
        ),
    ]
    if blockers:
        texts = list(dict.fromkeys(t(p.key, **p.kwargs) for p in blockers))
        controls.append(
            ft.Text(
                t("step.done_blocked", problems=" ".join(texts)),
                key="step-done-blocked",
                size=13,
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        )
    elif not done:
        controls.append(
            ft.Text(
                t("step.done_help"),
                key="step-done-help",
                size=13,
                color=ft.Colors.ON_SURFACE_VARIANT,
            )
        )
    return controls


def _saved_text(t: Translator, editor: EditorState) -> str:
    if editor.saved_at is None:
        return t("step.autosave")
    return t("step.saved_at", time=editor.saved_at.astimezone().strftime("%H:%M:%S"))


def _step_screen(element: Element, *, return_to_goal: str | None = None) -> ft.View:
    state = use_app_state()
    editor = use_editor()
    t = state.t
    title = t(element.title_key)
    location = (
        routes.goal_strategy(return_to_goal) if return_to_goal is not None else routes.step(element)
    )
    if editor.record is None:
        return screen(location, title, [ft.Text(t("wheel.no_conversation"))], t=t)
    current = editor.state_of(element.id)
    colour = PHASE_COLOURS[element.phase]
    heading = t(f"phase.{element.phase}")
    if element is not STRATEGY:
        number = t("step.number", number=element.number, total=len(ELEMENTS))
        heading = f"{heading} · {number}"
    body: list[ft.Control] = [
        ft.Text(heading, size=14, weight=ft.FontWeight.BOLD, color=colour, key="step-heading"),
        ft.Text(title, size=24, weight=ft.FontWeight.BOLD, key="step-title"),
        ft.Text(t(element.purpose_key), size=15, key="step-purpose"),
        ft.Row(
            [
                ft.Icon(STATE_ICONS[current], size=16, color=colour),
                ft.Text(t(f"state.{current}"), size=13, key="step-state"),
                ft.Text("·", size=13),
                ft.Text(
                    _saved_text(t, editor),
                    size=13,
                    key="saved-at",
                    color=ft.Colors.ON_SURFACE_VARIANT,
                ),
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
    body += _done_switch(t, editor, element, current)
    if current is StepState.DONE and next_of(element) is not None and return_to_goal is None:
        body.append(ft.Text(t("step.done_hint"), size=13, color=ft.Colors.ON_SURFACE_VARIANT))
    return screen(location, title, body, t=t, bottom=_nav_row(t, element, return_to_goal))

"""The MUS wheel drawn as a ring of eight steps around the strategy centre."""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial

import flet as ft

from mus.i18n import Translator
from mus.wheel import ELEMENTS, STRATEGY, Element, StepState
from views.widgets.theme import PHASE_COLOURS

SIZE = 300
DOT = 62
CENTRE = 108
RADIUS = (SIZE - DOT) / 2


def _dot(
    element: Element, state: StepState, t: Translator, on_open: Callable[[], None]
) -> ft.Control:
    colour = PHASE_COLOURS[element.phase]
    done = state is StepState.DONE
    return ft.Container(
        key=f"wheel-dot-{element.id}",
        width=DOT,
        height=DOT,
        border_radius=DOT / 2,
        bgcolor=colour if done else ft.Colors.SURFACE,
        border=ft.Border.all(3, colour),
        alignment=ft.Alignment.CENTER,
        tooltip=t(element.title_key),
        on_click=lambda _: on_open(),
        content=ft.Text(
            str(element.number),
            size=22,
            weight=ft.FontWeight.BOLD,
            color=ft.Colors.ON_PRIMARY if done else colour,
        ),
    )


def WheelGraphic(
    states: dict[str, StepState], t: Translator, on_open: Callable[[Element], None]
) -> ft.Control:
    """A picture of the wheel; the list below it carries the readable labels."""
    children: list[ft.Control] = []
    for i, element in enumerate(ELEMENTS):
        angle = -math.pi / 2 + i * 2 * math.pi / len(ELEMENTS)
        left = SIZE / 2 + RADIUS * math.cos(angle) - DOT / 2
        top = SIZE / 2 + RADIUS * math.sin(angle) - DOT / 2
        children.append(
            ft.Container(
                left=left,
                top=top,
                content=_dot(
                    element,
                    states.get(element.id, StepState.NOT_STARTED),
                    t,
                    partial(on_open, element),
                ),
            )
        )
    centre_colour = PHASE_COLOURS[STRATEGY.phase]
    children.append(
        ft.Container(
            key="wheel-dot-strategy",
            left=(SIZE - CENTRE) / 2,
            top=(SIZE - CENTRE) / 2,
            width=CENTRE,
            height=CENTRE,
            border_radius=CENTRE / 2,
            bgcolor=ft.Colors.with_opacity(0.15, centre_colour),
            border=ft.Border.all(3, centre_colour),
            alignment=ft.Alignment.CENTER,
            on_click=lambda _: on_open(STRATEGY),
            content=ft.Text(
                t(STRATEGY.title_key),
                size=16,
                weight=ft.FontWeight.BOLD,
                text_align=ft.TextAlign.CENTER,
            ),
        )
    )
    # The list under the picture carries the same steps with full labels, so
    # screen readers hear the picture once, as a picture, not sixteen buttons.
    return ft.Container(
        alignment=ft.Alignment.CENTER,
        content=ft.Semantics(
            label=t("wheel.picture"),
            image=True,
            exclude_semantics=True,
            content=ft.Stack(children, width=SIZE, height=SIZE),
        ),
    )

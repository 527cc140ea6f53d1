"""Placeholder until the step's screen lands."""

from __future__ import annotations

import flet as ft

from views.context import use_t


@ft.component
def GoalsStep() -> ft.Control:
    return ft.Text(use_t()("step.content_later"))

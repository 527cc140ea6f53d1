"""Colours, sizes and the bundled font, in one place."""

from __future__ import annotations

import flet as ft

from mus.wheel import Phase, StepState

FONT_FAMILY = "DejaVu Sans"
FONTS = {
    FONT_FAMILY: "fonts/DejaVuSans.ttf",
    "DejaVu Sans Bold": "fonts/DejaVuSans-Bold.ttf",
}
SEED = ft.Colors.TEAL

PHASE_COLOURS: dict[Phase, str] = {
    Phase.CENTRE: ft.Colors.AMBER_700,
    Phase.BEFORE: ft.Colors.TEAL_600,
    Phase.DURING: ft.Colors.INDIGO_500,
    Phase.AFTER: ft.Colors.DEEP_ORANGE_600,
}

STATE_ICONS: dict[StepState, ft.IconData] = {
    StepState.NOT_STARTED: ft.Icons.RADIO_BUTTON_UNCHECKED,
    StepState.IN_PROGRESS: ft.Icons.PENDING_OUTLINED,
    StepState.DONE: ft.Icons.CHECK_CIRCLE,
}

PAD = 16


def app_theme() -> ft.Theme:
    return ft.Theme(color_scheme_seed=SEED, font_family=FONT_FAMILY)

"""Colours, sizes and the bundled font, in one place."""

from __future__ import annotations

import flet as ft

from mus.wheel import Phase, StepState

FONT_FAMILY = "DejaVu Sans"
EMOJI_FAMILY = "Twemoji Mozilla"
"""Colour emoji (COLR), bundled: Flutter's own fallback would fetch Noto from a CDN."""
FONTS = {
    FONT_FAMILY: "fonts/DejaVuSans.ttf",
    "DejaVu Sans Bold": "fonts/DejaVuSans-Bold.ttf",
    EMOJI_FAMILY: "fonts/TwemojiMozilla.ttf",
}
TEXT_ROLES = tuple(
    f"{size}_{scale}"
    for size in ("display", "headline", "title", "body", "label")
    for scale in ("large", "medium", "small")
)
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
    """Every text role falls back to the emoji font for glyphs DejaVu lacks."""
    fallback = ft.TextStyle(font_family=FONT_FAMILY, font_family_fallback=[EMOJI_FAMILY])
    text_theme = ft.TextTheme(**{role: fallback for role in TEXT_ROLES})
    return ft.Theme(
        color_scheme_seed=SEED,
        font_family=FONT_FAMILY,
        text_theme=text_theme,
        primary_text_theme=text_theme,
    )

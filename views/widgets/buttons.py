"""An icon button that a screen reader can name.

Flet puts a control's ``tooltip`` in a Tooltip *around* the button, so in the
browser the tooltip text names the nearest group above it (a card, the list)
and the button itself is announced as just "button". Merging the two gives one
node: a button whose name is the tooltip ("Slet kursusønsket"), which is also
what a browser test asks for with ``get_by_role("button", name=...)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import flet as ft


def icon_button(
    icon: ft.IconData,
    name: str,
    *,
    key: str,
    on_click: Callable[..., Any],
    disabled: bool = False,
) -> ft.Control:
    """An ``IconButton`` whose accessible name (and tooltip) is ``name``."""
    return ft.MergeSemantics(
        content=ft.IconButton(icon, key=key, tooltip=name, disabled=disabled, on_click=on_click)
    )


def info_button(icon: ft.IconData, text: str, *, key: str) -> ft.Control:
    """An icon that means a sentence ("Kan handle om personlige forhold …").

    A tooltip alone is read by a mouse pointer or a long press, never by a
    tap, and not by a screen reader: this button is named by the sentence and
    a tap shows it at the bottom of the screen.
    """

    def show() -> None:
        ft.context.page.show_dialog(ft.SnackBar(ft.Text(text)))

    return icon_button(icon, text, key=key, on_click=show)

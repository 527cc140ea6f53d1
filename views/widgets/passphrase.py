"""A passphrase field whose show/hide button a screen reader can name.

Flutter's own ``can_reveal_password`` eye is an unnamed button ("button", and
nothing else, to a screen reader); this one is ours: named "Vis …" or
"Skjul …" after what a tap will do, as phones' own password fields are.
"""

from __future__ import annotations

from typing import Any, Literal

import flet as ft

from views.context import use_t
from views.widgets.a11y import own_node
from views.widgets.buttons import icon_button
from views.widgets.typed import use_browser_text


@ft.component
def PassphraseField(
    *,
    field_key: str,
    secret: bool = True,
    kind: Literal["passphrase", "password"] = "passphrase",
    **field: Any,
) -> ft.Control:
    """A ``TextField`` (``field`` are its settings) hidden until the user shows it;
    ``secret=False`` for a text that need not be hidden (a recovery code);
    ``kind="password"`` names the button after a password (a PDF's, a server's)."""
    t = use_t()
    shown, set_shown = ft.use_state(False)
    field = use_browser_text(field)  # never an older text sent back while typing
    if not secret:
        return own_node(ft.TextField(key=field_key, **field))
    return own_node(
        ft.TextField(
            key=field_key,
            password=not shown,
            suffix_icon=icon_button(
                ft.Icons.VISIBILITY_OFF_OUTLINED if shown else ft.Icons.VISIBILITY_OUTLINED,
                t(f"{kind}.hide") if shown else t(f"{kind}.show"),
                key=f"{field_key}-reveal",
                on_click=lambda: set_shown(not shown),
            ),
            **field,
        )
    )

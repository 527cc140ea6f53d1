"""The frame every screen shares: AppBar, scrolling body, bottom navigation."""

from __future__ import annotations

from collections.abc import Sequence

import flet as ft

from mus.i18n import Translator
from views import routes
from views.context import use_app_state
from views.widgets.theme import PAD

MAX_COLUMN = 720
"""Widest a screen's text column gets (a tablet, a turned phone): lines stay readable."""

TITLE_CHARS = 24
"""Longest title shown at the AppBar's own size. Every title in the catalogs fits
one line at 390 px (tests/ui/test_words_ui.py measures them); a longer one, in a
language or a change not measured yet, gets two smaller lines, never an ellipsis."""

#: Top-level destinations of the bottom navigation bar, in order.
TOP_LEVEL: tuple[tuple[str, str, ft.IconData, ft.IconData], ...] = (
    (routes.HOME, "nav.home", ft.Icons.HOME_OUTLINED, ft.Icons.HOME),
    (routes.WHEEL, "nav.wheel", ft.Icons.DONUT_LARGE_OUTLINED, ft.Icons.DONUT_LARGE),
    (routes.REMINDERS, "nav.reminders", ft.Icons.NOTIFICATIONS_OUTLINED, ft.Icons.NOTIFICATIONS),
    (routes.SETTINGS, "nav.settings", ft.Icons.SETTINGS_OUTLINED, ft.Icons.SETTINGS),
)


def navigation_bar(t: Translator, current: str, badge: int = 0) -> ft.NavigationBar:
    paths = [path for path, *_ in TOP_LEVEL]

    def go(e: ft.Event[ft.NavigationBar]) -> None:
        target = paths[e.control.selected_index]
        if target != current:
            ft.context.page.navigate(target)

    return ft.NavigationBar(
        key="nav-bar",
        selected_index=paths.index(current) if current in paths else 0,
        destinations=[
            ft.NavigationBarDestination(
                icon=ft.Icon(
                    icon, badge=str(badge) if badge and path == routes.REMINDERS else None
                ),
                selected_icon=selected,
                label=t(label),
            )
            for path, label, icon, selected in TOP_LEVEL
        ],
        on_change=go,
    )


def app_bar_title(title: str) -> ft.Text:
    """The title, on one line; a long one on two lines at 18 px (the bar is 56 px high)."""
    if len(title) <= TITLE_CHARS:
        return ft.Text(title, key="screen-title", max_lines=1, overflow=ft.TextOverflow.ELLIPSIS)
    return ft.Text(
        title, key="screen-title", size=18, max_lines=2, overflow=ft.TextOverflow.ELLIPSIS
    )


def screen(
    route: str,
    title: str,
    body: Sequence[ft.Control],
    *,
    t: Translator,
    top_level: bool = False,
    bottom: ft.Control | None = None,
    badge: int = 0,
) -> ft.View:
    """One screen as a View of the router's stack.

    Top-level screens carry the bottom navigation; deeper screens get the
    AppBar's back arrow (Flutter adds it when the stack can pop). Showing a
    screen is not use: only the person's input keeps the vault open.
    """
    state = use_app_state()
    # The client keeps page.width current (also after a reload at a new size);
    # state.width, set on resize, makes the screens render again.
    width = float(ft.context.page.width or 0) or state.width
    side = max(PAD, (width - MAX_COLUMN) / 2)
    return ft.View(
        route=route,
        appbar=ft.AppBar(title=app_bar_title(title), center_title=False),
        navigation_bar=navigation_bar(t, route, badge) if top_level else None,
        padding=0,
        controls=[
            ft.SafeArea(
                expand=True,
                content=ft.Column(
                    [
                        ft.Container(
                            expand=True,
                            # Never said aloud: the screen's address for testing tools
                            # (``flt-semantics-identifier`` on the web, a resource id
                            # on Android), so a test knows this screen is the one shown.
                            content=ft.Semantics(
                                identifier=f"screen:{route}",
                                content=ft.ListView(
                                    # One key per address: a new screen at the same place
                                    # in the stack (the next step) is a new list that opens
                                    # at its top, not at the last screen's scroll offset.
                                    key=f"scroll:{route}",
                                    controls=list(body),
                                    padding=ft.Padding.symmetric(horizontal=side, vertical=PAD),
                                    spacing=12,
                                ),
                            ),
                        ),
                        *([bottom] if bottom is not None else []),
                    ],
                    spacing=0,
                    expand=True,
                ),
            )
        ],
    )

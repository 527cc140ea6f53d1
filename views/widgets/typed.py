"""A text field's text belongs to the browser while a person types in it.

A screen that keeps a field's text in its state (``value=text`` and
``on_change=set_text(...)``) re-renders on every key, and Flet sends ``value``
whenever it differs from what the browser last reported. On a busy machine
the rendered text is older than the browser's by the time it arrives, and the
browser replaces the newer text with it: letters vanish while typing (seen in
Chromium: tests/e2e/test_typing_under_load_e2e.py). Here a field's ``value``
is sent only when the screen means to change the text (its first render, a
field cleared after a wrong passphrase); otherwise it is ``None``, which Flet
reads as "keep what the browser has" (``TextField._migrate_state``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

import flet as ft

Handler = Callable[[ft.Event[ft.TextField]], Any]


def use_browser_text(settings: dict[str, Any]) -> dict[str, Any]:
    """``settings`` for a ``ft.TextField`` (its ``value`` and a one-argument
    ``on_change``, sync or async), with ``value`` left out (``None``) while it is
    the text the browser itself last sent. A hook: call it on every render."""
    heard: Any = ft.use_ref(None)
    value = settings.get("value")
    on_change: Handler | None = settings.get("on_change")

    def hear(e: ft.Event[ft.TextField]) -> None:
        heard.current = str(e.control.value or "")

    changed: Handler
    if on_change is not None and inspect.iscoroutinefunction(on_change):
        handler: Callable[[ft.Event[ft.TextField]], Awaitable[Any]] = on_change

        async def changed_async(e: ft.Event[ft.TextField]) -> None:
            hear(e)
            await handler(e)

        changed = changed_async
    else:

        def changed_sync(e: ft.Event[ft.TextField]) -> None:
            hear(e)
            if on_change is not None:
                on_change(e)

        changed = changed_sync
    sent_by_browser = heard.current is not None and value == heard.current
    return {**settings, "value": None if sent_by_browser else value, "on_change": changed}

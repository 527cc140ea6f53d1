"""Input fields that save as the user types, and say where something is wrong.

A note field's text belongs to the browser once it is shown: the server never
sends it back (a re-render would otherwise push an older text into a field
being typed in, and the browser would replace the newer one with it). What
each change event carries is saved after a short pause (debounced) and at once
when the field loses focus, so at most the last ``DEBOUNCE_S`` of typing is at
risk if the app is killed.

Text is stored exactly as it arrives in the field: nothing here trims,
capitalises or otherwise rewrites it (see :func:`keyboard_capitalization`).
The Tab key moves to the next field (Flutter's default, in one-line and
multi-line fields alike); a tab that arrives another way (pasted, or from an
input method) is stored like any other character, and a PDF shows it as one
space (``mus.agreement.clean_text``).

Each field and menu here is a node of its own in the accessibility tree
(:func:`own_node`), named by its label, or by ``name`` where the label alone
says too little (a note to a question is named by the question).
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any, TypeVar

import flet as ft

from mus.dates import format_date, parse_date, parse_time
from views.context import use_app_state, use_t
from views.widgets.a11y import own_node
from views.widgets.date_picker import calendar_button

DEBOUNCE_S = 0.4
WRAP_LINES = 8
"""Lines a one-paragraph field grows to before it scrolls inside."""

E = TypeVar("E", bound=enum.StrEnum)

_PHONES = (ft.PagePlatform.ANDROID, ft.PagePlatform.IOS)


def keyboard_capitalization(page: ft.Page) -> ft.TextCapitalization | None:
    """Sentence case as a keyboard hint in a phone build only; ``None`` everywhere else.

    On Android and iOS the setting only picks the keyboard's shift state, and
    the user can type a lower-case letter. In the browser (also a Pyodide web
    build) Flutter's web engine applies it to the text itself: "f.eks. sårpleje"
    became "F.Eks. Sårpleje" and a retyped lower-case letter came back capital.
    Every text field asks here; none sets ``capitalization`` itself.
    """
    if page.web or page.platform not in _PHONES:
        return None
    return ft.TextCapitalization.SENTENCES


@ft.component
def NoteField(
    field_key: str,
    label: str,
    value: str,
    on_save: Callable[[str], None],
    *,
    multiline: bool = True,
    hint: str | None = None,
    error: str | None = None,
    text_size: int | None = None,
    min_lines: int = 1,
    autofocus: bool = False,
    on_leave: Callable[[], None] | None = None,
    name: str | None = None,
) -> ft.Control:
    """``multiline=False``: one paragraph that wraps (never cut off), Enter adds no line.

    ``on_leave`` is told each time the field loses focus, typed in or not (a
    screen shows a field's errors only once the person has been there).
    ``name`` is said before the label by a screen reader (see :func:`own_node`).
    """
    # ``value`` goes into the field when it first appears; after that ``None``:
    # Flet then keeps the text the browser last sent (``TextField._migrate_state``)
    # and sends nothing. Sending our copy raced the typing: on a busy machine it
    # was older than the browser's text by the time it arrived, and replaced it
    # (tests/e2e/test_typing_under_load_e2e.py).
    first: Any = ft.use_ref(True)
    text: Any = value if first.current else None
    first.current = False
    latest: Any = ft.use_ref(value)
    pending: Any = ft.use_ref(None)

    def flush() -> None:
        task = pending.current
        pending.current = None
        if task is not None:
            task.cancel()
            on_save(latest.current)

    async def save_later() -> None:
        await asyncio.sleep(DEBOUNCE_S)
        pending.current = None
        on_save(latest.current)

    def changed(e: ft.Event[ft.TextField]) -> None:
        # The text this change carries, in the order typed (never a render's copy).
        latest.current = e.data if isinstance(e.data, str) else str(e.control.value or "")
        if pending.current is not None:
            pending.current.cancel()
        pending.current = asyncio.get_running_loop().create_task(save_later())

    def left() -> None:
        flush()
        if on_leave is not None:
            on_leave()

    ft.use_effect(lambda: None, dependencies=[], cleanup=flush)

    return own_node(
        ft.TextField(
            key=field_key,
            label=label,
            value=text,
            hint_text=hint,
            error_max_lines=3,
            error=error,
            # Not multiline: the keyboard's Enter finishes (no line break), and the
            # text still wraps onto more lines, so a long one is never cut off.
            multiline=multiline,
            min_lines=min_lines,
            max_lines=None if multiline else WRAP_LINES,
            text_size=text_size,
            autofocus=autofocus,
            capitalization=keyboard_capitalization(ft.context.page),
            on_change=changed,
            on_blur=left,
        ),
        name=name,
    )


@ft.component
def DateField(
    field_key: str,
    label: str,
    value: date | None,
    on_save: Callable[[date | None], None],
    *,
    error: str | None = None,
    earliest: date | None = None,
    latest: date | None = None,
) -> ft.Control:
    """A date typed as 24.11.2026, or picked with the calendar button at its end
    (``earliest``/``latest``: the days the picker offers); a wrong date is pointed
    out and kept as typed."""
    t = use_t()
    today = use_app_state().today()
    text, set_text = ft.use_state(format_date(value))
    bad, set_bad = ft.use_state(False)

    def commit(raw: str) -> None:
        try:
            parsed = parse_date(raw)
        except ValueError:
            set_bad(True)
            return
        set_bad(False)
        on_save(parsed)

    def changed(e: ft.Event[ft.TextField]) -> None:
        set_text(str(e.control.value or ""))

    def picked(day: date) -> None:
        """Saved as a typed date is, at once (the field was not left to save it)."""
        set_text(format_date(day))
        set_bad(False)
        on_save(day)

    try:
        shown = parse_date(text)  # the picker opens on what the field shows
    except ValueError:
        shown = value
    calendar = calendar_button(
        field_key, label, shown, picked, t=t, today=today, earliest=earliest, latest=latest
    )

    return own_node(
        ft.TextField(
            key=field_key,
            label=label,
            value=text,
            hint_text=t("field.date.hint"),
            error_max_lines=3,
            error=t("field.date.invalid") if bad else error,
            keyboard_type=ft.KeyboardType.DATETIME,
            suffix_icon=calendar,
            on_change=changed,
            on_blur=lambda e: commit(str(e.control.value or "")),
            on_submit=lambda e: commit(str(e.control.value or "")),
        )
    )


@ft.component
def TimeField(field_key: str, label: str, value: str, on_save: Callable[[str], None]) -> ft.Control:
    t = use_t()
    text, set_text = ft.use_state(value)
    bad, set_bad = ft.use_state(False)

    def commit(e: ft.Event[ft.TextField]) -> None:
        try:
            parsed = parse_time(str(e.control.value or ""))
        except ValueError:
            set_bad(True)
            return
        set_bad(False)
        on_save(parsed)

    return own_node(
        ft.TextField(
            key=field_key,
            label=label,
            value=text,
            hint_text=t("field.time.hint"),
            error_max_lines=3,
            error=t("field.conversation.meeting_time.invalid") if bad else None,
            keyboard_type=ft.KeyboardType.DATETIME,
            on_change=lambda e: set_text(str(e.control.value or "")),
            on_blur=commit,
            on_submit=commit,
        )
    )


@ft.component
def dropdown(
    field_key: str,
    label: str,
    *,
    value: str | None,
    options: Sequence[tuple[str, str]],
    on_select: Callable[[str], None],
) -> ft.Control:
    """A menu over ``options`` (key, text), said as its label and its current choice.

    Flet's ``Dropdown`` (Flutter's ``DropdownMenu``) is a nameless button to a
    screen reader on the web, without the label or the text shown in it; the
    node around it (:func:`own_node`) gives both. The choice is said as soon as
    it is made, also where the screen does not render again (settings): a pick
    stands until ``value`` changes. Fills the width it is given.
    """
    texts = dict(options)
    no_pick: tuple[str | None, str] | None = None
    picked, set_picked = ft.use_state(no_pick)
    shown = picked[1] if picked is not None and picked[0] == value else value

    def selected(e: ft.Event[ft.Dropdown]) -> None:
        key = str(e.control.value) if e.control.value is not None else None
        if key is not None and key in texts:
            set_picked((value, key))
            on_select(key)

    return own_node(
        ft.Dropdown(
            key=field_key,
            label=label,
            value=shown,
            options=[ft.DropdownOption(key=k, text=text) for k, text in options],
            on_select=selected,
            expand=True,
        ),
        name=label,
        value=texts.get(shown) if shown is not None else None,
    )


def choice_field(
    field_key: str,
    label: str,
    *,
    value: E | None,
    options: Sequence[E],
    on_select: Callable[[E], None],
    label_of: Callable[[E], str],
) -> ft.Control:
    """A :func:`dropdown` over an enum, labelled from the catalogs."""
    by_value = {o.value: o for o in options}
    return dropdown(
        field_key,
        label,
        value=value.value if value is not None else None,
        options=[(o.value, label_of(o)) for o in options],
        on_select=lambda key: on_select(by_value[key]),
    )

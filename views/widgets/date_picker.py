"""The calendar button at the end of every date field.

Typing a date stays the quick way (24.11.2026); the button opens Flutter's
date picker on the field's date (or today), in the app's language
(``page.locale_configuration``), within days that make sense for the field.
The chosen day is handed back exactly as a typed date would be saved.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import flet as ft

from mus.dates import picked_date, picker_bounds
from mus.i18n import Translator
from views.widgets.buttons import icon_button


def calendar_button(
    field_key: str,
    label: str,
    current: date | None,
    on_pick: Callable[[date], None],
    *,
    t: Translator,
    today: date,
    earliest: date | None = None,
    latest: date | None = None,
) -> ft.Control:
    """An icon button named after its field (``<field_key>-calendar``) that opens the picker.

    ``current`` is what the field holds now (typed, maybe not saved yet);
    ``earliest``/``latest`` are the field's own limits (see
    :func:`mus.dates.picker_bounds`). Nothing is saved when the picker is
    dismissed.
    """

    def chosen(e: ft.Event[ft.DatePicker]) -> None:
        value = e.data if e.data is not None else e.control.value
        if value is not None:
            on_pick(picked_date(value))

    def open_picker() -> None:
        first, last, opens = picker_bounds(today, current, earliest=earliest, latest=latest)
        ft.context.page.show_dialog(
            ft.DatePicker(
                key=f"{field_key}-picker",
                value=opens,
                first_date=first,
                last_date=last,
                current_date=today,
                help_text=label,
                on_change=chosen,
            )
        )

    return icon_button(
        ft.Icons.EVENT,
        t("field.date.pick", label=label),
        key=f"{field_key}-calendar",
        on_click=open_picker,
    )

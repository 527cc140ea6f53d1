"""The year of follow-up the employee owns: what is due now, what comes month by
month, and what is done or cancelled (greyed, and restorable)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace

import flet as ft

from mus import reminders
from mus.model import Conversation
from mus.reminders import EntryState, ReminderKind, YearEntry
from views import routes
from views.context import use_app_state
from views.state import AppState
from views.widgets.a11y import tile_and_button
from views.widgets.fields import TimeField, dropdown
from views.widgets.scaffold import screen

KIND_ICONS = {
    ReminderKind.SELF_REVIEW: ft.Icons.FACT_CHECK_OUTLINED,
    ReminderKind.MINI_MUS: ft.Icons.GROUPS_OUTLINED,
    ReminderKind.ACTIVITY_DEADLINE: ft.Icons.EVENT_OUTLINED,
    ReminderKind.ACTIVITY_FOLLOW_UP: ft.Icons.EVENT_REPEAT,
    ReminderKind.PREPARE_NEXT_MUS: ft.Icons.EDIT_CALENDAR_OUTLINED,
}
CLOSED_ICONS = {
    EntryState.DONE: ft.Icons.CHECK_CIRCLE_OUTLINE,
    EntryState.CANCELLED: ft.Icons.NOTIFICATIONS_OFF_OUTLINED,
    EntryState.STOPPED: ft.Icons.BLOCK,
}
#: Greyed, yet readable: Material's outline colour keeps about 4.5:1 on the surface.
GREYED = ft.Colors.OUTLINE
NBSP = "\u00a0"
#: Longest state text kept on one line ("Gjort 30. oktober 2026"); longer ones wrap.
KEEP_TOGETHER = 26


def tile_key(item: YearEntry) -> str:
    return f"reminder-{item.conversation_id}/{item.reminder.id}"


def _together(text: str) -> str:
    """A short phrase that should not break inside ("30. oktober 2026")."""
    return text.replace(" ", NBSP) if len(text) <= KEEP_TOGETHER else text


def reminder_tile(
    state: AppState,
    item: YearEntry,
    *,
    conversation: str = "",
    on_restore: Callable[[], None] | None = None,
) -> ft.Control:
    """One reminder: what it is, its day and where it stands (the tile is one node
    for a screen reader, its lines merged); tapping it opens it, and a done or
    cancelled one has a restore button of its own."""
    lang = state.language
    t = state.t
    r = item.reminder
    closed = item.closed
    day = reminders.format_day(r.on, lang)
    lines = [
        *([conversation] if conversation else []),
        *([t(reminders.kind_key(r.kind))] if r.kind in reminders.ACTIVITY_KINDS else []),
        # Done or cancelled: the day it was planned, and below it what became of it.
        ("\n" if closed else " · ").join(
            (_together(day), _together(reminders.state_text(item, lang)))
        ),
    ]

    def open_it() -> None:
        ft.context.page.navigate(routes.reminder(item.conversation_id, r.id))

    if closed:
        icon = ft.Icon(CLOSED_ICONS[item.state], color=GREYED)
    else:
        overdue = item.state is EntryState.OVERDUE
        icon = ft.Icon(
            KIND_ICONS.get(r.kind, ft.Icons.NOTIFICATIONS),
            color=ft.Colors.ERROR if overdue else ft.Colors.PRIMARY,
        )
    restore = None
    if on_restore is not None and item.restorable:
        label = "reminders.reopen" if item.state is EntryState.DONE else "reminders.restore"
        name = t(label, title=reminders.entry_name(r, lang))
        restore = ft.IconButton(
            # The icon's label names the button for a screen reader; a tooltip alone does not.
            icon=ft.Icon(ft.Icons.UNDO, semantics_label=name),
            tooltip=name,
            key=f"restore-{item.conversation_id}/{r.id}",
            on_click=on_restore,
        )
    struck = ft.TextStyle(decoration=ft.TextDecoration.LINE_THROUGH)
    tile = ft.ListTile(
        key=tile_key(item),
        leading=icon,
        title=ft.Text(
            reminders.entry_title(r, lang),
            color=GREYED if closed else None,
            style=struck if item.state is EntryState.CANCELLED else None,
        ),
        subtitle=ft.Text("\n".join(lines), color=GREYED if closed else None),
        is_three_line=len(lines) > 1,
        on_click=open_it,
    )
    if restore is None:
        return tile
    return tile_and_button(tile, restore)


def _names(conversations: tuple[Conversation, ...], t: Callable[..., str]) -> dict[str, str]:
    return {
        c.id: t("reminders.of_conversation", name=c.employee_name or "–", year=c.year)
        for c in conversations
    }


@ft.component
def RemindersView() -> ft.View:
    state = use_app_state()
    t = state.t
    ft.use_effect(state.refresh_reminders, dependencies=[])
    year = state.reminder_year()
    # Whose reminder it is matters only when there is more than one conversation.
    names = _names(state.conversations, t) if len(year.conversation_ids) > 1 else {}

    async def export_calendar() -> None:
        data = await asyncio.to_thread(state.calendar_file)
        await ft.FilePicker().save_file(file_name="musling-paamindelser.ics", src_bytes=data)

    def restore(item: YearEntry) -> None:
        title = reminders.entry_name(item.reminder, state.language)
        if state.restore_reminder(item.conversation_id, item.reminder.id):
            ft.context.page.show_dialog(ft.SnackBar(ft.Text(t("reminders.restored", title=title))))

    def tile(item: YearEntry) -> ft.Control:
        return reminder_tile(
            state,
            item,
            conversation=names.get(item.conversation_id, ""),
            on_restore=lambda: restore(item),
        )

    def heading(text: str, key: str) -> ft.Control:
        return ft.Text(text, size=17, weight=ft.FontWeight.BOLD, key=key)

    body: list[ft.Control] = [
        ft.Text(t("reminders.intro"), size=13, key="reminders-intro"),
        heading(t("reminders.due"), "reminders-now"),
        *([tile(e) for e in year.now] or [ft.Text(t("reminders.none_due"), key="no-due")]),
        heading(t("reminders.upcoming"), "reminders-coming"),
    ]
    for group in year.coming:
        month = reminders.format_month(group.month, state.language)
        body.append(
            ft.Text(
                month,
                size=15,
                weight=ft.FontWeight.W_600,
                color=ft.Colors.PRIMARY,
                key=f"month-{group.month:%Y-%m}",
            )
        )
        body.extend(tile(e) for e in group.entries)
    if not year.coming:
        body.append(ft.Text(t("reminders.none_upcoming"), key="no-coming"))
    if year.closed:
        body.append(heading(t("reminders.closed"), "reminders-closed"))
        body.extend(tile(e) for e in year.closed)
    body += [
        ft.Divider(),
        ft.Text(t("reminders.calendar.help"), size=13),
        ft.OutlinedButton(
            t("reminders.calendar.button"),
            icon=ft.Icons.CALENDAR_MONTH,
            key="export-ics",
            on_click=export_calendar,
        ),
        ft.Text(t("reminders.no_notifications"), size=13, color=ft.Colors.ON_SURFACE_VARIANT),
        *_settings_section(state),
    ]
    return screen(
        routes.REMINDERS,
        t("reminders.title"),
        body,
        t=t,
        top_level=True,
        badge=state.reminder_counts.badge,
    )


DAYS_BEFORE_CHOICES = (1, 3, 7, 14, 30)


def _settings_section(state: AppState) -> list[ft.Control]:
    """The numbers behind the open conversation's schedule, when it has one."""
    t = state.t
    record = state.editor.record
    schedule = state.schedule(record.id) if record is not None else None
    if record is None or schedule is None:
        return []
    settings = schedule.settings
    conversation_id = record.id

    def days_chosen(key: str) -> None:
        state.change_schedule_settings(
            conversation_id, replace(settings, days_before_deadline=int(key))
        )

    def time_chosen(time: str) -> None:
        state.change_schedule_settings(conversation_id, replace(settings, time_of_day=time))

    days = sorted({*DAYS_BEFORE_CHOICES, settings.days_before_deadline})
    return [
        ft.Divider(),
        ft.Text(t("reminders.settings"), size=17, weight=ft.FontWeight.BOLD),
        ft.Text(
            t("reminders.settings.help", name=record.conversation.employee_name or "–"), size=13
        ),
        dropdown(
            "settings-days-before",
            t("reminders.settings.days_before"),
            value=str(settings.days_before_deadline),
            options=[(str(d), t("reminders.settings.days", days=d)) for d in days],
            on_select=days_chosen,
        ),
        TimeField("settings-time", t("reminders.settings.time"), settings.time_of_day, time_chosen),
    ]

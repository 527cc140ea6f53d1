"""What is due, overdue and coming: the follow-up rhythm the employee owns."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import flet as ft

from mus import reminders
from mus.reminders import DueReminder, ReminderKind
from views import routes
from views.context import use_app_state
from views.state import AppState
from views.widgets.fields import TimeField
from views.widgets.scaffold import screen

KIND_ICONS = {
    ReminderKind.SELF_REVIEW: ft.Icons.FACT_CHECK_OUTLINED,
    ReminderKind.MINI_MUS: ft.Icons.GROUPS_OUTLINED,
    ReminderKind.ACTIVITY_DEADLINE: ft.Icons.EVENT_OUTLINED,
    ReminderKind.ACTIVITY_FOLLOW_UP: ft.Icons.EVENT_REPEAT,
    ReminderKind.PREPARE_NEXT_MUS: ft.Icons.EDIT_CALENDAR_OUTLINED,
}


def reminder_tile(state: AppState, item: DueReminder) -> ft.Control:
    """One reminder; tapping it opens the conversation where it is done."""
    lang = state.language
    text = reminders.reminder_text(item.reminder, lang)
    when = reminders.relative_day(item, lang)

    def open_it() -> None:
        ft.context.page.navigate(routes.reminder(item.conversation_id, item.reminder.id))

    return ft.ListTile(
        key=f"reminder-{item.reminder.id}",
        leading=ft.Icon(
            KIND_ICONS.get(item.reminder.kind, ft.Icons.NOTIFICATIONS),
            color=ft.Colors.ERROR if item.overdue else ft.Colors.PRIMARY,
        ),
        title=ft.Text(text.title),
        subtitle=ft.Text(f"{when} · {text.when}"),
        on_click=open_it,
    )


@ft.component
def RemindersView() -> ft.View:
    state = use_app_state()
    t = state.t
    ft.use_effect(state.refresh_reminders, dependencies=[])

    async def export_calendar() -> None:
        data = await asyncio.to_thread(state.calendar_file)
        await ft.FilePicker().save_file(file_name="musling-paamindelser.ics", src_bytes=data)

    body: list[ft.Control] = [
        ft.Text(t("reminders.due"), size=17, weight=ft.FontWeight.BOLD),
        *(
            [reminder_tile(state, d) for d in state.due_reminders]
            or [ft.Text(t("reminders.none_due"), key="no-due")]
        ),
        ft.Text(t("reminders.upcoming"), size=17, weight=ft.FontWeight.BOLD),
        *(
            [reminder_tile(state, d) for d in state.upcoming_reminders]
            or [ft.Text(t("reminders.none_upcoming"))]
        ),
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

    def days_chosen(e: ft.Event[ft.Dropdown]) -> None:
        days = int(str(e.control.value))
        state.change_schedule_settings(
            conversation_id, replace(settings, days_before_deadline=days)
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
        ft.Dropdown(
            key="settings-days-before",
            label=t("reminders.settings.days_before"),
            value=str(settings.days_before_deadline),
            options=[
                ft.DropdownOption(key=str(d), text=t("reminders.settings.days", days=d))
                for d in days
            ],
            on_select=days_chosen,
        ),
        TimeField("settings-time", t("reminders.settings.time"), settings.time_of_day, time_chosen),
    ]

"""One reminder of the follow-up schedule: do it, move it, snooze it, or drop it.

The schedule is the app's proposal (``mus.reminders.propose_schedule``); here
the employee makes it their own. A date or time set here is pinned: later
edits of the plan leave it where the user put it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from urllib.parse import unquote

import flet as ft

from mus import reminders
from mus.i18n import Translator
from mus.reminders import PlannedReminder, ReminderKind, Schedule, YearEntry
from views import routes
from views.context import use_app_state
from views.state import AppState
from views.widgets.fields import DateField, TimeField
from views.widgets.scaffold import screen


def status_text(t: Translator, r: PlannedReminder, language: str, today: date) -> str:
    """Where the reminder stands, in words (as in the year's list when it is closed)."""
    entry = YearEntry("", r, today)
    if entry.closed:
        return reminders.state_text(entry, language)
    if r.snoozed_until is not None and r.snoozed_until > r.due:
        return t("reminder.detail.snoozed", day=reminders.format_day(r.snoozed_until, language))
    return t("reminder.detail.open")


@ft.component
def ReminderView() -> ft.View:
    params = ft.use_route_params()
    state = use_app_state()
    t = state.t
    conversation_id = unquote(params.get("conversation", ""))
    reminder_id = unquote(params.get("reminder", ""))
    location = routes.reminder(conversation_id, reminder_id)
    # As the record says it stands: a check-in may have done it since the last save.
    schedule = state.settled_schedule(conversation_id) if state.unlocked else None
    r = schedule.reminder(reminder_id) if schedule is not None else None
    if schedule is None or r is None:
        body: list[ft.Control] = [ft.Text(t("reminder.detail.missing"), key="reminder-missing")]
        return screen(location, t("reminders.title"), body, t=t)

    today = state.today()

    def act(edit: Callable[[Schedule], Schedule]) -> None:
        state.change_schedule(conversation_id, edit)

    def restore() -> None:
        state.restore_reminder(conversation_id, reminder_id)

    def open_follow_up() -> None:
        state.open_conversation(conversation_id)
        ft.context.page.navigate(routes.reminder_check_in(conversation_id, reminder_id))

    async def add_to_calendar() -> None:
        data = await asyncio.to_thread(state.reminder_calendar_file, conversation_id, reminder_id)
        if data is not None:
            name = f"musling-{r.kind.value}-{r.on.isoformat()}.ics"
            await ft.FilePicker().save_file(file_name=name, src_bytes=data)

    text = reminders.reminder_text(r, state.language, activity_chars=0)  # the whole text here
    body = [
        ft.Text(
            t(reminders.kind_key(r.kind)), size=13, color=ft.Colors.PRIMARY, key="reminder-kind"
        ),
        ft.Text(text.title, size=20, weight=ft.FontWeight.BOLD, key="reminder-title"),
        ft.Text(
            t("reminder.detail.when", day=text.when, time=r.time), key="reminder-when", size=15
        ),
        ft.Text(status_text(t, r, state.language, today), key="reminder-status", size=15),
        ft.Text(text.body, size=14),
        *_actions(state, r, today, act=act, restore=restore, open_follow_up=open_follow_up),
        ft.Divider(),
        ft.Text(t("reminder.detail.move"), size=16, weight=ft.FontWeight.BOLD),
        ft.Text(t("reminder.detail.move_help"), size=13),
        ft.Row(
            [
                ft.Container(
                    expand=3,
                    content=DateField(
                        "reminder-date",
                        t("reminder.detail.date"),
                        r.due,
                        lambda day: act(partial(_moved, reminder_id, day)),
                        earliest=today,  # a reminder is moved ahead, not into the past
                    ),
                ),
                ft.Container(
                    expand=2,
                    content=TimeField(
                        "reminder-time",
                        t("reminder.detail.time"),
                        r.time,
                        lambda time: act(partial(_timed, reminder_id, time)),
                    ),
                ),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
        *(
            [ft.Text(t("reminder.detail.pinned"), size=13, key="reminder-pinned")]
            if r.pinned
            else []
        ),
        ft.Divider(),
        ft.OutlinedButton(
            t("reminder.detail.calendar"),
            icon=ft.Icons.EVENT_AVAILABLE,
            key="reminder-ics",
            on_click=add_to_calendar,
        ),
        *(
            []
            if r.cancelled  # its restore button is up by its status
            else [
                ft.TextButton(
                    t("reminder.detail.cancel"),
                    icon=ft.Icons.NOTIFICATIONS_OFF_OUTLINED,
                    key="reminder-cancel",
                    on_click=lambda: act(partial(_cancelled, reminder_id, True)),
                )
            ]
        ),
    ]
    return screen(location, t("reminders.title"), body, t=t)


def _actions(
    state: AppState,
    r: PlannedReminder,
    today: date,
    *,
    act: Callable[[Callable[[Schedule], Schedule]], None],
    restore: Callable[[], None],
    open_follow_up: Callable[[], None],
) -> list[ft.Control]:
    """Do it now, done, snooze: what an open reminder offers; reopen a done one,
    restore a cancelled one."""
    t = state.t
    if r.cancelled:
        return [
            ft.OutlinedButton(
                t("reminder.detail.restore"),
                icon=ft.Icons.UNDO,
                key="reminder-restore",
                on_click=restore,
            )
        ]
    if r.stopped is not None:
        return []
    if r.done_on is not None:
        return [
            ft.OutlinedButton(
                t("reminder.detail.reopen"),
                icon=ft.Icons.REPLAY,
                key="reminder-reopen",
                on_click=restore,
            )
        ]
    mini = r.kind is ReminderKind.MINI_MUS
    return [
        ft.FilledButton(
            t("reminder.detail.do_it_mini") if mini else t("reminder.detail.do_it"),
            icon=ft.Icons.GROUPS_OUTLINED if mini else ft.Icons.FACT_CHECK_OUTLINED,
            key="reminder-do",
            on_click=open_follow_up,
        ),
        ft.OutlinedButton(
            t("reminder.detail.mark_done"),
            icon=ft.Icons.CHECK,
            key="reminder-done",
            on_click=lambda: act(partial(reminders.mark_done, reminder_id=r.id, on=today)),
        ),
        ft.Row(
            [
                ft.TextButton(
                    t("reminder.detail.snooze_day"),
                    icon=ft.Icons.SNOOZE,
                    key="reminder-snooze-day",
                    on_click=lambda: act(_snoozed(r.id, today + timedelta(days=1))),
                ),
                ft.TextButton(
                    t("reminder.detail.snooze_week"),
                    icon=ft.Icons.SNOOZE,
                    key="reminder-snooze-week",
                    on_click=lambda: act(_snoozed(r.id, today + timedelta(days=7))),
                ),
            ],
            wrap=True,
        ),
    ]


def _snoozed(reminder_id: str, until: date) -> Callable[[Schedule], Schedule]:
    return partial(reminders.snooze, reminder_id=reminder_id, until=until)


def _moved(reminder_id: str, day: date | None, schedule: Schedule) -> Schedule:
    if day is None:
        return schedule  # an emptied date field: keep the date it had
    return reminders.edit_schedule(schedule, reminder_id, due=day)


def _timed(reminder_id: str, time: str, schedule: Schedule) -> Schedule:
    return reminders.edit_schedule(schedule, reminder_id, time_of_day=time)


def _cancelled(reminder_id: str, cancelled: bool, schedule: Schedule) -> Schedule:
    return reminders.edit_schedule(schedule, reminder_id, cancelled=cancelled)

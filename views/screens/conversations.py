"""Every conversation in the vault, and starting this year's."""

from __future__ import annotations

from datetime import date

import flet as ft

from mus.dates import format_date, parse_date, parse_time
from views import routes
from views.context import use_app_state
from views.widgets.a11y import tile_and_button
from views.widgets.buttons import icon_button
from views.widgets.date_picker import calendar_button
from views.widgets.fields import WRAP_LINES
from views.widgets.scaffold import screen
from views.widgets.typed import use_browser_text


@ft.component
def ConversationsView() -> ft.View:
    state = use_app_state()
    t = state.t
    page = ft.context.page

    confirm_id, set_confirm_id = ft.use_state("")

    def open_it(conversation_id: str) -> None:
        state.open_conversation(conversation_id)
        page.navigate(routes.WHEEL)

    def delete_it(conversation_id: str) -> None:
        set_confirm_id("")
        removed = state.delete_conversation(conversation_id)
        if removed is None:
            return
        page.show_dialog(
            ft.SnackBar(
                ft.Text(t("conversations.deleted")),
                action=t("action.undo"),
                on_action=lambda: state.restore_conversation(removed),
                duration=ft.Duration(seconds=8),
            )
        )

    tiles: list[ft.Control] = []
    for c in state.conversations:
        when = format_date(c.meeting_date) if c.meeting_date else str(c.year)
        subtitle = f"{when} · {c.leader_name}" if c.leader_name else when
        if c.example:
            subtitle = f"{subtitle} · {t('conversations.example_badge')}"
        tiles.append(
            tile_and_button(
                ft.ListTile(
                    key=f"conversation-{c.id}",
                    leading=ft.Icon(
                        ft.Icons.SCIENCE_OUTLINED if c.example else ft.Icons.FORUM_OUTLINED
                    ),
                    title=ft.Text(f"MUS {c.year} – {c.employee_name}"),
                    subtitle=ft.Text(subtitle),
                    selected=state.editor.record is not None and state.editor.record.id == c.id,
                    on_click=lambda _, cid=c.id: open_it(cid),
                ),
                icon_button(
                    ft.Icons.DELETE_OUTLINE,
                    t("conversations.delete"),
                    key=f"delete-{c.id}",
                    on_click=lambda _, cid=c.id: set_confirm_id(cid),
                ),
            )
        )
    dialog = ft.AlertDialog(
        modal=True,
        open=bool(confirm_id),
        title=ft.Text(t("conversations.delete_confirm.title")),
        content=ft.Text(t("conversations.delete_confirm.text")),
        actions=[
            ft.TextButton(
                t("action.cancel"), key="cancel-delete", on_click=lambda: set_confirm_id("")
            ),
            ft.FilledButton(
                t("action.delete"),
                key="confirm-delete",
                on_click=lambda: delete_it(confirm_id),
            ),
        ],
        on_dismiss=lambda: set_confirm_id(""),
    )
    ft.use_dialog(dialog if confirm_id else None)
    body: list[ft.Control] = [
        ft.FilledButton(
            t("conversations.new"),
            icon=ft.Icons.ADD,
            key="new-conversation",
            on_click=lambda: page.navigate(routes.NEW_CONVERSATION),
        ),
        *(tiles or [ft.Text(t("conversations.none"), key="no-conversations")]),
    ]
    return screen(routes.CONVERSATIONS, t("conversations.title"), body, t=t)


@ft.component
def NewConversationView() -> ft.View:
    state = use_app_state()
    t = state.t
    page = ft.context.page
    previous = [c for c in state.conversations if not c.example]
    last = previous[0] if previous else None
    employee, set_employee = ft.use_state(last.employee_name if last else "")
    leader, set_leader = ft.use_state(last.leader_name if last else "")
    unit, set_unit = ft.use_state(last.unit if last else "")
    when, set_when = ft.use_state("")
    time, set_time = ft.use_state("")
    place, set_place = ft.use_state("")
    carry, set_carry = ft.use_state(last is not None)
    tried, set_tried = ft.use_state(False)

    def problem(ok: bool, key: str) -> str | None:
        return None if ok or not tried else t(key)

    meeting_date: date | None = None
    date_ok = True
    try:
        meeting_date = parse_date(when)
    except ValueError:
        date_ok = False
    time_ok = True
    try:
        parse_time(time)
    except ValueError:
        time_ok = False

    def start() -> None:
        set_tried(True)
        if not (employee.strip() and leader.strip() and date_ok and time_ok):
            return
        # Stored as typed: a blank name is refused, but nothing is trimmed or re-cased.
        state.start_conversation(
            employee_name=employee,
            leader_name=leader,
            unit=unit,
            meeting_date=meeting_date,
            meeting_time=parse_time(time),
            meeting_place=place,
            carry_forward_from=last.id if (carry and last) else None,
        )
        page.navigate(routes.WHEEL)

    def field(key: str, label: str, value: str, setter: object, **kw: object) -> ft.TextField:
        # A hook, called once per field on every render, always in the same order:
        # what the browser typed is never overwritten by an older text.
        typed = use_browser_text(
            {"value": value, "on_change": lambda e: setter(str(e.control.value or ""))}  # type: ignore[operator]
        )
        return ft.TextField(
            key=key,
            label=label,
            error_max_lines=3,
            # One paragraph: a long unit or place wraps instead of being cut off.
            min_lines=1,
            max_lines=WRAP_LINES,
            **typed,
            **kw,  # type: ignore[arg-type]
        )

    body: list[ft.Control] = [
        ft.Text(t("new.intro")),
        field("employee-name", t("new.employee"), employee, set_employee,
              error=problem(bool(employee.strip()), "field.conversation.employee_name.required")),
        field("leader-name", t("new.leader"), leader, set_leader,
              error=problem(bool(leader.strip()), "field.conversation.leader_name.required")),
        field("unit", t("new.unit"), unit, set_unit),
        field("meeting-date", t("new.date"), when, set_when, hint_text=t("field.date.hint"),
              error=None if date_ok else t("field.date.invalid"),
              keyboard_type=ft.KeyboardType.DATETIME,
              suffix_icon=calendar_button("meeting-date", t("new.date"), meeting_date,
                                          lambda day: set_when(format_date(day)),
                                          t=t, today=state.today())),
        field("meeting-time", t("new.time"), time, set_time, hint_text=t("field.time.hint"),
              error=None if time_ok else t("field.conversation.meeting_time.invalid")),
        field("meeting-place", t("new.place"), place, set_place),
    ]  # fmt: skip
    if last is not None:
        body.append(
            ft.Switch(
                key="carry-forward",
                label=t("new.carry_forward", year=last.year),
                value=carry,
                on_change=lambda e: set_carry(bool(e.control.value)),
            )
        )
    body.append(
        ft.FilledButton(t("new.start"), icon=ft.Icons.PLAY_ARROW, key="start", on_click=start)
    )
    return screen(routes.NEW_CONVERSATION, t("new.title"), body, t=t)

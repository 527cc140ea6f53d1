"""The self-review (or a mini-MUS): a card per goal and activity, one Save.

Reached from the follow-up step (``/wheel/follow_up/check-in``). What is typed
stays a draft on this screen until Save, so half a review never counts as a
check-in; the fields write into the draft on every keystroke (no debounce),
so a tap on Save right after typing loses nothing. Statuses start at each
item's latest status: a review that changes nothing is still a dated record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import partial
from typing import Any
from urllib.parse import unquote

import flet as ft

from mus import plans
from mus.dates import format_date, parse_date
from mus.i18n import Translator
from mus.model import (
    CheckIn,
    CheckInItem,
    CheckInTarget,
    ConversationRecord,
    ItemStatus,
    MiniMus,
    enum_key,
)
from mus.reminders import ReminderKind, today_in_copenhagen
from views import routes
from views.context import use_app_state, use_editor
from views.screens.not_found import not_found_screen
from views.steps.s8_follow_up import (
    FOLLOW_UP,
    activity_title,
    goal_title,
)
from views.widgets.a11y import own_node
from views.widgets.date_picker import calendar_button
from views.widgets.fields import choice_field, keyboard_capitalization
from views.widgets.scaffold import screen
from views.widgets.theme import PAD

#: Statuses after which "what was learned, how is it used" are worth asking.
ASK_LEARNED: frozenset[ItemStatus] = frozenset(
    {ItemStatus.UNDER_WAY, ItemStatus.DONE, ItemStatus.CHANGED}
)

ItemKey = tuple[CheckInTarget, str]


@dataclass
class Draft:
    """The review being filled in; plain and mutable, kept in a ref on this screen."""

    items: dict[ItemKey, CheckInItem]
    on_text: str
    note: str = ""
    mini: bool = False
    new_initiatives: str = ""
    next_text: str = ""
    tried: bool = False

    @classmethod
    def of(cls, record: ConversationRecord, today: date) -> Draft:
        items: dict[ItemKey, CheckInItem] = {}
        for goal in record.goals:
            key = (CheckInTarget.GOAL, goal.id)
            items[key] = CheckInItem(*key, plans.goal_status(record, goal.id))
            for activity in record.activities_for(goal.id):
                key = (CheckInTarget.ACTIVITY, activity.id)
                items[key] = CheckInItem(*key, plans.activity_status(record, activity.id))
        return cls(items=items, on_text=format_date(today))

    def set_item(self, key: ItemKey, name: str, value: Any) -> None:
        self.items[key] = replace(self.items[key], **{name: value})

    def day(self) -> date | None:
        try:
            return parse_date(self.on_text)
        except ValueError:
            return None

    def next_day(self) -> tuple[bool, date | None]:
        try:
            return True, parse_date(self.next_text)
        except ValueError:
            return False, None


def _item_id(key: ItemKey) -> str:
    return f"{key[0]}-{key[1]}"


def _field(
    key: str,
    label: str,
    value: str,
    on_text: Callable[[ft.Event[ft.TextField]], None],
    *,
    hint: str | None = None,
) -> ft.Control:
    return own_node(
        ft.TextField(
            key=key,
            label=label,
            value=value,
            hint_text=hint,
            multiline=True,
            min_lines=1,
            capitalization=keyboard_capitalization(ft.context.page),
            on_change=on_text,
        )
    )


def _text_of(e: ft.Event[ft.TextField]) -> str:
    return str(e.control.value or "")


def _item_card(
    t: Translator,
    record: ConversationRecord,
    item: CheckInItem,
    draft: Draft,
    refresh: Callable[[], None],
) -> ft.Control:
    key: ItemKey = (item.target, item.target_id)
    ident = _item_id(key)

    def set_text(name: str, e: ft.Event[ft.TextField]) -> None:
        draft.set_item(key, name, _text_of(e))

    def set_status(status: ItemStatus) -> None:
        draft.set_item(key, "status", status)
        refresh()

    if item.target is CheckInTarget.GOAL:
        goal = record.goal(item.target_id)
        assert goal is not None
        label, title = t(enum_key(goal.kind)), goal_title(t, goal)
    else:
        activity = record.activity(item.target_id)
        assert activity is not None
        label = t("check_in.activity_of", kind=t(enum_key(activity.kind)))
        title = activity_title(t, activity)
    lines: list[ft.Control] = [
        ft.Text(label, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(
            title,
            size=16 if item.target is CheckInTarget.GOAL else 15,
            weight=ft.FontWeight.BOLD,
            max_lines=4,
            overflow=ft.TextOverflow.ELLIPSIS,
        ),
        ft.Row(
            [
                choice_field(
                    f"check-in-status-{ident}",
                    t("check_in.status"),
                    value=item.status,
                    options=list(ItemStatus),
                    on_select=set_status,
                    label_of=lambda s: t(enum_key(s)),
                )
            ]
        ),
        _field(
            f"check-in-note-{ident}",
            t("check_in.note"),
            item.note,
            partial(set_text, "note"),
            hint=t("check_in.note.hint"),
        ),
    ]
    if item.target is CheckInTarget.ACTIVITY and item.status in ASK_LEARNED:
        lines += [
            _field(
                f"check-in-learned-{ident}",
                t("check_in.learned"),
                item.learned,
                partial(set_text, "learned"),
            ),
            _field(
                f"check-in-used-{ident}",
                t("check_in.used_how"),
                item.used_how,
                partial(set_text, "used_how"),
            ),
        ]
    card = ft.Card(
        key=f"check-in-item-{ident}",
        content=ft.Container(
            padding=ft.Padding.all(12),
            content=ft.Column(lines, spacing=8, horizontal_alignment=ft.CrossAxisAlignment.STRETCH),
        ),
    )
    if item.target is CheckInTarget.GOAL:
        return card
    return ft.Container(padding=ft.Padding.only(left=16), content=card)


def _save(record: ConversationRecord, draft: Draft, day: date) -> ConversationRecord:
    """The draft as a check-in (or a mini-MUS holding one), with ids unique in the record."""
    check_in = CheckIn(
        id=plans.next_id("check-in", (c.id for c in record.all_check_ins())),
        on=day,
        items=tuple(i for i in draft.items.values() if record_has(record, i)),
        note=draft.note,
    )
    if not draft.mini:
        return plans.with_check_in(record, check_in)
    _, next_date = draft.next_day()
    mini = MiniMus(
        id=plans.next_id("mini-mus", (m.id for m in record.mini_mus)),
        check_in=check_in,
        new_initiatives=draft.new_initiatives,
        next_date=next_date,
    )
    return plans.with_mini_mus(record, mini)


def record_has(record: ConversationRecord, item: CheckInItem) -> bool:
    """Skip anything deleted from the plan while the review was open."""
    if item.target is CheckInTarget.GOAL:
        return record.goal(item.target_id) is not None
    return record.activity(item.target_id) is not None


def _opened_at(params: dict[str, str]) -> tuple[str, str]:
    """This screen's address and the one Save returns to: the reminder it was
    opened from (``/reminders/<c>/<r>/check-in``), else the follow-up step."""
    if "reminder" in params:
        conversation_id = unquote(params.get("conversation", ""))
        reminder_id = unquote(params["reminder"])
        return (
            routes.reminder_check_in(conversation_id, reminder_id),
            routes.reminder(conversation_id, reminder_id),
        )
    return routes.check_in(), routes.step(FOLLOW_UP)


@ft.component
def CheckInView() -> ft.View:
    params = ft.use_route_params()
    location_now = ft.use_route_location()
    state = use_app_state()
    editor = use_editor()
    t = state.t
    draft_ref: Any = ft.use_ref(None)
    _, set_tick = ft.use_state(0)

    record = editor.record
    location, came_from = _opened_at(params)
    if params.get("element", FOLLOW_UP.id) != FOLLOW_UP.id:
        return not_found_screen(location_now or location, t)
    if record is None:
        return screen(location, t("check_in.title"), [ft.Text(t("wheel.no_conversation"))], t=t)
    today = today_in_copenhagen(editor.clock())  # the reminders' day, not UTC's
    if draft_ref.current is None:
        # Opened from a mini-MUS reminder ("mini_mus:6"): the status is the mini-MUS's.
        kind = unquote(params.get("reminder", "")).partition(":")[0]
        draft_ref.current = replace(Draft.of(record, today), mini=kind == ReminderKind.MINI_MUS)
    draft: Draft = draft_ref.current

    def refresh() -> None:
        set_tick(lambda n: n + 1)

    def set_draft(name: str, e: ft.Event[ft.TextField]) -> None:
        setattr(draft, name, _text_of(e))

    def picked(name: str, day: date) -> None:
        setattr(draft, name, format_date(day))
        refresh()

    def set_mini(e: ft.Event[ft.Switch]) -> None:
        draft.mini = bool(e.control.value)
        refresh()

    day = draft.day()
    next_ok, _ = draft.next_day()
    problem = ""
    if day is None:
        problem = t("field.date.invalid")
    elif day > today:
        problem = t("field.check_in.on.future")

    def save() -> None:
        current = editor.record
        chosen = draft.day()
        draft.tried = True
        if current is None or chosen is None or chosen > today or not draft.next_day()[0]:
            refresh()
            return
        editor.edit(partial(_save, draft=draft, day=chosen))
        draft_ref.current = None
        ft.context.page.navigate(came_from)
        ft.context.page.show_dialog(
            ft.SnackBar(
                ft.Text(t("check_in.saved_mini") if draft.mini else t("check_in.saved")),
                duration=ft.Duration(seconds=4),
            )
        )

    items = [
        _item_card(t, record, item, draft, refresh)
        for item in draft.items.values()
        if record_has(record, item)
    ]
    body: list[ft.Control] = [
        ft.Text(t("check_in.intro"), size=14),
        ft.TextField(
            key="check-in-date",
            label=t("check_in.date"),
            value=draft.on_text,
            hint_text=t("field.date.hint"),
            error=problem if (problem and (draft.tried or day is not None)) else None,
            error_max_lines=3,
            keyboard_type=ft.KeyboardType.DATETIME,
            suffix_icon=calendar_button(
                "check-in-date",
                t("check_in.date"),
                day,
                partial(picked, "on_text"),
                t=t,
                today=today,
                latest=today,  # a check-in is never in the future
            ),
            on_change=partial(set_draft, "on_text"),
            on_blur=refresh,
        ),
        ft.Switch(
            key="check-in-mini",
            label=t("check_in.mini_mus"),
            value=draft.mini,
            on_change=set_mini,
        ),
        *(items or [ft.Text(t("check_in.nothing"), key="check-in-nothing")]),
        _field(
            "check-in-overall-note",
            t("check_in.overall_note"),
            draft.note,
            partial(set_draft, "note"),
        ),
    ]
    if draft.mini:
        body += [
            _field(
                "check-in-new-initiatives",
                t("check_in.new_initiatives"),
                draft.new_initiatives,
                partial(set_draft, "new_initiatives"),
                hint=t("check_in.new_initiatives.hint"),
            ),
            ft.TextField(
                key="check-in-next-date",
                label=t("check_in.next_date"),
                value=draft.next_text,
                hint_text=t("field.date.hint"),
                error=None if next_ok else t("field.date.invalid"),
                keyboard_type=ft.KeyboardType.DATETIME,
                suffix_icon=calendar_button(
                    "check-in-next-date",
                    t("check_in.next_date"),
                    draft.next_day()[1],
                    partial(picked, "next_text"),
                    t=t,
                    today=today,
                    earliest=day,  # the next one comes after this one
                ),
                on_change=partial(set_draft, "next_text"),
                on_blur=refresh,
            ),
        ]
    save_bar = ft.Container(
        padding=ft.Padding.symmetric(horizontal=PAD, vertical=8),
        content=ft.Row(
            [
                ft.FilledButton(
                    t("check_in.save_mini") if draft.mini else t("check_in.save"),
                    icon=ft.Icons.SAVE_OUTLINED,
                    key="check-in-save",
                    disabled=not items,
                    on_click=save,
                    expand=True,
                )
            ]
        ),
    )
    title = t("check_in.title_mini") if draft.mini else t("check_in.title")
    return screen(location, title, body, t=t, bottom=save_bar)

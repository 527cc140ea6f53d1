"""Follow-up: where each goal and activity stands, the check-ins so far, a new one.

The status shown is the latest from any check-in (own self-review or a
mini-MUS); a goal nobody rated takes what its activities add up to
(``mus.plans.goal_status``). The self-review itself is its own screen
(``views/screens/check_in.py``).
"""

from __future__ import annotations

from collections.abc import Iterable

import flet as ft

from mus import plans
from mus.dates import format_date
from mus.i18n import Translator
from mus.model import (
    Activity,
    CheckIn,
    CheckInItem,
    CheckInTarget,
    ConversationRecord,
    Goal,
    ItemStatus,
    MiniMus,
    enum_key,
)
from mus.wheel import element
from views import routes
from views.context import use_record, use_t

FOLLOW_UP = element("follow_up")

STATUS_ICONS: dict[ItemStatus, ft.IconData] = {
    ItemStatus.NOT_STARTED: ft.Icons.RADIO_BUTTON_UNCHECKED,
    ItemStatus.UNDER_WAY: ft.Icons.PENDING_OUTLINED,
    ItemStatus.DONE: ft.Icons.CHECK_CIRCLE,
    ItemStatus.DROPPED: ft.Icons.CANCEL_OUTLINED,
    ItemStatus.CHANGED: ft.Icons.CHANGE_CIRCLE_OUTLINED,
}


def goal_title(t: Translator, goal: Goal) -> str:
    return goal.title.strip() or t("goals.untitled")


def activity_title(t: Translator, activity: Activity) -> str:
    return activity.description.strip() or t(enum_key(activity.kind))


def check_in_kind(t: Translator, record: ConversationRecord, check_in: CheckIn) -> str:
    """What a check-in was ("Selvevaluering", "Mini-MUS"): one label here and on the plan."""
    mini = any(m.check_in.id == check_in.id for m in record.mini_mus)
    return t("check_in.kind.mini_mus") if mini else t("check_in.kind.self_review")


def status_row(t: Translator, status: ItemStatus, key: str, *, size: int = 13) -> ft.Control:
    """An icon and the status in words (the icon alone says nothing to a screen reader)."""
    return ft.Row(
        [
            ft.Icon(STATUS_ICONS[status], size=size + 3, color=ft.Colors.PRIMARY),
            ft.Text(t(enum_key(status)), key=key, size=size),
        ],
        spacing=6,
    )


def _plan_card(record: ConversationRecord, goal: Goal, t: Translator) -> ft.Control:
    lines: list[ft.Control] = [
        ft.Text(t(enum_key(goal.kind)), size=12, color=ft.Colors.ON_SURFACE_VARIANT),
        ft.Text(goal_title(t, goal), size=16, weight=ft.FontWeight.BOLD),
        status_row(t, plans.goal_status(record, goal.id), f"follow-goal-status-{goal.id}"),
    ]
    for activity in record.activities_for(goal.id):
        lines.append(
            ft.Container(
                padding=ft.Padding.only(left=12, top=4),
                border=ft.Border.only(left=ft.BorderSide(2, ft.Colors.OUTLINE_VARIANT)),
                content=ft.Column(
                    [
                        ft.Text(activity_title(t, activity), size=14),
                        status_row(
                            t,
                            plans.activity_status(record, activity.id),
                            f"follow-activity-status-{activity.id}",
                        ),
                    ],
                    spacing=2,
                ),
            )
        )
    return ft.Card(
        key=f"follow-goal-{goal.id}",
        content=ft.Container(padding=ft.Padding.all(12), content=ft.Column(lines, spacing=6)),
    )


def _item_line(
    record: ConversationRecord, check_in_id: str, item: CheckInItem, t: Translator
) -> ft.Control:
    if item.target is CheckInTarget.GOAL:
        goal = record.goal(item.target_id)
        title = goal_title(t, goal) if goal else t("check_in.removed_item")
    else:
        activity = record.activity(item.target_id)
        title = activity_title(t, activity) if activity else t("check_in.removed_item")
    texts = [
        item.note,
        t("check_in.learned_text", text=item.learned) if item.learned.strip() else "",
        t("check_in.used_text", text=item.used_how) if item.used_how.strip() else "",
    ]
    return ft.Column(
        [
            ft.Text(
                f"{title} – {t(enum_key(item.status))}",
                key=f"check-in-line-{check_in_id}-{item.target}-{item.target_id}",
                size=13,
                weight=ft.FontWeight.BOLD if item.target is CheckInTarget.GOAL else None,
            ),
            *(
                ft.Text(text, size=13, color=ft.Colors.ON_SURFACE_VARIANT)
                for text in texts
                if text.strip()
            ),
        ],
        spacing=2,
    )


def plan_order(record: ConversationRecord, items: Iterable[CheckInItem]) -> list[CheckInItem]:
    """Each goal, then its activities, as in the plan; what left the plan comes last."""
    rank: dict[tuple[CheckInTarget, str], int] = {}
    for goal in record.goals:
        rank[(CheckInTarget.GOAL, goal.id)] = len(rank)
        for activity in record.activities_for(goal.id):
            rank[(CheckInTarget.ACTIVITY, activity.id)] = len(rank)
    return sorted(items, key=lambda i: rank.get((i.target, i.target_id), len(rank)))


def _history_card(
    record: ConversationRecord, check_in: CheckIn, mini: MiniMus | None, t: Translator
) -> ft.Control:
    lines: list[ft.Control] = [
        ft.Text(
            t(
                "check_in.entry_title",
                kind=check_in_kind(t, record, check_in),
                date=format_date(check_in.on),
            ),
            size=16,
            weight=ft.FontWeight.BOLD,
            key=f"check-in-title-{check_in.id}",
        ),
    ]
    if check_in.note.strip():
        lines.append(ft.Text(check_in.note, size=14, key=f"check-in-note-{check_in.id}"))
    if mini is not None and mini.new_initiatives.strip():
        lines.append(ft.Text(t("check_in.new_initiatives"), size=13, weight=ft.FontWeight.BOLD))
        lines.append(ft.Text(mini.new_initiatives, size=14))
    if mini is not None and mini.next_date is not None:
        lines.append(
            ft.Text(t("check_in.next_date_text", date=format_date(mini.next_date)), size=13)
        )
    lines += [
        _item_line(record, check_in.id, item, t) for item in plan_order(record, check_in.items)
    ]
    return ft.Card(
        key=f"check-in-{check_in.id}",
        content=ft.Container(padding=ft.Padding.all(12), content=ft.Column(lines, spacing=6)),
    )


def _open_check_in() -> None:
    ft.context.page.navigate(routes.check_in())


@ft.component
def FollowUpStep() -> ft.Control:
    t = use_t()
    _, record = use_record()
    assert record is not None
    minis = {m.check_in.id: m for m in record.mini_mus}
    history = tuple(reversed(record.all_check_ins()))

    body: list[ft.Control] = [
        ft.Text(t("check_in.status_heading"), size=16, weight=ft.FontWeight.BOLD),
        ft.Text(t("check_in.status_help"), size=13),
        *(_plan_card(record, g, t) for g in record.goals),
    ]
    if not record.goals:
        body.append(ft.Text(t("check_in.no_goals"), key="follow-no-goals"))
    body += [
        ft.Text(t("check_in.start_help"), size=13),
        ft.FilledButton(
            t("check_in.start"),
            icon=ft.Icons.CHECKLIST,
            key="check-in-start",
            disabled=not record.goals,
            on_click=_open_check_in,
        ),
        ft.Text(t("check_in.history_heading"), size=16, weight=ft.FontWeight.BOLD),
        *(_history_card(record, c, minis.get(c.id), t) for c in history),
    ]
    if not history:
        body.append(ft.Text(t("check_in.history_none"), key="check-in-none"))
    return ft.Column(body, spacing=10)
